import type { ApiOutput } from '../../../../electron/contract/api';
import { onlyParticipant, participantKind, participantName, type Participant } from '../participants';
import { BarRects, faceIntervals, voiceIntervals } from './estimate-lanes';
import { intervalAt, layoutMarks, type Interval } from './lane-marks';
import type { Lane } from './Lanes';
import { clockLabel, xOf } from './time-view';

type Detail = ApiOutput<'sessions.get'>;

const pct = (x: number) => `${Math.round(x * 100)}%`;
const TURNS_PX = 7;

/** A participant's estimates over time: their face frames, or their voice windows when they have no face. */
function estimates(d: Detail, p: Participant): Interval[] {
  const own = onlyParticipant(d, p.id);
  return p.face ? faceIntervals(own) : voiceIntervals(own);
}

/**
 * One lane per participant: their face thumbnail and name in the gutter, their expression estimates (face, or voice for
 * a voice-only participant) as bars whose height is the confidence, and under them a strip of their speaking turns.
 */
export function participantLane(d: Detail, p: Participant): Lane {
  const items = estimates(d, p);
  const turns = d.speech.filter((t) => t.participant === p.id);
  const speech = turns.reduce((s, t) => s + t.end - t.start, 0);
  const what = p.face ? 'face' : 'voice';
  return {
    id: `participant-${p.id}`,
    // The number on the first line, then the name and what they are, a line each (cut short, whole on hover).
    title: `P${p.id}${p.isClient ? ' · client' : ''}`,
    detail: `${p.name ? `${p.name}\n` : ''}${p.face ? 'face' : ''}${p.face && p.voice ? ' + ' : ''}${p.voice ? 'voice' : ''}${!p.face && !p.voice ? '—' : ''}`,
    thumbnail: p.thumbnail ?? undefined,
    height: 54,
    percentScale: false,
    description: `${participantName(p)}, ${participantKind(p)}: ${what} expression estimates per ${p.face ? 'frame' : 'window'} (bar height is confidence), and speaking turns (${turns.length}, ${Math.round(speech)} s) as a strip along the bottom.`,
    render: ({ view, width, height }) => {
      const inner = height - TURNS_PX - 3;
      const marks = layoutMarks(items, view, width);
      return (
        <svg className="lane-marks" width="100%" height={height} aria-hidden="true">
          <BarRects marks={marks} inner={inner} bottom={inner + 1} cls="participant-mark" />
          <rect x={0} y={height - TURNS_PX} width={width} height={TURNS_PX} fill="#eef0f3" />
          {turns
            .filter((t) => t.end > view.start && t.start < view.end)
            .map((t, i) => {
              const x0 = Math.max(0, xOf(t.start, view, width));
              const x1 = Math.min(width, xOf(t.end, view, width));
              return (
                <rect
                  key={`t${i}`}
                  className="speaking-turn"
                  x={x0}
                  width={Math.max(1, x1 - x0)}
                  y={height - TURNS_PX}
                  height={TURNS_PX}
                  fill="#27323d"
                />
              );
            })}
        </svg>
      );
    },
    hover: (t) => {
      const turn = turns.find((x) => x.start <= t && t < x.end);
      const i = intervalAt(items, t, 0);
      const parts = [participantName(p)];
      if (i) parts.push(`${what} ${i.label ?? 'uncertain'} (${pct(i.confidence)})`);
      if (turn) parts.push(`speaking ${clockLabel(turn.start, 0.5)}–${clockLabel(turn.end, 0.5)}`);
      return parts.length > 1 ? parts.join(' · ') : null;
    },
  };
}
