import type { ApiOutput } from '../../../../electron/contract/api';
import { LABEL_COLORS } from '../../labels';
import { fusedTrack } from '../fusedTrack';
import { intervalAt, layoutMarks, type Interval, type Mark } from './lane-marks';
import type { Lane } from './Lanes';
import { clockLabel } from './time-view';

type Detail = ApiOutput<'sessions.get'>;

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Bars whose height is the confidence, coloured by label; uncertain estimates hatched (never a label colour). `bottom`
 * is the y of their base, `inner` the height of a 100 % bar.
 */
export function BarRects({ marks, inner, bottom, cls }: { marks: Mark[]; inner: number; bottom: number; cls: string }) {
  return (
    <>
      {marks.map((m, i) => {
        const h = Math.max(2, m.confidence * inner);
        return (
          <rect
            key={i}
            className={`${cls} ${m.label ? `label-${m.label}` : 'uncertain'}`}
            x={m.x}
            width={Math.max(1, m.width - (m.width > 3 ? 1 : 0))}
            y={bottom - h}
            height={h}
            fill={m.label ? (LABEL_COLORS[m.label] ?? '#000') : 'url(#hatch-uncertain)'}
            stroke={m.width > 3 ? '#33333380' : 'none'}
            strokeWidth={0.5}
          />
        );
      })}
    </>
  );
}

function Bars({ marks, height, cls }: { marks: Mark[]; height: number; cls: string }) {
  return (
    <svg className="lane-marks" width="100%" height={height} aria-hidden="true">
      <BarRects marks={marks} inner={height - 2} bottom={height} cls={cls} />
    </svg>
  );
}

function describe(kind: string, items: Interval[], t: number, within: number, span: (i: Interval) => string): string | null {
  const i = intervalAt(items, t, within);
  if (!i) return null;
  return `${kind} · ${i.label ?? 'uncertain'} · ${pct(i.confidence)} confidence · ${span(i)}`;
}

/** A lane of confidence bars coloured by label (face, voice, fused, text). */
export function estimateLane(o: {
  id: string;
  title: string;
  detail?: string;
  height: number;
  items: Interval[];
  description: string;
  hover: (t: number) => string | null;
}): Lane {
  return {
    id: o.id,
    title: o.title,
    detail: o.detail,
    height: o.height,
    percentScale: true,
    description: o.description,
    render: ({ view, width, height }) => <Bars marks={layoutMarks(o.items, view, width)} height={height} cls={`${o.id}-mark`} />,
    hover: o.hover,
  };
}

/** Seconds between analysed frames (from the frame times; 0.5 at the default 2 fps). */
export function frameStep(d: Detail): number {
  if (d.frames.length < 2) return 0.5;
  const diffs = d.frames
    .slice(1, 50)
    .map((f, i) => f.t - d.frames[i].t)
    .sort((a, b) => a - b);
  return diffs[Math.floor(diffs.length / 2)] || 0.5;
}

/** Seconds between voice windows' starts (their hop). */
export function windowHop(d: Detail): number {
  if (d.windows.length < 2) return d.windows[0] ? d.windows[0].end - d.windows[0].start : 1;
  const diffs = d.windows
    .slice(1, 50)
    .map((w, i) => w.start - d.windows[i].start)
    .filter((x) => x > 0)
    .sort((a, b) => a - b);
  return diffs[Math.floor(diffs.length / 2)] || 1;
}

/** One interval per analysed frame with a face, centred on the frame's time. */
export function faceIntervals(d: Detail): Interval[] {
  const step = frameStep(d);
  return d.frames
    .filter((f) => f.face && f.confidence !== null)
    .map((f) => ({ start: f.t - step / 2, end: f.t + step / 2, label: f.label, confidence: f.confidence! }));
}

/**
 * One interval per voice window with speech. Each window owns the stretch around its centre up to halfway to its
 * neighbours' centres (and at most half a hop): the stretches never overlap, even where the last window of a recording
 * is moved back to end with it.
 */
export function voiceIntervals(d: Detail): Array<Interval & { window: Detail['windows'][number] }> {
  const hop = windowHop(d);
  const windows = d.windows.filter((w) => w.voiced && w.confidence !== null);
  const centres = windows.map((w) => (w.start + w.end) / 2);
  return windows.map((w, i) => {
    const c = centres[i];
    const start = Math.max(w.start, c - hop / 2, i > 0 ? (centres[i - 1] + c) / 2 : -Infinity);
    const end = Math.min(w.end, c + hop / 2, i + 1 < windows.length ? (c + centres[i + 1]) / 2 : Infinity);
    return { start, end: Math.max(start, end), label: w.label, confidence: w.confidence!, window: w };
  });
}

/** The face lane: one bar per analysed frame with a face, at the frame's time. */
export function faceLane(d: Detail): Lane {
  const step = frameStep(d);
  const items = faceIntervals(d);
  const c = d.coverage.face;
  return estimateLane({
    id: 'face',
    title: 'Face',
    detail: c.enough ? `face in ${pct(c.share ?? 0)} of frames` : c.framesWithFace ? 'too little data' : 'no face',
    height: 52,
    items,
    description: `Facial expression estimates per frame: bar height is the model's confidence, colour the label; hatched bars are uncertain. A face in ${c.framesWithFace} of ${c.framesAnalysed} frames.`,
    hover: (t) => describe('Face', items, t, step, (i) => `at ${clockLabel((i.start + i.end) / 2, 0.5)}`),
  });
}

/**
 * The voice lane. Voice windows overlap (each is several seconds long, one starts every hop); drawing them on top of
 * each other blended their colours. Each window is drawn over its own central hop instead, so every bar is exactly one
 * window's estimate; the tooltip names the whole window.
 */
export function voiceLane(d: Detail): Lane {
  const hop = windowHop(d);
  const items = voiceIntervals(d);
  const c = d.coverage.voice;
  return estimateLane({
    id: 'voice',
    title: 'Voice',
    detail: c.enough ? `speech ${pct(c.share ?? 0)} of the time` : c.speechS > 0 ? 'too little data' : 'no speech',
    height: 44,
    items,
    description: `Vocal expression estimates per window with speech: each bar is one window drawn over its central ${hop.toFixed(1)} s; height is confidence; hatched bars are uncertain (low confidence, or audio unlike what the model was trained on) and take no part in the vote or the fused estimate.`,
    hover: (t) => {
      const i = intervalAt(items, t, 0);
      if (!i) return null;
      // An uncertain window: its input unlike the model's training audio (a far input distance), or low confidence.
      const unlike = i.label === null && (i.window.inputDistance ?? 0) > (d.summary.voice.inputCheckThreshold ?? Infinity);
      const what = i.label ?? (unlike ? 'uncertain (unlike the audio the model was trained on)' : 'uncertain (low confidence)');
      return `Voice · ${what} · ${pct(i.confidence)} confidence · window ${clockLabel(i.window.start, 0.5)}–${clockLabel(i.window.end, 0.5)}`;
    },
  });
}

/** The fused lane: the fused estimate at each frame time, over the tracks with enough data. */
export function fusedLane(d: Detail): Lane {
  const step = frameStep(d);
  const items: Interval[] = fusedTrack(d)
    .filter((p) => p.label !== null)
    .map((p) => ({ start: p.t - step / 2, end: p.t + step / 2, label: p.label, confidence: p.confidence ?? 0 }));
  const tracks = d.coverage.fused.tracks;
  return estimateLane({
    id: 'fused',
    title: 'Fused',
    detail: tracks.length === 2 ? 'face + voice' : tracks.length === 1 ? `${tracks[0]} only` : 'too little data',
    height: 30,
    items,
    description: 'Fused estimate of face and voice at each frame time; height is the fused probability.',
    hover: (t) => describe('Fused', items, t, step, (i) => `at ${clockLabel((i.start + i.end) / 2, 0.5)}`),
  });
}
