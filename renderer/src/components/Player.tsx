import { forwardRef, useCallback, useEffect, useRef, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';
import { formatEta, pct } from '../labels';
import { canPlayNatively, playbackTarget } from './playability';
import { Waveform } from './Waveform';

type Detail = ApiOutput<'sessions.get'>;
type Playback = ApiOutput<'playback.status'>;

interface Props {
  detail: Detail;
  time: number;
  onTime: (t: number) => void;
  onSeek: (t: number) => void;
  /** The session was changed (its recording located again). */
  onChanged: () => void;
}

/**
 * The recording, as this window can play it: the file itself; or, when its codec cannot play here (HEVC from a phone,
 * in most browsers), a playback copy made once with progress; or, when the file has moved, a way to locate it.
 */
export const Player = forwardRef<HTMLVideoElement & HTMLAudioElement, Props>(function Player({ detail: d, time, onTime, onSeek, onChanged }, ref) {
  const [variant, setVariant] = useState<'original' | 'playback'>('original');
  const [copy, setCopy] = useState<Playback | null>(null);
  const [needsCopy, setNeedsCopy] = useState(false);
  const poll = useRef<ReturnType<typeof setInterval> | null>(null);

  const watch = useCallback(
    (status: Playback) => {
      setCopy(status);
      if (status.state === 'ready') setVariant('playback');
      if (status.state === 'running' && !poll.current)
        poll.current = setInterval(() => {
          void api.call('playback.status', { sessionId: d.id }).then((s) => {
            setCopy(s);
            if (s.state !== 'running' && poll.current) {
              clearInterval(poll.current);
              poll.current = null;
              if (s.state === 'ready') setVariant('playback');
            }
          });
        }, 500);
    },
    [d.id],
  );
  useEffect(() => () => void (poll.current && clearInterval(poll.current)), []);

  const makeCopy = useCallback(() => {
    setNeedsCopy(true);
    void api
      .call('playback.prepare', { sessionId: d.id, target: playbackTarget() })
      .then(watch, (e: Error) => setCopy({ state: 'failed', target: null, fraction: 0, etaS: null, error: e.message }));
  }, [d.id, watch]);

  // Decide once per session: play the file, or use (or make) a playback copy.
  useEffect(() => {
    setVariant('original');
    setCopy(null);
    setNeedsCopy(false);
    if (!d.fileAvailable) return;
    void api.call('playback.status', { sessionId: d.id }).then((s) => {
      if (s.state === 'ready' || s.state === 'running') {
        setNeedsCopy(true);
        watch(s);
      } else if (!canPlayNatively(d.media)) makeCopy();
    });
    // Keyed on what decides it, not on the detail object: a reload (after correcting the date) keeps the player as it is.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [d.id, d.fileAvailable, d.media.videoCodec, d.media.audioCodec, watch, makeCopy]);

  if (!d.fileAvailable) return <MissingRecording detail={d} onChanged={onChanged} />;
  const codec = [d.media.videoCodec, d.media.audioCodec].filter(Boolean).join(' / ').toUpperCase();
  const waiting = needsCopy && variant === 'original';
  const src = api.mediaUrl(d.id, variant);
  const common = {
    ref,
    src,
    controls: true,
    preload: 'metadata' as const,
    onTimeUpdate: (e: React.SyntheticEvent<HTMLMediaElement>) => onTime(e.currentTarget.currentTime),
    onSeeked: (e: React.SyntheticEvent<HTMLMediaElement>) => onTime(e.currentTarget.currentTime),
  };
  return (
    <>
      {waiting ? (
        <div className="video-placeholder" role="status" data-testid="playback-copy">
          {copy?.state === 'failed' ? (
            <>
              <p className="error">The playback copy could not be made: {copy.error}</p>
              <button type="button" onClick={makeCopy}>
                Try again
              </button>
            </>
          ) : (
            <>
              <p>
                This window cannot play the recording's format ({codec}), so a playback copy is being made once. It stays on this computer, beside the
                database. The analysis is not affected.
              </p>
              <progress value={copy?.fraction ?? 0} max={1} aria-label="Making the playback copy" /> {pct(copy?.fraction ?? 0)} ·{' '}
              {formatEta(copy?.etaS ?? null)}{' '}
              <button type="button" onClick={() => void api.call('playback.cancel', { sessionId: d.id }).then(setCopy)}>
                Cancel
              </button>
            </>
          )}
        </div>
      ) : d.media.hasVideo ? (
        <video
          key={variant}
          {...common}
          onLoadedMetadata={(e) => {
            // Frames that never come (an unsupported codec plays black with sound): switch to a copy.
            if (variant === 'original' && e.currentTarget.videoWidth === 0) makeCopy();
            e.currentTarget.currentTime = time;
          }}
        />
      ) : (
        <>
          <audio key={variant} {...common} />
          <Waveform url={src} currentTime={time} duration={d.durationS} onSeek={onSeek} />
        </>
      )}
      {variant === 'playback' && (
        <p className="muted small" data-testid="playing-copy">
          Playing a playback copy ({copy?.target === 'vp9' ? 'VP9' : 'H.264'}) of the {codec} recording; same timing as the original.
        </p>
      )}
    </>
  );
});

/** The file is not where it was analysed from: say so and offer to locate it (checked by its content). */
function MissingRecording({ detail: d, onChanged }: { detail: Detail; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const relocate = async (paths: string[]) => {
    if (!paths[0]) return;
    setBusy(true);
    setError(null);
    try {
      await api.call('sessions.relocate', { id: d.id, path: paths[0] });
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const pick = async () => {
    const native = api.pickFiles();
    if (native) await relocate(await native);
    else input.current?.click();
  };
  return (
    <div className="video-placeholder missing" role="alert" data-testid="missing-recording">
      <p>
        <strong>The recording is not where it was analysed from:</strong> <code>{d.file}</code>. It may have been moved, renamed or deleted. The
        analysis below is intact; to watch the recording, locate the file.
      </p>
      <button type="button" onClick={() => void pick()} disabled={busy}>
        {busy ? 'Checking the file…' : 'Locate the recording…'}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="locate-input"
        accept="video/*,audio/*,.mkv,.flac,.m4a,.mov"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          setBusy(true);
          void api.filesToPaths(files).then(relocate, (err: Error) => (setError(err.message), setBusy(false)));
        }}
      />
      <p className="muted small">The file is checked by its content: only the same recording is accepted, whatever its name.</p>
      {error && <p className="error">{error}</p>}
    </div>
  );
}
