/**
 * @module dapps/distribution/fetcher
 * `BundleFetcher.fetch(contentHash, { peers, onProgress, signal, expect })` downloads a bundle
 * from whichever candidate peers hold it (fetch-run.ts has the algorithm) and returns the
 * verified `.bud` (path and bytes). One run per content hash: a second fetch of a hash being
 * fetched joins the first. Request ids are one counter per fetcher, starting at a random
 * value, so answers to an earlier incarnation are not mistaken for ours. `close()` ends every
 * run with CANCELLED, their partial files kept for the next fetch to resume.
 */
import { randomBytes } from '../../crypto';
import { BuError, fromHex, silentLogger, type Logger } from '../../base';
import { FETCH_DEFAULTS } from './constants';
import { hashKey } from './head';
import { FetchRun } from './fetch-run';
import type { FetchLimits } from './peer-state';
import type { FetchOptions, FetchResult } from './types';
import type { DistResponse } from './wire';

export type FetcherOptions = {
  send: (address: string, payload: Uint8Array) => boolean;
  /** Where `<hash>.part` files are kept and finished `<hash>.bud` files land. */
  partialDir: string;
  limits?: Partial<FetchLimits>;
  logger?: Logger;
};

/** A content hash given as 32 bytes or 64 hex digits (0x optional); BAD_INPUT otherwise. */
export function toContentHash(h: Uint8Array | string): Uint8Array {
  const bytes = typeof h === 'string' ? (/^(0x)?[0-9a-fA-F]{64}$/.test(h) ? fromHex(h.replace(/^0x/, '')) : null) : h;
  if (!bytes || bytes.length !== 32) throw new BuError('BAD_INPUT', 'A content hash is 32 bytes (64 hex digits).');
  return bytes;
}

export class BundleFetcher {
  readonly limits: FetchLimits;
  private readonly runs = new Map<string, { run: FetchRun; promise: Promise<FetchResult> }>();
  private id: number;
  private closed = false;
  private readonly logger: Logger;

  constructor(private readonly o: FetcherOptions) {
    this.limits = { ...FETCH_DEFAULTS, ...o.limits };
    this.logger = o.logger ?? silentLogger;
    this.id = new DataView(randomBytes(4).buffer).getUint32(0);
  }

  private nextId = (): number => (this.id = (this.id + 1) >>> 0);

  fetch(contentHash: Uint8Array | string, opts: FetchOptions): Promise<FetchResult> {
    if (this.closed) return Promise.reject(new BuError('CANCELLED', 'The bundle fetcher is closed.'));
    let hash: Uint8Array;
    try {
      hash = toContentHash(contentHash);
    } catch (e) {
      return Promise.reject(e);
    }
    const key = hashKey(hash);
    const running = this.runs.get(key);
    if (running) return running.promise;
    const run = new FetchRun(hash.slice(), opts, { send: this.o.send, partialDir: this.o.partialDir, limits: this.limits, nextId: this.nextId, logger: this.logger });
    const promise = run.run().finally(() => {
      if (this.runs.get(key)?.run === run) this.runs.delete(key);
    });
    this.runs.set(key, { run, promise });
    return promise;
  }

  /** Content hashes (hex) being fetched. */
  active(): string[] {
    return [...this.runs.keys()];
  }

  /** Routes an answer to the run for its content hash (others are ignored). */
  onResponse(from: string, m: DistResponse): void {
    this.runs.get(hashKey(m.hash))?.run.onResponse(from, m);
  }

  /** Ends every run (CANCELLED); resolves when they have released their files. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.runs.values()];
    for (const r of all) r.run.stop(new BuError('CANCELLED', 'The download was stopped.'));
    await Promise.allSettled(all.map((r) => r.promise));
  }
}
