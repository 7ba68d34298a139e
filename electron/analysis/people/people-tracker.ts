import jpeg from 'jpeg-js';
import type { Box, RgbImage } from '../image.js';
import { resampleRegion } from '../image.js';
import { cropFace, type CropSpec } from '../face/crop.js';
import { boxIou, cropImage, type FaceFinder, type FoundFace } from '../face/face-finder.js';
import { descriptorDistance, type FaceIdentityModel } from '../face/identity-model.js';
import { clusterTracks } from './cluster-tracks.js';
import { mouthPatch, mouthActivity } from './mouth-activity.js';
import { medianBox, TrackSummary } from './track-summary.js';

/**
 * Who is who in the faces of a recording: per-frame detections → short tracks → participants.
 *
 *  1. Faces: `FaceFinder.next` (every face, small tiles and thumbnails included).
 *  2. Tracks: each face is linked to the track whose last box overlaps it most (IoU ≥ `linkIou`); a track not seen
 *     for more than `maxGapFrames` frames ends. A link is checked when the face's look changes abruptly (a colour
 *     signature of the box jumps by more than `appearanceJump`, e.g. two tiles swapped places or the active speaker
 *     changed in speaker view): the face is embedded and, if it is farther than `sameBelow` from the track's mean
 *     descriptor, the track ends and a new one starts.
 *  3. Identity: each track is embedded (face/align.ts → FaceIdentityModel) on its first frame and then on a doubling
 *     schedule (`embedAt`: frames 0, 1, 3, 7, 15, … after its start, then every `embedEvery`), so a long static
 *     tile costs a handful of embeddings. Only summaries are kept (track-summary.ts): memory does not grow with
 *     the recording's length, only with the number of tracks.
 *  4. Participants: while streaming, a new track takes the nearest participant within `sameBelow` that is not
 *     on screen in the same frame (provisional ids in the per-frame output); `finish()` clusters all tracks
 *     (cluster-tracks.ts) and gives the final participant of every track. Tracks shorter than `minFrames` frames
 *     (stray detections) belong to no participant.
 */
export interface PeopleTrackerOptions {
  linkIou: number;
  maxGapFrames: number;
  /** Frames after a track's start at which it is embedded … */
  embedAt: readonly number[];
  /** … and then every this many frames. */
  embedEvery: number;
  appearanceJump: number;
  /** Descriptor distance for "same person" (default: the identity model's manifest). */
  sameBelow?: number;
  minFrames: number;
  /** A face whose longer box side is below this fraction of the frame's longer side is flagged `small` (thumbnails). */
  smallFace: number;
  /** Boxes in results are multiplied by this (frame pixels → source-video pixels). */
  toSource: number;
  /** Expression-model crops to cut from each frame while it is in memory (absent: no crops). */
  crop?: { spec: CropSpec; width: number; height: number };
  /** Side of the participant thumbnail (JPEG). */
  thumbnailSize: number;
}

export const DEFAULT_PEOPLE: PeopleTrackerOptions = {
  linkIou: 0.3,
  maxGapFrames: 2,
  embedAt: [0, 1, 3, 7, 15, 31],
  embedEvery: 60,
  appearanceJump: 0.12,
  minFrames: 3,
  smallFace: 0.06,
  toSource: 1,
  thumbnailSize: 96,
};

export interface PersonFace {
  trackId: number;
  /** Provisional while streaming; the final id is `result.participantOfTrack.get(trackId)` after finish(). */
  participantId: number;
  box: Box;
  score: number;
  small: boolean;
  /** The expression-model crop, when `crop` was set. */
  crop?: RgbImage;
  /** Mouth-region change since this track's previous frame (mouth-activity.ts); null on a track's first frame. */
  mouthActivity: number | null;
}

export interface PeopleFrame {
  index: number;
  timeS: number;
  faces: PersonFace[];
}

export interface Participant {
  id: number;
  trackIds: number[];
  framesSeen: number;
  firstSeenS: number;
  lastSeenS: number;
  /** Median face box (source pixels when `toSource` was given). */
  medianBox: Box;
  /** Most of its frames were small faces (self-view thumbnail, far away). */
  small: boolean;
  /** Mean identity descriptor over all its embedded faces (for recognising the person in a later session). */
  embedding: Float32Array;
  embeddingCount: number;
  thumbnail: { mime: 'image/jpeg'; width: number; height: number; data: Uint8Array };
}

export interface PeopleResult {
  participants: Participant[];
  /** Final participant id of every track that belongs to one (stray short tracks are absent). */
  participantOfTrack: Map<number, number>;
  /** Embeddings computed (for cost figures). */
  embeddings: number;
}

interface ActiveTrack {
  summary: TrackSummary;
  box: Box;
  signature: Float32Array;
  mouth: Float32Array | null;
  provisional: number;
  startFrame: number;
  nextEmbed: number;
}

export class PeopleTracker {
  private readonly opts: PeopleTrackerOptions;
  private readonly sameBelow: number;
  private readonly active: ActiveTrack[] = [];
  private readonly finished: TrackSummary[] = [];
  private readonly provisional = new Map<number, { sum: Float64Array; weight: number }>();
  private nextTrackId = 1;
  private embeddings = 0;
  /** Memory for each frame's face crops while their signatures are taken (reused: no allocation per face and frame). */
  private readonly scratch: Scratch = { bytes: new Uint8Array(0) };

  constructor(
    private readonly finder: FaceFinder,
    private readonly identity: FaceIdentityModel,
    opts: Partial<PeopleTrackerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_PEOPLE, ...opts };
    this.sameBelow = this.opts.sameBelow ?? identity.sameBelow;
  }

  /** One decoded frame (its pixels are only read during this call). */
  async push(frame: { index: number; timeS: number; width: number; height: number; rgb: Uint8Array }): Promise<PeopleFrame> {
    const image: RgbImage = { width: frame.width, height: frame.height, rgb: frame.rgb };
    const faces = await this.finder.next(image);
    const longSide = Math.max(frame.width, frame.height);

    // Link faces to active tracks, best overlaps first.
    const pairs: Array<{ t: number; f: number; iou: number }> = [];
    this.active.forEach((t, ti) =>
      faces.forEach((f, fi) => {
        const iou = boxIou(t.box, f.box);
        if (iou >= this.opts.linkIou) pairs.push({ t: ti, f: fi, iou });
      }),
    );
    pairs.sort((a, b) => b.iou - a.iou);
    const trackOfFace = new Array<ActiveTrack | null>(faces.length).fill(null);
    const usedTracks = new Set<number>();
    for (const p of pairs) {
      if (usedTracks.has(p.t) || trackOfFace[p.f]) continue;
      usedTracks.add(p.t);
      trackOfFace[p.f] = this.active[p.t];
    }

    // Which faces need a descriptor now: new tracks, scheduled re-embeddings, abrupt changes of look.
    const signatures = faces.map((f) => signature(image, f.box, this.scratch));
    const want: Array<{ f: number; reason: 'new' | 'schedule' | 'check' }> = [];
    faces.forEach((f, fi) => {
      const t = trackOfFace[fi];
      if (!t) want.push({ f: fi, reason: 'new' });
      else if (signatureDistance(t.signature, signatures[fi]) > this.opts.appearanceJump) want.push({ f: fi, reason: 'check' });
      else if (frame.index - t.startFrame >= t.nextEmbed) want.push({ f: fi, reason: 'schedule' });
    });
    const descriptors = await this.identity.embed(want.map((w) => this.identity.align(image, faces[w.f])));
    this.embeddings += descriptors.length;
    const descriptorOf = new Map(want.map((w, i) => [w.f, descriptors[i]]));

    // A changed look that is another person ends the track: the face starts a new one.
    want.forEach((w) => {
      if (w.reason !== 'check') return;
      const t = trackOfFace[w.f]!;
      const mean = t.summary.mean();
      if (mean && descriptorDistance(mean, descriptorOf.get(w.f)!) > this.sameBelow) trackOfFace[w.f] = null;
    });

    // Close tracks that were not continued (and are past the gap allowance).
    const continued = new Set(trackOfFace.filter((t): t is ActiveTrack => t !== null));
    for (let i = this.active.length - 1; i >= 0; i--) {
      const t = this.active[i];
      const stale = frame.index - t.summary.lastFrame > this.opts.maxGapFrames;
      const replaced = !continued.has(t) && usedTracks.has(i);
      if (stale || replaced) {
        this.finished.push(t.summary);
        this.active.splice(i, 1);
      }
    }

    const onScreen = new Set<number>();
    trackOfFace.forEach((t) => t && onScreen.add(t.provisional));
    const out: PersonFace[] = [];
    faces.forEach((f, fi) => {
      let t = trackOfFace[fi];
      const d = descriptorOf.get(fi);
      if (!t) {
        t = this.startTrack(frame.index, f, d!, onScreen);
        onScreen.add(t.provisional);
      } else if (d) {
        t.summary.addDescriptor(d);
        this.addToProvisional(t.provisional, d);
        const age = frame.index - t.startFrame;
        t.nextEmbed = nextEmbedAfter(age, this.opts.embedAt, this.opts.embedEvery);
      }
      const small = Math.max(f.box.width, f.box.height) < this.opts.smallFace * longSide;
      const k = this.opts.toSource;
      const sourceBox = { x: f.box.x * k, y: f.box.y * k, width: f.box.width * k, height: f.box.height * k };
      t.summary.addFrame(frame.index, frame.timeS, sourceBox, small);
      t.summary.offerThumbnail(() => cropFace(image, f.box, { margin: 0.3, square: true }, this.opts.thumbnailSize), f.box.height * f.score);
      const mouth = mouthPatch(image, f);
      const activity = t.mouth && mouth ? mouthActivity(t.mouth, mouth) : null;
      t.mouth = mouth;
      t.box = f.box;
      t.signature = signatures[fi];
      out.push({
        trackId: t.summary.id,
        participantId: t.provisional,
        box: sourceBox,
        score: f.score,
        small,
        ...(this.opts.crop ? { crop: cropFace(image, f.box, this.opts.crop.spec, this.opts.crop.width, this.opts.crop.height) } : {}),
        mouthActivity: activity,
      });
    });
    return { index: frame.index, timeS: frame.timeS, faces: out };
  }

  /** End of the recording: cluster every track into participants. */
  finish(): PeopleResult {
    const all = [...this.finished, ...this.active.map((t) => t.summary)];
    this.active.length = 0;
    const kept = all.filter((t) => t.frames >= this.opts.minFrames && t.descriptorCount > 0);
    const groups = clusterTracks(
      kept.map((t) => ({ id: t.id, mean: t.mean()!, weight: t.descriptorCount, firstFrame: t.firstFrame, lastFrame: t.lastFrame })),
      this.sameBelow,
    );
    const byId = new Map(kept.map((t) => [t.id, t]));
    const participantOfTrack = new Map<number, number>();
    const participants = groups.map((ids, i): Participant => {
      const tracks = ids.map((id) => byId.get(id)!);
      ids.forEach((id) => participantOfTrack.set(id, i + 1));
      const weight = tracks.reduce((s, t) => s + t.descriptorCount, 0);
      const embedding = new Float32Array(tracks[0].descriptorSum!.length);
      for (const t of tracks) t.descriptorSum!.forEach((v, k) => (embedding[k] += v / weight));
      const frames = tracks.reduce((s, t) => s + t.frames, 0);
      const best = tracks.filter((t) => t.thumb).sort((a, b) => b.thumb!.quality - a.thumb!.quality)[0];
      return {
        id: i + 1,
        trackIds: ids,
        framesSeen: frames,
        firstSeenS: Math.min(...tracks.map((t) => t.firstS)),
        lastSeenS: Math.max(...tracks.map((t) => t.lastS)),
        medianBox: medianBox(tracks.flatMap((t) => t.boxes)),
        small: tracks.reduce((s, t) => s + t.smallFrames, 0) * 2 > frames,
        embedding,
        embeddingCount: weight,
        thumbnail: encodeJpeg(best.thumb!.image),
      };
    });
    return { participants, participantOfTrack, embeddings: this.embeddings };
  }

  private startTrack(frameIndex: number, f: FoundFace, d: Float32Array, onScreen: Set<number>): ActiveTrack {
    const summary = new TrackSummary(this.nextTrackId++);
    summary.addDescriptor(d);
    // Provisional participant: the nearest one within sameBelow that is not on screen now, else a new one.
    let best = 0;
    let bestD = this.sameBelow;
    for (const [id, p] of this.provisional) {
      if (onScreen.has(id)) continue;
      const dist = descriptorDistance(
        Float32Array.from(p.sum, (v) => v / p.weight),
        d,
      );
      if (dist < bestD) ((bestD = dist), (best = id));
    }
    if (!best) {
      best = this.provisional.size + 1;
      this.provisional.set(best, { sum: new Float64Array(d.length), weight: 0 });
    }
    this.addToProvisional(best, d);
    const t: ActiveTrack = {
      summary,
      box: f.box,
      signature: new Float32Array(0),
      mouth: null,
      provisional: best,
      startFrame: frameIndex,
      nextEmbed: nextEmbedAfter(0, this.opts.embedAt, this.opts.embedEvery),
    };
    this.active.push(t);
    return t;
  }

  private addToProvisional(id: number, d: Float32Array): void {
    const p = this.provisional.get(id)!;
    for (let i = 0; i < d.length; i++) p.sum[i] += d[i];
    p.weight++;
  }
}

/** The next age (frames since start) at which a track is embedded again, after being embedded at `age`. */
export function nextEmbedAfter(age: number, at: readonly number[], every: number): number {
  const next = at.find((a) => a > age);
  return next ?? age + every;
}

/** A buffer reused from call to call, grown when a call needs more. */
interface Scratch {
  bytes: Uint8Array;
}

/** An 8×8 colour thumbnail of the box, values 0–1: a cheap "did this face change" signature. */
function signature(image: RgbImage, box: Box, scratch: Scratch): Float32Array {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  if (x1 - x0 < 2 || y1 - y0 < 2) return new Float32Array(0);
  const bytes = (x1 - x0) * (y1 - y0) * 3;
  if (scratch.bytes.length < bytes) scratch.bytes = new Uint8Array(bytes * 2);
  const part = cropImage(image, x0, y0, x1 - x0, y1 - y0, scratch.bytes);
  const small = resampleRegion(part, { x: 0, y: 0, width: part.width, height: part.height }, 8, 8, 'edge');
  return Float32Array.from(small.rgb, (v) => v / 255);
}

function signatureDistance(a: Float32Array, b: Float32Array): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

function encodeJpeg(img: RgbImage): Participant['thumbnail'] {
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0, j = 0; i < img.rgb.length; i += 3, j += 4) {
    rgba[j] = img.rgb[i];
    rgba[j + 1] = img.rgb[i + 1];
    rgba[j + 2] = img.rgb[i + 2];
    rgba[j + 3] = 255;
  }
  const data = jpeg.encode({ data: rgba, width: img.width, height: img.height }, 85).data;
  return { mime: 'image/jpeg', width: img.width, height: img.height, data: new Uint8Array(data) };
}
