/**
 * Speaker clustering of window embeddings: average-linkage agglomerative clustering on cosine similarity, stopped by
 * a similarity threshold (number of speakers estimated) or at a given number of clusters; then tiny clusters are
 * folded into their nearest neighbour and every window is re-assigned to its nearest centroid.
 * For long recordings the agglomeration runs on at most `maxAgglomerate` evenly spaced windows (memory and time
 * stay bounded: n² similarities), and the other windows join the nearest resulting centroid.
 */
export interface ClusterOptions {
  /** Stop merging when the best pair is less similar than this (ignored when `clusters` is given). */
  threshold: number;
  /** Exactly this many clusters (when there are at least that many windows). */
  clusters?: number;
  /** Clusters holding fewer windows than this share of all windows (and fewer than `minWindows`) are folded away
   *  when the number of speakers is estimated. */
  minShare?: number;
  minWindows?: number;
  maxAgglomerate?: number;
  /** Most clusters to return when estimating. */
  maxClusters?: number;
  /** When estimating: then merge clusters whose centroids (means, so less noisy than single windows) are more
   *  similar than this, most similar first. */
  mergeAbove?: number;
}

export interface Clustering {
  /** Cluster of each input vector, 0..k-1, numbered by first appearance. */
  labels: Int32Array;
  /** L2-normalised centroid of each cluster. */
  centroids: Float32Array[];
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function normalise(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / n);
}

/** Vectors minus their mean, re-normalised (what every voice of one recording shares is taken out). */
export function centreVectors(vectors: Float32Array[]): Float32Array[] {
  if (!vectors.length) return [];
  const mean = new Float64Array(vectors[0].length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) mean[i] += v[i] / vectors.length;
  return vectors.map((v) => normalise(v.map((x, i) => x - mean[i])));
}

/** Average-linkage agglomeration; returns a cluster id per vector. */
export function agglomerate(vectors: Float32Array[], stop: { threshold: number; clusters?: number }): Int32Array {
  const n = vectors.length;
  const sim = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sim[i * n + j] = sim[j * n + i] = dot(vectors[i], vectors[j]);
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const bestJ = new Int32Array(n).fill(-1);
  const bestS = new Float64Array(n).fill(-Infinity);
  const rescan = (i: number) => {
    bestJ[i] = -1;
    bestS[i] = -Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i || !active[j]) continue;
      if (sim[i * n + j] > bestS[i]) {
        bestS[i] = sim[i * n + j];
        bestJ[i] = j;
      }
    }
  };
  for (let i = 0; i < n; i++) rescan(i);
  let count = n;
  const target = stop.clusters ?? 1;
  while (count > target) {
    let a = -1;
    for (let i = 0; i < n; i++) if (active[i] && bestJ[i] >= 0 && (a < 0 || bestS[i] > bestS[a])) a = i;
    if (a < 0) break;
    if (stop.clusters === undefined && bestS[a] < stop.threshold) break;
    const b = bestJ[a];
    // Merge b into a: average linkage update of row a.
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === a || k === b) continue;
      const s = (size[a] * sim[a * n + k] + size[b] * sim[b * n + k]) / (size[a] + size[b]);
      sim[a * n + k] = sim[k * n + a] = s;
    }
    size[a] += size[b];
    active[b] = 0;
    parent[b] = a;
    count--;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      if (i === a || bestJ[i] === a || bestJ[i] === b) rescan(i);
      else if (sim[i * n + a] > bestS[i]) {
        bestS[i] = sim[i * n + a];
        bestJ[i] = a;
      }
    }
  }
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  return Int32Array.from({ length: n }, (_, i) => root(i));
}

function centroidsOf(vectors: Float32Array[], labels: Int32Array, k: number): Float32Array[] {
  const dim = vectors[0].length;
  const sums = Array.from({ length: k }, () => new Float32Array(dim));
  labels.forEach((l, i) => {
    for (let d = 0; d < dim; d++) sums[l][d] += vectors[i][d];
  });
  return sums.map(normalise);
}

function nearest(v: Float32Array, centroids: Float32Array[]): number {
  let best = 0;
  let bestS = -Infinity;
  centroids.forEach((c, k) => {
    const s = dot(v, c);
    if (s > bestS) {
      bestS = s;
      best = k;
    }
  });
  return best;
}

/** Relabel 0..k-1 by first appearance, dropping empty clusters. */
function compact(labels: Int32Array): { labels: Int32Array; k: number } {
  const map = new Map<number, number>();
  const out = labels.map((l) => {
    if (!map.has(l)) map.set(l, map.size);
    return map.get(l)!;
  });
  return { labels: out, k: map.size };
}

export function clusterSpeakers(vectors: Float32Array[], opts: ClusterOptions): Clustering {
  const n = vectors.length;
  if (n === 0) return { labels: new Int32Array(0), centroids: [] };
  const maxAgg = opts.maxAgglomerate ?? 1000;
  const pick = n <= maxAgg ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: maxAgg }, (_, i) => Math.floor((i * n) / maxAgg));
  const clusters = opts.clusters !== undefined ? Math.max(1, Math.min(opts.clusters, pick.length)) : undefined;
  const sub = agglomerate(
    pick.map((i) => vectors[i]),
    { threshold: opts.threshold, clusters },
  );
  let { labels: subLabels, k } = compact(sub);
  let centroids = centroidsOf(
    pick.map((i) => vectors[i]),
    subLabels,
    k,
  );
  let labels: Int32Array = Int32Array.from(vectors, (v) => nearest(v, centroids));

  if (clusters === undefined) {
    // Fold tiny clusters (stray windows: coughs, overlaps, music) into their nearest neighbour.
    const minCount = Math.max(opts.minWindows ?? 2, Math.ceil((opts.minShare ?? 0) * n));
    for (;;) {
      const counts = new Int32Array(k);
      for (const l of labels) counts[l]++;
      let smallest = -1;
      for (let c = 0; c < k; c++) if (counts[c] < minCount && (smallest < 0 || counts[c] < counts[smallest])) smallest = c;
      if (smallest < 0 || k === 1) break;
      centroids = centroids.filter((_, c) => c !== smallest);
      k--;
      labels = Int32Array.from(vectors, (v) => nearest(v, centroids));
    }
    // Clusters whose centroids are very similar are one voice heard in different moods or moments.
    if (opts.mergeAbove !== undefined) {
      while (k > 1) {
        let best = -Infinity;
        let pair: [number, number] = [0, 1];
        for (let a = 0; a < k; a++)
          for (let b = a + 1; b < k; b++) {
            const sim = dot(centroids[a], centroids[b]);
            if (sim > best) [best, pair] = [sim, [a, b]];
          }
        if (best <= opts.mergeAbove) break;
        labels = labels.map((l) => (l === pair[1] ? pair[0] : l));
        const c = compact(labels);
        labels = c.labels;
        k = c.k;
        centroids = centroidsOf(vectors, labels, k);
      }
    }
    // Too many clusters: merge the most similar centroids.
    const maxK = opts.maxClusters ?? 10;
    while (k > maxK) {
      const merged = agglomerate(centroids, { threshold: -1, clusters: maxK });
      const c = compact(merged);
      labels = labels.map((l) => c.labels[l]);
      k = c.k;
      centroids = centroidsOf(vectors, labels, k);
    }
  }
  // Two rounds of nearest-centroid refinement (k-means steps on the unit sphere).
  for (let round = 0; round < 2; round++) {
    const c = compact(labels);
    centroids = centroidsOf(vectors, c.labels, c.k);
    labels = Int32Array.from(vectors, (v) => nearest(v, centroids));
  }
  const c = compact(labels);
  return { labels: c.labels, centroids: centroidsOf(vectors, c.labels, c.k) };
}
