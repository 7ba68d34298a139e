import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FfmpegNotFoundError, resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { tempDir } from './helpers/paths.js';

function fakeBinary(dir: string, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

test('FFMPEG_PATH wins when it points at an executable', () => {
  const dir = tempDir();
  const ff = fakeBinary(dir, 'ffmpeg');
  const probe = fakeBinary(dir, 'ffprobe');
  const r = resolveFfmpeg({ FFMPEG_PATH: ff, PATH: '' });
  assert.equal(r.source, 'FFMPEG_PATH');
  assert.equal(r.ffmpeg, ff);
  assert.equal(r.ffprobe, probe, 'ffprobe is taken from beside the chosen ffmpeg');
});

const systemFfmpeg = existsSync('/usr/bin/ffmpeg') ? false : 'no /usr/bin/ffmpeg on this machine';

test('a broken FFMPEG_PATH falls through to the system ffmpeg', { skip: systemFfmpeg }, () => {
  const r = resolveFfmpeg({ FFMPEG_PATH: '/nonexistent/ffmpeg', PATH: '' });
  // ffmpeg-static's binary is not downloaded here (allowScripts false), so the Debian binary is next.
  assert.equal(r.source, 'system (/usr/bin)');
  assert.equal(r.ffmpeg, '/usr/bin/ffmpeg');
});

test('the result of the default resolution is a working ffmpeg', () => {
  const r = resolveFfmpeg();
  assert.match(execFileSync(r.ffmpeg, ['-version']).toString(), /^ffmpeg version/);
  assert.match(execFileSync(r.ffprobe, ['-version']).toString(), /^ffprobe version/);
});

test('no ffmpeg anywhere gives an error that says what to do', { skip: process.platform === 'win32' }, () => {
  // Simulate a machine without /usr/bin/ffmpeg by checking the message shape through a PATH-only lookup.
  const err = new FfmpegNotFoundError(['FFMPEG_PATH (unset)', 'PATH']);
  assert.match(err.message, /ffmpeg was not found/);
  assert.match(err.message, /apt-get install ffmpeg/);
  assert.match(err.message, /FFMPEG_PATH/);
});

test('the bundled pair (npm packages, no download) is a working ffmpeg 4.1 and ffprobe, and says it is older', () => {
  const r = resolveFfmpeg({ AFFECT_FFMPEG: 'bundled', PATH: '' });
  assert.equal(r.source, 'bundled');
  assert.match(r.ffmpeg, /node_modules[\\/]@ffmpeg-installer[\\/]/);
  assert.match(r.ffprobe, /node_modules[\\/]@ffprobe-installer[\\/]/);
  assert.match(execFileSync(r.ffmpeg, ['-version']).toString(), /^ffmpeg version/);
  assert.match(execFileSync(r.ffprobe, ['-version']).toString(), /^ffprobe version/);
  assert.match(r.note ?? '', /4\.1.*newer system ffmpeg/);
});

test(
  'with nothing else found, the bundled pair is the last fallback; AFFECT_FFMPEG=system refuses it',
  { skip: systemFfmpeg ? false : 'a system ffmpeg is installed here, so the fallback cannot be reached without hiding /usr/bin' },
  () => {
    assert.equal(resolveFfmpeg({ PATH: '' }).source, 'bundled');
    assert.throws(() => resolveFfmpeg({ PATH: '', AFFECT_FFMPEG: 'system' }), /ffmpeg was not found/);
  },
);

test('an unknown AFFECT_FFMPEG value is an error naming it', () => {
  assert.throws(() => resolveFfmpeg({ AFFECT_FFMPEG: 'newest' }), /AFFECT_FFMPEG must be auto, bundled or system, got "newest"/);
});
