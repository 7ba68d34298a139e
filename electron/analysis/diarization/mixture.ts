import { writeFileSync } from 'node:fs';
import { seededRandom, shuffled } from '../random.js';
import type { LabelledSpan } from './der.js';

/**
 * Synthetic conversations for measuring diarization (scripts/eval-diarization.ts and the tests): real single-speaker
 * utterances laid out as turns of a conversation, with a known reference of who speaks when. Not used by the engine.
 */
export interface ConversationOptions {
  seed: number;
  /** Turns in the conversation (at least one per speaker; the first turns visit every speaker once). */
  turns: number;
  /** Utterances per turn, inclusive range. */
  utterancesPerTurn?: [number, number];
  /** Pause between utterances of one turn, seconds. */
  pauseWithinTurnS?: [number, number];
  /** Gap between turns, seconds. */
  gapBetweenTurnsS?: [number, number];
  /** Chance that a turn starts before the previous one ends (overlap), and how far before, seconds. */
  overlapChance?: number;
  overlapS?: [number, number];
  /** Each speaker's level is drawn in ±levelSpreadDb around -23 dBFS speech RMS. */
  levelSpreadDb?: number;
  /** Background noise RMS, dBFS (white, seeded). */
  noiseDbfs?: number;
  sampleRate?: number;
}

export interface Conversation {
  sampleRate: number;
  /** Mono mixture. */
  samples: Float32Array;
  /** Each speaker's own track (same length as `samples`), for stereo one-party-per-channel variants. */
  tracks: Map<string, Float32Array>;
  /** Who speaks when: one span per placed utterance (its trimmed extent). */
  reference: LabelledSpan[];
}

const dbToGain = (db: number) => 10 ** (db / 20);

/** RMS over the 20 ms frames within 30 dB of the loudest frame: a level measure that ignores pauses. */
export function speechRms(x: Float32Array, sampleRate = 16000): number {
  const frame = Math.round(0.02 * sampleRate);
  const e: number[] = [];
  for (let s = 0; s + frame <= x.length; s += frame) {
    let acc = 0;
    for (let i = s; i < s + frame; i++) acc += x[i] * x[i];
    e.push(acc / frame);
  }
  if (!e.length) return 0;
  const top = Math.max(...e);
  const loud = e.filter((v) => v >= top * 1e-3);
  return Math.sqrt(loud.reduce((a, b) => a + b, 0) / loud.length);
}

/**
 * The utterance without its leading and trailing silence: from the first to the last 20 ms frame within 35 dB of the
 * loudest frame (and above -60 dBFS), plus 50 ms each side. An energy rule, independent of the VAD under test.
 */
export function trimSilence(x: Float32Array, sampleRate = 16000): Float32Array {
  const frame = Math.round(0.02 * sampleRate);
  const db: number[] = [];
  for (let s = 0; s + frame <= x.length; s += frame) {
    let acc = 0;
    for (let i = s; i < s + frame; i++) acc += x[i] * x[i];
    db.push(10 * Math.log10(acc / frame + 1e-20));
  }
  if (!db.length) return x.slice();
  const threshold = Math.max(-60, Math.max(...db) - 35);
  const first = db.findIndex((v) => v > threshold);
  if (first < 0) return new Float32Array(0);
  let last = db.length - 1;
  while (db[last] <= threshold) last--;
  const pad = Math.round(0.05 * sampleRate);
  return x.slice(Math.max(0, first * frame - pad), Math.min(x.length, (last + 1) * frame + pad));
}

/**
 * Lay out a conversation from each speaker's (trimmed) utterances. Utterances are used in a seeded shuffled order,
 * cycling when a speaker runs out.
 */
export function buildConversation(utterances: Map<string, Float32Array[]>, opts: ConversationOptions): Conversation {
  const o = {
    utterancesPerTurn: [1, 3] as [number, number],
    pauseWithinTurnS: [0.15, 0.6] as [number, number],
    gapBetweenTurnsS: [0.2, 1.2] as [number, number],
    overlapChance: 0.15,
    overlapS: [0.2, 0.7] as [number, number],
    levelSpreadDb: 3,
    noiseDbfs: -60,
    sampleRate: 16000,
    ...opts,
  };
  const rand = seededRandom(o.seed);
  const uniform = ([a, b]: [number, number]) => a + (b - a) * rand();
  const speakers = [...utterances.keys()];
  if (speakers.length === 0) throw new Error('no speakers');
  for (const s of speakers) if (!utterances.get(s)!.length) throw new Error(`speaker ${s} has no utterances`);
  const inOrder = new Map(speakers.map((s) => [s, shuffled(utterances.get(s)!, rand)]));
  const used = new Map(speakers.map((s) => [s, 0]));
  const gain = new Map(speakers.map((s) => [s, dbToGain(-23 + (2 * rand() - 1) * o.levelSpreadDb)]));
  const sr = o.sampleRate;

  // Order of turns: every speaker once (shuffled), then random speakers, never the same twice in a row.
  const order = shuffled(speakers, rand);
  while (order.length < o.turns) {
    const choices = speakers.filter((s) => s !== order[order.length - 1]);
    order.push(choices.length ? choices[Math.floor(rand() * choices.length)] : speakers[0]);
  }

  const placed: Array<{ speaker: string; start: number; x: Float32Array }> = [];
  let cursor = Math.round(uniform([0.3, 1.0]) * sr);
  let previousTurnStart = 0;
  for (const speaker of order) {
    const n = o.utterancesPerTurn[0] + Math.floor(rand() * (o.utterancesPerTurn[1] - o.utterancesPerTurn[0] + 1));
    // Turn onset: after a gap, or (sometimes) overlapping the end of the previous turn.
    if (placed.length) {
      const overlap = rand() < o.overlapChance;
      const shift = Math.round((overlap ? -uniform(o.overlapS) : uniform(o.gapBetweenTurnsS)) * sr);
      cursor = Math.max(previousTurnStart + Math.round(0.5 * sr), cursor + shift);
    }
    previousTurnStart = cursor;
    for (let k = 0; k < n; k++) {
      const list = inOrder.get(speaker)!;
      const i = used.get(speaker)!;
      used.set(speaker, i + 1);
      const x = list[i % list.length];
      if (k > 0) cursor += Math.round(uniform(o.pauseWithinTurnS) * sr);
      placed.push({ speaker, start: cursor, x });
      cursor += x.length;
    }
  }
  const total = Math.max(...placed.map((p) => p.start + p.x.length)) + Math.round(uniform([0.3, 1.0]) * sr);
  const tracks = new Map(speakers.map((s) => [s, new Float32Array(total)]));
  const reference: LabelledSpan[] = [];
  for (const p of placed) {
    const track = tracks.get(p.speaker)!;
    const g = gain.get(p.speaker)! / Math.max(1e-6, speechRms(p.x, sr));
    for (let i = 0; i < p.x.length; i++) track[p.start + i] += p.x[i] * g;
    reference.push({ startS: p.start / sr, endS: (p.start + p.x.length) / sr, speaker: p.speaker });
  }
  const samples = new Float32Array(total);
  const noise = dbToGain(o.noiseDbfs) * Math.sqrt(3); // uniform noise in [-a, a] has RMS a/√3
  for (let i = 0; i < total; i++) samples[i] = noise * (2 * rand() - 1);
  for (const t of tracks.values()) for (let i = 0; i < total; i++) samples[i] += t[i];
  reference.sort((a, b) => a.startS - b.startS);
  return { sampleRate: sr, samples, tracks, reference };
}

/** Write 16-bit PCM WAV with any number of equally long channels (interleaved), clipping to [-1, 1]. */
export function writeWav(file: string, channels: readonly Float32Array[], sampleRate: number): void {
  const n = channels[0]?.length ?? 0;
  if (channels.some((c) => c.length !== n)) throw new Error('channels must have equal lengths');
  const nc = channels.length;
  const data = Buffer.alloc(n * nc * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < nc; c++) {
      const v = Math.max(-1, Math.min(1, channels[c][i]));
      data.writeInt16LE(Math.round(v * 32767), (i * nc + c) * 2);
    }
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(nc, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * nc * 2, 28);
  header.writeUInt16LE(nc * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([header, data]));
}
