-- 006: how far each voice window's input was from the audio the voice model was trained on
-- (electron/analysis/voice/input-check.ts). NULL for unvoiced windows, for models without an input check and for
-- sessions analysed before this column existed. A window above the model's threshold is stored with label NULL
-- (uncertain) and its probabilities; the threshold used is in the session summary (voice.inputCheckThreshold).
ALTER TABLE window_results ADD COLUMN input_distance REAL CHECK (input_distance IS NULL OR input_distance >= 0);
