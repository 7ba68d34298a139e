import { descriptorDistance } from '../face/identity-model.js';

/** A face track as the clustering sees it: its mean descriptor (weight = descriptors averaged) and when it was seen. */
export interface TrackPoint {
  id: number;
  mean: Float32Array;
  weight: number;
  firstFrame: number;
  lastFrame: number;
}

/**
 * Group face tracks into people: agglomerative clustering on the tracks' mean descriptors (centroid linkage,
 * weighted by descriptor counts), merging the closest pair while its distance is below `sameBelow`, never merging
 * two clusters that hold tracks seen at the same time (two faces in one frame are two people). Deterministic.
 * Returns one array of track ids per person, ordered by first appearance (then by lowest track id).
 */
export function clusterTracks(tracks: readonly TrackPoint[], sameBelow: number): number[][] {
  interface Cluster {
    ids: number[];
    spans: Array<[number, number]>;
    sum: Float64Array;
    weight: number;
    first: number;
  }
  const clusters: Cluster[] = tracks.map((t) => ({
    ids: [t.id],
    spans: [[t.firstFrame, t.lastFrame]],
    sum: Float64Array.from(t.mean, (v) => v * t.weight),
    weight: t.weight,
    first: t.firstFrame,
  }));
  const centroid = (c: Cluster) => Float32Array.from(c.sum, (v) => v / c.weight);
  const overlaps = (a: Cluster, b: Cluster) => a.spans.some(([a0, a1]) => b.spans.some(([b0, b1]) => a0 <= b1 && b0 <= a1));
  for (;;) {
    let best: [number, number] | null = null;
    let bestD = sameBelow;
    const cents = clusters.map(centroid);
    for (let i = 0; i < clusters.length; i++)
      for (let j = i + 1; j < clusters.length; j++) {
        const d = descriptorDistance(cents[i], cents[j]);
        if (d < bestD && !overlaps(clusters[i], clusters[j])) ((bestD = d), (best = [i, j]));
      }
    if (!best) break;
    const [i, j] = best;
    const a = clusters[i];
    const b = clusters[j];
    for (let k = 0; k < a.sum.length; k++) a.sum[k] += b.sum[k];
    a.weight += b.weight;
    a.ids.push(...b.ids);
    a.spans.push(...b.spans);
    a.first = Math.min(a.first, b.first);
    clusters.splice(j, 1);
  }
  return clusters
    .map((c) => ({ first: c.first, ids: c.ids.sort((x, y) => x - y) }))
    .sort((a, b) => a.first - b.first || a.ids[0] - b.ids[0])
    .map((c) => c.ids);
}
