import path from 'node:path';
import { buildCall } from '../lib/call-recording.js';
import { AnalysisEngine } from '../../electron/analysis/engine.js';
import { linkVoicesToFaces, DEFAULT_LINK_RULES } from '../../electron/analysis/people/link-voices.js';
const shared = path.resolve('../shared/datasets');
const voices = [
  ['Actor_02/03-01-04-02-01-01-02.flac', 'Actor_02/03-01-04-02-02-01-02.flac', 'Actor_02/03-01-04-01-01-02-02.flac', 'Actor_02/03-01-04-02-01-02-02.flac', 'Actor_02/03-01-04-01-02-01-02.flac'],
  ['Actor_01/03-01-05-02-01-01-01.flac', 'Actor_01/03-01-05-02-02-01-01.flac', 'Actor_01/03-01-05-01-01-02-01.flac', 'Actor_01/03-01-05-02-01-02-01.flac', 'Actor_01/03-01-05-01-02-01-01.flac'],
];
const talking = process.argv[2] === 'talking';
const t0 = performance.now();
const call = await buildCall(path.join(shared, 'videos'), path.join(shared, 'ravdess-speech'), { name: talking ? 'talk2' : 'call2', voices, gapS: 0.6, talking }, '/tmp/scratch/calls');
console.log('built', ((performance.now() - t0) / 1000).toFixed(1), 's', call.file, call.durationS, JSON.stringify(call.turns));
const e = await AnalysisEngine.create();
const t1 = performance.now();
const r = await e.analyze(call.file, { fps: 2 });
console.log('analysed', ((performance.now() - t1) / 1000).toFixed(1), 's');
for (const p of r.participants) console.log(p.id, JSON.stringify({ face: p.face && { box: p.face.box, n: p.face.framesWithFace, maj: p.face.majority, small: p.face.small, still: p.face.still }, voice: p.voice && { maj: p.voice.majority, speechS: p.voice.speechS, link: p.voice.link } }));
console.log('warnings', r.summary.warnings);
// Linking with the true turns.
const { faceParticipants } = await import('../../electron/analysis/people/face-participants.js');
for (const p of r.participants) if (p.face) {
  const acts = p.frames.length;
}
await e.close();
