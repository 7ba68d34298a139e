import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_DIR_MODE, privateFileStream } from '../privacy/private-files.js';
import { BadRequest } from './request-guard.js';

/**
 * Browser-mode uploads: a recording the page sends is stored, owner-only, as `<root>/<random>/<name>` for the
 * import queue to analyse, and removed once its job has finished (done, failed or cancelled). At start the
 * server sweeps every upload no queued job needs (left by a crash, or by a version that kept them).
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 ** 3;

const MiB = 1024 ** 2;
const fmt = (bytes: number) =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 ? 1 : 0)} GiB` : `${Math.round(bytes / MiB)} MiB`;

export class UploadStore {
  constructor(
    readonly root: string,
    readonly maxBytes = DEFAULT_MAX_UPLOAD_BYTES,
  ) {
    ensurePrivateDir(root);
  }

  /** Whether a path is one of this store's uploads. */
  owns(file: string): boolean {
    const rel = path.relative(this.root, path.resolve(file));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && rel.includes(path.sep);
  }

  /**
   * Store the request body as `name`; throws BadRequest 413 past maxBytes (declared or counted: a body
   * without Content-Length is stopped when it passes the limit), 507 when the disk is full. Nothing is
   * left behind on any failure.
   */
  async receive(req: IncomingMessage, name: string): Promise<string> {
    const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
    if (declared !== null && declared > this.maxBytes)
      throw new BadRequest(`${name}: ${fmt(declared)} is over the upload limit of ${fmt(this.maxBytes)}`, 413);
    if (declared !== null && declared > this.freeBytes()) throw new BadRequest(`${name}: not enough free disk space for ${fmt(declared)}`, 507);
    const dir = path.join(this.root, randomUUID());
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
    const dest = path.join(dir, name);
    const out = privateFileStream(dest);
    try {
      await new Promise<void>((resolve, reject) => {
        let size = 0;
        const fail = (err: Error) => {
          req.unpipe(out.stream);
          reject(err);
        };
        req.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxBytes) fail(new BadRequest(`${name}: over the upload limit of ${fmt(this.maxBytes)}`, 413));
        });
        req.on('aborted', () => fail(new BadRequest(`${name}: the upload was interrupted`)));
        req.on('error', fail);
        out.stream.on('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOSPC' ? new BadRequest(`${name}: the disk is full`, 507) : err));
        out.stream.on('finish', () =>
          declared !== null && size !== declared ? fail(new BadRequest(`${name}: the upload was cut short`)) : resolve(),
        );
        req.pipe(out.stream);
      });
      out.commit();
      return dest;
    } catch (err) {
      out.abort();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Remove an upload (its folder) once nothing needs it; a path that is not an upload is left alone. */
  release(file: string): boolean {
    if (!this.owns(file)) return false;
    const dir = path.join(this.root, path.relative(this.root, path.resolve(file)).split(path.sep)[0]);
    rmSync(dir, { recursive: true, force: true });
    return true;
  }

  /** Remove every upload folder (and stray file) not holding one of `keep`; returns what was removed. */
  sweep(keep: Iterable<string>): string[] {
    const needed = new Set([...keep].filter((f) => this.owns(f)).map((f) => path.relative(this.root, path.resolve(f)).split(path.sep)[0]));
    const removed: string[] = [];
    for (const entry of readdirSync(this.root)) {
      if (needed.has(entry)) continue;
      rmSync(path.join(this.root, entry), { recursive: true, force: true });
      removed.push(path.join(this.root, entry));
    }
    return removed;
  }

  private freeBytes(): number {
    try {
      const s = statfsSync(this.root);
      return s.bavail * s.bsize;
    } catch {
      return Infinity;
    }
  }
}
