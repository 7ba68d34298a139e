import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import {
  addSegment,
  createTrack,
  ensureFrameTimes,
  ensureLabelScheme,
  findTrack,
  listSegments,
  modelSpans,
} from '../electron/store/annotations-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { readEaf, writeEaf } from '../electron/export/eaf.js';
import { importEaf, sessionToEaf } from '../electron/export/eaf-session.js';
import { parseXml, XmlError } from '../electron/export/xml.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

const ff = resolveFfmpeg();
const spans = (db: ReturnType<typeof openDatabase>, trackId: number) =>
  listSegments(db, trackId).map(({ start, end, label }) => ({ start, end, label }));

// Labels that need escaping in XML, non-ASCII text, and white space inside.
const TRICKY = ['<angry> & "loud"', "it's ✓ fine", 'tränen — 泣く', 'a]]>b', 'calm\ttab'];

test('the XML reader is strict and decodes what the writer escapes', () => {
  const el = parseXml('<?xml version="1.0"?>\n<!-- c --><R a="1 &amp; &quot;2&quot; &#10;x"><B>&lt;x&gt; &#x263A; <![CDATA[<raw>&]]></B><C/></R>');
  assert.equal(el.attrs.a, '1 & "2" \nx');
  assert.equal(el.children[0].text, '<x> ☺ <raw>&');
  assert.equal(el.children[1].name, 'C');
  for (const bad of [
    '<a><b></a></b>',
    '<a x=1/>',
    '<a>&nbsp;</a>',
    '<a>&</a>',
    '<a x="1" x="2"/>',
    '<a/><b/>',
    '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
    '<a>',
    '',
  ])
    assert.throws(() => parseXml(bad), XmlError, bad);
});

test('writeEaf follows EAF 3.0 and round-trips through readEaf, special characters included', () => {
  const xml = writeEaf({
    mediaFile: '/tmp/a b/clip ü.mp4',
    date: '2026-01-02T03:04:05.000Z',
    tiers: [
      {
        id: 'R & D <1>',
        annotator: 'Zoë "Z"',
        vocabulary: { id: 'tricky', labels: TRICKY },
        spans: TRICKY.map((label, i) => ({ start: i, end: i + 0.5, label })),
      },
      { id: 'empty', spans: [] },
    ],
  });
  // Element order of the EAF 3.0 schema.
  const order = ['HEADER', 'TIME_ORDER', 'TIER', 'LINGUISTIC_TYPE', 'LANGUAGE', 'CONSTRAINT', 'CONTROLLED_VOCABULARY'];
  const root = parseXml(xml);
  assert.equal(root.name, 'ANNOTATION_DOCUMENT');
  assert.equal(root.attrs.FORMAT, '3.0');
  const seen = root.children.map((c) => order.indexOf(c.name));
  assert.ok(
    seen.every((v, i) => v >= 0 && (i === 0 || v >= seen[i - 1])),
    root.children.map((c) => c.name).join(' '),
  );
  assert.match(xml, /MEDIA_URL="file:\/\/\/tmp\/a%20b\/clip%20%C3%BC\.mp4" MIME_TYPE="video\/mp4"/);
  const slots = root.children.find((c) => c.name === 'TIME_ORDER')!.children.map((c) => Number(c.attrs.TIME_VALUE));
  assert.deepEqual(
    slots,
    [...slots].sort((a, b) => a - b),
    'time slots in time order',
  );

  const back = readEaf(xml);
  assert.equal(back.tiers[0].id, 'R & D <1>');
  assert.equal(back.tiers[0].annotator, 'Zoë "Z"');
  assert.deepEqual(
    back.tiers[0].spans.map((s) => s.label),
    TRICKY,
  );
  assert.deepEqual(back.tiers[0].vocabulary?.labels, TRICKY);
  assert.equal(back.tiers[0].vocabulary?.name, 'tricky');
  assert.deepEqual(back.tiers[1].spans, []);
  assert.throws(
    () =>
      writeEaf({
        mediaFile: null,
        tiers: [
          {
            id: 'x',
            spans: [
              { start: 0, end: 2, label: 'a' },
              { start: 1, end: 3, label: 'b' },
            ],
          },
        ],
      }),
    /overlap/,
  );
});

test('reads what ELAN writes: shared slots, unaligned slots, dependent tiers, CV_ENTRY_ML', () => {
  const elan = `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-05-01T10:00:00+02:00" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
        <MEDIA_DESCRIPTOR MEDIA_URL="file:///C:/data/s1.mp4" MIME_TYPE="video/mp4" RELATIVE_MEDIA_URL="./s1.mp4"/>
        <PROPERTY NAME="URN">urn:nl-mpi-tools-elan-eaf:0d6c</PROPERTY>
        <PROPERTY NAME="lastUsedAnnotationId">4</PROPERTY>
    </HEADER>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="120"/>
        <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="1500"/>
        <TIME_SLOT TIME_SLOT_ID="ts3"/>
        <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="2750"/>
    </TIME_ORDER>
    <TIER ANNOTATOR="MK" DEFAULT_LOCALE="en" LINGUISTIC_TYPE_REF="emo" PARTICIPANT="client" TIER_ID="emotion MK">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
                <ANNOTATION_VALUE>happy</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts4" CVE_REF="cveid_2">
                <ANNOTATION_VALUE>sad</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="words" PARENT_REF="emotion MK" TIER_ID="comment">
        <ANNOTATION>
            <REF_ANNOTATION ANNOTATION_ID="a3" ANNOTATION_REF="a1">
                <ANNOTATION_VALUE>smiles</ANNOTATION_VALUE>
            </REF_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="loose">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a4" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts3">
                <ANNOTATION_VALUE>x</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
    <LINGUISTIC_TYPE CONTROLLED_VOCABULARY_REF="Emotions" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="emo" TIME_ALIGNABLE="true"/>
    <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="words" TIME_ALIGNABLE="false"/>
    <LOCALE COUNTRY_CODE="US" LANGUAGE_CODE="en"/>
    <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00130975-001" LANG_ID="eng" LANG_LABEL="English (eng)"/>
    <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation" STEREOTYPE="Symbolic_Association"/>
    <CONTROLLED_VOCABULARY CV_ID="Emotions">
        <DESCRIPTION LANG_REF="eng"/>
        <CV_ENTRY_ML CVE_ID="cveid_1"><CVE_VALUE DESCRIPTION="" LANG_REF="eng">happy</CVE_VALUE></CV_ENTRY_ML>
        <CV_ENTRY_ML CVE_ID="cveid_2"><CVE_VALUE DESCRIPTION="" LANG_REF="eng">sad</CVE_VALUE></CV_ENTRY_ML>
        <CV_ENTRY_ML CVE_ID="cveid_3"><CVE_VALUE DESCRIPTION="" LANG_REF="eng">bored</CVE_VALUE></CV_ENTRY_ML>
    </CONTROLLED_VOCABULARY>
</ANNOTATION_DOCUMENT>`;
  const doc = readEaf(elan);
  assert.deepEqual(doc.mediaUrls, ['file:///C:/data/s1.mp4']);
  const tier = doc.tiers.find((t) => t.id === 'emotion MK')!;
  assert.deepEqual(tier.spans, [
    { start: 0.12, end: 1.5, label: 'happy' },
    { start: 1.5, end: 2.75, label: 'sad' },
  ]);
  assert.equal(tier.annotator, 'MK');
  assert.deepEqual(tier.vocabulary?.labels, ['happy', 'sad', 'bored']);
  assert.ok(doc.warnings.some((w) => /dependent tiers/.test(w)));
  assert.ok(doc.warnings.some((w) => /unaligned/.test(w)));
  assert.throws(() => readEaf(elan.replace('TIME_SLOT_REF2="ts4"', 'TIME_SLOT_REF2="ts9"')), /missing time slot/);
  assert.throws(() => readEaf('<TEI/>'), /not an ELAN file/);
});

test('round trip: tracks → .eaf → a fresh session of the same recording: identical segments and labels', async () => {
  const dir = tempDir();
  const db = openDatabase(path.join(dir, 'rt.sqlite'));
  const script = { faceAt: (t: number) => (t < 5 ? 'happy' : null), voiceAt: () => 'calm' };
  const source = await storeScriptedSession(db, SAMPLE_MP4, script);
  const target = await storeScriptedSession(db, SAMPLE_MP4, script);
  await ensureFrameTimes(db, source, ff);
  await ensureFrameTimes(db, target, ff);

  const a = createTrack(db, { sessionId: source, annotator: 'Ana Ñúñez' });
  for (const [start, end, label] of [
    [0, 1.3, 'happy'],
    [1.3, 2.7, 'sad'],
    [4.04, 9.99, 'surprised'],
    [12.5, 19.6, 'neutral'],
  ] as const)
    addSegment(db, a.id, { start, end, label });
  ensureLabelScheme(db, 'tricky ✓ <scheme>', TRICKY);
  const b = createTrack(db, { sessionId: source, annotator: 'rater <2> & co', scheme: 'tricky ✓ <scheme>' });
  TRICKY.forEach((label, i) => addSegment(db, b.id, { start: 2 * i + 0.31, end: 2 * i + 1.77, label }));

  const xml = sessionToEaf(db, source);
  assert.match(xml, /TIER_ID="model-face"/);
  const result = importEaf(db, target, xml);
  assert.deepEqual(
    result.tracks.map((t) => t.annotator),
    ['Ana Ñúñez', 'rater <2> & co'],
  );
  assert.ok(
    result.warnings.some((w) => /model-face/.test(w)),
    'model tiers are not imported as annotations',
  );
  for (const original of [a, b]) {
    const copy = findTrack(db, target, original.annotator)!;
    assert.deepEqual(spans(db, copy.id), spans(db, original.id), `${original.annotator}: no loss`);
    assert.deepEqual(copy.scheme.labels, original.scheme.labels);
  }
  // Edges are the recording's exact frame times (not just the millisecond values the file holds).
  assert.equal(spans(db, findTrack(db, target, 'Ana Ñúñez')!.id)[0].end, 1.292958);
  // The model tiers in the file are the model's stored estimates.
  const faceTier = readEaf(xml).tiers.find((t) => t.id === 'model-face')!;
  assert.deepEqual(
    faceTier.spans,
    modelSpans(db, source, 'model-face').map((s) => ({
      start: Math.round(s.start * 1000) / 1000,
      end: Math.round(s.end * 1000) / 1000,
      label: s.label,
    })),
  );
  assert.throws(() => importEaf(db, target, xml), /already has a track/);
  db.close();
});

test('affect export --format eaf and affect import-eaf on a real database file', async () => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'cli.sqlite');
  const db = openDatabase(dbPath);
  const s1 = await storeScriptedSession(db, SAMPLE_MP4, { faceAt: () => 'sad', voiceAt: () => null });
  const s2 = await storeScriptedSession(db, SAMPLE_MP4, { faceAt: () => 'sad', voiceAt: () => null });
  await ensureFrameTimes(db, s1, ff); // as the app does when a session is opened for annotation
  const t = createTrack(db, { sessionId: s1, annotator: 'ann' });
  addSegment(db, t.id, { start: 0.5, end: 3, label: 'fearful' });
  db.close();
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/affect.mjs'), ...args], { encoding: 'utf8' });
  const out = path.join(dir, 's1.eaf');
  const ex = cli('export', String(s1), '--format', 'eaf', '--out', out, '--db', dbPath);
  assert.equal(ex.status, 0, ex.stderr);
  assert.equal(ex.stdout.trim(), out);
  assert.match(readFileSync(out, 'utf8'), /<ANNOTATION_VALUE>fearful<\/ANNOTATION_VALUE>/);
  const im = cli('import-eaf', out, '--session', String(s2), '--db', dbPath, '--json');
  assert.equal(im.status, 0, im.stderr);
  assert.deepEqual(
    JSON.parse(im.stdout).tracks.map((x: { annotator: string; segments: number }) => [x.annotator, x.segments]),
    [['ann', 1]],
  );
  const check = openDatabase(dbPath);
  assert.deepEqual(spans(check, findTrack(check, s2, 'ann')!.id), spans(check, t.id));
  check.close();
  const bad = path.join(dir, 'bad.eaf');
  writeFileSync(bad, '<ANNOTATION_DOCUMENT><HEADER/>');
  const failed = cli('import-eaf', bad, '--session', String(s2), '--db', dbPath);
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /bad\.eaf: XML line 1/);
  const all = cli('export', 'all', '--format', 'eaf', '--out', path.join(dir, 'all'), '--db', dbPath);
  assert.equal(all.status, 0, all.stderr);
  assert.deepEqual(
    all.stdout
      .trim()
      .split('\n')
      .map((f) => path.basename(f)),
    [`session-${s1}.eaf`, `session-${s2}.eaf`],
  );
});
