/** Helpers for voice tests (16 kHz mono); the non-speech signals are native-models/voice-spectrogram-cnn/train/probe-signals.ts. */
const SR = 16000;

/** Feed a signal as 1 s chunks. */
export async function* chunksOf(x: Float32Array): AsyncGenerator<Float32Array> {
  for (let s = 0; s < x.length; s += SR) yield x.subarray(s, s + SR);
}
