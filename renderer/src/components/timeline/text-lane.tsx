import type { TranscriptData } from '../transcript/useTranscript';
import { estimateLane } from './estimate-lanes';
import { intervalAt, type Interval } from './lane-marks';
import type { Lane } from './Lanes';
import { clockLabel } from './time-view';

const pct = (x: number) => `${Math.round(x * 100)}%`;
const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The text lane: one bar per transcript line over its time, coloured by the text model's estimate of its words (hatched
 * where it was uncertain), as tall as its confidence. Lines the model could not read are left out.
 */
export function textLane(t: TranscriptData): Lane {
  const items: Array<Interval & { cue: TranscriptData['cues'][number] }> = t.cues
    .filter((c) => c.confidence !== null)
    .map((c) => ({ start: c.start, end: Math.max(c.end, c.start + 0.2), label: c.label, confidence: c.confidence!, cue: c }));
  const lane = estimateLane({
    id: 'text',
    title: 'Text',
    detail: `${t.cues.length} lines`,
    height: 30,
    items,
    description: `Text estimates per transcript line (${t.cues.length} lines): the words alone, by the text model; bar height is its confidence, colour the label; hatched lines are uncertain. Not part of the fused estimate.`,
    hover: (time) => {
      const i = intervalAt(items, time, 0);
      if (!i) return null;
      return `Text · ${i.cue.speaker ?? 'line'} · ${i.label ?? 'uncertain'} · ${pct(i.confidence)} · ${clockLabel(i.cue.start, 0.5)} “${short(i.cue.text)}”`;
    },
  });
  return lane;
}
