import path from 'node:path';
import { buildCall } from '../lib/call-recording.js';
import { FaceDetector } from '../../electron/analysis/face/detector.js';
import { FaceIdentityModel } from '../../electron/analysis/face/identity-model.js';
import { FaceExpressionModel } from '../../electron/analysis/face/expression-model.js';
import { DEFAULT_FINDER, FaceFinder } from '../../electron/analysis/face/face-finder.js';
import { runFaceTrack } from '../../electron/analysis/face-track.js';
import { faceParticipants } from '../../electron/analysis/people/face-participants.js';
import { linkVoicesToFaces, DEFAULT_LINK_RULES } from '../../electron/analysis/people/link-voices.js';
import { resolveFfmpeg } from '../../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../../electron/analysis/media/probe.js';
import { resolveModelDir } from '../../electron/analysis/models/registry.js';
const shared = path.resolve('../shared/datasets');
const voices = [
  ['Actor_02/03-01-04-02-01-01-02.flac', 'Actor_02/03-01-04-02-02-01-02.flac', 'Actor_02/03-01-04-01-01-02-02.flac', 'Actor_02/03-01-04-02-01-02-02.flac', 'Actor_02/03-01-04-01-02-01-02.flac'],
  ['Actor_01/03-01-05-02-01-01-01.flac', 'Actor_01/03-01-05-02-02-01-01.flac', 'Actor_01/03-01-05-01-01-02-01.flac', 'Actor_01/03-01-05-02-01-02-01.flac', 'Actor_01/03-01-05-01-02-01-01.flac'],
];
const name = process.argv[2] ?? 'talk2';
const file = process.argv[3];
const ff = resolveFfmpeg();
let turns: any[] = [];
let target = file;
if (!file) {
  const call = await buildCall(path.join(shared, 'videos'), path.join(shared, 'ravdess-speech'), { name, voices, gapS: 0.6, talking: name.startsWith('talk') }, '/tmp/scratch/calls');
  turns = call.turns; target = call.file;
}
const info = await probeMedia(target, ff);
const front = await FaceDetector.load(resolveModelDir('blazeface-front-128'));
const back = await FaceDetector.load(resolveModelDir('blazeface-back-256'));
const identity = await FaceIdentityModel.load(resolveModelDir('face-identity-dlib'));
const expression = await FaceExpressionModel.load(resolveModelDir('face-cnn'));
const fps = Number(process.env.FPS ?? 2);
const t0 = performance.now();
const track = await runFaceTrack(target, info.video!, ff, { finder: new FaceFinder({ frame: front, windows: back }, DEFAULT_FINDER), identity, expression }, { fps, maxSide: Number(process.env.MAXSIDE ?? 1280) });
console.log('face track', ((performance.now() - t0) / 1000).toFixed(1), 's', track.frameTimes.length, 'frames', track.people.embeddings, 'embeddings');
const faces = faceParticipants(track, { labels: expression.manifest.labels, abstainBelow: expression.manifest.abstainBelow, smoothRadius: 1 });
for (const f of faces) {
  const acts = f.mouth.map((m) => m.activity).sort((a, b) => a - b);
  console.log('face', f.key, JSON.stringify(f.summary.box), 'n', f.summary.framesWithFace, 'mouth q10/50/90', [0.1, 0.5, 0.9].map((q) => acts[Math.floor(q * (acts.length - 1))]?.toFixed(3)).join(' '), 'still', f.summary.still, 'small', f.summary.small);
}
if (turns.length) {
  const speakers = [0, 1].map((id) => ({ id, speechS: turns.filter((t) => t.speaker === id).reduce((s, t) => s + t.endS - t.startS, 0) }));
  const r = linkVoicesToFaces(faces.map((f) => ({ key: f.key, mouth: f.mouth, seenAt: f.frames.filter((x) => x.face).map((x) => x.timeS), still: f.summary.still })), speakers, turns, { ...DEFAULT_LINK_RULES, frameStep: 1 / fps });
  console.log('measures', JSON.stringify(r.measures));
  console.log('links', JSON.stringify([...r.links]));
}
if (process.env.DIST) {
  const { gridCells } = await import('../lib/gallery-layouts.js');
  const { descriptorDistance } = await import('../../electron/analysis/face/identity-model.js');
  const cells = gridCells(1280, 720, 3, 3, 8);
  const who = ['W', 'M', 'W', '-', 'M', 'W', 'M', '-', 'W'];
  const P = track.people.participants.map((p) => {
    const cx = p.medianBox.x + p.medianBox.width / 2, cy = p.medianBox.y + p.medianBox.height / 2;
    const c = cells.findIndex((r) => cx >= r.x && cx < r.x + r.width && cy >= r.y && cy < r.y + r.height);
    return { who: who[c], e: p.embedding, h: p.medianBox.height };
  });
  const same: number[] = [], diff: number[] = [];
  for (let i = 0; i < P.length; i++) for (let j = i + 1; j < P.length; j++) (P[i].who === P[j].who ? same : diff).push(descriptorDistance(P[i].e, P[j].e));
  console.log('same max', Math.max(...same).toFixed(3), 'mean', (same.reduce((a, b) => a + b, 0) / same.length).toFixed(3), '| diff min', Math.min(...diff).toFixed(3), 'mean', (diff.reduce((a, b) => a + b, 0) / diff.length).toFixed(3));
}
for (const f of faces) {
  const ms = track.observations.filter((o) => track.people.participantOfTrack.get(o.trackId) === f.key && o.motion !== null).map((o) => o.motion!).sort((a, b) => a - b);
  console.log('motion', f.key, [0.1, 0.5, 0.9].map((q) => ms[Math.floor(q * (ms.length - 1))]?.toFixed(2)).join(' '), 'still', f.summary.still);
}
