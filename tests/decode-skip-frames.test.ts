import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { skipsNonReferenceFrames, streamVideoFrames, videoDecodeArgs } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { ffmpeg } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';

const ff = resolveFfmpeg();
const W = 160;
const H = 90;

/** Every frame of `file`, decoded in full (no frame skipped), scaled as the engine scales, with its time. */
function everyFrame(file: string): Uint8Array[] {
  const raw = execFileSync(
    ff.ffmpeg,
    ['-v', 'error', '-i', file, '-an', '-vf', `setpts=PTS-STARTPTS,scale=${W}:${H}:flags=area`, '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'],
    { maxBuffer: 256 * 2 ** 20 },
  );
  const n = W * H * 3;
  return Array.from({ length: raw.length / n }, (_, i) => raw.subarray(i * n, (i + 1) * n));
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

test('a frame sampled at time t is the source frame a player shows at t, or with non-reference frames skipped a reference frame at most a B-frame run earlier', async () => {
  const dir = tempDir('decode-skip');
  const file = path.join(dir, 'bframes-25fps.mp4');
  // A moving test pattern at 25 fps, x264 with B-frames (3 in a row, the pyramid's middle one a reference), as call tools write.
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${W}x${H}:rate=25`,
    '-t',
    '6',
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-bf',
    '3',
    file,
  );
  const info = await probeMedia(file, ff);
  const video = info.video!;
  assert.ok(skipsNonReferenceFrames(video, 2), `a ${video.avgFps} fps source analysed at 2 fps skips non-reference frames`);
  assert.ok(videoDecodeArgs(file, video, { fps: 2, maxSide: W }).args.includes('-skip_frame'));

  const all = everyFrame(file);
  assert.equal(all.length, 150);
  const sampled: Uint8Array[] = [];
  for await (const frame of streamVideoFrames(file, ff, video, { fps: 2, maxSide: W })) sampled.push(Uint8Array.from(frame.rgb));
  assert.equal(sampled.length, 12);
  let shifted = 0;
  sampled.forEach((frame, k) => {
    // The source frame this one is: the pattern moves every frame, so exactly one matches (a decoded reference frame is bit-exact).
    const diffs = all.map((f) => meanAbsDiff(frame, f));
    const best = diffs.indexOf(Math.min(...diffs));
    assert.ok(diffs[best] < 0.5, `sampled frame ${k} is a decoded source frame (mean difference ${diffs[best].toFixed(2)})`);
    // What a player shows at k / 2 s is source frame floor(12.5 k); a skipped one is replaced by an earlier reference.
    const shown = Math.floor(k * 0.5 * 25);
    assert.ok(best <= shown && shown - best <= 3, `sampled frame ${k} (t = ${k * 0.5} s) shows source frame ${best}, not ${shown}`);
    if (best !== shown) shifted++;
  });
  // Some sampled times fall on a skipped frame (otherwise nothing was skipped and nothing was saved).
  assert.ok(shifted > 0, 'at least one sampled time fell on a skipped non-reference frame');
});

test('a low-frame-rate source, or one whose rate is unknown, is decoded in full', () => {
  assert.equal(skipsNonReferenceFrames({ avgFps: 5 }, 2), false);
  assert.equal(skipsNonReferenceFrames({ avgFps: null }, 2), false);
  assert.equal(skipsNonReferenceFrames({ avgFps: 30 }, 2), true);
  assert.equal(skipsNonReferenceFrames({ avgFps: 30 }, 10), false);
  const args = videoDecodeArgs('x.mp4', { width: 640, height: 360, rotation: 0, avgFps: 5 }, { fps: 2, maxSide: 640 }).args;
  assert.ok(!args.includes('-skip_frame'));
});
