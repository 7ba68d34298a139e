import assert from 'node:assert/strict';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { after, before, test } from 'node:test';
import { FaceDetector } from '../electron/analysis/face/detector.js';
import { boxIou, DEFAULT_FINDER, FaceFinder, windowStarts } from '../electron/analysis/face/face-finder.js';
import { FaceIdentityModel } from '../electron/analysis/face/identity-model.js';
import { streamVideoFrames } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { BUNDLED_MODELS_DIR } from '../electron/analysis/models/registry.js';
import { clusterTracks } from '../electron/analysis/people/cluster-tracks.js';
import { nextEmbedAfter, PeopleTracker, type PeopleFrame, type PeopleResult } from '../electron/analysis/people/people-tracker.js';
import { MAX_BOXES, medianBox, TrackSummary } from '../electron/analysis/people/track-summary.js';
import { buildLayout, defaultSources, facesAt, rearrangedLayout, standardLayouts, type Layout, type Rect } from '../scripts/lib/gallery-layouts.js';
import { badInputFixtures, SAMPLE } from './helpers/media-fixtures.js';
import { sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';

const ff = resolveFfmpeg();
const noShared = skipWithoutShared('videos');
let front: FaceDetector;
let back: FaceDetector;
let identity: FaceIdentityModel;
const layoutDir = tempDir('layouts-');

before(async () => {
  front = await FaceDetector.load(path.join(BUNDLED_MODELS_DIR, 'blazeface-front-128'));
  back = await FaceDetector.load(path.join(BUNDLED_MODELS_DIR, 'blazeface-back-256'));
  identity = await FaceIdentityModel.load(path.join(BUNDLED_MODELS_DIR, 'face-identity-dlib'));
});
after(async () => Promise.all([front.release(), back.release(), identity.release()]));

async function follow(
  file: string,
  opts: { fps?: number; maxFrames?: number } = {},
): Promise<{ frames: PeopleFrame[]; result: PeopleResult; size: { width: number; height: number } }> {
  const info = await probeMedia(file, ff);
  const tracker = new PeopleTracker(new FaceFinder({ frame: front, windows: back }, DEFAULT_FINDER), identity);
  const frames: PeopleFrame[] = [];
  let size = { width: 0, height: 0 };
  for await (const frame of streamVideoFrames(file, ff, info.video!, { fps: opts.fps ?? 1, maxSide: 1280 })) {
    size = { width: frame.width, height: frame.height };
    frames.push(await tracker.push(frame));
    if (frames.length >= (opts.maxFrames ?? Infinity)) break;
  }
  return { frames, result: tracker.finish(), size };
}

const inside = (r: Rect, box: { x: number; y: number; width: number; height: number }, k = 1) => {
  const cx = (box.x + box.width / 2) * k;
  const cy = (box.y + box.height / 2) * k;
  return cx >= r.x && cx < r.x + r.width && cy >= r.y && cy < r.y + r.height;
};

/** Each participant's median box lies in its own face tile; every face tile has one. */
function assertOnePerTile(layout: Layout, result: PeopleResult, toLayout: number) {
  const tiles = facesAt(layout, 0)
    .map((t) => t.rect)
    .sort((a, b) => a.width * a.height - b.width * b.height);
  const used = new Set<number>();
  for (const p of result.participants) {
    const t = tiles.findIndex((r) => inside(r, p.medianBox, toLayout));
    assert.ok(t >= 0, `participant ${p.id} median box ${JSON.stringify(p.medianBox)} lies in a face tile`);
    assert.ok(!used.has(t), `tile ${t} holds one participant`);
    used.add(t);
  }
  assert.equal(result.participants.length, tiles.length, `one participant per face tile (${tiles.length})`);
}

test('2×2 gallery at 720p: one participant per face tile, none for the camera-off tile', { skip: noShared }, async () => {
  const layout = standardLayouts(defaultSources(sharedPath('videos')), 1280, 720, 6).find((l) => l.name.startsWith('2x2'))!;
  const { frames, result, size } = await follow(buildLayout(layout, layoutDir));
  assertOnePerTile(layout, result, layout.width / size.width);
  assert.ok(frames.filter((f) => f.faces.length === 3).length >= frames.length - 1, 'three faces in (nearly) every frame');
  for (const p of result.participants) {
    assert.equal(p.embedding.length, 128);
    assert.ok(p.framesSeen >= frames.length - 1);
    assert.equal(p.small, false);
  }
});

test('3×3 gallery at 720p: the seven faces are found and kept apart', { skip: noShared }, async () => {
  const layout = standardLayouts(defaultSources(sharedPath('videos')), 1280, 720, 6).find((l) => l.name.startsWith('3x3'))!;
  const { frames, result, size } = await follow(buildLayout(layout, layoutDir));
  assertOnePerTile(layout, result, layout.width / size.width);
  const found = frames.reduce((s, f) => s + f.faces.length, 0);
  assert.ok(found >= 7 * frames.length * 0.9, `found ${found} of ${7 * frames.length} faces`);
});

test('speaker view: the self-view thumbnail is a participant too, flagged small', { skip: noShared }, async () => {
  const layout = standardLayouts(defaultSources(sharedPath('videos')), 1280, 720, 6).find((l) => l.name.startsWith('speaker'))!;
  const { result, size } = await follow(buildLayout(layout, layoutDir));
  assertOnePerTile(layout, result, layout.width / size.width);
  const thumb = facesAt(layout, 0)
    .map((t) => t.rect)
    .sort((a, b) => a.width - b.width)[0];
  const small = result.participants.filter((p) => p.small);
  assert.equal(small.length, 1);
  assert.ok(inside(thumb, small[0].medianBox));
});

test('tiles re-arranged and a camera off then on elsewhere: each person keeps one id', { skip: noShared }, async () => {
  const layout = rearrangedLayout(defaultSources(sharedPath('videos')), 1280, 720, 12);
  const { frames, result, size } = await follow(buildLayout(layout, layoutDir));
  assert.equal(result.participants.length, 2, `two people, got ${result.participants.map((p) => p.trackIds.join('+')).join(' | ')}`);
  const personOf = new Map<number, Set<string>>();
  for (const f of frames)
    for (const face of f.faces) {
      const truth = facesAt(layout, f.timeS).find((t) => inside(t.rect, face.box, layout.width / size.width));
      const pid = result.participantOfTrack.get(face.trackId);
      if (!truth || pid === undefined) continue;
      personOf.set(pid, (personOf.get(pid) ?? new Set()).add(truth.person));
    }
  assert.deepEqual(
    [...personOf.values()].map((s) => [...s]).sort(),
    [['man'], ['woman']],
    'each participant is one person, each person one participant',
  );
  for (const p of result.participants)
    assert.ok(p.trackIds.length >= 2, `participant ${p.id} was re-identified across a move or gap (tracks ${p.trackIds})`);
});

test('one face: the sample gives one participant with a JPEG thumbnail', async () => {
  const { frames, result } = await follow(SAMPLE, { fps: 1, maxFrames: 10 });
  assert.equal(result.participants.length, 1);
  const p = result.participants[0];
  assert.ok(p.framesSeen >= frames.length - 1);
  assert.deepEqual([p.thumbnail.data[0], p.thumbnail.data[1]], [0xff, 0xd8], 'JPEG magic');
  const img = jpeg.decode(p.thumbnail.data);
  assert.equal(img.width, 96);
  assert.equal(img.height, 96);
  assert.ok(p.embeddingCount >= 2 && p.embeddingCount <= 6, `a few embeddings for one static face, got ${p.embeddingCount}`);
  assert.ok(frames.some((f) => f.faces[0]?.mouthActivity !== null));
});

test('face-free video gives no participant', async () => {
  const clips = [badInputFixtures().noFaceVideo, ...(noShared ? [] : [sharedPath('videos', 'no_face.mp4')])];
  for (const clip of clips) {
    const { result } = await follow(clip, { fps: 2 });
    assert.equal(result.participants.length, 0, `${path.basename(clip)}: ${result.participants.length} participants`);
  }
});

test('clustering never merges tracks seen at the same time, merges close ones across a gap', () => {
  const d = (v: number) => Float32Array.from({ length: 4 }, (_, i) => (i === 0 ? v : 0));
  const groups = clusterTracks(
    [
      { id: 1, mean: d(0), weight: 3, firstFrame: 0, lastFrame: 10 },
      { id: 2, mean: d(0.1), weight: 3, firstFrame: 5, lastFrame: 20 }, // close to 1 but on screen with it
      { id: 3, mean: d(0.05), weight: 2, firstFrame: 30, lastFrame: 40 }, // close to both, later
      { id: 4, mean: d(2), weight: 1, firstFrame: 30, lastFrame: 35 }, // far: someone else
    ],
    0.6,
  );
  assert.equal(groups.length, 3);
  assert.ok(groups.some((g) => g.includes(1) && !g.includes(2)));
  assert.deepEqual(
    groups.find((g) => g.includes(4)),
    [4],
  );
});

test('bounded memory and embedding schedule', () => {
  const t = new TrackSummary(1);
  for (let i = 0; i < 10_000; i++) t.addFrame(i, i / 2, { x: i % 7, y: 0, width: 10, height: 10 }, false);
  assert.equal(t.boxes.length, MAX_BOXES);
  for (let i = 0; i < 50; i++) t.addDescriptor(new Float32Array(128).fill(i));
  assert.ok(t.samples.length <= 8);
  assert.ok(Math.abs(t.mean()![0] - 24.5) < 1e-6);
  assert.equal(t.frames, 10_000);
  assert.deepEqual(
    [0, 1, 2, 3, 31, 40].map((a) => nextEmbedAfter(a, [0, 1, 3, 7, 15, 31], 60)),
    [1, 3, 3, 7, 91, 100],
  );
  assert.deepEqual(
    medianBox([
      { x: 0, y: 0, width: 10, height: 10 },
      { x: 2, y: 0, width: 10, height: 10 },
      { x: 100, y: 0, width: 10, height: 10 },
    ]),
    { x: 2, y: 0, width: 10, height: 10 },
  );
  assert.deepEqual(windowStarts(640, 256, 0.4), [0, 128, 256, 384]);
  assert.deepEqual(windowStarts(200, 256, 0.4), [-28]);
});

test('one large face keeps the finder cheap: scans back off, one face per frame, same box as the plain detector', async () => {
  const info = await probeMedia(SAMPLE, ff);
  const finder = new FaceFinder({ frame: front, windows: back }, DEFAULT_FINDER);
  let frames = 0;
  for await (const frame of streamVideoFrames(SAMPLE, ff, info.video!, { fps: 2, maxSide: 640 })) {
    const faces = await finder.next(frame);
    const plain = await front.detectLargest(frame);
    assert.equal(faces.length, 1, `frame ${frame.index}: one face`);
    // The same face as the plain detector's (IoU ≥ 0.5, the usual detection match): where a window scan ran, its box can be
    // the tighter one (frame 8: scan 0.93 against whole frame 0.86, IoU 0.67).
    assert.ok(plain && boxIou(faces[0].box, plain.box) >= 0.5, `frame ${frame.index}: the whole-frame face`);
    if (++frames >= 24) break;
  }
  // Whole frame every frame (24 runs) + back-256 scans at frames 0, 4, 12 (8 windows each at 640×360), then every 16.
  const runs = finder.runs / frames;
  assert.ok(runs < 2.2, `detector runs per frame ${runs.toFixed(2)}`);
});
