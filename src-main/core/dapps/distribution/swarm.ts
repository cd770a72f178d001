/**
 * @module dapps/distribution/swarm
 * A node's part in bundle distribution: one BundleSeeder (answering from its source) and one
 * BundleFetcher (downloading), behind one `onPayload(from, data)` for every session payload
 * tagged 0xc0. Whoever wires it gives `send(address, payload) → boolean` and `peers()` (the
 * addresses it has sessions with: friends, routers); `attachSessions` does both for a
 * SessionManager. A fetched bundle is seeded on from then on (`seedFetched`, default true) —
 * every downloader becomes a holder, as in BitTorrent.
 */
import { silentLogger, type Logger } from '../../base';
import type { SessionManager } from '../../session';
import { DirectorySource } from './directory-source';
import { BundleFetcher } from './fetcher';
import type { FetchLimits } from './peer-state';
import { BundleSeeder, type SeederLimits } from './seeder';
import { MemorySource, type BundleSource } from './source';
import type { FetchOptions, FetchResult } from './types';
import { decodeMessage, isBundlePayload, isRequest } from './wire';

/** A source the swarm can add bundles to (`seed`). */
export type SeedableSource = BundleSource & { add(bud: string | Uint8Array): Uint8Array | Promise<Uint8Array> };

export type SwarmOptions = {
  send: (address: string, payload: Uint8Array) => boolean;
  peers: () => string[];
  /** Where downloads are written (`<hash>.part`, then `<hash>.bud`). */
  partialDir: string;
  /** What we serve; default: a DirectorySource on `seedDir`, else bundles in memory. */
  source?: SeedableSource;
  seedDir?: string;
  /** Serve nothing (a client that only downloads). */
  seed?: boolean;
  seedFetched?: boolean;
  limits?: { seeder?: Partial<SeederLimits>; fetch?: Partial<FetchLimits> };
  logger?: Logger;
};

export class BundleSwarm {
  readonly source: SeedableSource;
  readonly seeder: BundleSeeder | null;
  readonly fetcher: BundleFetcher;
  malformed = 0;
  private readonly logger: Logger;

  constructor(private readonly o: SwarmOptions) {
    this.logger = o.logger ?? silentLogger;
    this.source = o.source ?? (o.seedDir !== undefined ? new DirectorySource(o.seedDir, this.logger) : new MemorySource());
    this.seeder = o.seed === false ? null : new BundleSeeder({ source: this.source, send: o.send, limits: o.limits?.seeder, logger: this.logger });
    this.fetcher = new BundleFetcher({ send: o.send, partialDir: o.partialDir, limits: o.limits?.fetch, logger: this.logger });
  }

  /** Indexes the seed folder (if the source is directory-backed); returns how many bundles it serves. */
  async start(): Promise<number> {
    if (this.source instanceof DirectorySource) await this.source.start();
    return this.source.list().length;
  }

  /** Handles a session payload; false if it is not a bundle payload (first byte ≠ 0xc0). */
  onPayload(from: string, data: Uint8Array): boolean {
    if (!isBundlePayload(data)) return false;
    const m = decodeMessage(data);
    if (!m) this.malformed++;
    else if (isRequest(m)) this.seeder?.onRequest(from, m);
    else this.fetcher.onResponse(from, m);
    return true;
  }

  /** Downloads a bundle from the swarm's peers (or `opts.peers`), then seeds it when `seedFetched`. */
  async fetch(contentHash: Uint8Array | string, opts: Partial<FetchOptions> = {}): Promise<FetchResult> {
    const result = await this.fetcher.fetch(contentHash, { ...opts, peers: opts.peers ?? this.o.peers });
    if (this.o.seedFetched !== false && this.seeder && !this.source.has(result.bundle.contentHash)) {
      await Promise.resolve(this.source.add(result.path)).catch((e: unknown) => this.logger.warn('could not seed a fetched bundle', { error: String(e) }));
    }
    return result;
  }

  /** Serves a .bud (a path or its bytes) from now on; returns its content hash. */
  async seed(bud: string | Uint8Array): Promise<Uint8Array> {
    return this.source.add(bud);
  }

  async close(): Promise<void> {
    this.seeder?.close();
    await this.fetcher.close();
  }
}

/** Wires a swarm's payloads to a SessionManager; returns the unsubscribe function. */
export function attachSessions(swarm: BundleSwarm, sessions: SessionManager): () => void {
  return sessions.on('message', (m) => {
    swarm.onPayload(m.peer.address, m.data);
  });
}

/** The `send` a swarm needs, over a SessionManager. */
export function sessionSender(sessions: SessionManager): (address: string, payload: Uint8Array) => boolean {
  return (address, payload) => sessions.send(address, () => payload);
}
