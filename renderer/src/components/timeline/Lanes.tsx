import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { clampView, clockLabel, scrollView, ticks, timeAt, xOf, zoomView, type TimeView } from './time-view';

/**
 * One row of the timeline. Every lane shares the same time axis (the view), the same left gutter and the same width,
 * so a time is at the same x in every lane. A lane draws its own content for the visible window; clicking anywhere on
 * it seeks there. Later lanes (one per participant: face, voice, speaking turns; a transcript) are added as more
 * entries of this list, with nothing else to change.
 */
export interface Lane {
  id: string;
  /** Short name in the gutter (e.g. "Face"). */
  title: string;
  /** A second line in the gutter (coverage, "too little data"). */
  detail?: string;
  /** A small picture in the gutter (a participant's face), as a URL. */
  thumbnail?: string;
  height: number;
  /** Draw a 0–100 % scale in the gutter (lanes whose bar height is a confidence). */
  percentScale?: boolean;
  /** Described to assistive technology (what the lane shows). */
  description: string;
  /** The lane holds controls (annotation segments): a labelled group rather than a picture. */
  interactive?: boolean;
  render(ctx: { view: TimeView; width: number; height: number }): ReactNode;
  /** Tooltip text for time t (label, time, confidence), or null. */
  hover?(t: number): string | null;
}

export const GUTTER_PX = 128;

/** A lane's drawing, redrawn only when the lane, the view or the width changes (not on every playback tick). */
const LaneContent = memo(function LaneContent({ lane, view, width }: { lane: Lane; view: TimeView; width: number }) {
  return <>{lane.render({ view, width, height: lane.height })}</>;
});

interface Props {
  lanes: Lane[];
  durationS: number;
  view: TimeView;
  onView: (v: TimeView) => void;
  currentTime: number;
  onSeek: (t: number) => void;
}

/** The lanes, their shared time axis, the playback cursor, wheel zoom (Shift+wheel scrolls) and the hover tooltip. */
export function Lanes({ lanes, durationS, view, onView, currentTime, onSeek }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(100, el.clientWidth - GUTTER_PX));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Wheel: zoom around the pointer; Shift+wheel or a sideways swipe scrolls. Non-passive, to keep the page still.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const r = el.getBoundingClientRect();
      const x = e.clientX - r.left - GUTTER_PX;
      if (x < 0) return;
      e.preventDefault();
      const v = viewRef.current;
      const sideways = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
      if (sideways) onView(scrollView(v, ((e.shiftKey ? e.deltaY : e.deltaX) / width) * (v.end - v.start), durationS));
      else onView(zoomView(v, Math.exp(e.deltaY * 0.0015), timeAt(x, v, width), durationS));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [width, durationS, onView]);

  const timeFromEvent = useCallback(
    (e: React.MouseEvent<HTMLElement>) => {
      const r = e.currentTarget.getBoundingClientRect();
      return Math.min(durationS, Math.max(0, timeAt(e.clientX - r.left, viewRef.current, r.width)));
    },
    [durationS],
  );

  const { step, times } = ticks(view, width);
  const cursorX = xOf(currentTime, view, width);
  const grid = (h: number) => (
    <svg className="lane-grid" width={width} height={h} aria-hidden="true">
      {times.map((t) => (
        <line key={t} x1={xOf(t, view, width)} x2={xOf(t, view, width)} y1={0} y2={h} />
      ))}
    </svg>
  );

  return (
    <div className="lanes" ref={box} onMouseLeave={() => setTip(null)}>
      <svg width={0} height={0} className="defs" aria-hidden="true">
        <defs>
          <pattern id="hatch-uncertain" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="5" height="5" fill="#ffffff" />
            <line x1="0" y1="0" x2="0" y2="5" stroke="#5c6570" strokeWidth="2" />
          </pattern>
        </defs>
      </svg>
      <div className="lane-row axis-row">
        <div className="gutter" />
        <div className="lane-body axis" style={{ width }} onClick={(e) => onSeek(timeFromEvent(e))} data-testid="time-axis">
          {times.map((t) => {
            const x = xOf(t, view, width);
            // Labels at the very edges are aligned inwards so they are not cut off.
            const shift = x < 24 ? '0' : x > width - 24 ? '-100%' : '-50%';
            return (
              <span key={t} className="tick" style={{ left: x, transform: `translateX(${shift})` }}>
                {clockLabel(t, step)}
              </span>
            );
          })}
        </div>
      </div>
      {lanes.map((lane) => (
        <div key={lane.id} className="lane-row" data-testid={`lane-${lane.id}`}>
          <div
            className={`gutter${lane.thumbnail ? ' with-thumbnail' : ''}${lane.percentScale ? '' : ' no-scale'}`}
            style={{ height: lane.height }}
            title={lane.detail ? `${lane.title}\n${lane.detail}` : lane.title}
          >
            {lane.thumbnail && <img className="lane-thumbnail" src={lane.thumbnail} alt="" />}
            <div className="lane-title">{lane.title}</div>
            {lane.detail && <div className="lane-detail">{lane.detail}</div>}
            {lane.percentScale && (
              <div className="scale" aria-hidden="true">
                <span style={{ top: 0 }}>100%</span>
                {lane.height >= 44 && <span style={{ top: lane.height / 2 - 7 }}>50%</span>}
                <span style={{ top: lane.height - 14 }}>0%</span>
              </div>
            )}
          </div>
          <div
            className="lane-body"
            style={{ width, height: lane.height }}
            role={lane.interactive ? 'group' : 'img'}
            aria-label={lane.description}
            onClick={(e) => onSeek(timeFromEvent(e))}
            onMouseMove={(e) => {
              const text = lane.hover?.(timeFromEvent(e)) ?? null;
              const r = box.current!.getBoundingClientRect();
              setTip(text ? { x: e.clientX - r.left, y: e.clientY - r.top, text } : null);
            }}
          >
            {grid(lane.height)}
            <LaneContent lane={lane} view={view} width={width} />
          </div>
        </div>
      ))}
      {cursorX >= 0 && cursorX <= width && <div className="cursor" style={{ left: GUTTER_PX + cursorX }} aria-hidden="true" />}
      {tip && (
        <div className="lane-tip" role="tooltip" style={{ left: Math.min(tip.x + 12, GUTTER_PX + width - 220), top: tip.y + 14 }}>
          {tip.text}
        </div>
      )}
    </div>
  );
}

/** The whole recording in one strip, with the visible window: click or drag to move the window. */
export function Overview({
  durationS,
  view,
  onView,
  currentTime,
  controls,
}: {
  durationS: number;
  view: TimeView;
  onView: (v: TimeView) => void;
  currentTime: number;
  controls: string;
}) {
  const span = view.end - view.start;
  const moveTo = (e: React.PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const center = ((e.clientX - r.left) / r.width) * durationS;
    onView(clampView({ start: center - span / 2, end: center + span / 2 }, durationS));
  };
  const pct = (t: number) => `${(t / Math.max(durationS, 1e-9)) * 100}%`;
  return (
    <div className="overview-row">
      <div className="gutter small muted">Whole recording</div>
      <div
        className="overview"
        role="scrollbar"
        aria-controls={controls}
        aria-orientation="horizontal"
        aria-label="Visible part of the recording"
        aria-valuemin={0}
        aria-valuemax={Math.round(durationS)}
        aria-valuenow={Math.round(view.start)}
        aria-valuetext={`${clockLabel(view.start)} to ${clockLabel(view.end)} of ${clockLabel(durationS)}`}
        tabIndex={-1}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          moveTo(e);
        }}
        onPointerMove={(e) => e.buttons === 1 && moveTo(e)}
      >
        <div className="overview-window" style={{ left: pct(view.start), width: pct(span) }} />
        <div className="overview-cursor" style={{ left: pct(currentTime) }} />
      </div>
    </div>
  );
}
