import { CartesianGrid, ReferenceArea, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, XAxis, YAxis, Cell, Tooltip } from 'recharts';
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
          <YAxis type="number" dataKey="confidence" domain={[0, 1]} ticks={[0, 0.5, 1]} width={34} tickFormatter={(v: number) => `${v * 100}%`} />
          {children}
          <ReferenceLine x={currentTime} stroke="#111" strokeWidth={2} ifOverflow="hidden" />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * The review timeline: face estimates per frame (dots, height = confidence), voice estimates per
 * window (bands, opacity = confidence) and the fused track. Click a track to seek.
 */
export function Timeline({ detail, currentTime, onSeek }: Props) {
  const duration = detail.durationS;
  const facePoints = detail.frames.filter((f) => f.label !== null).map((f) => ({ t: f.t, confidence: f.confidence, label: f.label! }));
  const fused = fusedTrack(detail).filter((p) => p.label !== null);
  const step = detail.frames.length > 1 ? detail.frames[1].t - detail.frames[0].t : 0.5;
  return (
    <div className="timeline" aria-label="Timeline of expression estimates">
      <TrackChart title={`Face (per frame) — ${facePoints.length} estimates`} duration={duration} currentTime={currentTime} onSeek={onSeek} testId="face-track">
        <Scatter data={facePoints} isAnimationActive={false} shape="circle">
          {facePoints.map((p, i) => (
            <Cell key={i} fill={LABEL_COLORS[p.label] ?? '#000'} className={`face-point label-${p.label}`} />
          ))}
        </Scatter>
        <Tooltip formatter={(v) => `${Math.round(Number(v) * 100)}%`} labelFormatter={() => ''} />
      </TrackChart>
      <TrackChart title={`Voice (per window) — ${detail.windows.filter((w) => w.label).length} estimates`} duration={duration} currentTime={currentTime} onSeek={onSeek} testId="voice-track">
        <Scatter data={[]} />
        {detail.windows
          .filter((w) => w.label)
          .map((w, i) => (
            <ReferenceArea
              key={i}
              x1={w.start}
              x2={w.end}
              y1={0}
              y2={w.confidence ?? 0}
              fill={LABEL_COLORS[w.label!] ?? '#000'}
              fillOpacity={0.35}
              stroke={LABEL_COLORS[w.label!]}
              className={`voice-window label-${w.label}`}
              ifOverflow="hidden"
            />
          ))}
      </TrackChart>
      <TrackChart title="Fused (face + voice)" duration={duration} currentTime={currentTime} onSeek={onSeek} testId="fused-track">
        <Scatter data={[]} />
        {fused.map((p, i) => (
          <ReferenceArea
            key={i}
            x1={Math.max(0, p.t - step / 2)}
            x2={Math.min(duration, p.t + step / 2)}
            y1={0}
            y2={p.confidence ?? 0}
            fill={LABEL_COLORS[p.label!] ?? '#000'}
            fillOpacity={0.6}
            className={`fused-slice label-${p.label}`}
            ifOverflow="hidden"
          />
        ))}
      </TrackChart>
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
