/**
 * Two-person call recordings built with real ffmpeg from real material, with their ground truth — for the per-person
 * tests (tests/participants.test.ts) and the bench. Nothing here is shipped in the app.
 *
 *   video: a 2×1 gallery at 1280×720 (scripts/lib/gallery-layouts.ts): the woman (WolfgangLanger_Pexels.mp4) in the
 *          left tile, the man (single_face.mp4) in the right one;
 *   audio: two RAVDESS actors taking turns in ONE mixed mono track (each utterance trimmed to its speech by energy, so
 *          the turns are the speech), with pauses between turns and, optionally, some overlap.
 *
 * `talking: true` makes each tile move only while its person's voice is heard and freeze otherwise (a still frame of
 * the same video), so mouth movement and speech go together as in a real call: the material has no real talking faces
 * with their own voices, and this is how the voice-to-face link is tested on real faces and real speech.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readAudio, AUDIO_SAMPLE_RATE } from '../../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../../electron/analysis/media/ffmpeg-path.js';
import { buildLayout, gridCells, type Layout, type Rect } from './gallery-layouts.js';

/** Two RAVDESS actors taking turns: a woman (sad, strong and normal) for the left tile, a man (angry) for the right one. */
export const TWO_RAVDESS_VOICES: string[][] = [
  [
    'Actor_02/03-01-04-02-01-01-02.flac',
    'Actor_02/03-01-04-02-02-01-02.flac',
    'Actor_02/03-01-04-01-01-02-02.flac',
    'Actor_02/03-01-04-02-01-02-02.flac',
    'Actor_02/03-01-04-01-02-01-02.flac',
  ],
  [
    'Actor_01/03-01-05-02-01-01-01.flac',
    'Actor_01/03-01-05-02-02-01-01.flac',
    'Actor_01/03-01-05-01-01-02-01.flac',
    'Actor_01/03-01-05-02-01-02-01.flac',
    'Actor_01/03-01-05-01-02-01-01.flac',
  ],
];

export interface Turn {
  startS: number;
  endS: number;
  /** Index into `voices`. */
  speaker: number;
}

export interface CallSpec {
  name: string;
  /** The RAVDESS clips each voice speaks, in turn order (path relative to the ravdess-speech folder). */
  voices: string[][];
  /** Silence between turns (s); negative = overlap. */
  gapS: number;
  /** Leading silence (s). */
  leadS?: number;
  /** Tiles move only while their person speaks (see the module comment). */
  talking?: boolean;
  /** Frame size (default 1280×720). */
  width?: number;
  height?: number;
}

export interface CallRecording {
  file: string;
  turns: Turn[];
  durationS: number;
  /** The face tile of each voice (voice i ↔ tile i). */
  tiles: Rect[];
  layout: Layout;
}

const sh = (args: string[]) => execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

/** The span of a clip that is speech: 20-ms frames within 26 dB of the loudest frame, with 50 ms kept on each side. */
export function speechSpan(samples: Float32Array, sr = AUDIO_SAMPLE_RATE): [number, number] {
  const frame = Math.round(0.02 * sr);
  const rms: number[] = [];
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let s = 0;
    for (let j = i; j < i + frame; j++) s += samples[j] ** 2;
    rms.push(Math.sqrt(s / frame));
  }
  const peak = Math.max(...rms);
  const on = rms.map((r) => r >= peak * 0.05);
  const first = on.indexOf(true);
  const last = on.lastIndexOf(true);
  return [Math.max(0, first * frame - Math.round(0.05 * sr)), Math.min(samples.length, (last + 1) * frame + Math.round(0.05 * sr))];
}

/** 16-bit PCM mono WAV. */
function wav(samples: Float32Array, sr: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), i * 2));
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(sr, 24);
  head.writeUInt32LE(sr * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

/** The mixed track: voices take turns (round robin), each utterance trimmed to its speech. */
export async function mixTurns(
  ravdessDir: string,
  spec: Pick<CallSpec, 'voices' | 'gapS' | 'leadS'>,
  out: string,
): Promise<{ turns: Turn[]; durationS: number }> {
  const ff = resolveFfmpeg();
  const sr = AUDIO_SAMPLE_RATE;
  const clips: Array<{ speaker: number; samples: Float32Array }> = [];
  const rounds = Math.max(...spec.voices.map((v) => v.length));
  for (let r = 0; r < rounds; r++)
    for (let s = 0; s < spec.voices.length; s++) {
      const rel = spec.voices[s][r];
      if (!rel) continue;
      const all = await readAudio(path.join(ravdessDir, rel), ff);
      const [a, b] = speechSpan(all, sr);
      clips.push({ speaker: s, samples: all.subarray(a, b) });
    }
  const turns: Turn[] = [];
  let t = spec.leadS ?? 0.5;
  for (const c of clips) {
    const d = c.samples.length / sr;
    turns.push({ startS: t, endS: t + d, speaker: c.speaker });
    t += d + spec.gapS;
  }
  const durationS = Math.max(...turns.map((x) => x.endS)) + 0.7;
  const mix = new Float32Array(Math.ceil(durationS * sr));
  clips.forEach((c, i) => {
    const at = Math.round(turns[i].startS * sr);
    for (let k = 0; k < c.samples.length && at + k < mix.length; k++) mix[at + k] += c.samples[k];
  });
  writeFileSync(out, wav(mix, sr));
  return { turns: turns.map((x) => ({ ...x, startS: round3(x.startS), endS: round3(x.endS) })), durationS };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Build (or reuse from `dir`) a two-person call; its ground truth comes back with it. */
export async function buildCall(sharedVideos: string, ravdessDir: string, spec: CallSpec, dir: string): Promise<CallRecording> {
  mkdirSync(dir, { recursive: true });
  const width = spec.width ?? 1280;
  const height = spec.height ?? 720;
  const audio = path.join(dir, `${spec.name}.wav`);
  const { turns, durationS } = await mixTurns(ravdessDir, spec, audio);
  const tiles = gridCells(width, height, 2, 1, Math.round(height / 90));
  const woman = path.join(sharedVideos, 'WolfgangLanger_Pexels.mp4');
  const man = path.join(sharedVideos, 'single_face.mp4');
  const layout: Layout = {
    name: `${spec.name}-video`,
    width,
    height,
    durationS,
    tiles: [
      { rect: tiles[0], source: { kind: 'face', file: woman, person: 'woman', startS: 2 } },
      { rect: tiles[1], source: { kind: 'face', file: man, person: 'man', startS: 0 } },
    ],
  };
  const file = path.join(dir, `${spec.name}.mp4`);
  if (!existsSync(file)) {
    const video = spec.talking ? talkingLayout(layout, turns, dir, spec.name) : buildLayout(layout, dir);
    sh(['-i', video, '-i', audio, '-map', '0:v', '-map', '1:a', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '96k', '-shortest', file]);
  }
  return { file, turns, durationS, tiles, layout };
}

/**
 * The 2×1 layout where tile i plays only during voice i's turns and holds its last frame otherwise: each tile is cut
 * into playing and frozen segments (separate ffmpeg runs, joined by the concat demuxer), then the tiles are overlaid.
 */
function talkingLayout(layout: Layout, turns: readonly Turn[], dir: string, name: string, fps = 10): string {
  const out = path.join(dir, `${name}-talking.mp4`);
  if (existsSync(out)) return out;
  const tileFiles = layout.tiles.map((tile, i) => {
    if (tile.source.kind !== 'face') throw new Error('talking tiles need face sources');
    const { file: src, startS } = tile.source;
    const { width: w, height: h } = tile.rect;
    const fit = `fps=${fps},scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,format=yuv420p`;
    const own = turns.filter((t) => t.speaker === i);
    // Output segments [a, b) with whether the tile plays; the source advances only while it plays.
    const cuts = [0, ...own.flatMap((t) => [t.startS, t.endS]), layout.durationS].map((x) => Math.min(layout.durationS, x));
    const parts: string[] = [];
    let source = startS;
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [a, b] = [cuts[k], cuts[k + 1]];
      const frames = Math.round(b * fps) - Math.round(a * fps);
      if (frames <= 0) continue;
      const part = path.join(dir, `${name}-t${i}-${k}.mp4`);
      const playing = k % 2 === 1;
      if (playing) {
        sh([
          '-stream_loop',
          '-1',
          '-ss',
          source.toFixed(3),
          '-i',
          src,
          '-vf',
          fit,
          '-frames:v',
          String(frames),
          '-an',
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-crf',
          '20',
          part,
        ]);
        source += frames / fps;
      } else {
        const still = path.join(dir, `${name}-t${i}-${k}.png`);
        sh(['-stream_loop', '-1', '-ss', source.toFixed(3), '-i', src, '-frames:v', '1', still]);
        sh(['-loop', '1', '-i', still, '-vf', fit, '-frames:v', String(frames), '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', part]);
      }
      parts.push(part);
    }
    const list = path.join(dir, `${name}-t${i}.txt`);
    writeFileSync(list, parts.map((p) => `file '${p.replace(/'/g, "'\\''")}'`).join('\n') + '\n');
    const tileFile = path.join(dir, `${name}-t${i}.mp4`);
    sh(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', tileFile]);
    return tileFile;
  });
  const [a, b] = layout.tiles.map((t) => t.rect);
  sh([
    '-f',
    'lavfi',
    '-i',
    `color=c=0x202124:s=${layout.width}x${layout.height}:r=${fps}:d=${layout.durationS}`,
    '-i',
    tileFiles[0],
    '-i',
    tileFiles[1],
    '-filter_complex',
    `[1:v]setpts=PTS-STARTPTS[a];[2:v]setpts=PTS-STARTPTS[b];[0:v][a]overlay=x=${a.x}:y=${a.y}:eof_action=repeat[o0];[o0][b]overlay=x=${b.x}:y=${b.y}:eof_action=repeat[o1]`,
    '-map',
    '[o1]',
    '-t',
    String(layout.durationS),
    '-an',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '23',
    '-pix_fmt',
    'yuv420p',
    out,
  ]);
  return out;
}

/**
 * Speaker confusion over speech time: the share of the time where the truth and the result both have speech in which
 * the result's speaker is not the truth's, under the best one-to-one mapping of result speakers to true ones
 * (exhaustive over mappings: a few speakers). Also the share of true speech the result missed.
 */
export function speakerConfusion(
  truth: readonly Turn[],
  result: ReadonlyArray<{ startS: number; endS: number; speaker: number }>,
  stepS = 0.01,
): { confusion: number; missed: number; speechS: number; mapping: Map<number, number> } {
  const end = Math.max(...truth.map((t) => t.endS), ...result.map((t) => t.endS), 0);
  const n = Math.ceil(end / stepS);
  const at = (turns: ReadonlyArray<{ startS: number; endS: number; speaker: number }>) => {
    const out: number[][] = Array.from({ length: n }, () => []);
    for (const t of turns) for (let i = Math.floor(t.startS / stepS); i < Math.min(n, Math.ceil(t.endS / stepS)); i++) out[i].push(t.speaker);
    return out;
  };
  const T = at(truth);
  const R = at(result);
  const trueSpeakers = [...new Set(truth.map((t) => t.speaker))];
  const resultSpeakers = [...new Set(result.map((t) => t.speaker))];
  let best = { correct: -1, mapping: new Map<number, number>() };
  const assign = (k: number, used: Set<number>, mapping: Map<number, number>) => {
    if (k === resultSpeakers.length) {
      let correct = 0;
      for (let i = 0; i < n; i++) if (T[i].length && R[i].length && R[i].some((r) => mapping.has(r) && T[i].includes(mapping.get(r)!))) correct++;
      if (correct > best.correct) best = { correct, mapping: new Map(mapping) };
      return;
    }
    assign(k + 1, used, mapping); // this result speaker maps to nobody
    for (const t of trueSpeakers) {
      if (used.has(t)) continue;
      used.add(t);
      mapping.set(resultSpeakers[k], t);
      assign(k + 1, used, mapping);
      mapping.delete(resultSpeakers[k]);
      used.delete(t);
    }
  };
  assign(0, new Set(), new Map());
  let both = 0;
  let trueSpeech = 0;
  let missed = 0;
  for (let i = 0; i < n; i++) {
    if (T[i].length) trueSpeech++;
    if (T[i].length && R[i].length) both++;
    if (T[i].length && !R[i].length) missed++;
  }
  return {
    confusion: both ? (both - best.correct) / both : 0,
    missed: trueSpeech ? missed / trueSpeech : 0,
    speechS: trueSpeech * stepS,
    mapping: best.mapping,
  };
}
