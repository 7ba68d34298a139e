import type { ApiOutput } from '../../../electron/contract/api.js';

type Media = ApiOutput<'sessions.get'>['media'];

/** MIME codec strings for ffprobe codec names, to ask the browser (canPlayType) before trying. */
const VIDEO_CODECS: Record<string, string> = {
  h264: 'video/mp4; codecs="avc1.640028"',
  hevc: 'video/mp4; codecs="hvc1.1.6.L93.B0"',
  vp8: 'video/webm; codecs="vp8"',
  vp9: 'video/webm; codecs="vp9"',
  av1: 'video/mp4; codecs="av01.0.04M.08"',
  mpeg4: 'video/mp4; codecs="mp4v.20.9"',
};
const AUDIO_CODECS: Record<string, string> = {
  aac: 'audio/mp4; codecs="mp4a.40.2"',
  mp3: 'audio/mpeg',
  opus: 'audio/webm; codecs="opus"',
  vorbis: 'audio/webm; codecs="vorbis"',
  flac: 'audio/flac',
  pcm_s16le: 'audio/wav; codecs="1"',
  pcm_s24le: 'audio/wav; codecs="1"',
  pcm_f32le: 'audio/wav; codecs="3"',
};

/**
 * Whether this window can play the recording as it is. An unknown codec counts as unplayable (a playback copy is
 * made); a codec the browser claims to play is tried, and the player still checks that frames arrive (a video that
 * decodes to nothing plays black with sound, with no error).
 */
export function canPlayNatively(media: Media, probe: Pick<HTMLMediaElement, 'canPlayType'> = document.createElement('video')): boolean {
  const ok = (type: string | undefined) => Boolean(type) && probe.canPlayType(type!) !== '';
  if (media.hasVideo && !ok(VIDEO_CODECS[media.videoCodec ?? ''])) return false;
  if (media.hasAudio && !ok(AUDIO_CODECS[media.audioCodec ?? ''])) return false;
  return true;
}

/** The copy this window plays best: H.264 where it can, else VP9 (royalty-free builds). */
export function playbackTarget(probe: Pick<HTMLMediaElement, 'canPlayType'> = document.createElement('video')): 'h264' | 'vp9' {
  return probe.canPlayType('video/mp4; codecs="avc1.42E01E"') ? 'h264' : 'vp9';
}
