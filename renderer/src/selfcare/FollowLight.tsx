import { useEffect, useRef, useState } from 'react';
import type { FollowLightLevel } from '../../../electron/contract/shared/selfcare/catalog';
import { lightPosition, onLight } from '../../../electron/contract/shared/selfcare/light-path';
import { clock } from './format';

/** Arrow keys move the ring this far per second, as a share of the play area's smaller side. */
const KEY_SPEED = 0.35;
/** Longest frame gap counted on the light (a hidden window's paused frames do not fill the meter). */
const MAX_FRAME_S = 0.1;

interface Frame {
  t: number;
  onS: number;
  on: boolean;
  light: { x: number; y: number };
  ring: { x: number; y: number } | null;
}

/**
 * "Follow the light": keep the ring (mouse, finger or arrow keys) on a slowly drifting light; the meter fills while on
 * it and never drains. Completes when the meter is full; the score is the share of the time spent on the light.
 */
export function FollowLight({ level, onEnd }: { level: FollowLightLevel; onEnd: (lengthS: number, completed: boolean, score: number) => void }) {
  const area = useRef<HTMLDivElement>(null);
  const ring = useRef<{ x: number; y: number } | null>(null);
  const keys = useRef(new Set<string>());
  const ended = useRef(false);
  const [frame, setFrame] = useState<Frame>({ t: 0, onS: 0, on: false, light: lightPosition(level, 0), ring: null });
  const latest = useRef(frame);
  latest.current = frame;

  useEffect(() => {
    const start = performance.now();
    let last = start;
    let onS = 0;
    let raf = 0;
    const tick = () => {
      const now = performance.now();
      const dt = (now - last) / 1000;
      last = now;
      const t = (now - start) / 1000;
      const box = area.current?.getBoundingClientRect();
      const w = box?.width ?? 1;
      const h = box?.height ?? 1;
      const side = Math.min(w, h);
      if (keys.current.size > 0) {
        const r = ring.current ?? { x: w / 2, y: h / 2 };
        const step = KEY_SPEED * side * Math.min(dt, MAX_FRAME_S);
        const dx = (keys.current.has('ArrowRight') ? 1 : 0) - (keys.current.has('ArrowLeft') ? 1 : 0);
        const dy = (keys.current.has('ArrowDown') ? 1 : 0) - (keys.current.has('ArrowUp') ? 1 : 0);
        ring.current = { x: Math.min(w, Math.max(0, r.x + dx * step)), y: Math.min(h, Math.max(0, r.y + dy * step)) };
      }
      const light = lightPosition(level, t);
      const on = ring.current !== null && onLight(ring.current, { x: light.x * w, y: light.y * h }, level.radius, side);
      if (on) onS += Math.min(dt, MAX_FRAME_S);
      setFrame({ t, onS, on, light, ring: ring.current && { ...ring.current } });
      if (onS >= level.goalS && !ended.current) {
        ended.current = true;
        onEnd(t, true, Math.min(1, onS / t));
        return;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [level]);

  const place = (e: React.PointerEvent) => {
    const box = area.current!.getBoundingClientRect();
    ring.current = { x: e.clientX - box.left, y: e.clientY - box.top };
  };
  const onKey = (down: boolean) => (e: React.KeyboardEvent) => {
    if (!e.key.startsWith('Arrow')) return;
    e.preventDefault();
    if (down) keys.current.add(e.key);
    else keys.current.delete(e.key);
  };
  const stop = () => {
    if (ended.current) return;
    ended.current = true;
    const f = latest.current;
    onEnd(f.t, false, f.t > 0 ? Math.min(1, f.onS / f.t) : 0);
  };

  const box = area.current?.getBoundingClientRect();
  const w = box?.width ?? 800;
  const h = box?.height ?? 480;
  const side = Math.min(w, h);
  const fill = Math.min(1, frame.onS / level.goalS);
  return (
    <div className="sc-exercise sc-game" data-testid="follow-light">
      <div
        className="sc-meter"
        role="progressbar"
        aria-label="Meter: time on the light"
        aria-valuemin={0}
        aria-valuemax={level.goalS}
        aria-valuenow={Math.floor(frame.onS)}
      >
        <div className="sc-meter-fill" style={{ width: `${fill * 100}%` }} />
        <span>
          {Math.floor(frame.onS)} of {level.goalS} s on the light
        </span>
      </div>
      <div
        ref={area}
        className={frame.on ? 'sc-play on' : 'sc-play'}
        tabIndex={0}
        role="application"
        aria-label="Play area: move the ring onto the light with the mouse, a finger, or the arrow keys"
        onPointerMove={place}
        onPointerDown={(e) => {
          area.current?.focus();
          place(e);
        }}
        onKeyDown={onKey(true)}
        onKeyUp={onKey(false)}
        onBlur={() => keys.current.clear()}
      >
        <svg width="100%" height="100%" aria-hidden="true">
          <circle className="sc-light" data-testid="light" cx={frame.light.x * w} cy={frame.light.y * h} r={level.radius * side} />
          {frame.ring && <circle className="sc-ring" cx={frame.ring.x} cy={frame.ring.y} r={level.radius * side * 0.55} />}
        </svg>
        {!frame.ring && <p className="sc-play-hint">Move the mouse or your finger here, or press an arrow key, to bring the ring to the light.</p>}
      </div>
      <p className="sc-muted">
        {frame.on ? 'On the light — lovely and steady.' : 'Bring the ring back to the light whenever you are ready.'} · {clock(frame.t)} so far
      </p>
      <button type="button" className="sc-stop" onClick={stop}>
        Stop here
      </button>
    </div>
  );
}
