/**
 * Non-speech signals a call recording can hold besides speech (synthesised, seeded): music, noise bursts, phone tones,
 * keyboard typing. Used by input-check-probes.ts to validate the voice input check, and by the tests.
 */
import { seededRandom } from '../../../electron/analysis/random.js';
import { TRAINING_FRONT_END as fe } from '../../../electron/analysis/voice/front-end.js';

const SR = fe.sampleRate;
export const SECONDS = 60;
const N = SR * SECONDS;
const r = seededRandom(99);
const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const midiHz = (m: number) => 440 * 2 ** ((m - 69) / 12);

/** Harmonic note: partials k=1..8 with 1/k amplitude; `decay` in seconds (piano-like) or sustained with vibrato. */
function addNote(x: Float32Array, startS: number, durS: number, midi: number, amp: number, decay: number | null): void {
  const f0 = midiHz(midi);
  const s0 = Math.round(startS * SR);
  const n = Math.min(Math.round(durS * SR), x.length - s0);
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const env = decay === null ? Math.min(1, t / 0.05) * Math.min(1, (durS - t) / 0.1) : Math.exp(-t / decay) * Math.min(1, t / 0.005);
    const vib = decay === null ? 1 + 0.004 * Math.sin(2 * Math.PI * 5.5 * t) : 1;
    let v = 0;
    for (let k = 1; k <= 8 && k * f0 < SR / 2; k++) v += Math.sin(2 * Math.PI * k * f0 * vib * t) / k;
    x[s0 + i] += amp * env * v;
  }
}

function addDrum(x: Float32Array, startS: number, kind: 'kick' | 'snare' | 'hat', amp: number): void {
  const s0 = Math.round(startS * SR);
  const n = Math.min(Math.round((kind === 'hat' ? 0.05 : 0.25) * SR), x.length - s0);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    let v: number;
    if (kind === 'kick') v = Math.sin(2 * Math.PI * (50 + 100 * Math.exp(-t / 0.03)) * t) * Math.exp(-t / 0.12);
    else {
      const w = gauss();
      v = (kind === 'hat' ? w - prev : w) * Math.exp(-t / (kind === 'hat' ? 0.015 : 0.06));
      prev = w;
    }
    x[s0 + i] += amp * v;
  }
}

const CHORDS = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]]; // C, Am, F, G

function pianoMusic(): Float32Array {
  const x = new Float32Array(N);
  const beat = 0.5;
  for (let b = 0; b * beat < SECONDS - 1; b++) {
    const chord = CHORDS[Math.floor(b / 4) % 4];
    if (b % 4 === 0) for (const m of chord) addNote(x, b * beat, 2, m - 12, 0.05, 0.6);
    addNote(x, b * beat, beat, pick(chord) + 12 + (r() < 0.3 ? 2 : 0), 0.08, 0.35);
  }
  return x;
}

function bandMusic(): Float32Array {
  const x = new Float32Array(N);
  const beat = 60 / 110;
  for (let b = 0; b * beat < SECONDS - 2; b++) {
    const chord = CHORDS[Math.floor(b / 4) % 4];
    if (b % 4 === 0) for (const m of chord) addNote(x, b * beat, 4 * beat, m, 0.03, null);
    addNote(x, b * beat, beat * 0.9, chord[0] - 24, 0.06, null);
    addDrum(x, b * beat, b % 2 === 0 ? 'kick' : 'snare', 0.25);
    addDrum(x, b * beat + beat / 2, 'hat', 0.08);
  }
  return x;
}

function pick(a: number[]): number {
  return a[Math.floor(r() * a.length)];
}

/** Noise switched on and off (0.2–0.6 s each), white or pink-ish: traffic, rustling, a fan switching. */
function noiseBursts(pink: boolean): Float32Array {
  const x = new Float32Array(N);
  let on = true, left = 0, lp = 0;
  for (let i = 0; i < N; i++) {
    if (left-- <= 0) (on = !on), (left = Math.round((0.2 + 0.4 * r()) * SR));
    const w = gauss();
    lp = pink ? 0.95 * lp + 0.3 * w : w;
    x[i] = on ? 0.05 * lp : 0.001 * w;
  }
  return x;
}

/** DTMF key tones (70 ms tone, 80 ms gap) and ring-back tone (425 Hz, 1 s on, 4 s off) — sounds of a phone line. */
export function phoneTones(): Float32Array {
  const x = new Float32Array(N);
  const rows = [697, 770, 852, 941], cols = [1209, 1336, 1477];
  for (let t = 0; t < SECONDS - 1; t += 5) {
    for (let k = 0; k < 8; k++) {
      const s0 = Math.round((t + k * 0.15) * SR);
      const f1 = rows[Math.floor(r() * 4)], f2 = cols[Math.floor(r() * 3)];
      for (let i = 0; i < 0.07 * SR; i++) x[s0 + i] += 0.1 * (Math.sin((2 * Math.PI * f1 * i) / SR) + Math.sin((2 * Math.PI * f2 * i) / SR));
    }
    const s1 = Math.round((t + 2) * SR);
    for (let i = 0; i < SR; i++) x[s1 + i] += 0.1 * Math.sin((2 * Math.PI * 425 * i) / SR);
  }
  for (let i = 0; i < N; i++) x[i] += 0.0005 * gauss();
  return x;
}

/** Keyboard typing: clicks (2–5 ms decaying noise) at irregular 80–300 ms intervals. */
export function typing(): Float32Array {
  const x = new Float32Array(N);
  for (let t = 0.1; t < SECONDS - 0.1; t += 0.08 + 0.22 * r()) {
    const s0 = Math.round(t * SR);
    const a = 0.1 + 0.2 * r();
    for (let i = 0; i < 0.02 * SR; i++) x[s0 + i] += a * gauss() * Math.exp(-i / (0.003 * SR));
  }
  for (let i = 0; i < N; i++) x[i] += 0.0005 * gauss();
  return x;
}

/** Each probe: 60 s at 16 kHz. The random stream is shared, so call them in this order for the cached probes. */
export const PROBES: Record<string, () => Float32Array> = {
  'music-piano': pianoMusic,
  'music-band': bandMusic,
  'noise-bursts-white': () => noiseBursts(false),
  'noise-bursts-pink': () => noiseBursts(true),
  'phone-tones': phoneTones,
  typing,
};

