/**
 * Frame-to-frame stability of the face track on real video: flicker rate (share of consecutive
 * labelled frames whose estimate changes) and the majority vote, without smoothing and with a
 * centred moving average of ±1 and ±2 frames. Reads the bundled sample and ../shared/datasets/videos.
 *   node --import tsx scripts/face-stability.ts [--fps 2] [--model <id or dir>] [--json <out.json>]
 * --json also writes the rows (the face model cards read native-models/<id>/train/stability.json).
 */
import '../electron/privacy/no-telemetry.js';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FaceDetector } from '../electron/analysis/face/detector.js';
import { FaceExpressionModel } from '../electron/analysis/face/expression-model.js';
import { DEFAULT_FINDER, FaceFinder } from '../electron/analysis/face/face-finder.js';
import { FaceIdentityModel } from '../electron/analysis/face/identity-model.js';
import { runFaceTrack } from '../electron/analysis/face-track.js';
import { faceParticipants } from '../electron/analysis/people/face-participants.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { DEFAULT_MODEL_IDS, PEOPLE_MODEL_IDS, resolveModelDir } from '../electron/analysis/models/registry.js';
import { flickerRate } from '../electron/analysis/smoothing.js';
import { aggregateTrack } from '../electron/analysis/vote.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: { fps: { type: 'string', default: '2' }, model: { type: 'string', default: DEFAULT_MODEL_IDS.faceExpression }, json: { type: 'string' } },
});
const fps = Number(values.fps);
const ff = resolveFfmpeg();
const detector = await FaceDetector.load(resolveModelDir(DEFAULT_MODEL_IDS.faceDetector));
const model = await FaceExpressionModel.load(resolveModelDir(values.model));
const windows = await FaceDetector.load(resolveModelDir(PEOPLE_MODEL_IDS.faceWindows));
const identity = await FaceIdentityModel.load(resolveModelDir(PEOPLE_MODEL_IDS.faceIdentity));
const shared = path.resolve(ROOT, '../shared/datasets/videos');
// The sample's video stream is WolfgangLanger_Pexels.mp4 copied unchanged (data/samples/make-sample.sh), so that file
// is not analysed a second time.
const files = [
  path.join(ROOT, 'data/samples/sample.mp4'),
  ...['single_face.mp4', 'face_noface.mov', 'noface_face.mov'].map((f) => path.join(shared, f)).filter(existsSync),
];
console.log(`face stability: model ${model.manifest.id}@${model.manifest.version}, ${fps} fps`);
console.log('file | radius | frames with label | flicker rate | majority (share)');
const rows: Array<{
  file: string;
  smoothRadius: number;
  frames: number;
  labelled: number;
  flickerRate: number | null;
  majority: string | null;
  majorityShare: number | null;
}> = [];
for (const file of files) {
  const info = await probeMedia(file, ff);
  // The engine's face track (every face, followed); these clips hold one person: the main participant's frames.
  const track = await runFaceTrack(
    file,
    info.video!,
    ff,
    { finder: new FaceFinder({ frame: detector, windows }, DEFAULT_FINDER), identity, expression: model },
    { fps, maxSide: 640 },
  );
  for (const radius of [0, 1, 2]) {
    const people = faceParticipants(track, { labels: model.manifest.labels, abstainBelow: model.manifest.abstainBelow, smoothRadius: radius });
    const frames = people.sort((a, b) => b.summary.framesWithFace - a.summary.framesWithFace)[0]?.frames ?? [];
    const agg = aggregateTrack(model.manifest.labels, frames);
    const fr = flickerRate(frames.map((f) => f.label));
    rows.push({
      file: path.basename(file),
      smoothRadius: radius,
      frames: frames.length,
      labelled: agg.votes,
      flickerRate: fr,
      majority: agg.majority,
      majorityShare: agg.majority ? agg.distribution[agg.majority] : null,
    });
    console.log(
      `${path.basename(file)} | ±${radius} | ${agg.votes}/${frames.length} | ${fr === null ? 'n/a' : fr.toFixed(3)} | ${agg.majority ?? '—'} (${agg.majority ? (agg.distribution[agg.majority] * 100).toFixed(0) + '%' : ''})`,
    );
  }
}
if (values.json)
  writeFileSync(
    values.json,
    JSON.stringify({ model: `${model.manifest.id}@${model.manifest.version}`, fps, crop: model.manifest.crop, rows }, null, 1) + '\n',
  );
await Promise.all([detector.release(), model.release(), windows.release(), identity.release()]);
