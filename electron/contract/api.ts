import { z } from 'zod';
import { BREATH_PATTERNS, EXERCISE_IDS } from './shared/selfcare/catalog.js';

/**
 * The one typed API between the UI and the engine. The Electron preload, the browser-mode HTTP
 * server and the service all validate against these schemas: inputs on the way in, outputs on the
 * way out. Nothing else crosses the boundary.
 */

const id = z.number().int().positive();
const labelShares = z.record(z.string(), z.number());

/*
 * Every string an input may carry has a length limit, and text shown to people has no control or
 * formatting characters (bidi overrides and isolates, zero-width marks), which could hide or reorder what a
 * clinician reads. Checked in tests/contract-limits.test.ts.
 */
const NO_CONTROLS = /^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u;
/** Free text a person typed (names, search), at most `max` characters, no control or formatting characters. */
const text = (max: number) => z.string().max(max).regex(NO_CONTROLS, 'must not contain control or formatting characters');
/** A client code: a pseudonymous identifier, printable, 1–64 characters, no control or formatting characters. */
export const ClientCode = z.string().trim().min(1).max(64).regex(NO_CONTROLS, 'must be printable: no control or formatting (e.g. bidi) characters');
/** A file path on this computer (Linux PATH_MAX), no NUL. */
const filePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[^\0]*$/, 'must not contain NUL');
/** A model id, label or annotator name as the API passes it. */
const shortName = z.string().min(1).max(100);

export const ModelInfo = z.object({
  role: z.string(),
  id: z.string(),
  version: z.string(),
  sha256: z.string(),
  architecture: z.string().optional(),
  labels: z.array(z.string()),
  /** Held-out UAR from the manifest (cross-validated mean where that is what was measured). */
  heldOutUar: z.number().nullable().optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});

/** The analysis roles a model can fill (the engine loads one model per role). */
export const ModelRole = z.enum(['faceDetector', 'faceExpression', 'voiceEmotion', 'textEmotion']);

/** An installed model, as offered in Settings: which role it fits, and whether it is the chosen one. */
export const InstalledModel = z.object({
  role: ModelRole,
  id: z.string(),
  version: z.string(),
  sha256: z.string(),
  architecture: z.string(),
  labels: z.array(z.string()),
  heldOutUar: z.number().nullable(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  /** The engine uses this model for its role (for the next analysis). */
  selected: z.boolean(),
  /** The app's default for the role. */
  isDefault: z.boolean(),
});

export const AppInfo = z.object({
  appVersion: z.string(),
  databasePath: z.string(),
  ffmpeg: z.object({ path: z.string(), source: z.string(), note: z.string().optional() }).nullable(),
  ffmpegError: z.string().nullable(),
  models: z.array(ModelInfo),
  note: z.string(),
});

export const Client = z.object({
  id,
  code: z.string(),
  displayName: z.string().nullable(),
  createdAt: z.string(),
  archivedAt: z.string().nullable(),
});

export const TrackSummary = z.object({
  majority: z.string().nullable(),
  distribution: labelShares,
  meanProbs: labelShares.optional(),
  reason: z.string().optional(),
});

/** The minimum data a track needs before it names a label (a per-database setting). */
export const CoverageRule = z.object({
  minFaceShare: z.number().min(0).max(1),
  minFaceFrames: z.number().int().min(0).max(100000),
  minSpeechShare: z.number().min(0).max(1),
  minSpeechS: z.number().min(0).max(100000),
});

/** How much of the recording each track saw, and whether that is enough for a label (else `why` says so). */
export const Coverage = z.object({
  face: z.object({
    framesAnalysed: z.number(),
    framesWithFace: z.number(),
    share: z.number().nullable(),
    enough: z.boolean(),
    why: z.string().nullable(),
  }),
  voice: z.object({ speechS: z.number(), durationS: z.number(), share: z.number().nullable(), enough: z.boolean(), why: z.string().nullable() }),
  fused: z.object({ label: z.string().nullable(), confidence: z.number().nullable(), tracks: z.array(z.enum(['face', 'voice'])) }),
  rule: CoverageRule,
});

export const SessionSummary = z.object({
  session: z.object({ id: id.nullable(), file: z.string(), durationS: z.number() }),
  face: TrackSummary.extend({ framesAnalysed: z.number(), framesWithFace: z.number(), framesAbstained: z.number() }),
  voice: TrackSummary.extend({
    windows: z.number(),
    voicedWindows: z.number(),
    windowsUncertain: z.number().optional(),
    windowsUnlikeTraining: z.number().optional(),
    inputCheckThreshold: z.number().optional(),
  }),
  fused: z.object({
    label: z.string().nullable(),
    confidence: z.number().nullable(),
    rule: z.string(),
    weights: z.object({ face: z.number(), voice: z.number() }).optional(),
  }),
  models: z.array(z.object({ id: z.string(), version: z.string(), sha256: z.string() })),
  warnings: z.array(z.string()),
  elapsedS: z.number(),
  note: z.string(),
});

export const SessionListItem = z.object({
  id,
  clientId: id.nullable(),
  title: z.string().nullable(),
  file: z.string(),
  durationS: z.number(),
  analysedAt: z.string(),
  /** When the recording was made: ISO 8601 from the container, or YYYY-MM-DD as the user gave it; null if unknown. */
  recordedAt: z.string().nullable(),
  recordedAtSource: z.enum(['container', 'user']).nullable(),
  /** The date the container states (kept beside a user's correction). */
  containerDate: z.string().nullable(),
  /** The recording is at `file` now (false: moved or deleted; the review offers to locate it). */
  fileAvailable: z.boolean(),
  summary: SessionSummary,
  coverage: Coverage,
});

export const FramePoint = z.object({
  /** The participant (1-based within the session) whose face this is. */
  participant: z.number().int(),
  t: z.number(),
  face: z.boolean(),
  label: z.string().nullable(),
  confidence: z.number().nullable(),
  probs: z.array(z.number()).nullable(),
});

export const WindowPoint = z.object({
  /** The participant whose speech this window is. */
  participant: z.number().int(),
  start: z.number(),
  end: z.number(),
  voiced: z.boolean(),
  label: z.string().nullable(),
  confidence: z.number().nullable(),
  probs: z.array(z.number()).nullable(),
  /** Distance of the window's input from the voice model's training audio; above the summary's
   *  voice.inputCheckThreshold the window is uncertain (label null). Null when unvoiced or not checked. */
  inputDistance: z.number().nullable().optional(),
});

const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

/** One person in a session: a face, a voice, or both (people/participants.ts), with the user's name and client mark. */
export const ParticipantView = z.object({
  /** 1-based within the session; 1 is the main participant. */
  id: z.number().int().positive(),
  name: z.string().nullable(),
  isClient: z.boolean(),
  /** The session's summary (and the client's trends) describe this participant. */
  describes: z.boolean(),
  face: TrackSummary.extend({ framesWithFace: z.number(), framesAbstained: z.number(), box, small: z.boolean(), still: z.boolean() }).nullable(),
  voice: TrackSummary.extend({
    speechS: z.number(),
    voicedWindows: z.number(),
    link: z
      .object({ confidence: z.number(), evidence: z.enum(['mouth-speech', 'one-face-one-voice']), correlation: z.number().nullable() })
      .nullable(),
  }).nullable(),
  fused: z.object({ label: z.string().nullable(), confidence: z.number().nullable() }).nullable(),
  /** A small JPEG of the face as a data: URL (null: a voice-only participant). */
  thumbnail: z.string().nullable(),
  /** A name given to a face like this one in another session of the same client (never applied by itself). */
  suggestion: z.object({ name: z.string(), isClient: z.boolean(), distance: z.number(), fromSession: id }).nullable(),
});

export const SessionDetail = SessionListItem.extend({
  media: z.object({
    hasVideo: z.boolean(),
    hasAudio: z.boolean(),
    width: z.number().nullable(),
    height: z.number().nullable(),
    /** ffprobe's names (h264, hevc, aac…) and container, so the UI can tell whether it can play them. */
    videoCodec: z.string().nullable(),
    audioCodec: z.string().nullable(),
    format: z.string(),
  }),
  faceLabels: z.array(z.string()),
  voiceLabels: z.array(z.string()),
  /** Every participant's frames and windows (each says whose it is). */
  frames: z.array(FramePoint),
  windows: z.array(WindowPoint),
  participants: z.array(ParticipantView),
  /** Who speaks when. */
  speech: z.array(z.object({ start: z.number(), end: z.number(), participant: z.number().int() })),
  models: z.array(ModelInfo),
});

export const JobStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const Job = z.object({
  id,
  file: z.string(),
  clientId: id.nullable(),
  status: JobStatus,
  fraction: z.number(),
  etaS: z.number().nullable(),
  stage: z.string().nullable(),
  error: z.string().nullable(),
  /** The tool's own message (ffprobe/ffmpeg), for a technical reader. */
  errorDetail: z.string().nullable(),
  /** False when the file's content is the problem: a retry of the same file would fail the same way. */
  retryable: z.boolean(),
  sessionId: id.nullable(),
  /** Done without analysing: the recording was already stored (same content, fps and models) as `sessionId`. */
  alreadyAnalysed: z.boolean(),
  /** The transcript given with the recording (its file name), if any. */
  transcript: z.string().nullable(),
  /** What the job did not do although it finished (a stored recording kept the transcript it had). */
  note: z.string().nullable(),
  createdAt: z.string(),
});

/** A playback copy (H.264/AAC MP4 or VP9/Opus WebM) of a recording the UI cannot play as it is. */
export const PlaybackStatus = z.object({
  state: z.enum(['none', 'running', 'ready', 'failed']),
  target: z.enum(['h264', 'vp9']).nullable(),
  fraction: z.number(),
  etaS: z.number().nullable(),
  error: z.string().nullable(),
});

/** A file to save: the UI offers a save dialog (Electron) or a download (browser mode). */
export const ExportFile = z.object({ fileName: z.string(), mime: z.string(), base64: z.string() });

export const DassAnswer = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.null()]);

export const DassSubscaleResult = z.object({
  score: z.number().nullable(),
  band: z.string().nullable(),
  missingItems: z.array(z.number()),
  prorated: z.boolean(),
  complete: z.boolean(),
});

export const DassAdministration = z.object({
  id,
  clientId: id,
  administeredAt: z.string(),
  sessionId: id.nullable(),
  answers: z.array(DassAnswer).length(21),
  depression: DassSubscaleResult,
  anxiety: DassSubscaleResult,
  stress: DassSubscaleResult,
  complete: z.boolean(),
  scoringVersion: z.string(),
  itemsOfNote: z.array(z.object({ item: z.number(), text: z.string(), answer: z.number(), message: z.string() })),
  /** In order: review and safety steps (helplines) first; `exercise` links a suggestion to a self-care exercise. */
  nextSteps: z.array(z.object({ kind: z.string(), title: z.string(), detail: z.string(), exercise: z.enum(EXERCISE_IDS).optional() })),
});

export const DassChange = z.object({
  fromId: id,
  toId: id,
  subscales: z.array(
    z.object({
      subscale: z.string(),
      from: z.number().nullable(),
      to: z.number().nullable(),
      difference: z.number().nullable(),
      fromBand: z.string().nullable(),
      toBand: z.string().nullable(),
      bandChanged: z.boolean(),
      flagged: z.boolean(),
    }),
  ),
});

export const DassItems = z.object({
  instructions: z.string(),
  scale: z.array(z.object({ value: z.number(), label: z.string() })),
  items: z.array(z.object({ number: z.number(), text: z.string(), subscale: z.string() })),
  credit: z.string(),
});

export const TrendPoint = z.object({
  sessionId: id,
  date: z.string(),
  /** Where the date came from: the container's metadata, the user, or (neither known) the day it was analysed. */
  dateSource: z.enum(['container', 'user', 'analysed']),
  title: z.string().nullable(),
  face: labelShares,
  voice: labelShares,
  fused: z.string().nullable(),
  coverage: Coverage,
});

export const Segment = z.object({ id, trackId: id, start: z.number(), end: z.number(), label: z.string() });

export const AnnotationTrack = z.object({
  id,
  sessionId: id,
  annotator: z.string(),
  labels: z.array(z.string()),
  source: z.enum(['human', 'model', 'import']),
  readOnly: z.boolean(),
  segments: z.array(Segment),
});

export const Agreement = z.object({
  unit: z.object({ kind: z.string(), sliceS: z.number(), rule: z.string() }),
  slicesTotal: z.number(),
  slicesCompared: z.number(),
  slicesOnlyA: z.number(),
  slicesOnlyB: z.number(),
  percentAgreement: z.number().nullable(),
  kappa: z.number().nullable(),
  expectedAgreement: z.number().nullable(),
  labels: z.array(z.string()),
  matrix: z.array(z.array(z.number())),
});

export const SelfCareRun = z.object({
  id,
  clientId: id,
  exercise: z.string(),
  level: z.number().int(),
  mode: z.enum(['clinician', 'client']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  lengthS: z.number().nullable(),
  /** null: started, never finished (the window closed mid-run). */
  outcome: z.enum(['completed', 'left']).nullable(),
  tensionBefore: z.number().int().nullable(),
  tensionAfter: z.number().int().nullable(),
  score: z.number().nullable(),
  options: z.record(z.string(), z.unknown()),
});

export const SelfCareProgress = z.object({
  exercise: z.enum(EXERCISE_IDS),
  levels: z.number().int(),
  completed: z.number().int(),
  unlocked: z.number().int(),
});

export const ClientModeStatus = z.object({
  active: z.boolean(),
  locked: z.boolean(),
  pinSet: z.boolean(),
  idleLockS: z.number().nullable(),
  client: z.object({ id, code: z.string(), displayName: z.string().nullable() }).nullable(),
});

/** Tension rated by the client, 0–10; null = skipped. */
const tension = z.number().int().min(0).max(10).nullable();
const pin = z.string().min(1).max(200);
/** The database's lock state (vault.*): first-run setup, locked (encrypted, no key), or open. */
export const VaultStatus = z.object({
  state: z.enum(['setup', 'locked', 'open']),
  encrypted: z.boolean(),
  databasePath: z.string(),
  autoLockMinutes: z.number(),
  failedAttempts: z.number(),
  keychain: z.object({ available: z.boolean(), remembered: z.boolean() }).nullable(),
});

/** What an erasure removes (erase.preview counts it first; erase.run returns what went). */
export const ErasureCounts = z.object({
  clients: z.number(),
  sessions: z.number(),
  dass: z.number(),
  annotationTracks: z.number(),
  annotationSegments: z.number(),
  importJobs: z.number(),
  transcripts: z.number(),
  recordings: z.number(),
});
const erasureTarget = z.object({ kind: z.enum(['client', 'session', 'dass', 'annotation-track', 'transcript']), id });

export const AuditEntry = z.object({
  id,
  at: z.string(),
  actor: z.enum(['cli', 'app', 'browser']),
  action: z.string(),
  objectKind: z.string().nullable(),
  objectId: z.number().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number(),
  firstBroken: z.object({ id: z.number(), reason: z.string() }).nullable(),
  headHash: z.string(),
});
/** What the words of some transcript lines express (the text model), as for a track: shares of the labelled lines. */
export const TextSummary = z.object({
  lines: z.number(),
  labelled: z.number(),
  uncertain: z.number(),
  words: z.number(),
  majority: z.string().nullable(),
  distribution: labelShares,
  meanProbs: labelShares,
  reason: z.string().nullable(),
});

/** One line of a transcript on the recording's clock, with the text model's estimate. */
export const TranscriptCue = z.object({
  id,
  start: z.number(),
  end: z.number(),
  speakerId: id.nullable(),
  /** The speaker's name as shown (the user's correction, else the file's). */
  speaker: z.string().nullable(),
  participant: z.number().int().nullable(),
  text: z.string(),
  /** The estimate; null when the model abstained (uncertain) or had no words to read. */
  label: z.string().nullable(),
  top: z.string().nullable(),
  confidence: z.number().nullable(),
  /** 1-based line in the file (null for ELAN). */
  line: z.number().nullable(),
});

export const TranscriptSpeaker = z.object({
  id,
  /** The name as the file gives it. */
  label: z.string(),
  name: z.string().nullable(),
  participant: z.number().int().nullable(),
  mapping: z.enum(['auto', 'user']).nullable(),
  mappingScore: z.number().nullable(),
  /** The overlap with each participant's speech turns (best first), and why an automatic mapping was not made. */
  evidence: z.object({
    overlaps: z.array(z.object({ participant: z.number(), overlapS: z.number(), share: z.number() })),
    why: z.string().nullable(),
  }),
  speechS: z.number(),
  text: TextSummary,
});

export const Transcript = z.object({
  id,
  sessionId: id,
  format: z.enum(['webvtt', 'srt', 'timestamped-text', 'eaf']),
  fileName: z.string(),
  encoding: z.string(),
  importedAt: z.string(),
  warnings: z.array(z.string()),
  model: z.object({ id: z.string(), version: z.string(), sha256: z.string(), labels: z.array(z.string()) }).nullable(),
  speakers: z.array(TranscriptSpeaker),
  cues: z.array(TranscriptCue),
  /** The whole transcript, and per mapped participant. */
  text: TextSummary,
  byParticipant: z.array(z.object({ participant: z.number(), text: TextSummary })),
});

/** An attach in progress (reading and estimating a long transcript), for its progress bar and Cancel. */
export const TranscriptAttachStatus = z.object({
  state: z.enum(['none', 'running']),
  fraction: z.number(),
  etaS: z.number().nullable(),
  stage: z.string().nullable(),
});

export const TranscriptSearchHit = z.object({
  sessionId: id,
  sessionTitle: z.string().nullable(),
  recording: z.string(),
  date: z.string(),
  cueId: id,
  start: z.number(),
  end: z.number(),
  speaker: z.string().nullable(),
  participant: z.number().nullable(),
  label: z.string().nullable(),
  /** The line around the matches; `match` parts are the words found. */
  parts: z.array(z.object({ text: z.string(), match: z.boolean() })),
});

const passphrase = z.string().min(1).max(1024);
const dassDate = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}/);

const segmentId = z.object({ segmentId: id });
const seconds = z.number().min(0);

/** method name → input and output schema. */
export const API = {
  'app.info': { input: z.object({}), output: AppInfo },
  'models.list': { input: z.object({}), output: z.array(InstalledModel) },
  /** Choose the model for a role (null: back to the default). Takes effect for the next analysis. */
  'models.select': { input: z.object({ role: ModelRole, id: shortName.nullable() }), output: z.array(InstalledModel) },
  'clients.list': { input: z.object({ search: text(200).optional(), includeArchived: z.boolean().optional() }), output: z.array(Client) },
  'clients.create': { input: z.object({ code: ClientCode, displayName: text(200).nullable().optional() }), output: Client },
  'clients.rename': { input: z.object({ id, displayName: text(200).nullable() }), output: Client },
  'clients.archive': { input: z.object({ id, archived: z.boolean() }), output: Client },
  'sessions.list': { input: z.object({ clientId: id.nullable().optional() }), output: z.array(SessionListItem) },
  'sessions.get': { input: z.object({ id }), output: SessionDetail },
  'sessions.assign': { input: z.object({ id, clientId: id.nullable() }), output: SessionListItem },
  /** Name a participant (null: no name); in a client's session the face is kept to recognise the person later. */
  'participants.rename': {
    input: z.object({ sessionId: id, participant: id, name: z.string().trim().min(1).max(100).nullable() }),
    output: z.array(ParticipantView),
  },
  /** Mark the participant who is the client (null: none): the session summary and the client's trends describe them. */
  'participants.setClient': { input: z.object({ sessionId: id, participant: id.nullable() }), output: z.array(ParticipantView) },
  /** Correct the recording date (YYYY-MM-DD, not in the future; null: unknown). */
  'sessions.setRecordedAt': {
    input: z.object({
      id,
      recordedAt: z
        .string()
        .max(10)
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .nullable(),
    }),
    output: SessionListItem,
  },
  /** The recording moved: point the session at `path`, after checking it has the same content (sha256). */
  'sessions.relocate': { input: z.object({ id, path: z.string().min(1).max(4096) }), output: SessionListItem },
  /** Where a session's recording (or its playback copy) is, for the player's media handler. */
  'media.source': {
    input: z.object({ sessionId: id, variant: z.enum(['original', 'playback']) }),
    output: z.object({ file: z.string().nullable() }),
  },
  'playback.status': { input: z.object({ sessionId: id }), output: PlaybackStatus },
  /** Start making a playback copy (once; progress in playback.status). */
  'playback.prepare': { input: z.object({ sessionId: id, target: z.enum(['h264', 'vp9']) }), output: PlaybackStatus },
  'playback.cancel': { input: z.object({ sessionId: id }), output: PlaybackStatus },
  'coverage.rule': { input: z.object({}), output: CoverageRule },
  'coverage.setRule': { input: z.object({ rule: CoverageRule.nullable() }), output: CoverageRule },
  /** In-app documents: the DASS-21 scoring rules, a model's card (markdown). */
  'docs.get': {
    input: z.object({ doc: z.enum(['dass-scoring', 'model-card']), id: z.string().max(100).optional() }),
    output: z.object({ title: z.string(), markdown: z.string() }),
  },
  'jobs.enqueue': {
    input: z.object({
      paths: z.array(filePath).min(1).max(500),
      clientId: id.nullable().optional(),
      fps: z.number().positive().max(30).optional(),
      /** A transcript per path (same order; null: look for one beside the recording when the job runs). */
      transcripts: z.array(filePath.nullable()).max(500).optional(),
    }),
    output: z.array(Job),
  },
  'jobs.list': { input: z.object({}), output: z.array(Job) },
  'jobs.cancel': { input: z.object({ id }), output: Job },
  'jobs.retry': { input: z.object({ id }), output: Job },
  'dass.items': { input: z.object({}), output: DassItems },
  'dass.save': {
    input: z.object({
      clientId: id,
      administeredAt: z
        .string()
        .max(40)
        .regex(/^\d{4}-\d{2}-\d{2}/),
      answers: z.array(DassAnswer).length(21),
      sessionId: id.nullable().optional(),
    }),
    output: DassAdministration,
  },
  'dass.list': {
    input: z.object({ clientId: id }),
    output: z.object({ administrations: z.array(DassAdministration), changes: z.array(DassChange) }),
  },
  'trends.get': { input: z.object({ clientId: id }), output: z.object({ sessions: z.array(TrendPoint), dass: z.array(DassAdministration) }) },
  'annotations.tracks': {
    input: z.object({ sessionId: id }),
    output: z.object({ tracks: z.array(AnnotationTrack), frameTimes: z.object({ count: z.number(), endS: z.number() }).nullable() }),
  },
  'annotations.createTrack': { input: z.object({ sessionId: id, annotator: text(100).trim().min(1) }), output: AnnotationTrack },
  'annotations.add': { input: z.object({ trackId: id, start: seconds, end: seconds, label: shortName }), output: Segment },
  'annotations.split': { input: segmentId.extend({ at: seconds }), output: z.array(Segment) },
  'annotations.merge': { input: z.object({ firstId: id, secondId: id }), output: Segment },
  'annotations.move': { input: segmentId.extend({ start: seconds.optional(), end: seconds.optional() }), output: Segment },
  'annotations.relabel': { input: segmentId.extend({ label: shortName }), output: Segment },
  'annotations.delete': { input: segmentId, output: z.object({ ok: z.literal(true) }) },
  'annotations.undo': { input: z.object({ trackId: id }), output: AnnotationTrack },
  'annotations.redo': { input: z.object({ trackId: id }), output: AnnotationTrack },
  'agreement.session': {
    input: z.object({ sessionId: id, a: shortName, b: shortName, sliceS: z.number().positive().max(60).optional() }),
    output: Agreement,
  },
  /** An export's content and a suggested file name; the UI saves it where the user chooses. */
  'export.session': {
    input: z.object({
      sessionId: id,
      format: z.enum(['csv', 'json', 'eaf', 'pdf']),
      per: z.enum(['frame', 'window', 'segment', 'participant', 'summary', 'transcript']).optional(),
      /** PDF: leave the transcript's words (and speaker names) out of the report. */
      noText: z.boolean().optional(),
    }),
    output: ExportFile,
  },
  /** The client report (PDF: every session, trends, DASS-21 history) or the client's sessions as one table. */
  'export.client': {
    input: z.object({
      clientId: id,
      format: z.enum(['pdf', 'csv']),
      per: z.enum(['frame', 'window', 'segment', 'participant', 'summary', 'transcript']).optional(),
      noText: z.boolean().optional(),
    }),
    output: ExportFile,
  },
  'selfcare.progress': { input: z.object({ clientId: id }), output: z.object({ progress: z.array(SelfCareProgress), runs: z.array(SelfCareRun) }) },
  'selfcare.start': {
    input: z.object({
      clientId: id,
      exercise: z.enum(EXERCISE_IDS),
      level: z.number().int().min(1),
      tensionBefore: tension,
      options: z
        .object({
          pattern: z.enum(Object.keys(BREATH_PATTERNS) as [keyof typeof BREATH_PATTERNS]).optional(),
          voice: z.boolean().optional(),
          largeText: z.boolean().optional(),
          reducedMotion: z.boolean().optional(),
        })
        .strict()
        .optional(),
    }),
    output: SelfCareRun,
  },
  'selfcare.finish': {
    input: z.object({
      runId: id,
      outcome: z.enum(['completed', 'left']),
      lengthS: z.number().min(0).max(86_400),
      tensionAfter: tension.optional(),
      score: z.number().min(0).max(1).nullable().optional(),
    }),
    output: z.object({ run: SelfCareRun, progress: z.array(SelfCareProgress) }),
  },
  /** The rating after, given once the run is finished (the UI finishes a run as soon as the exercise ends). */
  'selfcare.rateAfter': { input: z.object({ runId: id, tensionAfter: z.number().int().min(0).max(10) }), output: SelfCareRun },
  'selfcare.export': { input: z.object({ clientId: id, format: z.enum(['csv', 'json']) }), output: ExportFile },
  /** Client mode: the workstation handed to one client for self-care; while on, the service refuses every other method. */
  'clientMode.status': { input: z.object({}), output: ClientModeStatus },
  'clientMode.setPin': { input: z.object({ pin, currentPin: pin.optional() }), output: ClientModeStatus },
  'clientMode.enter': { input: z.object({ clientId: id, idleLockS: z.number().int().min(30).max(3600).optional() }), output: ClientModeStatus },
  'clientMode.lock': { input: z.object({}), output: ClientModeStatus },
  'clientMode.unlock': { input: z.object({ pin }), output: ClientModeStatus },
  'clientMode.exit': { input: z.object({ pin }), output: ClientModeStatus },
  'vault.status': { input: z.object({ active: z.boolean().optional() }), output: VaultStatus },
  /** First run: create the database, encrypted with the passphrase or plain (null). On an open plain database: encrypt it. */
  'vault.setup': { input: z.object({ passphrase: passphrase.nullable(), remember: z.boolean().optional() }), output: VaultStatus },
  'vault.unlock': { input: z.object({ passphrase, remember: z.boolean().optional() }), output: VaultStatus },
  'vault.lock': { input: z.object({}), output: VaultStatus },
  'vault.changePassphrase': { input: z.object({ current: passphrase, next: passphrase }), output: VaultStatus },
  'vault.setAutoLock': {
    input: z.object({
      minutes: z
        .number()
        .int()
        .min(0)
        .max(24 * 60),
    }),
    output: VaultStatus,
  },
  'vault.forget': { input: z.object({}), output: VaultStatus },
  'vault.backup': { input: z.object({}), output: z.object({ file: z.string(), bytes: z.number() }) },
  'erase.preview': { input: erasureTarget, output: z.object({ counts: ErasureCounts, description: z.string() }) },
  'erase.run': { input: erasureTarget, output: z.object({ counts: ErasureCounts, compacted: z.boolean(), warning: z.string().nullable() }) },
  /** Correct a DASS-21 entry (date, answers): rescored; no future dates, none before 1900. */
  'dass.update': { input: z.object({ id, administeredAt: dassDate, answers: z.array(DassAnswer).length(21) }), output: DassAdministration },
  'audit.list': {
    input: z.object({ limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional() }),
    output: z.object({ entries: z.array(AuditEntry), total: z.number() }),
  },
  'audit.verify': { input: z.object({}), output: AuditVerification },
  'audit.export': { input: z.object({ format: z.enum(['csv', 'json']) }), output: ExportFile },
  /** A session's transcript (null: none attached). */
  'transcripts.get': { input: z.object({ sessionId: id }), output: Transcript.nullable() },
  /**
   * Attach a transcript file (WebVTT, SRT, timestamped text, ELAN) to a session: read, checked against the recording,
   * each line estimated by the text model, stored in one transaction. Refused when the session has one, unless
   * `replace`. Progress in transcripts.attachStatus while it runs.
   */
  'transcripts.attach': {
    input: z.object({
      sessionId: id,
      path: filePath,
      replace: z.boolean().optional(),
      format: z.enum(['webvtt', 'srt', 'timestamped-text', 'eaf']).optional(),
      tiers: z.array(shortName).max(100).optional(),
    }),
    output: Transcript,
  },
  'transcripts.attachStatus': { input: z.object({ sessionId: id }), output: TranscriptAttachStatus },
  'transcripts.cancelAttach': { input: z.object({ sessionId: id }), output: TranscriptAttachStatus },
  /** The user's name for a transcript speaker (null: the file's name). */
  'transcripts.renameSpeaker': { input: z.object({ speakerId: id, name: text(200).trim().nullable() }), output: Transcript },
  /** Map a transcript speaker to a participant by hand (null: nobody in the recording). */
  'transcripts.mapSpeaker': { input: z.object({ speakerId: id, participant: z.number().int().min(1).max(10_000).nullable() }), output: Transcript },
  /** Full-text search over a client's transcripts: the matching lines, oldest session first. */
  'transcripts.search': {
    input: z.object({ clientId: id, query: text(200).trim().min(1), limit: z.number().int().min(1).max(1000).optional() }),
    output: z.object({ hits: z.array(TranscriptSearchHit), total: z.number(), sessions: z.number() }),
  },
} as const;

export type ApiMethod = keyof typeof API;
export type ApiInput<M extends ApiMethod> = z.input<(typeof API)[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<(typeof API)[M]['output']>;

/** The typed client every UI transport implements (Electron preload, browser HTTP). */
export type AffectApi = { call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> };

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: 'bad-request' | 'not-found' | 'forbidden' | 'locked' | 'failed' = 'failed',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(API, name);
}

/** Validate a call's input; throws ApiError('bad-request') with the zod message. */
export function parseInput<M extends ApiMethod>(method: M, input: unknown): z.output<(typeof API)[M]['input']> {
  const parsed = API[method].input.safeParse(input ?? {});
  if (!parsed.success)
    throw new ApiError(
      `${method}: invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
      'bad-request',
    );
  return parsed.data as z.output<(typeof API)[M]['input']>;
}

/** Validate a call's output (on both sides of the boundary). */
export function parseOutput<M extends ApiMethod>(method: M, output: unknown): ApiOutput<M> {
  const parsed = API[method].output.safeParse(output);
  if (!parsed.success)
    throw new ApiError(`${method}: invalid output: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.data as ApiOutput<M>;
}
