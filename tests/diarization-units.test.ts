import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diarizationError, maxWeightMatching } from '../electron/analysis/diarization/der.js';
import { speechSegments, SpeechSegmenter } from '../electron/analysis/diarization/speech-segments.js';
import { agglomerate, clusterSpeakers, normalise } from '../electron/analysis/diarization/clustering.js';
import { labelSpeech, smoothLabels } from '../electron/analysis/diarization/turns.js';
import { ChannelStats } from '../electron/analysis/diarization/channel-layout.js';
import { buildConversation } from '../electron/analysis/diarization/mixture.js';
import { seededRandom } from '../electron/analysis/random.js';

const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

test('DER: perfect, relabelled, missed, false alarm, confusion, overlap and collar', () => {
  const ref = [
    { startS: 0, endS: 10, speaker: 'A' },
    { startS: 10, endS: 20, speaker: 'B' },
  ];
  close(diarizationError(ref, ref).der, 0);
  // Hypothesis names do not matter: the optimal mapping pairs them up.
  const renamed = diarizationError(ref, [
    { startS: 0, endS: 10, speaker: 7 },
    { startS: 10, endS: 20, speaker: 3 },
  ]);
  close(renamed.der, 0);
  assert.deepEqual(renamed.mapping, { '7': 'A', '3': 'B' });
  const nothing = diarizationError(ref, []);
  close(nothing.missed, 1);
  close(nothing.der, 1);
  // One speaker for everything: half of the time is confused.
  const one = diarizationError(ref, [{ startS: 0, endS: 20, speaker: 0 }]);
  close(one.confusion, 0.5);
  close(one.missed + one.falseAlarm, 0);
  // Extra hypothesis speech in silence is false alarm.
  const fa = diarizationError(ref, [...ref, { startS: 20, endS: 25, speaker: 'A' }]);
  close(fa.falseAlarm, 0.25);
  // Overlap in the reference counts per speaker: 5 s of two speakers → 25 s scored; one hypothesis speaker misses 5 s.
  const overlapRef = [
    { startS: 0, endS: 12.5, speaker: 'A' },
    { startS: 7.5, endS: 20, speaker: 'B' },
  ];
  const ov = diarizationError(overlapRef, ref);
  close(ov.referenceS, 25, 0.02);
  close(ov.missedS, 5, 0.02);
  // A boundary 0.2 s off is forgiven by a 0.25 s collar, not without it.
  const shifted = [
    { startS: 0, endS: 10.2, speaker: 'A' },
    { startS: 10.2, endS: 20, speaker: 'B' },
  ];
  assert.ok(diarizationError(ref, shifted).confusion > 0.009);
  close(diarizationError(ref, shifted, { collarS: 0.25 }).der, 0);
});

test('maxWeightMatching finds the best one-to-one assignment, rectangular too', () => {
  assert.deepEqual(
    maxWeightMatching([
      [1, 9],
      [8, 2],
    ]),
    [1, 0],
  );
  assert.deepEqual(
    maxWeightMatching([
      [5, 1, 0],
      [6, 5, 0],
    ]),
    [0, 1],
  );
  const three = maxWeightMatching([[1], [7], [3]]);
  assert.deepEqual(three, [-1, 0, -1]);
});

test('speech segmenter: hysteresis, minimum speech and silence, padding, maximum length, chunking', () => {
  const f = 0.032;
  const p = (pattern: string) => Array.from(pattern, (c) => (c === '#' ? 0.9 : c === '~' ? 0.4 : 0.05));
  // 20 frames speech, a 2-frame dip (64 ms < 100 ms min silence), 20 frames speech, long silence.
  const probs = p('..........####################..####################............................');
  const segs = speechSegments(probs, f);
  assert.equal(segs.length, 1);
  close(segs[0].startS, 10 * f - 0.03);
  close(segs[0].endS, 52 * f + 0.03);
  // 0.4 lies between negThreshold and threshold: it neither starts nor ends speech.
  assert.equal(speechSegments(p('....~~~~~~~~~~....'), f).length, 0);
  assert.equal(speechSegments(p('....####~~~~~~~~####....'), f).length, 1);
  // Too short (5 frames = 160 ms < 250 ms) is dropped.
  assert.equal(speechSegments(p('.....#####.......'), f).length, 0);
  // Padding never crosses into the neighbouring segment, and never before 0.
  const two = speechSegments(p('##########....##########'), f);
  assert.equal(two.length, 2);
  assert.equal(two[0].startS, 0);
  assert.ok(two[0].endS <= two[1].startS);
  // Maximum length: 100 frames of speech cut into pieces of at most 1 s.
  const long = speechSegments(p('#'.repeat(100)), f, { maxSpeechS: 1 });
  assert.ok(long.length >= 3);
  for (const s of long) assert.ok(s.endS - s.startS <= 1 + 0.03 + 1e-9);
  close(long[long.length - 1].endS, 100 * f);
  // Same segments whatever the chunking.
  const seg = new SpeechSegmenter(f);
  const chunked = [];
  for (let i = 0; i < probs.length; i += 7) chunked.push(...seg.push(probs.slice(i, i + 7)));
  chunked.push(...seg.flush());
  assert.deepEqual(chunked, segs);
});

function blobs(centres: Float32Array[], perCluster: number[], noise: number, seed: number): { vectors: Float32Array[]; truth: number[] } {
  const rand = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const vectors: Float32Array[] = [];
  const truth: number[] = [];
  centres.forEach((c, k) => {
    for (let i = 0; i < perCluster[k]; i++) {
      vectors.push(normalise(c.map((x) => x + noise * gauss())));
      truth.push(k);
    }
  });
  return { vectors, truth };
}

function randomUnit(dim: number, rand: () => number): Float32Array {
  return normalise(Float32Array.from({ length: dim }, () => rand() - 0.5));
}

test('clustering: estimates the count, honours a given count, folds tiny clusters, bounded for many windows', () => {
  const rand = seededRandom(5);
  const centres = [0, 1, 2].map(() => randomUnit(32, rand));
  const { vectors, truth } = blobs(centres, [40, 30, 20], 0.08, 1);
  const est = clusterSpeakers(vectors, { threshold: 0.5 });
  assert.equal(est.centroids.length, 3);
  // Same partition as the truth (labels are numbered by first appearance, as the truth is).
  assert.deepEqual(Array.from(est.labels), truth);
  const two = clusterSpeakers(vectors, { threshold: 0.5, clusters: 2 });
  assert.equal(two.centroids.length, 2);
  // A cluster of 2 stray windows among 90 is folded away with minShare 5 %.
  const stray = blobs([randomUnit(32, rand)], [2], 0.05, 2);
  const withStray = clusterSpeakers([...vectors, ...stray.vectors], { threshold: 0.5, minShare: 0.05 });
  assert.equal(withStray.centroids.length, 3);
  // 3000 windows: agglomeration runs on a bounded subsample and every window still gets a label.
  const many = blobs(centres, [1000, 1000, 1000], 0.08, 3);
  const big = clusterSpeakers(many.vectors, { threshold: 0.5, maxAgglomerate: 300 });
  assert.equal(big.centroids.length, 3);
  assert.equal(big.labels.length, 3000);
  assert.deepEqual(Array.from(agglomerate([vectors[0]], { threshold: 0 })), [0]);
  // Two clusters of one voice in two moods (centroids at cosine ≈ 0.9, windows of the two at ≈ 0.81): average linkage
  // stopped at 0.9 keeps them apart; merging centroids above 0.8 joins them, above 0.95 does not.
  const r77 = seededRandom(77);
  const base = normalise(Float32Array.from({ length: 32 }, () => r77() - 0.5));
  const moods = [0, 1].map(() => normalise(base.map((x) => x + 0.25 * (r77() - 0.5))));
  const voice = blobs(moods, [30, 30], 0.05, 4);
  assert.equal(clusterSpeakers(voice.vectors, { threshold: 0.9 }).centroids.length, 2);
  assert.equal(clusterSpeakers(voice.vectors, { threshold: 0.9, mergeAbove: 0.8 }).centroids.length, 1);
  assert.equal(clusterSpeakers(voice.vectors, { threshold: 0.9, mergeAbove: 0.95 }).centroids.length, 2);
});

test('turn smoothing removes a one-window flip inside a segment but keeps a change at a pause', () => {
  const w = (segment: number, startS: number) => ({ segment, startS, endS: startS + 1.5 });
  const windows = [w(0, 0), w(0, 0.75), w(0, 1.5), w(0, 2.25), w(1, 5), w(1, 5.75)];
  const scores = [
    [0.9, 0.1],
    [0.8, 0.2],
    [0.45, 0.55],
    [0.9, 0.1],
    [0.1, 0.9],
    [0.2, 0.8],
  ].map((s) => Float64Array.from(s));
  assert.deepEqual(Array.from(smoothLabels(windows, scores, 0)), [0, 0, 1, 0, 1, 1]);
  assert.deepEqual(Array.from(smoothLabels(windows, scores, 0.3)), [0, 0, 0, 0, 1, 1]);
  const speech = labelSpeech(
    [
      { startS: 0, endS: 3.75 },
      { startS: 5, endS: 7.25 },
      { startS: 8, endS: 8.2 },
    ],
    windows,
    [0, 0, 0, 0, 1, 1],
  );
  assert.deepEqual(speech, [
    { startS: 0, endS: 3.75, speaker: 0 },
    { startS: 5, endS: 7.25, speaker: 1 },
    { startS: 8, endS: 8.2, speaker: 1 }, // too short for a window: the nearest window's speaker
  ]);
  // A change inside a segment splits it half-way between the windows.
  const split = labelSpeech([{ startS: 0, endS: 4 }], [w(0, 0), w(0, 2.5)], [0, 1]);
  assert.deepEqual(
    split.map((s) => s.speaker),
    [0, 1],
  );
  close(split[0].endS, 2);
});

test('channel statistics: one party per channel, same sound, one channel silent', () => {
  const frame = 512;
  const rand = seededRandom(9);
  const tone = (amp: number) => Float32Array.from({ length: frame }, (_, i) => amp * Math.sin(i / 3 + rand()));
  const noise = (amp: number) => Float32Array.from({ length: frame }, () => amp * (rand() - 0.5));
  const separate = new ChannelStats(frame);
  for (let f = 0; f < 200; f++) {
    const leftTalks = Math.floor(f / 20) % 2 === 0;
    separate.pushFrame(leftTalks ? tone(0.3) : noise(0.001), leftTalks ? noise(0.001) : noise(0.3), 0.9);
  }
  assert.equal(separate.decide().kind, 'one-party-per-channel');
  const same = new ChannelStats(frame);
  for (let f = 0; f < 200; f++) {
    const x = noise(0.3);
    same.pushFrame(
      x,
      x.map((v) => v * 0.9),
      0.9,
    );
  }
  assert.equal(same.decide().kind, 'same-sound');
  const silent = new ChannelStats(frame);
  for (let f = 0; f < 200; f++) silent.pushFrame(noise(0.3), new Float32Array(frame), 0.9);
  const d = silent.decide();
  assert.equal(d.kind, 'one-channel-silent');
  assert.deepEqual(d.kind === 'one-channel-silent' && d.silent, [1]);
});

test('conversation builder: every speaker speaks, reference spans lie inside the audio, same seed same result', () => {
  const rand = seededRandom(3);
  const utt = (n: number) => Array.from({ length: 3 }, () => Float32Array.from({ length: n }, () => 0.3 * (rand() - 0.5)));
  const speakers = new Map([
    ['a', utt(16000)],
    ['b', utt(24000)],
    ['c', utt(8000)],
  ]);
  const conv = buildConversation(speakers, { seed: 11, turns: 8 });
  const again = buildConversation(speakers, { seed: 11, turns: 8 });
  assert.deepEqual(again.reference, conv.reference);
  assert.deepEqual(new Set(conv.reference.map((r) => r.speaker)), new Set(['a', 'b', 'c']));
  const duration = conv.samples.length / conv.sampleRate;
  for (const r of conv.reference) assert.ok(r.startS >= 0 && r.endS <= duration && r.endS > r.startS);
  // The tracks add up to the mix (minus the noise floor).
  let diff = 0;
  for (let i = 0; i < conv.samples.length; i += 97)
    diff = Math.max(diff, Math.abs(conv.samples[i] - conv.tracks.get('a')![i] - conv.tracks.get('b')![i] - conv.tracks.get('c')![i]));
  assert.ok(diff < 0.01);
});
