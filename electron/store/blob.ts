/** float32 little-endian BLOBs for probability vectors. */
export function probsToBlob(probs: Float32Array | null): Buffer | null {
  if (!probs) return null;
  const buf = Buffer.alloc(probs.length * 4);
  probs.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf;
}

export function blobToProbs(blob: Buffer | null): Float32Array | null {
  if (!blob) return null;
  const out = new Float32Array(blob.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = blob.readFloatLE(i * 4);
  return out;
}
