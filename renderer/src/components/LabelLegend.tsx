import { ALL_LABELS, LABEL_COLORS } from '../labels';

/** The label colours, plus the hatched mark for uncertain estimates (never a label colour). */
export function LabelLegend({ labels = ALL_LABELS }: { labels?: readonly string[] }) {
  return (
    <ul className="legend" aria-label="Colours of the labels">
      {labels.map((label) => (
        <li key={label}>
          <i className="swatch" style={{ background: LABEL_COLORS[label] }} aria-hidden="true" /> {label}
        </li>
      ))}
      <li>
        <i className="swatch uncertain" aria-hidden="true" /> uncertain (low confidence, or a sound unlike the voice model's training audio)
      </li>
    </ul>
  );
}
