/**
 * @module dapps/distribution/seeder
 * Answers HAVE?, GET_HEADER and GET_PIECE from a BundleSource. Serving is bounded: a token
 * bucket per peer on requests (net RateLimiter) and one for all peers together, a cap on chunk reads in progress in all and
 * per peer, and a small LRU of chunks (a chunk is asked for in 16 pieces). A request over any
 * bound is answered BUSY with a back-off rather than queued, so a greedy peer costs us one
 * small reply per request and never memory (the same choke-rather-than-queue stance as
 * BitTorrent's choking, BEP 3). Unknown content is NOT_FOUND; a request for a range the
 * bundle does not have is ignored (only a broken or hostile peer sends one).
 */
import { silentLogger, type Logger } from '../../base';
import { RateLimiter } from '../../net';
import { chunkLength } from '../package';
import { SEEDER_DEFAULTS } from './constants';
import { hashKey } from './head';
import type { BundleSource } from './source';
import { encodeMessage, hasBit, type DistMessage, type DistRequest } from './wire';

export type SeederLimits = { [K in keyof typeof SEEDER_DEFAULTS]: number };

export type SeederOptions = {
  source: BundleSource;
  send: (address: string, payload: Uint8Array) => boolean;
  limits?: Partial<SeederLimits>;
  logger?: Logger;
};

export type SeederStats = { requests: number; pieces: number; bytes: number; busy: number; notFound: number; ignored: number };

export class BundleSeeder {
  readonly limits: SeederLimits;
  private readonly limiter: RateLimiter;
  private readonly total: RateLimiter;
  private readonly cache = new Map<string, Promise<Uint8Array | null>>();
  private readonly perPeer = new Map<string, number>();
  private reading = 0;
  private closed = false;
  private readonly logger: Logger;
  readonly counters: SeederStats = { requests: 0, pieces: 0, bytes: 0, busy: 0, notFound: 0, ignored: 0 };

  constructor(private readonly o: SeederOptions) {
    this.limits = { ...SEEDER_DEFAULTS, ...o.limits };
    this.limiter = new RateLimiter({ ratePerSec: this.limits.ratePerSec, burst: this.limits.burst, maxKeys: this.limits.maxPeers });
    this.total = new RateLimiter({ ratePerSec: this.limits.totalRatePerSec, burst: this.limits.totalBurst, maxKeys: 1 });
    this.logger = o.logger ?? silentLogger;
  }

  get source(): BundleSource {
    return this.o.source;
  }

  stats(): SeederStats & { reading: number } {
    return { ...this.counters, reading: this.reading };
  }

  close(): void {
    this.closed = true;
    this.cache.clear();
  }

  private reply(to: string, m: DistMessage): void {
    if (!this.closed) this.o.send(to, encodeMessage(m));
  }

  private busy(to: string, req: DistRequest): void {
    this.counters.busy++;
    this.reply(to, { type: 'BUSY', id: req.id, hash: req.hash, retryAfterMs: this.limits.busyRetryMs });
  }

  /** Handles one decoded request from `from` (an authenticated session peer). */
  onRequest(from: string, req: DistRequest): void {
    if (this.closed) return;
    this.counters.requests++;
    const peer = from.toLowerCase();
    if (!this.limiter.take(peer) || !this.total.take('*')) return this.busy(from, req);
    if (!this.o.source.has(req.hash)) {
      this.counters.notFound++;
      return this.reply(from, { type: 'NOT_FOUND', id: req.id, hash: req.hash });
    }
    void this.serve(from, peer, req).catch((e: unknown) => this.logger.warn('serving a bundle request failed', { error: String(e) }));
  }

  private async serve(from: string, peer: string, req: DistRequest): Promise<void> {
    if (req.type === 'GET_PIECE') return this.servePiece(from, peer, req);
    const held = await this.o.source.header(req.hash);
    if (!held) {
      this.counters.notFound++;
      return this.reply(from, { type: 'NOT_FOUND', id: req.id, hash: req.hash });
    }
    if (req.type === 'HAVE_Q') {
      return this.reply(from, { type: 'HAVE', id: req.id, hash: req.hash, headSize: held.head.length, totalSize: held.index.totalSize, chunkCount: held.index.chunks.length, bitfield: held.bitfield });
    }
    if (req.offset + req.length > held.head.length) {
      this.counters.ignored++;
      return;
    }
    this.reply(from, { type: 'HEADER', id: req.id, hash: req.hash, offset: req.offset, headSize: held.head.length, data: held.head.subarray(req.offset, req.offset + req.length) });
  }

  private async servePiece(from: string, peer: string, req: Extract<DistRequest, { type: 'GET_PIECE' }>): Promise<void> {
    const held = await this.o.source.header(req.hash);
    if (!held || req.chunk >= held.index.chunks.length || !hasBit(held.bitfield, req.chunk)) {
      this.counters.notFound++;
      return this.reply(from, { type: 'NOT_FOUND', id: req.id, hash: req.hash });
    }
    if (req.offset + req.length > chunkLength(held.index, req.chunk)) {
      this.counters.ignored++;
      return;
    }
    const key = `${hashKey(req.hash)}:${req.chunk}`;
    let pending = this.cache.get(key);
    if (pending) {
      this.cache.delete(key); // refresh its place in the LRU
      this.cache.set(key, pending);
    } else {
      const mine = this.perPeer.get(peer) ?? 0;
      if (this.reading >= this.limits.maxConcurrent || mine >= this.limits.maxConcurrentPerPeer) return this.busy(from, req);
      this.reading++;
      this.perPeer.set(peer, mine + 1);
      pending = this.o.source.readChunk(req.hash, req.chunk).finally(() => {
        this.reading--;
        const left = (this.perPeer.get(peer) ?? 1) - 1;
        if (left > 0) this.perPeer.set(peer, left);
        else this.perPeer.delete(peer);
      });
      this.cache.set(key, pending);
      while (this.cache.size > this.limits.cacheChunks) this.cache.delete(this.cache.keys().next().value!);
    }
    const chunk = await pending.catch(() => null);
    if (!chunk) {
      this.cache.delete(key);
      this.counters.notFound++;
      return this.reply(from, { type: 'NOT_FOUND', id: req.id, hash: req.hash });
    }
    this.counters.pieces++;
    this.counters.bytes += req.length;
    this.reply(from, { type: 'PIECE', id: req.id, hash: req.hash, chunk: req.chunk, offset: req.offset, data: chunk.subarray(req.offset, req.offset + req.length) });
  }
}
