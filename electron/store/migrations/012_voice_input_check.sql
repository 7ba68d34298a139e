-- 012: how far each voice window's input was from the audio the voice model was trained on, in units of the model's
-- input-check thresholds (electron/analysis/voice/input-check.ts): above 1 the window is unlike the training audio and
-- is stored with label NULL (uncertain) and its probabilities. NULL for unvoiced windows, for models without an input
-- check and for sessions analysed before this column existed. The threshold is in the session summary
-- (voice.inputCheckThreshold).
ALTER TABLE window_results ADD COLUMN input_distance REAL CHECK (input_distance IS NULL OR input_distance >= 0);
