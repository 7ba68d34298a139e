/**
 * Cost of per-person face analysis (npm run bench, section "people"): on 720p call layouts built from the shared
 * clips (1×1, 2×1, 3×3, speaker view), decoded at 2 fps with the frame's longer side at `maxSide`:
 *   - FaceFinder.next alone (the faces), and
 *   - PeopleTracker.push (faces + tracks + identity embeddings + participants),
 * in frames/s and ms/frame, with the detector runs and embeddings per frame.
 */
import path from 'node:path';
import os from 'node:os';
import { existsSync } from 'node:fs';
import { FaceDetector } from '../../electron/analysis/face/detector.js';
import { DEFAULT_FINDER, FaceFinder } from '../../electron/analysis/face/face-finder.js';
import { FaceIdentityModel } from '../../electron/analysis/face/identity-model.js';
import { streamVideoFrames } from '../../electron/analysis/media/decode.js';
import type { ResolvedFfmpeg } from '../../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../../electron/analysis/media/probe.js';
import { resolveModelDir } from '../../electron/analysis/models/registry.js';
import { PeopleTracker } from '../../electron/analysis/people/people-tracker.js';
import { buildLayout, defaultSources, standardLayouts } from './gallery-layouts.js';

export async function benchPeople(ff: ResolvedFfmpeg, sharedDatasets: string, opts: { durationS?: number; maxSides?: number[] } = {}): Promise<void> {
  const videos = path.join(sharedDatasets, 'videos');
  if (!existsSync(videos)) {
    console.log(`people: skipped (needs ${videos})`);
    return;
  }
  const front = await FaceDetector.load(resolveModelDir('blazeface-front-128'));
  const back = await FaceDetector.load(resolveModelDir('blazeface-back-256'));
  const identity = await FaceIdentityModel.load(resolveModelDir('face-identity-dlib'));
  const layouts = standardLayouts(defaultSources(videos), 1280, 720, opts.durationS ?? 20).filter((l) => !/^2x2/.test(l.name));
  for (const layout of layouts) {
    const file = buildLayout(layout, path.join(os.tmpdir(), 'affect-bench-layouts'));
    const info = await probeMedia(file, ff);
    for (const maxSide of opts.maxSides ?? [640, 1280]) {
      for (const withPeople of [false, true]) {
        const finder = new FaceFinder({ frame: front, windows: back }, DEFAULT_FINDER);
        const tracker = withPeople ? new PeopleTracker(finder, identity) : null;
        let frames = 0;
        let faces = 0;
        let ms = 0;
        for await (const frame of streamVideoFrames(file, ff, info.video!, { fps: 2, maxSide })) {
          const t0 = performance.now();
          faces += tracker ? (await tracker.push(frame)).faces.length : (await finder.next(frame)).length;
          ms += performance.now() - t0;
          frames++;
        }
        const embeddings = tracker ? tracker.finish().embeddings : 0;
        console.log(
          `people (${layout.name}, decoded at ${maxSide}): ${tracker ? 'faces + tracks + identity' : 'faces only (FaceFinder)'}: ` +
            `${(ms / frames).toFixed(1)} ms/frame (${((frames * 1000) / ms).toFixed(1)} frames/s), ${(faces / frames).toFixed(1)} faces/frame, ` +
            `${(finder.runs / frames).toFixed(2)} detector runs/frame${tracker ? `, ${(embeddings / frames).toFixed(2)} embeddings/frame` : ''}`,
        );
      }
    }
  }
  // The identity network alone.
  const chip = { width: 150, height: 150, rgb: new Uint8Array(150 * 150 * 3).fill(128) };
  await identity.embed([chip]);
  const t0 = performance.now();
  for (let i = 0; i < 8; i++) await identity.embed([chip]);
  console.log(`face identity (face-identity-dlib): ${((performance.now() - t0) / 8).toFixed(1)} ms per face (batch 1)`);
  await Promise.all([front.release(), back.release(), identity.release()]);
}
