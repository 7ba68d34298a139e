import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ApiOutput } from '../../../electron/contract/api';
import { ALL_LABELS, LABEL_COLORS, pct } from '../labels';

type Trends = ApiOutput<'trends.get'>;

/** Severity bands on the ×2 scores (DASS manual), for shading. */
const BANDS: Record<string, Array<[number, number, string]>> = {
  depression: [[0, 10, 'normal'], [10, 14, 'mild'], [14, 21, 'moderate'], [21, 28, 'severe'], [28, 43, 'extremely severe']],
  anxiety: [[0, 8, 'normal'], [8, 10, 'mild'], [10, 15, 'moderate'], [15, 20, 'severe'], [20, 43, 'extremely severe']],
  stress: [[0, 15, 'normal'], [15, 19, 'mild'], [19, 26, 'moderate'], [26, 34, 'severe'], [34, 43, 'extremely severe']],
};
const BAND_FILL = ['#e8f5e9', '#fffde7', '#fff3e0', '#fbe9e7', '#fce4ec'];
const SUBSCALE_COLORS: Record<string, string> = { depression: '#3969ac', anxiety: '#e73f74', stress: '#e68310' };

export function EmotionTrend({ trends, track }: { trends: Trends; track: 'face' | 'voice' }) {
  const data = trends.sessions.map((s) => ({ name: `${s.date.slice(0, 10)} #${s.sessionId}`, ...s[track] }));
  const labels = ALL_LABELS.filter((l) => data.some((d) => ((d as Record<string, unknown>)[l] as number | undefined) ?? 0));
  return (
    <div className="chart" data-testid={`trend-${track}`}>
      <h3>{track === 'face' ? 'Facial' : 'Vocal'} expression estimates per session (share of frames or windows)</h3>
      {data.length === 0 ? (
        <p className="muted">No analysed sessions yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }} maxBarSize={60}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis domain={[0, 1]} tickFormatter={(v: number) => pct(v)} width={48} />
            <Tooltip formatter={(v) => pct(Number(v))} />
            <Legend />
            {labels.map((l) => (
              <Bar key={l} dataKey={l} stackId="1" fill={LABEL_COLORS[l]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}

export function DassTrend({ trends }: { trends: Trends }) {
  const data = trends.dass.map((a) => ({ date: a.administeredAt.slice(0, 10), depression: a.depression.score, anxiety: a.anxiety.score, stress: a.stress.score }));
  return (
    <div className="dass-trend" data-testid="trend-dass">
      <h3>DASS-21 scores (×2) with severity bands</h3>
      {data.length === 0 ? (
        <p className="muted">No DASS-21 administrations yet.</p>
      ) : (
        <div className="dass-charts">
          {(['depression', 'anxiety', 'stress'] as const).map((sub) => (
            <div key={sub} className="chart">
              <h4>{sub}</h4>
              <ResponsiveContainer width="100%" height={180}>
                <LineChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
                  {BANDS[sub].map(([lo, hi, name], i) => (
                    <ReferenceArea key={name} y1={lo} y2={hi} fill={BAND_FILL[i]} fillOpacity={1} ifOverflow="hidden" label={{ value: name, position: 'insideRight', fontSize: 10, fill: '#777' }} />
                  ))}
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis domain={[0, 42]} width={30} />
                  <Tooltip />
                  <Line type="monotone" dataKey={sub} stroke={SUBSCALE_COLORS[sub]} strokeWidth={2} connectNulls={false} isAnimationActive={false} dot={{ r: 4 }} />
                </LineChart>
              </ResponsiveContainer>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
