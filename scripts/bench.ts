/**
 * npm run bench [-- --minutes 10] [--only e2e,call] [--skip face,merge] — speed and memory figures, printed (never asserted in tests).
 *  1. End to end (run first, so its peak memory is its own): `AnalysisEngine.analyze` with the CLI's defaults on a
 *     realistic N-minute call recording (720p30 H.264, x264 veryfast CRF 23, keyframe every 2 s, AAC; the bundled
 *     sample's real face and speech looped: scripts/lib/realistic-call.ts), against its decode floor measured in the
 *     same run (ffmpeg alone decoding what the engine decodes): × real time, × the floor, peak memory of the Node
 *     process and of its ffmpeg children.
 *  2. Face expression stage: images/s at batch 1 and 8, on 1 and 2 threads, for every installed face-expression model.
 *  3. Face detector: ms per frame.  4. Voice stage: real-time factor on 60 s of speech.
 *  5. `affect merge` of 100 shard databases (each one analysed session of the sample, made distinct).
 *  6. People: faces in call layouts (1×1, 2×1, 3×3, speaker view at 720p) and per-person tracking (scripts/lib/people-bench.ts).
 *  7. Privacy: scrypt, encrypted vs plain save/read, backup, erase + compact (scripts/bench-privacy.ts).
 *  8. Call: a two-person gallery call of N minutes at 720p, end to end (scripts/lib/call-bench.ts).
 *  9. Diarization (electron/analysis/diarization): real-time factor and memory on an N-minute two-person call built
 *     from the sample's speech and a lowered copy, as one mixed track and as stereo with one party per channel.
 */
import '../electron/privacy/no-telemetry.js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AnalysisEngine, DEFAULT_MAX_SIDE } from '../electron/analysis/engine.js';
import { FaceDetector } from '../electron/analysis/face/detector.js';
import { FaceExpressionModel } from '../electron/analysis/face/expression-model.js';
import { cropFace } from '../electron/analysis/face/crop.js';
import { readAudio, streamVideoFrames } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { DEFAULT_MODEL_IDS, listModels, PEOPLE_MODEL_IDS, resolveModelDir } from '../electron/analysis/models/registry.js';
import type { RgbImage } from '../electron/analysis/image.js';
import { VoiceEmotionModel } from '../electron/analysis/voice/voice-model.js';
import { TextEmotionModel } from '../electron/analysis/text/text-model.js';
import { readTranscriptFile } from '../electron/analysis/transcript/read-transcript.js';
import { windowSignal } from '../electron/analysis/voice/windows.js';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { openDatabase } from '../electron/store/db.js';
import { mergeDatabase } from '../electron/store/merge.js';
import { saveAnalysis } from '../electron/store/sessions-repo.js';
import { benchCall } from './lib/call-bench.js';
import { benchPeople } from './lib/people-bench.js';
import { ChildMemory, cpuSeconds, decodeFloor, kbitPerS, realisticCall, REALISTIC } from './lib/realistic-call.js';
import { benchPrivacy } from './bench-privacy.js';
import { Diarizer } from '../electron/analysis/diarization/diarize.js';
import { buildConversation, trimSilence, writeWav } from '../electron/analysis/diarization/mixture.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SAMPLE = path.join(ROOT, 'data/samples/sample.mp4');
const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, skip: { type: 'string', default: '' }, only: { type: 'string', default: '' } },
});
const minutes = Number(values.minutes);
const skip = new Set(values.skip.split(',').filter(Boolean));
const only = new Set(values.only.split(',').filter(Boolean));
/** Whether a section runs: `--only a,b` runs just those, `--skip a,b` all but those. */
const want = (section: string) => (only.size === 0 || only.has(section)) && !skip.has(section);
const ff = resolveFfmpeg();
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

console.log(`bench: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ffmpeg ${ff.ffmpeg} (${ff.source})`);

async function timeIt<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, (performance.now() - t0) / 1000];
}

async function sampleCrops(n: number, size: number): Promise<RgbImage[]> {
  const info = await probeMedia(SAMPLE, ff);
  const detector = await FaceDetector.load(resolveModelDir(DEFAULT_MODEL_IDS.faceDetector));
  const crops: RgbImage[] = [];
  for await (const frame of streamVideoFrames(SAMPLE, ff, info.video!, { fps: 2, maxSide: 640 })) {
    const face = await detector.detectLargest(frame);
    if (face) crops.push(cropFace(frame, face.box, { margin: 0.15, square: true }, size));
  }
  await detector.release();
  return Array.from({ length: n }, (_, i) => crops[i % crops.length]);
}

// End to end first: its peak-memory figure (this process's VmHWM, its whole life) must not include the models the
// per-stage sections load afterwards.
if (want('e2e')) {
  const video = realisticCall(ff, SAMPLE, path.join(ROOT, '.cache', 'bench'), minutes);
  const info = await probeMedia(video, ff);
  const decode = { fps: 2, maxSide: DEFAULT_MAX_SIDE };
  const before = await decodeFloor(ff, video, info.video!, decode);
  const engine = await AnalysisEngine.create();
  const memory = new ChildMemory();
  const cpu0 = cpuSeconds();
  const [result, s] = await timeIt(() => engine.analyze(video, decode)); // the CLI's defaults
  const cpu1 = cpuSeconds();
  memory.stop();
  await engine.close();
  const after = await decodeFloor(ff, video, info.video!, decode);
  const floorS = (before.s + after.s) / 2;
  const d = result.media.durationS;
  const { width, height, fps, preset, crf, gop } = REALISTIC;
  console.log(
    `end to end: ${(d / 60).toFixed(1)} min call, ${width}×${height} ${fps} fps H.264 (x264 ${preset}, CRF ${crf}, keyframe every ${gop / fps} s, ${kbitPerS(video, d).toFixed(0)} kbit/s with AAC audio), ` +
      `analysed at ${decode.fps} fps, ${decode.maxSide} px: ${result.frameTimes.length} frames, ${result.participants.length} participant(s) in ${s.toFixed(1)} s = ` +
      `${(d / s).toFixed(1)}× faster than real time; decode floor (ffmpeg alone, same decodes) ${floorS.toFixed(1)} s (${before.s.toFixed(1)} before, ${after.s.toFixed(1)} after) → ` +
      `${(s / floorS).toFixed(2)}× the decode floor; peak memory: Node process ${mib(ChildMemory.selfPeakKiB())}, largest of ${memory.children} ffmpeg/ffprobe children ${mib(memory.childrenPeakKiB)} ` +
      `(the floor's ffmpeg: ${mib(Math.max(before.peakKiB, after.peakKiB))})` +
      (cpu0 && cpu1
        ? `; CPU time: Node ${(cpu1.self - cpu0.self).toFixed(0)} s, ffmpeg ${(cpu1.children - cpu0.children).toFixed(0)} s (the floor's ffmpeg: ${before.cpuS.toFixed(0)} s)`
        : ''),
  );
}

if (want('face')) {
  const faceModels = listModels().flatMap((m) => ('dir' in m && m.task === 'face-expression' ? [m.dir] : []));
  const crops = await sampleCrops(64, 96);
  for (const dir of faceModels) {
    for (const threads of [1, 2]) {
      const model = await FaceExpressionModel.load(dir, { threads, maxBatch: 8 });
      await model.classify(crops.slice(0, 8)); // warm-up
      for (const batch of [1, 8]) {
        const [, s] = await timeIt(async () => {
          for (let i = 0; i < crops.length; i += batch) await model.classify(crops.slice(i, i + batch));
        });
        console.log(`face expression (${model.manifest.id}): batch ${batch}, ${threads} thread(s): ${(crops.length / s).toFixed(1)} images/s`);
      }
      await model.release();
    }
  }
}

if (want('detector')) {
  const info = await probeMedia(SAMPLE, ff);
  const frames = [];
  for await (const frame of streamVideoFrames(SAMPLE, ff, info.video!, { fps: 2, maxSide: 640 })) frames.push(frame);
  // CPU per frame of the process, not only wall time: with onnxruntime's default intra-op threads a small model can
  // finish sooner and still cost more CPU, which the engine (its other core busy with ffmpeg) pays for (EngineOptions.threads).
  for (const id of [DEFAULT_MODEL_IDS.faceDetector, PEOPLE_MODEL_IDS.faceWindows]) {
    for (const threads of [1, undefined]) {
      const detector = await FaceDetector.load(resolveModelDir(id), { threads });
      for (const frame of frames) await detector.detect(frame); // warm-up: onnxruntime and the letterbox code
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (const frame of frames) await detector.detect(frame);
      const cpu = process.cpuUsage(cpu0);
      const per = (v: number) => (v / frames.length).toFixed(1);
      console.log(
        `face detector (${id}), ${threads ?? "onnxruntime's default"} thread(s): ${per(performance.now() - t0)} ms/frame, ` +
          `${per((cpu.user + cpu.system) / 1000)} ms of CPU/frame, whole frame at 640×360 (${frames.length} frames)`,
      );
      await detector.release();
    }
  }
}

if (want('voice')) {
  const model = await VoiceEmotionModel.load(resolveModelDir(DEFAULT_MODEL_IDS.voiceEmotion));
  const speech = await readAudio(SAMPLE, ff);
  const sixty = new Float32Array(16000 * 60);
  for (let i = 0; i < sixty.length; i++) sixty[i] = speech[i % speech.length];
  const [, s] = await timeIt(async () => {
    const windows = windowSignal(sixty, model.frontEnd);
    await model.classify(windows.filter((w) => w.voiced));
  });
  console.log(`voice stage (${model.manifest.id}): 60 s of audio in ${s.toFixed(2)} s → real-time factor ${(s / 60).toFixed(4)}`);
  await model.release();
}

if (want('text')) {
  // Ten hours of a two-person call as WebVTT: 7,200 cues of 5–40 words; read it, then estimate every cue.
  const words = 'honestly I have not been sleeping well and at work I keep worrying that I will make a mistake but saturday was good'.split(' ');
  const cues = Array.from({ length: 7200 }, (_, i) => {
    const n = 5 + ((i * 7) % 36);
    const t = (s: number) => new Date(s * 1000).toISOString().slice(11, 23);
    return `${t(i * 5)} --> ${t(i * 5 + 4.5)}\n<v ${i % 2 ? 'Client' : 'Therapist'}>${Array.from({ length: n }, (_, k) => words[(i + k) % words.length]).join(' ')}</v>`;
  });
  const vtt = path.join(ROOT, '.cache', 'bench', 'ten-hours.vtt');
  mkdirSync(path.dirname(vtt), { recursive: true });
  writeFileSync(vtt, `WEBVTT\n\n${cues.join('\n\n')}\n`);
  const [transcript, readS] = await timeIt(async () => readTranscriptFile(vtt));
  const model = await TextEmotionModel.load(resolveModelDir(DEFAULT_MODEL_IDS.textEmotion), { threads: 1 });
  const [, textS] = await timeIt(() => model.classify(transcript.cues.map((c) => c.text)));
  console.log(
    `transcript + text (${model.manifest.id}): a 10-hour WebVTT (${transcript.cues.length} cues) read in ${readS.toFixed(2)} s; ` +
      `every cue estimated in ${textS.toFixed(2)} s on 1 thread (${((textS / transcript.cues.length) * 1000).toFixed(2)} ms a cue)`,
  );
  await model.release();
}

if (want('merge')) {
  const dir = path.join(ROOT, '.cache', 'bench', 'shards');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const engine = await AnalysisEngine.create();
  const result = await engine.analyze(SAMPLE, { fps: 2 });
  await engine.close();
  const first = path.join(dir, 'shard-000.sqlite');
  const db = openDatabase(first);
  saveAnalysis(db, result);
  db.close();
  const shards = [first];
  for (let i = 1; i < 100; i++) {
    const file = path.join(dir, `shard-${String(i).padStart(3, '0')}.sqlite`);
    copyFileSync(first, file);
    const d = new Database(file);
    d.prepare('UPDATE media SET sha256 = ?').run(`${i}`.padStart(64, '0')); // a distinct recording per shard
    d.close();
    shards.push(file);
  }
  const into = openDatabase(path.join(dir, 'merged.sqlite'));
  const [, s] = await timeIt(async () => {
    for (const shard of shards) mergeDatabase(into, shard);
  });
  const n = (into.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
  const frames = (into.prepare('SELECT COUNT(*) AS n FROM frame_results').get() as { n: number }).n;
  into.close();
  console.log(
    `merge: 100 shard databases (${n} sessions, ${frames} frames) merged in ${s.toFixed(2)} s (${((s / 100) * 1000).toFixed(0)} ms per shard)`,
  );
}

if (want('call'))
  await benchCall(process.env.AFFECT_SHARED_DATASETS ?? path.resolve(ROOT, '../shared/datasets'), path.join(ROOT, '.cache', 'bench'), minutes);

if (want('people')) await benchPeople(ff, process.env.AFFECT_SHARED_DATASETS ?? path.resolve(ROOT, '../shared/datasets'));
if (want('privacy')) {
  const engine = await AnalysisEngine.create();
  const result = await engine.analyze(SAMPLE, { fps: 2 });
  await engine.close();
  await benchPrivacy(ROOT, result);
}
if (want('diarization')) {
  const dir = path.join(ROOT, '.cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const mono = path.join(dir, `two-person-call-${minutes}min.wav`);
  const stereo = path.join(dir, `two-person-call-${minutes}min-stereo.wav`);
  if (!existsSync(mono) || !existsSync(stereo)) {
    const lowered = path.join(dir, 'sample-lowered.wav');
    execFileSync(ff.ffmpeg, [
      '-v',
      'error',
      '-y',
      '-i',
      SAMPLE,
      '-vn',
      '-ac',
      '1',
      '-ar',
      '16000',
      '-af',
      'asetrate=16000*0.78,aresample=16000,atempo=1.282',
      lowered,
    ]);
    const block = Math.round(3.9 * 16000);
    const cut = (x: Float32Array) => Array.from({ length: 5 }, (_, k) => trimSilence(x.subarray(k * block, (k + 1) * block)));
    const conv = buildConversation(
      new Map([
        ['a', cut(await readAudio(SAMPLE, ff))],
        ['b', cut(await readAudio(lowered, ff))],
      ]),
      {
        seed: 1,
        turns: Math.round((minutes * 60) / 5),
      },
    );
    const a = conv.tracks.get('a')!;
    const b = conv.tracks.get('b')!;
    writeWav(mono, [conv.samples], 16000);
    writeWav(stereo, [a.map((v, i) => v + 0.03 * b[i]), b.map((v, i) => v + 0.03 * a[i])], 16000);
  }
  const diarizer = await Diarizer.load();
  for (const [name, file] of [
    ['one mixed track', mono],
    ['stereo, one party per channel', stereo],
  ]) {
    let peak = process.memoryUsage().rss;
    const before = peak;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const [r, s] = await timeIt(() => diarizer.diarizeFile(file, ff));
    clearInterval(timer);
    console.log(
      `diarization (${r.models.vad.id} + ${r.models.speaker.id}), ${name}: ${(r.durationS / 60).toFixed(1)} min in ${s.toFixed(1)} s → real-time factor ` +
        `${(s / r.durationS).toFixed(4)} (${(r.durationS / s).toFixed(0)}× faster than real time); ${r.speakers.length} speakers, ${r.speech.length} turns; ` +
        `RSS grew ${((peak - before) / 2 ** 20).toFixed(0)} MiB during the run`,
    );
  }
  await diarizer.release();
}
