import { AnalysisEngine } from '../../electron/analysis/engine.js';
import { offsetFixtures } from '../../tests/helpers/offset-media.js';
const fx = offsetFixtures();
const e = await AnalysisEngine.create({ threads: 1 });
for (const f of [fx.audioLater]) {
  const r = await e.analyze(f, { fps: 1 });
  console.log(f, r.framesAnalysed, r.participants.map((p) => ({ id: p.id, face: p.face && p.face.framesWithFace, voice: p.voice && p.voice.speechS, w0: p.windows[0]?.startS })), r.summary.warnings);
}
await e.close();
