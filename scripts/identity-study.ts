/**
 * npm run study:identity — how far apart the identity model puts the same person and different people, on the
 * call layouts of scripts/lib/gallery-layouts.ts and on the shared clips (writes
 * native-models/face-identity-dlib/identity-study.json; the card quotes it).
 *
 * Every face found (FaceFinder) at 1 fps in the 2×2, 3×3, speaker and re-arranged layouts (720p) is
 * labelled with the person its tile shows, aligned and embedded. Pairs of faces are then grouped as
 *   same person, same tile position / different tile (another crop, mirror, zoom, time) / different recording
 *   (the man of single_face.mp4 against the same man in face_noface.mov, filmed separately at another size);
 *   different people (the woman against the man);
 * and the script prints the distance distribution of each group and, per threshold, the share of same-person pairs
 * kept together and of different-person pairs kept apart. Caveat: two people only (the shared clips hold no more).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FaceDetector } from '../electron/analysis/face/detector.js';
import { DEFAULT_FINDER, FaceFinder } from '../electron/analysis/face/face-finder.js';
import { descriptorDistance, FaceIdentityModel } from '../electron/analysis/face/identity-model.js';
import { streamVideoFrames } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { resolveModelDir } from '../electron/analysis/models/registry.js';
import { buildLayout, defaultSources, facesAt, rearrangedLayout, standardLayouts, type Layout } from './lib/gallery-layouts.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SHARED = process.env.AFFECT_SHARED_DATASETS ?? path.resolve(ROOT, '../shared/datasets');
const OUT = process.argv[2] ?? path.join(ROOT, 'native-models/face-identity-dlib/identity-study.json');
const ff = resolveFfmpeg();

interface Face {
  clip: string;
  tile: string;
  person: string;
  heightPx: number;
  d: Float32Array;
}

async function main() {
  const front = await FaceDetector.load(resolveModelDir('blazeface-front-128'), { threads: 1 });
  const back = await FaceDetector.load(resolveModelDir('blazeface-back-256'), { threads: 1 });
  const id = await FaceIdentityModel.load(resolveModelDir('face-identity-dlib'), { threads: 1 });
  const src = defaultSources(path.join(SHARED, 'videos'));
  const layouts: Layout[] = [720].flatMap((h) => [
    ...standardLayouts(src, (h * 16) / 9, h).filter((l) => /^(2x2|3x3|speaker)/.test(l.name)),
    rearrangedLayout(src, (h * 16) / 9, h),
  ]);
  const faces: Face[] = [];
  const dir = path.join(os.tmpdir(), 'affect-face-study', 'layouts');
  const collect = async (
    file: string,
    clip: string,
    label: (t: number, box: { x: number; y: number; width: number; height: number }, k: number) => { tile: string; person: string } | null,
    toLayout: (w: number) => number,
  ) => {
    const info = await probeMedia(file, ff);
    const finder = new FaceFinder({ frame: front, windows: back }, { ...DEFAULT_FINDER, scanEvery: 1 });
    for await (const frame of streamVideoFrames(file, ff, info.video!, { fps: 1, maxSide: 1280 })) {
      const image = { width: frame.width, height: frame.height, rgb: frame.rgb };
      const found = await finder.scan(image);
      const k = toLayout(frame.width);
      const labelled = found.map((f) => ({ f, l: label(frame.timeS, f.box, k) })).filter((x) => x.l);
      const ds = await id.embed(labelled.map((x) => id.align(image, x.f)));
      labelled.forEach((x, i) => faces.push({ clip, tile: x.l!.tile, person: x.l!.person, heightPx: x.f.box.height * k, d: ds[i] }));
    }
  };
  for (const layout of layouts) {
    const file = buildLayout(layout, dir);
    await collect(
      file,
      layout.name,
      (t, box, k) => {
        const cx = (box.x + box.width / 2) * k;
        const cy = (box.y + box.height / 2) * k;
        const hit = facesAt(layout, t)
          .sort((a, b) => a.rect.width * a.rect.height - b.rect.width * b.rect.height)
          .find((f) => cx >= f.rect.x && cx < f.rect.x + f.rect.width && cy >= f.rect.y && cy < f.rect.y + f.rect.height);
        return hit ? { tile: `${layout.name}:${hit.rect.x},${hit.rect.y}`, person: hit.person } : null;
      },
      (w) => layout.width / w,
    );
    console.log(layout.name, faces.length);
  }
  // The same man, recorded separately (face_noface.mov: 960×540 HEVC, face in its first part).
  await collect(
    path.join(SHARED, 'videos', 'face_noface.mov'),
    'face_noface.mov',
    () => ({ tile: 'face_noface.mov', person: 'man' }),
    () => 1,
  );
  console.log('face_noface.mov', faces.length);

  const groups: Record<string, number[]> = {
    sameTile: [],
    sameClipOtherTile: [],
    sameLayoutSetOtherClip: [],
    otherRecording: [],
    differentPeople: [],
  };
  for (let i = 0; i < faces.length; i++)
    for (let j = i + 1; j < faces.length; j++) {
      const a = faces[i];
      const b = faces[j];
      const dist = descriptorDistance(a.d, b.d);
      if (a.person !== b.person) groups.differentPeople.push(dist);
      else if (a.tile === 'face_noface.mov' || b.tile === 'face_noface.mov') {
        if (a.tile !== b.tile) groups.otherRecording.push(dist);
      } else if (a.tile === b.tile) groups.sameTile.push(dist);
      else if (a.clip === b.clip) groups.sameClipOtherTile.push(dist);
      else groups.sameLayoutSetOtherClip.push(dist);
    }
  const q = (v: number[], p: number) => {
    const s = [...v].sort((x, y) => x - y);
    return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null;
  };
  const stats = Object.fromEntries(
    Object.entries(groups).map(([k, v]) => [
      k,
      { pairs: v.length, min: q(v, 0), p05: q(v, 0.05), median: q(v, 0.5), p95: q(v, 0.95), max: v.length ? Math.max(...v) : null },
    ]),
  );
  const same = [...groups.sameTile, ...groups.sameClipOtherTile, ...groups.sameLayoutSetOtherClip, ...groups.otherRecording];
  const thresholds = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7].map((t) => ({
    threshold: t,
    samePersonBelow: same.filter((d) => d < t).length / same.length,
    otherRecordingBelow: groups.otherRecording.filter((d) => d < t).length / Math.max(1, groups.otherRecording.length),
    differentPeopleAtOrAbove: groups.differentPeople.filter((d) => d >= t).length / groups.differentPeople.length,
  }));
  const bySize = [0, 40, 60, 90, 140, 1e9].slice(0, -1).map((lo, i) => {
    const hi = [40, 60, 90, 140, 1e9][i];
    const sel = faces.filter((f) => f.heightPx >= lo && f.heightPx < hi);
    return { faceHeightPx: `${lo}–${hi === 1e9 ? '∞' : hi}`, faces: sel.length };
  });
  const out = {
    what: 'Descriptor distances (face-identity-dlib, Euclidean) on call layouts built from the shared clips (scripts/identity-study.ts)',
    people: 2,
    faces: faces.length,
    facesBySize: bySize,
    distances: stats,
    thresholds,
    caveat:
      'Only two people exist in the shared clips; same-person pairs within one clip share lighting and camera. The separation here says the network and our alignment work on these faces; it is not a verification rate.',
  };
  writeFileSync(OUT, JSON.stringify(out, null, 1) + '\n');
  console.log(JSON.stringify({ distances: stats, thresholds }, null, 1));
  await Promise.all([front.release(), back.release(), id.release()]);
}

await main();
