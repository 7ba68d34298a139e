import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, XAxis, YAxis, Cell, Tooltip } from 'recharts';
import type { ApiOutput } from '../../../electron/contract/api';
import { formatTime, LABEL_COLORS } from '../labels';
import { fusedTrack } from './fusedTrack';

type Detail = ApiOutput<'sessions.get'>;

interface Props {
  detail: Detail;
  currentTime: number;
  onSeek: (t: number) => void;
}

const HEIGHT = 110;
const UNCERTAIN_COLOR = '#c4c9cf';

function TrackChart({ title, duration, currentTime, onSeek, children, testId }: { title: string; duration: number; currentTime: number; onSeek: (t: number) => void; children: React.ReactNode; testId: string }) {
  return (
    <div className="track" data-testid={testId}>
      <div className="track-title">{title}</div>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <ScatterChart
          margin={{ top: 6, right: 12, bottom: 4, left: 0 }}
          onClick={(state: unknown) => {
            const v = (state as { activeLabel?: number | string } | null)?.activeLabel;
            if (v !== undefined) onSeek(Number(v));
          }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis type="number" dataKey="t" domain={[0, duration]} tickFormatter={formatTime} allowDataOverflow />
          <YAxis type="number" dataKey="confidence" domain={[0, 1]} ticks={[0, 0.5, 1]} width={52} tickFormatter={(v: number) => `${v * 100}%`} />
          {children}
          <ReferenceLine x={currentTime} stroke="#111" strokeWidth={2} ifOverflow="hidden" />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}

interface Band {
  start: number;
  end: number;
  label: string;
  confidence: number;
  /** Why the estimate is uncertain (drawn grey, not voted), if it is. */
  uncertain?: string;
}

/**
 * A track of time bands (voice windows, fused slices) drawn as plain SVG on the same time axis as the
 * face chart: band height = confidence, colour = label. Click to seek.
 */
function BandTrack({ title, bands, duration, currentTime, onSeek, testId, bandClass, opacity }: { title: string; bands: Band[]; duration: number; currentTime: number; onSeek: (t: number) => void; testId: string; bandClass: string; opacity: number }) {
  const W = 1000;
  const H = 70;
  const x = (t: number) => (Math.max(0, Math.min(duration, t)) / Math.max(duration, 1e-9)) * W;
  const ticks = Array.from({ length: 6 }, (_, i) => (duration * i) / 5);
  return (
    <div className="track" data-testid={testId}>
      <div className="track-title">{title}</div>
      <div className="band-track">
        <svg
          viewBox={`0 0 ${W} ${H + 16}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={title}
          onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            onSeek(((e.clientX - r.left) / r.width) * duration);
          }}
        >
          <line x1={0} x2={W} y1={H} y2={H} stroke="#999" vectorEffect="non-scaling-stroke" />
          <line x1={0} x2={W} y1={H / 2} y2={H / 2} stroke="#ddd" strokeDasharray="3 3" vectorEffect="non-scaling-stroke" />
          {bands.map((b, i) => (
            <rect
              key={i}
              className={`${bandClass} label-${b.label}${b.uncertain ? ' uncertain' : ''}`}
              x={x(b.start)}
              width={Math.max(0.5, x(b.end) - x(b.start))}
              y={H - b.confidence * H}
              height={b.confidence * H}
              fill={b.uncertain ? UNCERTAIN_COLOR : (LABEL_COLORS[b.label] ?? '#000')}
              fillOpacity={opacity}
            >
              <title>{`${b.uncertain ? `uncertain (${b.uncertain}): ` : ''}${b.label} ${Math.round(b.confidence * 100)}% · ${formatTime(b.start)}–${formatTime(b.end)}`}</title>
            </rect>
          ))}
          <line x1={x(currentTime)} x2={x(currentTime)} y1={0} y2={H} stroke="#111" strokeWidth={2} vectorEffect="non-scaling-stroke" />
        </svg>
        <div className="band-ticks">
          {ticks.map((t) => (
            <span key={t} style={{ left: `${(t / Math.max(duration, 1e-9)) * 100}%` }}>
              {formatTime(t)}
            </span>
          ))}
        </div>
      </div>
    </div>
  );
}

/**
 * The review timeline: face estimates per frame (dots, height = confidence), voice estimates per
 * window (bands, height = confidence) and the fused track. Click a track to seek.
 */
export function Timeline({ detail, currentTime, onSeek }: Props) {
  const duration = detail.durationS;
  const facePoints = detail.frames.filter((f) => f.label !== null).map((f) => ({ t: f.t, confidence: f.confidence, label: f.label! }));
  // Frames with a face whose top probability is below the model's threshold: shown, marked uncertain, not voted.
  const uncertain = detail.frames.filter((f) => f.face && f.label === null && f.confidence !== null).map((f) => ({ t: f.t, confidence: f.confidence }));
  const step = detail.frames.length > 1 ? detail.frames[1].t - detail.frames[0].t : 0.5;
  const voice: Band[] = detail.windows.filter((w) => w.label).map((w) => ({ start: w.start, end: w.end, label: w.label!, confidence: w.confidence ?? 0 }));
  // Voiced windows without a label: input unlike the model's training audio, or low confidence. Shown grey, not voted.
  const unlike = detail.summary.voice.inputCheckThreshold ?? Infinity;
  const voiceUncertain: Band[] = detail.windows
    .filter((w) => w.voiced && !w.label && w.probs)
    .map((w) => ({ start: w.start, end: w.end, label: detail.voiceLabels[w.probs!.indexOf(Math.max(...w.probs!))] ?? '', confidence: w.confidence ?? 0, uncertain: (w.inputDistance ?? 0) > unlike ? 'unlike the training audio' : 'low confidence' }));
  const fused: Band[] = fusedTrack(detail)
    .filter((p) => p.label !== null)
    .map((p) => ({ start: p.t - step / 2, end: p.t + step / 2, label: p.label!, confidence: p.confidence ?? 0 }));
  return (
    <div className="timeline" aria-label="Timeline of expression estimates">
      <TrackChart title={`Face (per frame) — ${facePoints.length} estimates${uncertain.length ? `, ${uncertain.length} uncertain (grey)` : ''}`} duration={duration} currentTime={currentTime} onSeek={onSeek} testId="face-track">
        <Scatter data={facePoints} isAnimationActive={false} shape="circle">
          {facePoints.map((p, i) => (
            <Cell key={i} fill={LABEL_COLORS[p.label] ?? '#000'} className={`face-point label-${p.label}`} />
          ))}
        </Scatter>
        <Scatter data={uncertain} isAnimationActive={false} shape="circle" fill="#c4c9cf" className="face-uncertain" />
        <Tooltip formatter={(v) => `${Math.round(Number(v) * 100)}%`} labelFormatter={() => ''} />
      </TrackChart>
      <BandTrack title={`Voice (per window, overlapping) — ${voice.length} estimates${voiceUncertain.length ? `, ${voiceUncertain.length} uncertain (grey)` : ''}`} bands={[...voiceUncertain, ...voice]} duration={duration} currentTime={currentTime} onSeek={onSeek} testId="voice-track" bandClass="voice-window" opacity={0.35} />
      <BandTrack title="Fused (face + voice)" bands={fused} duration={duration} currentTime={currentTime} onSeek={onSeek} testId="fused-track" bandClass="fused-slice" opacity={0.75} />
      <div className="legend">
        {Object.entries(LABEL_COLORS).map(([label, color]) => (
          <span key={label}>
            <i style={{ background: color }} /> {label}
          </span>
        ))}
      </div>
    </div>
  );
}
