import type { ApiOutput } from '../../../electron/contract/api';
import { BAND_LOWER_BOUNDS, BANDS, MAX_SUBSCALE_SCORE, SUBSCALES } from '../../../electron/contract/shared/dass-score';
import { dateMs, dateTicks, spreadPositions } from '../../../electron/contract/shared/date-axis';
import { formatDate } from '../dates';
import { ALL_LABELS, LABEL_COLORS, pct } from '../labels';
import { useWidth } from './useWidth';

type Trends = ApiOutput<'trends.get'>;
type Subscale = (typeof SUBSCALES)[number];

const BAND_FILL = ['#eef7ee', '#fbf8e4', '#fdf0e0', '#fbe6e1', '#f6dde6'];
const SUBSCALE_COLORS: Record<Subscale, string> = { depression: '#0072b2', anxiety: '#a8467f', stress: '#b34700' };
const LEFT = 44;
const RIGHT = 12;

/** The shared date axis under a chart: ticks at true dates, labels never cut at the edges. */
function DateAxis({ domain, x, y, width }: { domain: [number, number]; x: (ms: number) => number; y: number; width: number }) {
  const ticks = dateTicks(domain[0], domain[1], Math.max(2, Math.floor((width - LEFT - RIGHT) / 90)), Date.now());
  return (
    <g className="date-axis">
      <line x1={LEFT} x2={width - RIGHT} y1={y} y2={y} stroke="#6b7580" />
      {ticks.map((t) => {
        const tx = x(t.ms);
        const anchor = tx < LEFT + 30 ? 'start' : tx > width - RIGHT - 30 ? 'end' : 'middle';
        return (
          <g key={t.ms}>
            <line x1={tx} x2={tx} y1={y} y2={y + 4} stroke="#6b7580" />
            <text x={tx} y={y + 16} textAnchor={anchor} fontSize={11.5} fill="#333">
              {t.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}

const scaleX = (domain: [number, number], width: number) => (ms: number) =>
  LEFT + ((ms - domain[0]) / (domain[1] - domain[0])) * (width - LEFT - RIGHT);

/**
 * Expression shares per session as stacked bars at each session's recording date (a time-proportional axis; sessions
 * of the same day side by side). A session whose track saw too little for a label is a hatched column saying so;
 * under every bar a strip shows how much of the recording the track saw.
 */
export function EmotionTrend({ trends, track, domain }: { trends: Trends; track: 'face' | 'voice'; domain: [number, number] }) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const H = 150;
  const top = 8;
  const barW = 16;
  const x = scaleX(domain, width);
  const xs = spreadPositions(
    trends.sessions.map((s) => x(dateMs(s.date))),
    barW + 3,
  );
  const labels = ALL_LABELS.filter((l) => trends.sessions.some((s) => (s[track][l] ?? 0) > 0));
  const Y = (v: number) => top + H - v * H;
  const what = track === 'face' ? 'face seen' : 'speech';
  return (
    <div className="chart" data-testid={`trend-${track}`} ref={ref}>
      <h3>{track === 'face' ? 'Facial' : 'Vocal'} expression estimates per session</h3>
      <p className="muted small">
        Bars: share of labelled {track === 'face' ? 'frames' : 'windows'}. Strip below: share of the recording with{' '}
        {track === 'face' ? 'a face' : 'speech'}.
      </p>
      {trends.sessions.length === 0 ? (
        <p className="muted">No analysed sessions yet.</p>
      ) : (
        <svg width={width} height={H + top + 50} role="img" aria-label={`${track} estimates per session over time`}>
          {[0, 0.5, 1].map((v) => (
            <g key={v}>
              <line x1={LEFT} x2={width - RIGHT} y1={Y(v)} y2={Y(v)} stroke="#e1e5ea" />
              <text x={LEFT - 6} y={Y(v) + 4} textAnchor="end" fontSize={11} fill="#333">
                {pct(v)}
              </text>
            </g>
          ))}
          {trends.sessions.map((s, i) => {
            const c = s.coverage[track];
            const bx = xs[i] - barW / 2;
            const date = formatDate(s.date);
            const where = `session ${s.sessionId}, ${date}${s.dateSource === 'analysed' ? ' (date analysed)' : ''}`;
            const seen = `${what} in ${pct(c.share)} of the recording`;
            let y = top + H;
            return (
              <g key={s.sessionId} className={c.enough ? 'trend-bar' : 'trend-bar too-little'} data-session={s.sessionId}>
                {c.enough ? (
                  ALL_LABELS.filter((l) => (s[track][l] ?? 0) > 0).map((l) => {
                    const h = (s[track][l] ?? 0) * H;
                    y -= h;
                    return (
                      <rect
                        key={l}
                        className={`trend-segment label-${l}`}
                        x={bx}
                        y={y}
                        width={barW}
                        height={h}
                        fill={LABEL_COLORS[l]}
                        stroke="#333"
                        strokeWidth={0.5}
                      >
                        <title>{`${l} ${pct(s[track][l])} of labelled ${track === 'face' ? 'frames' : 'windows'} · ${where} · ${seen}`}</title>
                      </rect>
                    );
                  })
                ) : (
                  <rect x={bx} y={top} width={barW} height={H} fill="url(#trend-hatch)" stroke="#8a96a3" strokeWidth={0.8}>
                    <title>{`${where}: ${c.why ?? 'no estimate'}`}</title>
                  </rect>
                )}
                <rect x={bx} y={top + H + 4} width={barW} height={4} fill="#e1e5ea" />
                <rect x={bx} y={top + H + 4} width={barW * (c.share ?? 0)} height={4} fill="#3f5f8f">
                  <title>{`${where}: ${seen}`}</title>
                </rect>
              </g>
            );
          })}
          <defs>
            <pattern id="trend-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill="#fff" />
              <line x1="0" y1="0" x2="0" y2="6" stroke="#b7c0ca" strokeWidth="2" />
            </pattern>
          </defs>
          <DateAxis domain={domain} x={x} y={top + H + 12} width={width} />
        </svg>
      )}
      {trends.sessions.some((s) => !s.coverage[track].enough) && (
        <p className="small muted">
          <i className="swatch hatched" aria-hidden="true" /> too little data for a label in that session (
          {track === 'face' ? 'too few frames with a face' : 'too little speech'})
        </p>
      )}
      {labels.length > 0 && (
        <ul className="legend compact" aria-label={`Colours in the ${track} chart`}>
          {labels.map((l) => (
            <li key={l}>
              <i className="swatch" style={{ background: LABEL_COLORS[l] }} aria-hidden="true" /> {l}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** DASS-21 scores (×2) per subscale over time with the severity bands shaded; straight lines join administrations. */
export function DassTrend({ trends, domain }: { trends: Trends; domain: [number, number] }) {
  return (
    <div className="dass-trend" data-testid="trend-dass">
      <h3>DASS-21 scores (×2) with severity bands</h3>
      {trends.dass.length === 0 ? (
        <p className="muted">No DASS-21 entered yet for this client.</p>
      ) : (
        <div className="dass-charts">
          {SUBSCALES.map((sub) => (
            <DassChart key={sub} trends={trends} sub={sub} domain={domain} />
          ))}
        </div>
      )}
    </div>
  );
}

function DassChart({ trends, sub, domain }: { trends: Trends; sub: Subscale; domain: [number, number] }) {
  const { ref, width } = useWidth<HTMLDivElement>(300);
  const H = 130;
  const top = 6;
  const x = scaleX(domain, width);
  const Y = (v: number) => top + H - (v / MAX_SUBSCALE_SCORE) * H;
  const bounds = [0, ...BAND_LOWER_BOUNDS[sub], MAX_SUBSCALE_SCORE];
  const points = trends.dass.filter((a) => a[sub].score !== null).map((a) => ({ x: x(dateMs(a.administeredAt)), y: Y(a[sub].score!), a }));
  return (
    <div className="chart" ref={ref}>
      <h4>{sub}</h4>
      <svg
        width={width}
        height={H + top + 30}
        role="img"
        aria-label={`${sub} scores over time: ${points.map((p) => `${p.a.administeredAt} ${p.a[sub].score}`).join(', ')}`}
      >
        {BANDS.map((band, i) => (
          <g key={band} className="dass-band">
            <rect x={LEFT} width={width - LEFT - RIGHT} y={Y(bounds[i + 1])} height={Y(bounds[i]) - Y(bounds[i + 1])} fill={BAND_FILL[i]} />
            <text x={width - RIGHT - 3} y={Y(bounds[i + 1]) + 10} textAnchor="end" fontSize={9.5} fill="#4a545e">
              {band}
            </text>
          </g>
        ))}
        {[0, 14, 28, 42].map((v) => (
          <text key={v} x={LEFT - 6} y={Y(v) + 4} textAnchor="end" fontSize={11} fill="#333">
            {v}
          </text>
        ))}
        <polyline
          className="dass-line"
          points={points.map((p) => `${p.x},${p.y}`).join(' ')}
          fill="none"
          stroke={SUBSCALE_COLORS[sub]}
          strokeWidth={2}
        />
        {points.map((p) => (
          <circle key={p.a.id} cx={p.x} cy={p.y} r={4} fill={SUBSCALE_COLORS[sub]} stroke="#fff">
            <title>{`${formatDate(p.a.administeredAt)}: ${sub} ${p.a[sub].score} (${p.a[sub].band})`}</title>
          </circle>
        ))}
        <DateAxis domain={domain} x={x} y={top + H} width={width} />
      </svg>
    </div>
  );
}
