/**
 * Cost of per-person analysis end to end (npm run bench, section "call"): a two-person gallery call of N minutes at
 * 720p (scripts/lib/call-recording.ts: two real face videos side by side, two RAVDESS actors taking turns in one mixed
 * track), analysed by the engine exactly as `affect analyze` does: frames/s, real-time factor, the participants found,
 * and the peak resident memory sampled during the analysis (so it is this run's, whatever ran before).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { AnalysisEngine } from '../../electron/analysis/engine.js';
import { buildCall } from './call-recording.js';

export async function benchCall(sharedDatasets: string, cacheDir: string, minutes: number): Promise<void> {
  const videos = path.join(sharedDatasets, 'videos');
  const ravdess = path.join(sharedDatasets, 'ravdess-speech');
  if (!existsSync(videos) || !existsSync(ravdess)) {
    console.log(`call: skipped (needs ${videos} and ${ravdess})`);
    return;
  }
  // Every take of two actors, cycled until the turns fill the call (about 2.6 s per turn with the pauses).
  const takes = (actor: string) =>
    readdirSync(path.join(ravdess, actor))
      .filter((f) => f.endsWith('.flac'))
      .sort()
      .map((f) => `${actor}/${f}`);
  const turnsPerVoice = Math.ceil((minutes * 60) / 2.6 / 2);
  const cycle = (xs: string[]) => Array.from({ length: turnsPerVoice }, (_, i) => xs[i % xs.length]);
  const name = `call-${minutes}min-720p`;
  console.log(`call: building ${name} (two face tiles, two voices taking turns)…`);
  const call = await buildCall(videos, ravdess, { name, voices: [cycle(takes('Actor_02')), cycle(takes('Actor_01'))], gapS: 0.6 }, cacheDir);
  const engine = await AnalysisEngine.create();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
  const t0 = performance.now();
  const r = await engine.analyze(call.file, { fps: 2 });
  const s = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await engine.close();
  const faces = r.participants.filter((p) => p.face).length;
  const voices = r.participants.filter((p) => p.voice).length;
  console.log(
    `call (two-person gallery, 720p, ${(r.media.durationS / 60).toFixed(1)} min at 2 fps): ${r.frameTimes.length} frames in ${s.toFixed(1)} s: ` +
      `${(r.frameTimes.length / s).toFixed(2)} frames/s, real-time factor ${(s / r.media.durationS).toFixed(3)} (${(r.media.durationS / s).toFixed(1)}× faster than real time); ` +
      `${r.participants.length} participants (${faces} with a face, ${voices} with a voice), ${r.speech.length} speech turns; peak memory during the analysis (RSS, sampled) ${(peak / 2 ** 20).toFixed(0)} MiB`,
  );
}
