/**
 * @module seal/p2p/gossip
 * Flooding with deduplication and validation before relay (the propagation rule of Bitcoin's
 * and Tendermint's gossip, and of gossipsub's "validate, then forward"):
 *  - a message's id is keccak256(payload); the id travels with it so duplicates are dropped
 *    before any hashing, and an id is believed only once the payload hashes to it (a peer
 *    cannot poison the seen set with a forged id);
 *  - each new message is handed to the consumer; only if it says valid is it forwarded, to every
 *    peer except those it came from (the sender, and peers whose copies arrived meanwhile);
 *  - small messages (≤ 16 KiB: votes, seals, proposals without body) are pushed eagerly;
 *    larger ones (blocks) are announced (IHAVE id, size) and pulled (IWANT) from one announcer
 *    at a time, the next one after a timeout — so a 4 MiB block crosses each link about once
 *    instead of once per neighbour (gossipsub's lazy push).
 */
import { BuError, bytesEqual, toHex, type Logger } from '../../base';
import { keccak256 } from '../../crypto';
import { encodeGossip, encodeIHave, encodeIWant } from './codec';
import { EAGER_MAX, MAX_HOPS, MAX_MESSAGE, type P2pTuning } from './constants';
import { ByteCache, SeenSet } from './limits';

export type GossipDeps = {
  /** Keys of the current consensus peers. */
  peers(): string[];
  /** Send one frame (the frame layer chunks it when needed); false without a session. */
  send(peer: string, frame: Uint8Array): boolean;
  /** The consumers' verdict: true = valid, relay it. */
  deliver(payload: Uint8Array, from: string): Promise<boolean>;
  now(): number;
  tuning: Pick<P2pTuning, 'seenCapacity' | 'cacheBytes' | 'cacheMs' | 'fetchTimeoutMs'>;
  logger: Logger;
};

export type GossipStats = { originated: number; received: number; duplicates: number; invalid: number; badId: number; pushed: number; announced: number; pulled: number; served: number };

type Fetch = { id: Uint8Array; size: number; announcers: string[]; asked: string[]; askedAt: number; createdAt: number };

const MAX_FETCHES = 1024;
const MAX_ANNOUNCERS = 8;
const FETCH_GIVE_UP_MS = 60_000;

export class Gossip {
  private readonly seen: SeenSet;
  /** Large messages we hold (encoded GOSSIP frames), to answer IWANT. */
  private readonly cache: ByteCache<Uint8Array>;
  private readonly fetches = new Map<string, Fetch>();
  /** Peers whose copy of a message arrived while the consumer was still validating it. */
  private readonly validating = new Map<string, Set<string>>();
  readonly stats: GossipStats = { originated: 0, received: 0, duplicates: 0, invalid: 0, badId: 0, pushed: 0, announced: 0, pulled: 0, served: 0 };

  constructor(private readonly d: GossipDeps) {
    this.seen = new SeenSet(d.tuning.seenCapacity);
    this.cache = new ByteCache(d.tuning.cacheBytes, d.tuning.cacheMs);
  }

  broadcast(msg: Uint8Array): void {
    if (msg.length > MAX_MESSAGE) throw new BuError('TOO_LONG', `message is ${msg.length} bytes (max ${MAX_MESSAGE})`);
    const payload = Uint8Array.from(msg);
    const id = keccak256(payload);
    const hex = toHex(id);
    this.seen.add(hex);
    this.stats.originated++;
    this.forward(id, hex, payload, 0, new Set());
  }

  async onGossip(from: string, hops: number, id: Uint8Array, payload: Uint8Array): Promise<void> {
    const hex = toHex(id);
    if (this.seen.has(hex)) {
      this.stats.duplicates++;
      this.validating.get(hex)?.add(from);
      return;
    }
    if (!bytesEqual(keccak256(payload), id)) {
      this.stats.badId++;
      return;
    }
    this.seen.add(hex);
    const fetch = this.fetches.get(hex);
    this.fetches.delete(hex);
    if (fetch) this.stats.pulled++;
    this.stats.received++;
    const except = new Set<string>([from, ...(fetch?.announcers ?? [])]);
    this.validating.set(hex, except);
    const copy = Uint8Array.from(payload);
    let ok = false;
    try {
      ok = await this.d.deliver(copy, from);
    } catch (e) {
      this.d.logger.debug('poe: consumer threw on a gossip message', { error: String(e) });
    } finally {
      this.validating.delete(hex);
    }
    if (!ok) {
      this.stats.invalid++;
      return;
    }
    if (hops + 1 < MAX_HOPS) this.forward(id, hex, copy, hops + 1, except);
  }

  onIHave(from: string, items: Array<{ id: Uint8Array; size: number }>): void {
    const now = this.d.now();
    const want: Uint8Array[] = [];
    for (const it of items) {
      const hex = toHex(it.id);
      if (this.seen.has(hex)) {
        this.validating.get(hex)?.add(from);
        continue;
      }
      if (it.size <= EAGER_MAX || it.size > MAX_MESSAGE) continue;
      const f = this.fetches.get(hex);
      if (f) {
        if (f.announcers.length < MAX_ANNOUNCERS && !f.announcers.includes(from)) f.announcers.push(from);
        continue;
      }
      if (this.fetches.size >= MAX_FETCHES) continue;
      this.fetches.set(hex, { id: Uint8Array.from(it.id), size: it.size, announcers: [from], asked: [from], askedAt: now, createdAt: now });
      want.push(it.id);
    }
    if (want.length > 0) this.d.send(from, encodeIWant(want));
  }

  onIWant(from: string, ids: Uint8Array[]): void {
    const now = this.d.now();
    for (const id of ids) {
      const frame = this.cache.get(toHex(id), now);
      if (frame && this.d.send(from, frame)) this.stats.served++;
    }
  }

  /** Pull from the next announcer when one did not deliver; forget hopeless pulls. */
  tick(now: number): void {
    this.cache.expire(now);
    const live = new Set(this.d.peers());
    for (const [hex, f] of this.fetches) {
      if (now - f.createdAt > FETCH_GIVE_UP_MS) {
        this.fetches.delete(hex);
        continue;
      }
      const patience = this.d.tuning.fetchTimeoutMs + (f.size / (1024 * 1024)) * 1000;
      if (now - f.askedAt < patience) continue;
      const next = f.announcers.find((a) => !f.asked.includes(a) && live.has(a));
      if (!next) {
        if (now - f.askedAt > 2 * patience) this.fetches.delete(hex);
        continue;
      }
      f.asked.push(next);
      f.askedAt = now;
      this.d.send(next, encodeIWant([f.id]));
    }
  }

  /** Bytes of large messages held for IWANT. */
  cached(): number {
    return this.cache.held();
  }

  clear(): void {
    this.cache.clear();
    this.fetches.clear();
  }

  private forward(id: Uint8Array, hex: string, payload: Uint8Array, hops: number, except: Set<string>): void {
    const targets = this.d.peers().filter((p) => !except.has(p));
    if (payload.length <= EAGER_MAX) {
      const frame = encodeGossip(hops, id, payload);
      for (const p of targets) if (this.d.send(p, frame)) this.stats.pushed++;
      return;
    }
    this.cache.set(hex, encodeGossip(hops, id, payload), this.d.now());
    const ihave = encodeIHave([{ id, size: payload.length }]);
    for (const p of targets) if (this.d.send(p, ihave)) this.stats.announced++;
  }
}
