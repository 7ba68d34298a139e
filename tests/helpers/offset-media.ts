import path from 'node:path';
import { ffmpeg, SAMPLE } from './media-fixtures.js';
import { tempDir } from './paths.js';

export interface OffsetFixtures {
  /** A 12 s face-free test pattern whose audio (the sample's speech) starts about 3 s in (MP4 edit list). */
  audioLater: string;
  audioOffsetS: number;
  /** The sample with its video stream starting 2.5 s after its audio (stream copy, MP4 edit list). */
  videoLater: string;
  /** The same in Matroska (no edit lists: the offset is in the timestamps). */
  videoLaterMkv: string;
  videoOffsetS: number;
  /** The sample with both streams moved 1.5 s later on the file's clock (a player's currentTime starts at 1.5 s). */
  bothLater: string;
}

let cache: OffsetFixtures | null = null;

/** Real files, made with real ffmpeg from the bundled sample, whose audio and video streams start at different times. */
export function offsetFixtures(): OffsetFixtures {
  if (cache) return cache;
  const dir = tempDir('offsets-');
  const f: OffsetFixtures = {
    audioLater: path.join(dir, 'audio-later.mp4'),
    audioOffsetS: 3,
    videoLater: path.join(dir, 'video-later.mp4'),
    videoLaterMkv: path.join(dir, 'video-later.mkv'),
    videoOffsetS: 2.5,
    bothLater: path.join(dir, 'both-later.mp4'),
  };
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=10',
    '-itsoffset',
    String(f.audioOffsetS),
    '-i',
    SAMPLE,
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-t',
    '12',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    f.audioLater,
  );
  for (const out of [f.videoLater, f.videoLaterMkv])
    ffmpeg('-itsoffset', String(f.videoOffsetS), '-i', SAMPLE, '-i', SAMPLE, '-map', '0:v', '-map', '1:a', '-c', 'copy', out);
  ffmpeg('-itsoffset', '1.5', '-i', SAMPLE, '-c', 'copy', f.bothLater);
  cache = f;
  return f;
}
