import { createHash } from 'node:crypto';
import path from 'node:path';

export interface Shard {
  index: number; // 1-based
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) throw new Error(`--shard must be i/N with 1 ≤ i ≤ N, got "${text}"`);
  return { index, count };
}

/**
 * The shard a file belongs to: a hash of its path relative to the input it was found under, so the
 * same file lands in the same shard on every machine and whatever other files are added.
 */
export function shardOf(file: string, root: string, count: number): number {
  const rel = path.relative(root, file).split(path.sep).join('/') || path.basename(file);
  return (createHash('sha256').update(rel).digest().readUInt32BE(0) % count) + 1;
}
