import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../../electron/analysis/media/ffmpeg-path.js';
import { REPO_ROOT, tempDir } from './paths.js';

export const SAMPLE = path.join(REPO_ROOT, 'data', 'samples', 'sample.mp4');

/** Run the ffmpeg the app itself resolves (the bundled one on a machine without ffmpeg), never a bare `ffmpeg` from PATH. */
export function ffmpeg(...args: string[]): void {
  execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

let cache: BadInputFixtures | null = null;

export interface BadInputFixtures {
  dir: string;
  missing: string;
  directory: string;
  textAsMp4: string;
  empty: string;
  truncatedNoIndex: string;
  truncatedTail: string;
  videoNoAudio: string;
  wav: string;
  mp3: string;
  m4a: string;
  flac: string;
  silentWav: string;
  noFaceVideo: string;
  oddPath: string;
  stillImage: string;
}

/**
 * Real files made with real ffmpeg from the bundled sample, once per test process:
 * every kind of bad or unusual input the analysis must handle.
 */
export function badInputFixtures(): BadInputFixtures {
  if (cache) return cache;
  const dir = tempDir('media-');
  const p = (name: string) => path.join(dir, name);
  const f: BadInputFixtures = {
    dir,
    missing: p('does-not-exist.mp4'),
    directory: p('a-folder.mp4'),
    textAsMp4: p('notes.mp4'),
    empty: p('empty.mp4'),
    truncatedNoIndex: p('truncated-no-index.mp4'),
    truncatedTail: p('truncated-tail.mp4'),
    videoNoAudio: p('video-no-audio.mp4'),
    wav: p('speech.wav'),
    mp3: p('speech.mp3'),
    m4a: p('speech.m4a'),
    flac: p('speech.flac'),
    silentWav: p('silence.wav'),
    noFaceVideo: p('no-face.mp4'),
    oddPath: path.join(dir, 'Sitzung mit Ärztin – 😀', 'clip (1) été.mp4'),
    stillImage: p('still.png'),
  };
  mkdirSync(f.directory);
  writeFileSync(f.textAsMp4, 'These are meeting notes, not a video.\n'.repeat(50));
  writeFileSync(f.empty, '');
  // moov atom at the end, file cut in half: no index, nothing decodable.
  const tailIndexed = p('tail-indexed.mp4');
  ffmpeg('-i', SAMPLE, '-c', 'copy', tailIndexed);
  const whole = readFileSync(tailIndexed);
  writeFileSync(f.truncatedNoIndex, whole.subarray(0, Math.floor(whole.length / 2)));
  // moov at the start (the sample is faststart), media data cut at 40 %: partially decodable.
  const sample = readFileSync(SAMPLE);
  writeFileSync(f.truncatedTail, sample.subarray(0, Math.floor(sample.length * 0.4)));
  ffmpeg('-i', SAMPLE, '-an', '-c:v', 'copy', f.videoNoAudio);
  ffmpeg('-i', SAMPLE, '-vn', '-ac', '1', f.wav);
  ffmpeg('-i', SAMPLE, '-vn', '-ac', '1', '-b:a', '64k', f.mp3);
  ffmpeg('-i', SAMPLE, '-vn', '-c:a', 'aac', '-b:a', '64k', f.m4a);
  ffmpeg('-i', SAMPLE, '-vn', f.flac);
  ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '6', f.silentWav);
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25',
    '-t',
    '4',
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    f.noFaceVideo,
  );
  mkdirSync(path.dirname(f.oddPath), { recursive: true });
  copyFileSync(SAMPLE, f.oddPath);
  ffmpeg('-i', SAMPLE, '-frames:v', '1', f.stillImage);
  cache = f;
  return f;
}
