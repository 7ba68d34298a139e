/** Synthetic non-speech audio for voice tests (16 kHz mono). */
const SR = 16000;

/** Piano-like music: harmonic notes (6 partials) with decaying envelopes, a new note every 0.25 s. */
export function pianoMusic(seconds: number): Float32Array {
  const x = new Float32Array(seconds * SR);
  const notes = [60, 64, 67, 72, 69, 65, 62, 59];
  for (let k = 0; k * 0.25 < seconds - 0.5; k++) {
    const f0 = 440 * 2 ** ((notes[k % notes.length] - 69) / 12);
    const s0 = Math.round(k * 0.25 * SR);
    for (let i = 0; i < SR && s0 + i < x.length; i++)
      for (let h = 1; h <= 6; h++) x[s0 + i] += (0.05 / h) * Math.exp(-i / (0.4 * SR)) * Math.sin((2 * Math.PI * h * f0 * i) / SR);
  }
  return x;
}

/** White noise switched on and off every 0.4 s (loud/quiet), seeded: passes the energy gate. */
export function noiseBursts(seconds: number): Float32Array {
  const x = new Float32Array(seconds * SR);
  let seed = 1;
  for (let i = 0; i < x.length; i++) x[i] = (Math.floor(i / 6400) % 2 ? 0.001 : 0.05) * (((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
  return x;
}

/** Feed a signal as 1 s chunks. */
export async function* chunksOf(x: Float32Array): AsyncGenerator<Float32Array> {
  for (let s = 0; s < x.length; s += SR) yield x.subarray(s, s + SR);
}
