import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { childNamed, childrenNamed, escapeAttr, escapeText, parseXml, type XmlElement } from './xml.js';

/**
 * ELAN Annotation Format (EAF 3.0): writing and reading the subset this app needs. The writer follows
 * the EAF 3.0 schema's element order: HEADER (MEDIA_DESCRIPTOR, PROPERTY), TIME_ORDER, TIER*,
 * LINGUISTIC_TYPE*, LANGUAGE*, CONSTRAINT*, CONTROLLED_VOCABULARY*. Times are whole milliseconds.
 * Values typed xsd:ID in the schema (TIME_SLOT_ID, ANNOTATION_ID, CVE_ID) are generated NCNames; tier,
 * linguistic-type and vocabulary ids are free strings there (key/keyref), so they carry the real names.
 * The reader takes what the writer emits and what ELAN itself writes (dependent tiers with
 * REF_ANNOTATIONs and unaligned time slots are reported and skipped).
 */

export interface EafSpan {
  start: number;
  end: number;
  label: string;
}

export interface EafTier {
  id: string;
  annotator?: string;
  participant?: string;
  /** Name of the label vocabulary (written as an ELAN controlled vocabulary). */
  vocabulary?: { id: string; labels: readonly string[] };
  spans: readonly EafSpan[];
}

export interface EafDocument {
  mediaFile: string | null;
  author?: string;
  /** ISO date-time; default now. */
  date?: string;
  properties?: Record<string, string>;
  tiers: readonly EafTier[];
}

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mpg': 'video/mpeg',
  '.mpeg': 'video/mpeg',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.wav': 'audio/x-wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.ogg': 'audio/ogg',
  '.flac': 'audio/flac',
};

export const mimeTypeFor = (file: string): string => MIME[path.extname(file).toLowerCase()] ?? 'unknown';

const ms = (s: number) => Math.round(s * 1000);
const xmlId = (prefix: string, text: string) => `${prefix}-${createHash('sha1').update(text).digest('hex').slice(0, 10)}`;

/** The EAF 3.0 XML text of a document. Throws on overlapping or empty spans, or duplicate tier ids. */
export function writeEaf(doc: EafDocument): string {
  const ids = new Set<string>();
  for (const t of doc.tiers) {
    if (!t.id.trim()) throw new Error('an EAF tier needs a non-empty id');
    if (ids.has(t.id)) throw new Error(`two EAF tiers are called "${t.id}"`);
    ids.add(t.id);
  }
  // Time slots: one per annotation edge (tiers stay independent in ELAN), ordered by time.
  const slots: Array<{ ms: number; key: string }> = [];
  const annotations = doc.tiers.map((t, ti) => {
    const spans = [...t.spans].sort((a, b) => a.start - b.start);
    return spans.map((s, si) => {
      if (si > 0 && spans[si - 1].end > s.start)
        throw new Error(`tier "${t.id}": segments ${spans[si - 1].start}–${spans[si - 1].end} s and ${s.start}–${s.end} s overlap`);
      const a = ms(s.start);
      let b = ms(s.end);
      if (b <= a) b = a + 1; // ELAN needs end > start; only a segment shorter than 1 ms is lengthened
      const k1 = `${ti}.${si}.1`;
      const k2 = `${ti}.${si}.2`;
      slots.push({ ms: a, key: k1 }, { ms: b, key: k2 });
      return { k1, k2, label: s.label };
    });
  });
  slots.sort((x, y) => x.ms - y.ms);
  const slotId = new Map(slots.map((s, i) => [s.key, `ts${i + 1}`]));
  let annotationCount = 0;

  const media = doc.mediaFile ? path.resolve(doc.mediaFile) : null;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<ANNOTATION_DOCUMENT AUTHOR="${escapeAttr(doc.author ?? '')}" DATE="${escapeAttr(doc.date ?? new Date().toISOString())}" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">`,
  );
  out.push('    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">');
  if (media)
    out.push(
      `        <MEDIA_DESCRIPTOR MEDIA_URL="${escapeAttr(pathToFileURL(media).href)}" MIME_TYPE="${escapeAttr(mimeTypeFor(media))}" RELATIVE_MEDIA_URL="${escapeAttr(`./${encodeURIComponent(path.basename(media))}`)}"/>`,
    );
  const totalAnnotations = annotations.reduce((s, a) => s + a.length, 0);
  for (const [name, value] of Object.entries({ ...doc.properties, lastUsedAnnotationId: String(totalAnnotations) }))
    out.push(`        <PROPERTY NAME="${escapeAttr(name)}">${escapeText(value)}</PROPERTY>`);
  out.push('    </HEADER>');
  out.push('    <TIME_ORDER>');
  slots.forEach((s, i) => out.push(`        <TIME_SLOT TIME_SLOT_ID="ts${i + 1}" TIME_VALUE="${s.ms}"/>`));
  out.push('    </TIME_ORDER>');

  const vocabularies = new Map<string, readonly string[]>();
  const typeOf = (t: EafTier) => (t.vocabulary ? `labels ${t.vocabulary.id}` : 'default-lt');
  doc.tiers.forEach((t, ti) => {
    if (t.vocabulary) {
      const known = vocabularies.get(t.vocabulary.id);
      if (known && JSON.stringify(known) !== JSON.stringify(t.vocabulary.labels))
        throw new Error(`vocabulary "${t.vocabulary.id}" given with two label lists`);
      vocabularies.set(t.vocabulary.id, t.vocabulary.labels);
    }
    const attrs = [
      t.annotator ? `ANNOTATOR="${escapeAttr(t.annotator)}"` : '',
      `LINGUISTIC_TYPE_REF="${escapeAttr(typeOf(t))}"`,
      t.participant ? `PARTICIPANT="${escapeAttr(t.participant)}"` : '',
      `TIER_ID="${escapeAttr(t.id)}"`,
    ].filter(Boolean);
    if (annotations[ti].length === 0) {
      out.push(`    <TIER ${attrs.join(' ')}/>`);
      return;
    }
    out.push(`    <TIER ${attrs.join(' ')}>`);
    for (const a of annotations[ti]) {
      annotationCount++;
      out.push('        <ANNOTATION>');
      out.push(
        `            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a${annotationCount}" TIME_SLOT_REF1="${slotId.get(a.k1)}" TIME_SLOT_REF2="${slotId.get(a.k2)}">`,
      );
      out.push(`                <ANNOTATION_VALUE>${escapeText(a.label)}</ANNOTATION_VALUE>`);
      out.push('            </ALIGNABLE_ANNOTATION>');
      out.push('        </ANNOTATION>');
    }
    out.push('    </TIER>');
  });
  out.push('    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>');
  for (const id of vocabularies.keys())
    out.push(
      `    <LINGUISTIC_TYPE CONTROLLED_VOCABULARY_REF="${escapeAttr(id)}" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="${escapeAttr(`labels ${id}`)}" TIME_ALIGNABLE="true"/>`,
    );
  out.push('    <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00130975-001" LANG_ID="eng" LANG_LABEL="English (eng)"/>');
  out.push(
    `    <CONSTRAINT DESCRIPTION="Time subdivision of parent annotation's time interval, no time gaps allowed within this interval" STEREOTYPE="Time_Subdivision"/>`,
    `    <CONSTRAINT DESCRIPTION="Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered" STEREOTYPE="Symbolic_Subdivision"/>`,
    `    <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation" STEREOTYPE="Symbolic_Association"/>`,
    `    <CONSTRAINT DESCRIPTION="Time alignable annotations within the parent annotation's time interval, gaps are allowed" STEREOTYPE="Included_In"/>`,
  );
  for (const [id, labels] of vocabularies) {
    out.push(`    <CONTROLLED_VOCABULARY CV_ID="${escapeAttr(id)}">`);
    out.push(`        <DESCRIPTION LANG_REF="eng">${escapeText(id)}</DESCRIPTION>`);
    labels.forEach((l, i) => {
      out.push(`        <CV_ENTRY_ML CVE_ID="${escapeAttr(xmlId('cve', `${id}\u0000${i}\u0000${l}`))}">`);
      out.push(`            <CVE_VALUE LANG_REF="eng">${escapeText(l)}</CVE_VALUE>`);
      out.push('        </CV_ENTRY_ML>');
    });
    out.push('    </CONTROLLED_VOCABULARY>');
  }
  out.push('</ANNOTATION_DOCUMENT>');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- reading

export interface ReadTier {
  id: string;
  annotator: string | null;
  participant: string | null;
  /** The controlled vocabulary the tier's linguistic type refers to: its description (or id) and values. */
  vocabulary: { id: string; name: string; labels: string[] } | null;
  /** Times in seconds (milliseconds / 1000). */
  spans: EafSpan[];
}

export interface ReadEaf {
  mediaUrls: string[];
  properties: Record<string, string>;
  tiers: ReadTier[];
  /** Tiers or annotations that were skipped, and why. */
  warnings: string[];
}

export class EafFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EafFormatError';
  }
}

function need(el: XmlElement, attr: string): string {
  const v = el.attrs[attr];
  if (v === undefined) throw new EafFormatError(`<${el.name}> lacks ${attr}`);
  return v;
}

/** Reads an .eaf file's time-aligned tiers. Strict about structure: malformed XML or references throw. */
export function readEaf(xml: string): ReadEaf {
  const root = parseXml(xml);
  if (root.name !== 'ANNOTATION_DOCUMENT')
    throw new EafFormatError(`not an ELAN file: the root element is <${root.name}>, not <ANNOTATION_DOCUMENT>`);
  const header = childNamed(root, 'HEADER');
  if (!header) throw new EafFormatError('no <HEADER>');
  const units = header.attrs.TIME_UNITS ?? 'milliseconds';
  if (units !== 'milliseconds') throw new EafFormatError(`TIME_UNITS="${units}" is not supported (only milliseconds)`);
  const timeOrder = childNamed(root, 'TIME_ORDER');
  if (!timeOrder) throw new EafFormatError('no <TIME_ORDER>');
  const slots = new Map<string, number | null>();
  for (const ts of childrenNamed(timeOrder, 'TIME_SLOT')) {
    const id = need(ts, 'TIME_SLOT_ID');
    if (slots.has(id)) throw new EafFormatError(`time slot ${id} is defined twice`);
    const v = ts.attrs.TIME_VALUE;
    if (v !== undefined && !/^\d+$/.test(v.trim())) throw new EafFormatError(`time slot ${id} has TIME_VALUE="${v}", not whole milliseconds`);
    slots.set(id, v === undefined ? null : Number(v.trim()));
  }
  const vocabularies = new Map<string, { id: string; name: string; labels: string[] }>();
  for (const cv of childrenNamed(root, 'CONTROLLED_VOCABULARY')) {
    const id = need(cv, 'CV_ID');
    const description = childNamed(cv, 'DESCRIPTION')?.text.trim() || cv.attrs.DESCRIPTION || '';
    const entries = [
      ...childrenNamed(cv, 'CV_ENTRY_ML').map((e) => childrenNamed(e, 'CVE_VALUE')[0]?.text ?? ''),
      ...childrenNamed(cv, 'CV_ENTRY').map((e) => e.text), // EAF ≤ 2.7
    ];
    vocabularies.set(id, { id, name: description || id, labels: entries });
  }
  const typeVocabulary = new Map<string, string | undefined>();
  for (const lt of childrenNamed(root, 'LINGUISTIC_TYPE')) typeVocabulary.set(need(lt, 'LINGUISTIC_TYPE_ID'), lt.attrs.CONTROLLED_VOCABULARY_REF);

  const warnings: string[] = [];
  const tiers: ReadTier[] = [];
  for (const tier of childrenNamed(root, 'TIER')) {
    const id = need(tier, 'TIER_ID');
    const type = need(tier, 'LINGUISTIC_TYPE_REF');
    if (!typeVocabulary.has(type)) throw new EafFormatError(`tier "${id}" refers to linguistic type "${type}", which is not defined`);
    if (tier.attrs.PARENT_REF !== undefined) {
      warnings.push(`tier "${id}" depends on tier "${tier.attrs.PARENT_REF}"; dependent tiers are not imported`);
      continue;
    }
    const spans: EafSpan[] = [];
    for (const ann of childrenNamed(tier, 'ANNOTATION')) {
      const al = childNamed(ann, 'ALIGNABLE_ANNOTATION');
      if (!al) {
        warnings.push(`tier "${id}": an annotation that is not time-aligned was skipped`);
        continue;
      }
      const r1 = need(al, 'TIME_SLOT_REF1');
      const r2 = need(al, 'TIME_SLOT_REF2');
      if (!slots.has(r1) || !slots.has(r2))
        throw new EafFormatError(`tier "${id}": annotation ${al.attrs.ANNOTATION_ID ?? '?'} refers to a missing time slot`);
      const a = slots.get(r1)!;
      const b = slots.get(r2)!;
      const value = childNamed(al, 'ANNOTATION_VALUE')?.text ?? '';
      if (a === null || b === null) {
        warnings.push(`tier "${id}": annotation ${al.attrs.ANNOTATION_ID ?? '?'} ("${value}") has an unaligned time slot; skipped`);
        continue;
      }
      if (!(b > a)) throw new EafFormatError(`tier "${id}": annotation ${al.attrs.ANNOTATION_ID ?? '?'} ends (${b} ms) before it starts (${a} ms)`);
      if (value.trim() === '') {
        warnings.push(`tier "${id}": an empty annotation at ${a}–${b} ms was skipped`);
        continue;
      }
      spans.push({ start: a / 1000, end: b / 1000, label: value });
    }
    const cvRef = typeVocabulary.get(type);
    tiers.push({
      id,
      annotator: tier.attrs.ANNOTATOR ?? null,
      participant: tier.attrs.PARTICIPANT ?? null,
      vocabulary: cvRef ? (vocabularies.get(cvRef) ?? null) : null,
      spans: spans.sort((x, y) => x.start - y.start),
    });
  }
  return {
    mediaUrls: childrenNamed(header, 'MEDIA_DESCRIPTOR')
      .map((m) => m.attrs.MEDIA_URL ?? '')
      .filter(Boolean),
    properties: Object.fromEntries(childrenNamed(header, 'PROPERTY').map((p) => [p.attrs.NAME ?? '', p.text])),
    tiers,
    warnings,
  };
}
