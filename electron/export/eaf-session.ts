import { createHash } from 'node:crypto';
import { snapPoints, snapToPoints } from '../analysis/media/frame-times.js';
import { ESTIMATE_NOTE } from '../analysis/result.js';
import {
  createTrackWithSegments,
  DEFAULT_SCHEME_NAME,
  ensureLabelScheme,
  findTrack,
  getFrameTimes,
  getLabelScheme,
  isModelTrackKind,
  listLabelSchemes,
  listSegments,
  listTracks,
  modelSpans,
  modelTrackNames,
  parseModelTrack,
  type AnnotationTrack,
  type LabelScheme,
} from '../store/annotations-repo.js';
import type { Db } from '../store/db.js';
import { listParticipants, speechTurns } from '../store/participants-repo.js';
import { getSession } from '../store/sessions-repo.js';
import { readEaf, writeEaf, type EafTier, type ReadTier } from './eaf.js';
import { clientCodeOf } from './targets.js';
import { TRANSCRIPT_ANNOTATOR, transcriptTiers } from './transcript-export.js';

/** Tiers of who speaks when: `speech-p1` …, one per participant with speech (ELAN's PARTICIPANT names them). */
const SPEECH_TIER = /^speech-p\d+$/;

/**
 * One session as an ELAN document: a tier per annotation track (TIER_ID and ANNOTATOR = the annotator,
 * the track's label scheme as a controlled vocabulary) and a tier per model estimate (model-face,
 * model-voice, model-fused; with several participants, each participant's: model-face-p2 …, its PARTICIPANT the
 * participant's name or "P2"), each participant's speaking turns (speech-p2 …), linked to the recording; and the
 * transcript, when there is one, as a tier per speaker.
 */
export function sessionToEaf(db: Db, sessionId: number, { includeModel = true, date }: { includeModel?: boolean; date?: string } = {}): string {
  const session = getSession(db, sessionId);
  if (!session) throw new Error(`no session with id ${sessionId}`);
  const tracks = listTracks(db, sessionId);
  const tiers: EafTier[] = tracks
    .filter((t) => includeModel || t.source !== 'model')
    .map((t) => ({
      id: t.annotator,
      annotator: t.annotator,
      vocabulary: { id: t.scheme.name, labels: t.scheme.labels },
      spans: listSegments(db, t.id),
    }));
  const eight = getLabelScheme(db, DEFAULT_SCHEME_NAME)!;
  const people = listParticipants(db, sessionId);
  const who = (n: number | null) => {
    const p = people.find((x) => x.number === n);
    return p ? (p.name ?? `P${p.number}`) : undefined;
  };
  if (includeModel) {
    for (const kind of modelTrackNames(db, sessionId))
      if (!tracks.some((t) => t.annotator === kind))
        tiers.push({
          id: kind,
          annotator: kind,
          participant: who(parseModelTrack(kind).participant),
          vocabulary: { id: eight.name, labels: eight.labels },
          spans: modelSpans(db, sessionId, kind),
        });
    const turns = speechTurns(db, sessionId);
    for (const p of people.filter((x) => turns.some((t) => t.participant === x.number)))
      tiers.push({
        id: `speech-p${p.number}`,
        annotator: 'diarization',
        participant: who(p.number),
        vocabulary: { id: 'speech', labels: ['speech'] },
        spans: turns.filter((t) => t.participant === p.number).map((t) => ({ start: t.startS, end: t.endS, label: 'speech' })),
      });
  }
  tiers.push(...transcriptTiers(db, sessionId, new Set(tiers.map((t) => t.id))));
  const code = clientCodeOf(db, sessionId);
  return writeEaf({
    mediaFile: session.file,
    date,
    properties: {
      'affect:session-id': String(sessionId),
      ...(code ? { 'affect:client-code': code } : {}),
      'affect:note': ESTIMATE_NOTE,
    },
    tiers,
  });
}

export interface ImportOptions {
  /** Import only these tier ids (default: every time-aligned top-level tier except the model's own). */
  tiers?: readonly string[];
  /** Import model-* tiers too, as tracks named "<tier> (imported)". */
  includeModelTiers?: boolean;
  /** Annotator name for a tier (default: its TIER_ID). */
  annotatorFor?: (tier: ReadTier) => string;
}

export interface ImportResult {
  tracks: AnnotationTrack[];
  warnings: string[];
}

/**
 * The scheme for an imported tier: its controlled vocabulary when it has one (reused when a scheme of
 * that name has the same labels), else the default eight labels when they cover the tier, else a scheme
 * of the tier's own labels.
 */
function schemeForTier(db: Db, tier: ReadTier): LabelScheme {
  const used = [...new Set(tier.spans.map((s) => s.label))];
  if (tier.vocabulary && used.every((l) => tier.vocabulary!.labels.includes(l))) {
    const labels = tier.vocabulary.labels;
    const same = listLabelSchemes(db).find((s) => JSON.stringify(s.labels) === JSON.stringify(labels));
    if (same) return same;
    const clash = getLabelScheme(db, tier.vocabulary.name);
    return ensureLabelScheme(db, clash ? `${tier.vocabulary.name} (${hash(labels)})` : tier.vocabulary.name, labels);
  }
  const eight = getLabelScheme(db, DEFAULT_SCHEME_NAME)!;
  if (used.every((l) => eight.labels.includes(l))) return eight;
  return ensureLabelScheme(db, `imported ${tier.id} (${hash(used)})`, used);
}

const hash = (labels: readonly string[]) => createHash('sha1').update(JSON.stringify(labels)).digest('hex').slice(0, 8);

/**
 * Imports an .eaf's tiers as annotation tracks of a session, all in one transaction. Times are the
 * file's milliseconds; an edge within 0.5 ms of one of the recording's frame edges (when frame times are
 * stored) is set to that exact frame time, so tracks exported from this app come back unchanged.
 */
export function importEaf(db: Db, sessionId: number, xml: string, opts: ImportOptions = {}): ImportResult {
  const doc = readEaf(xml);
  const warnings = [...doc.warnings];
  if (!getSession(db, sessionId)) throw new Error(`no session with id ${sessionId}`);
  const ft = getFrameTimes(db, sessionId);
  const points = ft ? snapPoints(ft) : null;
  // An edge within half a millisecond of a frame edge (EAF stores whole ms) is that frame edge exactly.
  const exact = (t: number) => {
    if (!points) return t;
    const p = snapToPoints(t, points);
    return Math.abs(p - t) <= 0.0005 + 1e-9 && Math.round(p * 1000) === Math.round(t * 1000) ? p : t;
  };
  const wanted = doc.tiers.filter((t) => {
    if (opts.tiers) return opts.tiers.includes(t.id);
    if (t.annotator === TRANSCRIPT_ANNOTATOR) {
      warnings.push(`tier "${t.id}" holds transcript text, not labels; not imported as annotations (attach the file as a transcript instead)`);
      return false;
    }
    if ((isModelTrackKind(t.id) || SPEECH_TIER.test(t.id)) && !opts.includeModelTiers) {
      warnings.push(`tier "${t.id}" holds the model's own estimates; not imported (they are recomputed from the stored results)`);
      return false;
    }
    return true;
  });
  for (const id of opts.tiers ?? []) if (!doc.tiers.some((t) => t.id === id)) throw new Error(`the file has no time-aligned tier "${id}"`);
  const tracks = db.transaction(() =>
    wanted.map((tier) => {
      let annotator = opts.annotatorFor?.(tier) ?? tier.id;
      if (isModelTrackKind(annotator)) annotator = `${annotator} (imported)`;
      if (findTrack(db, sessionId, annotator))
        throw new Error(`session ${sessionId} already has a track by "${annotator}"; rename or delete it first`);
      const scheme = schemeForTier(db, tier);
      const spans = tier.spans.map((s) => ({ start: exact(s.start), end: exact(s.end), label: s.label }));
      return createTrackWithSegments(db, { sessionId, annotator, scheme: scheme.id, source: 'import' }, spans);
    }),
  )();
  return { tracks, warnings };
}
