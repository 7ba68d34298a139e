import { EafFormatError, readEaf } from '../../export/eaf.js';
import { XmlError } from '../../export/xml.js';
import { TranscriptError } from './cue.js';
import { collapseSpace, type TextCue } from './speaker-text.js';
import type { ParsedCues } from './webvtt.js';

export interface EafTranscriptOptions {
  /** Tier ids to read; default: every top-level time-aligned tier without a controlled vocabulary (label
   *  tiers such as this app's own emotion tiers use one; transcription tiers do not). */
  tiers?: readonly string[];
}

/**
 * ELAN tiers as a transcript (through export/eaf.ts readEaf): one cue per annotation, the tier's PARTICIPANT
 * (or its id) as the speaker.
 */
export function parseEafTranscript(text: string, file: string, opts: EafTranscriptOptions = {}): ParsedCues {
  let doc: ReturnType<typeof readEaf>;
  try {
    doc = readEaf(text);
  } catch (err) {
    if (err instanceof XmlError) {
      const m = /^XML line (\d+): (.*)$/s.exec(err.message);
      throw new TranscriptError(file, m ? Number(m[1]) : null, m ? `not well-formed XML: ${m[2]}` : err.message);
    }
    if (err instanceof EafFormatError) throw new TranscriptError(file, null, err.message);
    throw err;
  }
  const warnings = [...doc.warnings];
  let tiers = doc.tiers;
  if (opts.tiers) {
    const missing = opts.tiers.filter((id) => !tiers.some((t) => t.id === id));
    if (missing.length)
      throw new TranscriptError(file, null, `no tier ${missing.map((m) => `"${m}"`).join(', ')} (tiers: ${tiers.map((t) => t.id).join(', ')})`);
    tiers = tiers.filter((t) => opts.tiers!.includes(t.id));
  } else {
    const labelTiers = tiers.filter((t) => t.vocabulary);
    if (labelTiers.length)
      warnings.push(
        `tier${labelTiers.length > 1 ? 's' : ''} ${labelTiers.map((t) => `"${t.id}"`).join(', ')} with a controlled vocabulary (labels, not words) ${labelTiers.length > 1 ? 'were' : 'was'} left out`,
      );
    tiers = tiers.filter((t) => !t.vocabulary);
  }
  const cues: TextCue[] = [];
  for (const tier of tiers)
    for (const span of tier.spans) {
      const text = collapseSpace(span.label);
      if (text)
        cues.push({ startS: span.start, endS: span.end, speaker: tier.participant?.trim() || tier.id, text, line: null, where: `tier "${tier.id}"` });
    }
  return { cues, warnings };
}
