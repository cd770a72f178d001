/**
 * @module dapps/store/bundles
 * Bundles by content hash for the store: one download per content hash at a time however many
 * callers want it (a detail page, an install, an update check), the verified .bud kept in
 * memory afterwards (least recently used first out, within `maxBytes`) so opening a detail
 * and then installing downloads once. The fetcher is injected: the node passes the swarm
 * (dapps/distribution), tests a function that reads a local .bud.
 */
import { readFile } from 'node:fs/promises';
import { BuError, bytesEqual, fromHex, isBuError } from '../../base';
import { sha256 } from '../../crypto';
import { readHeader } from '../package';

export type FetchProgressLike = { receivedBytes: number; totalBytes: number | null; peers: number };

/** Fetches the verified .bud of a content hash (0x hex) from peers: its path or its bytes. */
export type BundleFetchFn = (contentHash: string, onProgress: (p: FetchProgressLike) => void, signal: AbortSignal) => Promise<string | Uint8Array>;

type Flight = { promise: Promise<Uint8Array>; abort: AbortController; listeners: Set<(p: FetchProgressLike) => void>; last: FetchProgressLike | null };

export class BundleCache {
  private readonly done = new Map<string, Uint8Array>();
  private readonly flights = new Map<string, Flight>();
  private readonly seen = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly fetcher: BundleFetchFn,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  peek(contentHash: string): Uint8Array | null {
    const b = this.done.get(contentHash);
    if (!b) return null;
    this.done.delete(contentHash); // most recently used goes last
    this.done.set(contentHash, b);
    return b;
  }

  /** Peers that were serving `contentHash` in its last download (0: none seen yet). */
  holders(contentHash: string): number {
    return this.seen.get(contentHash) ?? 0;
  }

  downloading(contentHash: string): boolean {
    return this.flights.has(contentHash);
  }

  /** The .bud of `contentHash`, from memory or peers. `signal` gives up waiting for this caller only. */
  get(contentHash: string, o: { onProgress?: (p: FetchProgressLike) => void; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const hit = this.peek(contentHash);
    if (hit) return Promise.resolve(hit);
    let f = this.flights.get(contentHash);
    if (!f) f = this.start(contentHash);
    const flight = f;
    if (o.onProgress) {
      flight.listeners.add(o.onProgress);
      if (flight.last) o.onProgress(flight.last);
    }
    const off = () => o.onProgress && flight.listeners.delete(o.onProgress);
    if (!o.signal) return flight.promise.finally(off);
    const signal = o.signal;
    return new Promise<Uint8Array>((resolve, reject) => {
      const onAbort = () => {
        off();
        reject(new BuError('CANCELLED', 'The download was cancelled.'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (b) => {
          signal.removeEventListener('abort', onAbort);
          off();
          resolve(b);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          off();
          reject(e);
        },
      );
    });
  }

  /** Stops the download of `contentHash` for every caller (what is fetched so far stays with the fetcher). */
  cancel(contentHash: string): boolean {
    const f = this.flights.get(contentHash);
    if (!f) return false;
    f.abort.abort();
    return true;
  }

  private start(contentHash: string): Flight {
    const abort = new AbortController();
    const listeners = new Set<(p: FetchProgressLike) => void>();
    const flight: Flight = { abort, listeners, last: null, promise: Promise.resolve(new Uint8Array()) };
    flight.promise = (async () => {
      try {
        const got = await this.fetcher(
          contentHash,
          (p) => {
            flight.last = p;
            this.seen.set(contentHash, p.peers);
            for (const l of [...listeners]) l(p);
          },
          abort.signal,
        );
        const bud = typeof got === 'string' ? new Uint8Array(await readFile(got)) : got;
        this.keep(contentHash, bud);
        return bud;
      } catch (e) {
        if (abort.signal.aborted) throw new BuError('CANCELLED', 'The download was cancelled.', { cause: e });
        if (isBuError(e)) throw e;
        throw new BuError('DAPP_UNAVAILABLE', `The bundle ${contentHash} could not be fetched from peers: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      } finally {
        this.flights.delete(contentHash);
      }
    })();
    flight.promise.catch(() => undefined);
    this.flights.set(contentHash, flight);
    return flight;
  }

  /** Keeps a .bud whose index hashes to its key (anything else is the installer's to refuse, never cached). */
  private keep(contentHash: string, bud: Uint8Array): void {
    if (bud.length > this.maxBytes || !namesItself(bud, contentHash)) return;
    if (this.done.has(contentHash)) return;
    this.done.set(contentHash, bud);
    this.bytes += bud.length;
    for (const [k, v] of this.done) {
      if (this.bytes <= this.maxBytes) break;
      this.done.delete(k);
      this.bytes -= v.length;
    }
  }
}

function namesItself(bud: Uint8Array, contentHash: string): boolean {
  try {
    return bytesEqual(sha256(readHeader(bud).indexBytes), fromHex(contentHash));
  } catch {
    return false;
  }
}
