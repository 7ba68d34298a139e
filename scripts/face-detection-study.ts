/**
 * npm run study:faces — how to find every face in call recordings, measured (writes
 * native-models/blazeface-front-128/detection-study.json; the model cards quote it).
 *
 *  1. Builds video-call layouts with ffmpeg from real face videos (scripts/lib/gallery-layouts.ts): 1×1, 2×1, 2×2,
 *     3×3 and speaker view with a self-view thumbnail, at 1280×720 and 1920×1080. Ground truth: the tiles whose source
 *     shows a face.
 *  2. Builds face-free clips: a test pattern, title cards (text on colour), a slide with shapes and text, drawn
 *     cartoon-like frames (cellular automaton, fractal, game of life), the shared animated title card no_face.mp4.
 *  3. Decodes each at 1 fps (frames scaled to the engine's maxSide, 640 and 1280) and runs each detection method,
 *     keeping every detection with score ≥ 0.3 and whether it hit a face tile (a detection whose centre lies in a
 *     face tile not yet matched), was a duplicate, or was false.
 *  4. Prints and writes recall and false detections per method, layout and score threshold, and detector ms/frame.
 * Usage: node --import tsx scripts/face-detection-study.ts [--quick] [--out file.json]
 */
import '../electron/privacy/no-telemetry.js'; // before anything loads onnxruntime: its telemetry off, network guard on
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FaceDetector } from '../electron/analysis/face/detector.js';
import { FaceFinder, type FaceFinderOptions, type FoundFace } from '../electron/analysis/face/face-finder.js';
import { streamVideoFrames } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { resolveModelDir } from '../electron/analysis/models/registry.js';
import { buildLayout, defaultSources, facesAt, standardLayouts, type Layout, type Rect } from './lib/gallery-layouts.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SHARED = process.env.AFFECT_SHARED_DATASETS ?? path.resolve(ROOT, '../shared/datasets');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(ROOT, 'native-models/blazeface-front-128/detection-study.json') },
    work: { type: 'string', default: path.join(os.tmpdir(), 'affect-face-study') },
  },
});
const ff = resolveFfmpeg();
const FPS = 1;
const FLOOR = 0.3;
const THRESHOLDS = [0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];

interface Method {
  name: string;
  description: string;
  run: (frame: { width: number; height: number; rgb: Uint8Array }) => Promise<FoundFace[]>;
  reset: () => void;
  runs: () => number;
}

function faceFreeClips(dir: string): Array<{ name: string; file: string }> {
  mkdirSync(dir, { recursive: true });
  const font = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
  const text = (t: string, size: number, y: string, colour = 'white') =>
    existsSync(font) ? `,drawtext=fontfile=${font}:text='${t}':fontsize=${size}:fontcolor=${colour}:x=(w-text_w)/2:y=${y}` : '';
  const clips: Array<{ name: string; lavfi: string }> = [
    { name: 'testsrc', lavfi: 'testsrc2=size=1280x720:rate=10' },
    {
      name: 'title-card',
      lavfi: `color=c=0x1a3d6d:s=1280x720:r=10${text('Session 3 - Follow-up', 64, '(h-text_h)/2-40')}${text('Dr. A. Example  |  14 March', 36, '(h-text_h)/2+60', '0xdddddd')}`,
    },
    {
      name: 'slide',
      lavfi: `color=c=white:s=1280x720:r=10,drawbox=x=0:y=0:w=1280:h=110:color=0x2b579a:t=fill,drawbox=x=80:y=200:w=420:h=300:color=0xf4b183:t=fill,drawbox=x=560:y=220:w=120:h=120:color=0x70ad47:t=fill,drawbox=x=720:y=220:w=120:h=120:color=0xffc000:t=fill,drawbox=x=560:y=380:w=280:h=12:color=0x404040:t=fill,drawbox=x=560:y=420:w=220:h=12:color=0x404040:t=fill,drawbox=x=900:y=200:w=300:h=300:color=0x5b9bd5:t=4${text('Quarterly results', 56, '25')}${text('Revenue  +12%', 32, '560')}`,
    },
    { name: 'cartoon-cellauto', lavfi: 'cellauto=s=1280x720:rule=110:rate=10,format=rgb24,lutrgb=r=val*0.9:g=val*0.6+60:b=200' },
    { name: 'cartoon-mandelbrot', lavfi: 'mandelbrot=s=1280x720:rate=10' },
    { name: 'cartoon-life', lavfi: 'life=s=1280x720:mold=10:r=10:ratio=0.1:death_color=#C83232:life_color=#00ff00,scale=1280:720' },
  ];
  const out = clips.map(({ name, lavfi }) => {
    const file = path.join(dir, `${name}.mp4`);
    if (!existsSync(file))
      execFileSync(resolveFfmpeg().ffmpeg, [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        lavfi,
        '-t',
        '8',
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'yuv420p',
        file,
      ]);
    return { name, file };
  });
  out.push({ name: 'no_face.mp4 (shared, animated title card)', file: path.join(SHARED, 'videos', 'no_face.mp4') });
  return out;
}

/** Match detections to face tiles: centre inside an unmatched face tile = hit, else duplicate (tile already hit) or false. */
function score(dets: FoundFace[], faces: Array<{ rect: Rect }>, toLayout: number) {
  const inside = (r: Rect, x: number, y: number) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
  // Smaller tiles first (a self-view thumbnail lies on top of the speaker's tile).
  const tiles = [...faces].sort((a, b) => a.rect.width * a.rect.height - b.rect.width * b.rect.height);
  const hit = new Set<number>();
  return [...dets]
    .sort((a, b) => b.score - a.score)
    .map((d) => {
      const cx = (d.box.x + d.box.width / 2) * toLayout;
      const cy = (d.box.y + d.box.height / 2) * toLayout;
      const t = tiles.findIndex((f) => inside(f.rect, cx, cy));
      if (t < 0) return { score: d.score, kind: 'false' as const, heightPx: d.box.height * toLayout };
      if (hit.has(t)) return { score: d.score, kind: 'duplicate' as const, heightPx: d.box.height * toLayout };
      hit.add(t);
      return { score: d.score, kind: 'hit' as const, tile: t, heightPx: d.box.height * toLayout };
    });
}

async function main() {
  const work = values.work!;
  const front = await FaceDetector.load(resolveModelDir('blazeface-front-128'), { minScore: FLOOR, threads: 1 });
  const back = await FaceDetector.load(resolveModelDir('blazeface-back-256'), { minScore: FLOOR, threads: 1 });
  const finderMethod = (
    name: string,
    description: string,
    dets: { frame: FaceDetector; windows?: FaceDetector },
    opts: Partial<FaceFinderOptions>,
    streaming: boolean,
  ): Method => {
    const f = new FaceFinder(dets, {
      levels: [],
      overlap: 0.25,
      scanEvery: 1,
      smallFace: 0.25,
      minScore: FLOOR,
      iou: 0.3,
      containment: 0.6,
      ...opts,
    });
    return { name, description, run: (img) => (streaming ? f.next(img) : f.scan(img)), reset: () => f.reset(), runs: () => f.runs };
  };
  const methods: Method[] = [
    finderMethod('front128', 'blazeface-front-128 on the whole frame (the engine until now)', { frame: front }, {}, false),
    finderMethod('back256', 'blazeface-back-256 on the whole frame', { frame: back }, {}, false),
    finderMethod(
      'front128+back256w@360',
      'front-128 whole frame + back-256 256-px windows, frame at 360 px high',
      { frame: front, windows: back },
      { levels: [360] },
      false,
    ),
    finderMethod(
      'front128+back256w@360,540',
      '… + back-256 windows at 360 and 540 px high',
      { frame: front, windows: back },
      { levels: [360, 540] },
      false,
    ),
    finderMethod(
      'stream:front128+back256w@360/4',
      'streaming FaceFinder.next: whole frame + back-256 windows at 360 px every 4th frame, whole frame + follow windows between',
      { frame: front, windows: back },
      { levels: [360], scanEvery: 4 },
      true,
    ),
  ];
  const layouts: Layout[] = [
    ...standardLayouts(defaultSources(path.join(SHARED, 'videos')), 1280, 720),
    ...standardLayouts(defaultSources(path.join(SHARED, 'videos')), 1920, 1080),
  ].filter((l) => !values.quick || /2x2|3x3|speaker/.test(l.name));
  const maxSides = values.quick ? [1280] : [640, 1280];
  const results: Record<string, unknown>[] = [];
  for (const layout of layouts) {
    const file = buildLayout(layout, path.join(work, 'layouts'));
    const info = await probeMedia(file, ff);
    for (const maxSide of maxSides) {
      for (const m of methods) {
        m.reset();
        const runs0 = m.runs();
        const dets: ReturnType<typeof score> = [];
        let faceTiles = 0;
        let frames = 0;
        let ms = 0;
        for await (const frame of streamVideoFrames(file, ff, info.video!, { fps: FPS, maxSide })) {
          const t0 = performance.now();
          const found = await m.run(frame);
          ms += performance.now() - t0;
          const truth = facesAt(layout, frame.timeS);
          faceTiles += truth.length;
          frames++;
          dets.push(...score(found, truth, layout.width / frame.width));
        }
        results.push({
          set: 'layout',
          clip: layout.name,
          maxSide,
          method: m.name,
          frames,
          faceTiles,
          detectorRuns: m.runs() - runs0,
          msPerFrame: ms / frames,
          dets,
        });
        const hits = dets.filter((d) => d.kind === 'hit' && d.score >= 0.6).length;
        console.log(
          `${layout.name.padEnd(16)} @${maxSide} ${m.name.padEnd(36)} recall@0.6 ${(hits / faceTiles).toFixed(3)}  false ${dets.filter((d) => d.kind !== 'hit' && d.score >= 0.6).length}  ${(ms / frames).toFixed(1)} ms/frame`,
        );
      }
    }
  }
  for (const clip of faceFreeClips(path.join(work, 'face-free'))) {
    const info = await probeMedia(clip.file, ff);
    for (const maxSide of maxSides)
      for (const m of methods) {
        m.reset();
        const dets: Array<{ score: number; kind: 'false' }> = [];
        let frames = 0;
        for await (const frame of streamVideoFrames(clip.file, ff, info.video!, { fps: FPS, maxSide })) {
          frames++;
          for (const d of await m.run(frame)) dets.push({ score: d.score, kind: 'false' });
        }
        results.push({ set: 'face-free', clip: clip.name, maxSide, method: m.name, frames, faceTiles: 0, dets });
        console.log(
          `${clip.name.padEnd(16)} @${maxSide} ${m.name.padEnd(36)} false@0.6 ${dets.filter((d) => d.score >= 0.6).length}/${frames} frames`,
        );
      }
  }
  const summary = summarise(results, methods);
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(
    values.out!,
    JSON.stringify(
      {
        what: 'Face detection on video-call layouts and face-free clips (scripts/face-detection-study.ts)',
        machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg()[0].toFixed(1)} (shared), onnxruntime 1 thread`,
        fps: FPS,
        methods: methods.map((m) => ({ name: m.name, description: m.description })),
        summary,
        perClip: results.map(({ dets, ...r }) => ({ ...r, hitsAt: byThreshold(dets as ReturnType<typeof score>) })),
      },
      null,
      1,
    ) + '\n',
  );
  console.log(`wrote ${values.out}`);
  await Promise.all([front.release(), back.release()]);
}

function byThreshold(dets: Array<{ score: number; kind: string }>) {
  return Object.fromEntries(
    THRESHOLDS.map((t) => [
      t,
      { hit: dets.filter((d) => d.kind === 'hit' && d.score >= t).length, false: dets.filter((d) => d.kind !== 'hit' && d.score >= t).length },
    ]),
  );
}

/** Per method, maxSide and threshold: recall over face tiles and false detections per frame, on layouts and face-free clips. */
function summarise(results: Record<string, unknown>[], methods: Method[]) {
  const out: Record<string, unknown>[] = [];
  const sides = [...new Set(results.map((r) => r.maxSide as number))];
  for (const m of methods)
    for (const maxSide of sides) {
      const rows = results.filter((r) => r.method === m.name && r.maxSide === maxSide);
      const layouts = rows.filter((r) => r.set === 'layout');
      const free = rows.filter((r) => r.set === 'face-free');
      const frames = (rs: typeof rows) => rs.reduce((s, r) => s + (r.frames as number), 0);
      const all = (rs: typeof rows) => rs.flatMap((r) => r.dets as Array<{ score: number; kind: string }>);
      const perThreshold = THRESHOLDS.map((t) => {
        const layoutDets = all(layouts).filter((d) => d.score >= t);
        const faceTiles = layouts.reduce((s, r) => s + (r.faceTiles as number), 0);
        const byKind = (re: RegExp) => {
          const rs = layouts.filter((r) => re.test(r.clip as string));
          const tiles = rs.reduce((s, r) => s + (r.faceTiles as number), 0);
          return tiles ? all(rs).filter((d) => d.kind === 'hit' && d.score >= t).length / tiles : null;
        };
        return {
          threshold: t,
          recall: layoutDets.filter((d) => d.kind === 'hit').length / faceTiles,
          recallBy: { '1x1': byKind(/^1x1/), '2x1': byKind(/^2x1/), '2x2': byKind(/^2x2/), '3x3': byKind(/^3x3/), speaker: byKind(/^speaker/) },
          falsePerFrameLayouts: layoutDets.filter((d) => d.kind !== 'hit').length / frames(layouts),
          faceFreeClipsWithFalse: free.length
            ? free.reduce((s, r) => s + Number((r.dets as Array<{ score: number }>).some((d) => d.score >= t)), 0)
            : null,
          falsePerFrameFaceFree: free.length ? all(free).filter((d) => d.score >= t).length / frames(free) : null,
        };
      });
      out.push({
        method: m.name,
        maxSide,
        msPerFrame: layouts.reduce((s, r) => s + (r.msPerFrame as number) * (r.frames as number), 0) / frames(layouts),
        detectorRunsPerFrame: layouts.reduce((s, r) => s + (r.detectorRuns as number), 0) / frames(layouts),
        faceFreeFrames: frames(free),
        perThreshold,
      });
    }
  return out;
}

await main();
