import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { exerciseById } from '../../../electron/contract/shared/selfcare/catalog';
import type { ApiOutput } from '../../../electron/contract/api';

type Run = ApiOutput<'selfcare.progress'>['runs'][number];

/** Local date and time of a run, as the clinician reads it ("2026-12-01 14:05"). */
export const runTime = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** Tension before and after each rated run (0–10), in time order; a skipped rating is a gap. */
export function SelfCareChart({ runs }: { runs: Run[] }) {
  const data = runs
    .filter((r) => r.tensionBefore !== null || r.tensionAfter !== null)
    .map((r, i) => ({
      key: i,
      name: runTime(r.startedAt),
      exercise: `${exerciseById(r.exercise).title}, level ${r.level}`,
      before: r.tensionBefore,
      after: r.tensionAfter,
    }));
  return (
    <div className="chart" data-testid="selfcare-chart">
      <h3>Tension before and after each exercise (the client's own rating, 0–10)</h3>
      {data.length === 0 ? (
        <p className="muted">No rated exercises yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="key" interval="preserveStartEnd" tick={{ fontSize: 12 }} tickFormatter={(k: number) => data[k]?.name ?? ''} />
            <YAxis domain={[0, 10]} ticks={[0, 2, 4, 6, 8, 10]} width={30} />
            <Tooltip labelFormatter={(_, payload) => `${payload?.[0]?.payload?.name ?? ''} — ${payload?.[0]?.payload?.exercise ?? ''}`} />
            <Legend itemSorter={null} />
            <Line
              type="linear"
              dataKey="before"
              name="Before"
              stroke="#e68310"
              strokeWidth={2}
              dot={{ r: 5 }}
              connectNulls={false}
              isAnimationActive={false}
            />
            <Line
              type="linear"
              dataKey="after"
              name="After"
              stroke="#3969ac"
              strokeWidth={2}
              dot={{ r: 5 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
