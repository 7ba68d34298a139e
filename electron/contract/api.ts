import { z } from 'zod';

/**
 * The one typed API between the UI and the engine. The Electron preload, the browser-mode HTTP
 * server and the service all validate against these schemas: inputs on the way in, outputs on the
 * way out. Nothing else crosses the boundary.
 */

const id = z.number().int().positive();
const labelShares = z.record(z.string(), z.number());

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
export const ModelRole = z.enum(['faceDetector', 'faceExpression', 'voiceEmotion']);

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
  ffmpeg: z.object({ path: z.string(), source: z.string() }).nullable(),
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
  reason: z.string().optional(),
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
  fused: z.object({ label: z.string().nullable(), confidence: z.number().nullable(), rule: z.string(), weights: z.object({ face: z.number(), voice: z.number() }).optional() }),
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
  recordedAt: z.string().nullable(),
  summary: SessionSummary,
});

export const FramePoint = z.object({
  t: z.number(),
  face: z.boolean(),
  label: z.string().nullable(),
  confidence: z.number().nullable(),
  probs: z.array(z.number()).nullable(),
});

export const WindowPoint = z.object({
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

export const SessionDetail = SessionListItem.extend({
  media: z.object({ hasVideo: z.boolean(), hasAudio: z.boolean(), width: z.number().nullable(), height: z.number().nullable() }),
  faceLabels: z.array(z.string()),
  voiceLabels: z.array(z.string()),
  frames: z.array(FramePoint),
  windows: z.array(WindowPoint),
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
  sessionId: id.nullable(),
  createdAt: z.string(),
});

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
  nextSteps: z.array(z.object({ kind: z.string(), title: z.string(), detail: z.string() })),
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
  title: z.string().nullable(),
  face: labelShares,
  voice: labelShares,
  fused: z.string().nullable(),
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

const segmentId = z.object({ segmentId: id });
const seconds = z.number().min(0);

/** method name → input and output schema. */
export const API = {
  'app.info': { input: z.object({}), output: AppInfo },
  'models.list': { input: z.object({}), output: z.array(InstalledModel) },
  /** Choose the model for a role (null: back to the default). Takes effect for the next analysis. */
  'models.select': { input: z.object({ role: ModelRole, id: z.string().min(1).nullable() }), output: z.array(InstalledModel) },
  'clients.list': { input: z.object({ search: z.string().optional(), includeArchived: z.boolean().optional() }), output: z.array(Client) },
  'clients.create': { input: z.object({ code: z.string().trim().min(1).max(64), displayName: z.string().max(200).nullable().optional() }), output: Client },
  'clients.rename': { input: z.object({ id, displayName: z.string().max(200).nullable() }), output: Client },
  'clients.archive': { input: z.object({ id, archived: z.boolean() }), output: Client },
  'sessions.list': { input: z.object({ clientId: id.nullable().optional() }), output: z.array(SessionListItem) },
  'sessions.get': { input: z.object({ id }), output: SessionDetail },
  'sessions.assign': { input: z.object({ id, clientId: id.nullable() }), output: SessionListItem },
  'jobs.enqueue': {
    input: z.object({ paths: z.array(z.string().min(1)).min(1).max(500), clientId: id.nullable().optional(), fps: z.number().positive().max(30).optional() }),
    output: z.array(Job),
  },
  'jobs.list': { input: z.object({}), output: z.array(Job) },
  'jobs.cancel': { input: z.object({ id }), output: Job },
  'jobs.retry': { input: z.object({ id }), output: Job },
  'dass.items': { input: z.object({}), output: DassItems },
  'dass.save': {
    input: z.object({ clientId: id, administeredAt: z.string().regex(/^\d{4}-\d{2}-\d{2}/), answers: z.array(DassAnswer).length(21), sessionId: id.nullable().optional() }),
    output: DassAdministration,
  },
  'dass.list': { input: z.object({ clientId: id }), output: z.object({ administrations: z.array(DassAdministration), changes: z.array(DassChange) }) },
  'trends.get': { input: z.object({ clientId: id }), output: z.object({ sessions: z.array(TrendPoint), dass: z.array(DassAdministration) }) },
  'annotations.tracks': {
    input: z.object({ sessionId: id }),
    output: z.object({ tracks: z.array(AnnotationTrack), frameTimes: z.object({ count: z.number(), endS: z.number() }).nullable() }),
  },
  'annotations.createTrack': { input: z.object({ sessionId: id, annotator: z.string().trim().min(1).max(100) }), output: AnnotationTrack },
  'annotations.add': { input: z.object({ trackId: id, start: seconds, end: seconds, label: z.string().min(1) }), output: Segment },
  'annotations.split': { input: segmentId.extend({ at: seconds }), output: z.array(Segment) },
  'annotations.merge': { input: z.object({ firstId: id, secondId: id }), output: Segment },
  'annotations.move': { input: segmentId.extend({ start: seconds.optional(), end: seconds.optional() }), output: Segment },
  'annotations.relabel': { input: segmentId.extend({ label: z.string().min(1) }), output: Segment },
  'annotations.delete': { input: segmentId, output: z.object({ ok: z.literal(true) }) },
  'annotations.undo': { input: z.object({ trackId: id }), output: AnnotationTrack },
  'annotations.redo': { input: z.object({ trackId: id }), output: AnnotationTrack },
  'agreement.session': { input: z.object({ sessionId: id, a: z.string().min(1), b: z.string().min(1), sliceS: z.number().positive().max(60).optional() }), output: Agreement },
  'export.session': {
    input: z.object({ sessionId: id, format: z.enum(['csv', 'json', 'eaf', 'pdf']), per: z.enum(['frame', 'window', 'segment', 'summary']).optional() }),
    output: z.object({ files: z.array(z.string()) }),
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
    readonly code: 'bad-request' | 'not-found' | 'failed' = 'failed',
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
  if (!parsed.success) throw new ApiError(`${method}: invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`, 'bad-request');
  return parsed.data as z.output<(typeof API)[M]['input']>;
}

/** Validate a call's output (on both sides of the boundary). */
export function parseOutput<M extends ApiMethod>(method: M, output: unknown): ApiOutput<M> {
  const parsed = API[method].output.safeParse(output);
  if (!parsed.success) throw new ApiError(`${method}: invalid output: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.data as ApiOutput<M>;
}
