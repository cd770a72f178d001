/**
 * @module seal/p2p/links
 * Which sessions are consensus links, and how we get more of them. A session becomes a link
 * when a HELLO arrives on it (the dialler sends HELLO, retried until answered; the other side
 * answers with HELLO|REPLY, or HELLO|FULL when it already holds maxPeers links — with its
 * peer-exchange list either way, so a newcomer that knows one node learns others). The
 * maintenance pass fills free slots: directory addresses are looked up in the DHT (POE_APP_ID
 * records), and known peers (bootstrap, PEX, DHT) are dialled through the ladder in dialer.ts,
 * directory members first. Admission of strangers is bounded in count and rate (authorize);
 * directory members (the validator set) are always admitted, and when the links are full one
 * of them takes the slot of the youngest link outside the directory — so identities that cost
 * nothing cannot crowd the validators out (an eclipse).
 */
import { isRelayEndpoint } from '../../ar';
import type { Logger } from '../../base';
import { checksumAddress } from '../../crypto';
import type { Endpoint } from '../../net';
import type { PeerInfo, SessionManager } from '../../session';
import { encodeHello, type Hello } from './codec';
import { HelloFlag, type P2pTuning } from './constants';
import type { Dialer } from './dialer';
import type { RecordPublisher } from './discovery';
import { CostBuckets } from './limits';
import type { PeerBook } from './peer-book';
import type { P2pPeer, Reachability } from './types';

export type Link = { address: string; since: number; public: boolean };

export type LinksDeps = {
  self: string;
  sessions: SessionManager;
  send(key: string, frame: Uint8Array): boolean;
  book: PeerBook;
  dialer: Dialer;
  publisher: RecordPublisher;
  isRouter(address: string): boolean;
  /** True when we built the session manager: unused sessions are ours to close. */
  ownsSessions: boolean;
  reachability: Reachability;
  networkId: bigint;
  declared(): { endpoints: Endpoint[]; routers: Endpoint[] };
  directory(): string[];
  tuning: P2pTuning;
  now(): number;
  logger: Logger;
  onUp(key: string): void;
  onDown(key: string): void;
};

const LOOKUP_CONCURRENCY = 4;

export class Links {
  readonly links = new Map<string, Link>();
  /** We sent HELLO and wait for the answer. */
  private readonly awaiting = new Map<string, { address: string; at: number; tries: number }>();
  /** Sessions someone opened to us that have not said HELLO yet (own session manager only). */
  private readonly strangers = new Map<string, number>();
  private readonly lookedUp = new Map<string, number>();
  private lookups = 0;
  lookupCount = 0;
  readonly dials = { direct: 0, punched: 0, relayed: 0, failed: 0 };
  private readonly admissions: CostBuckets;
  /** Directory members (lowercase), refreshed on every maintenance pass. */
  private members = new Set<string>();
  private closed = false;

  constructor(private readonly d: LinksDeps) {
    this.admissions = new CostBuckets(d.tuning.newPeerRate, 1);
  }

  keys(): string[] {
    return [...this.links.keys()];
  }

  peers(): P2pPeer[] {
    const out: P2pPeer[] = [];
    for (const l of this.links.values()) {
      const info = this.d.sessions.info(l.address);
      if (!info) continue;
      out.push({ address: l.address, rttMs: info.rttMs, via: isRelayEndpoint(info.endpoint) ? 'relay' : 'direct' });
    }
    return out;
  }

  authorize(peer: PeerInfo): 'accept' | 'reject' {
    const key = peer.address.toLowerCase();
    if (this.closed) return 'reject';
    if (this.links.has(key) || this.awaiting.has(key) || this.d.dialer.isDialing(key) || this.d.isRouter(peer.address) || this.members.has(key)) return 'accept';
    if (this.links.size >= this.d.tuning.maxPeers + this.d.tuning.acceptSlack) return 'reject';
    if (this.d.ownsSessions && this.d.sessions.stats().peers >= this.d.tuning.maxPeers + 2 * this.d.tuning.acceptSlack) return 'reject';
    return this.admissions.take('new', 1, this.d.now()) ? 'accept' : 'reject';
  }

  acceptsRelay(address: string): boolean {
    const key = address.toLowerCase();
    return !this.closed && (this.links.has(key) || this.members.has(key) || this.links.size < this.d.tuning.maxPeers + this.d.tuning.acceptSlack);
  }

  onEstablished(peer: PeerInfo): void {
    const key = peer.address.toLowerCase();
    if (this.d.ownsSessions && !this.links.has(key) && !this.d.isRouter(peer.address)) this.strangers.set(key, this.d.now());
  }

  onClosed(address: string): void {
    const key = address.toLowerCase();
    this.awaiting.delete(key);
    this.strangers.delete(key);
    if (this.links.delete(key)) {
      this.d.logger.debug('poe: link down', { peer: address });
      this.d.onDown(key);
      this.maintainSoon();
    }
  }

  onHello(peer: PeerInfo, h: Hello): void {
    const key = peer.address.toLowerCase();
    const now = this.d.now();
    if (h.networkId !== this.d.networkId) return;
    this.strangers.delete(key);
    this.awaiting.delete(key);
    const isPublic = (h.flags & HelloFlag.PUBLIC) !== 0;
    this.d.book.upsert(peer.address, { endpoints: h.endpoints, routers: h.routers, public: isPublic }, 'hello', now);
    this.d.book.succeeded(key);
    for (const p of h.pex) {
      const k = p.address.toLowerCase();
      if (k !== this.d.self && !this.links.has(k)) this.d.book.upsert(p.address, p, 'pex', now);
    }
    const reply = (h.flags & HelloFlag.REPLY) === 0;
    const full = (h.flags & HelloFlag.FULL) !== 0;
    if (!full && this.links.size >= this.d.tuning.maxPeers && !this.links.has(key) && this.members.has(key)) this.makeRoom(now);
    if (full) {
      // it has no room for us (or just gave our slot to a validator): try again later
      this.d.book.failed(key, now, this.d.tuning);
      if (this.links.delete(key)) this.d.onDown(key);
      this.release(peer.address);
    } else if (this.links.has(key)) {
      this.links.get(key)!.public = isPublic;
      if (reply) this.sendHello(key, HelloFlag.REPLY);
    } else if (this.links.size >= this.d.tuning.maxPeers) {
      if (reply) this.sendHello(key, HelloFlag.REPLY | HelloFlag.FULL);
      this.release(peer.address);
    } else {
      this.links.set(key, { address: peer.address, since: now, public: isPublic });
      this.d.logger.debug('poe: link up', { peer: peer.address, links: this.links.size });
      if (reply) this.sendHello(key, HelloFlag.REPLY);
      this.d.onUp(key);
    }
    this.maintainSoon();
  }

  /** A directory member wants a slot: the youngest link outside the directory gives it up (told by HELLO|FULL). */
  private makeRoom(now: number): void {
    let victim: [string, Link] | null = null;
    for (const e of this.links) if (!this.members.has(e[0]) && (!victim || e[1].since > victim[1].since)) victim = e;
    if (!victim) return;
    const [key, l] = victim;
    this.d.logger.debug('poe: link given up for a directory member', { peer: l.address });
    this.sendHello(key, HelloFlag.REPLY | HelloFlag.FULL);
    this.links.delete(key);
    this.d.book.failed(key, now, this.d.tuning);
    this.d.onDown(key);
    this.release(l.address);
  }

  /** HELLO retries, and strangers that never said HELLO. */
  tick(now: number): void {
    const t = this.d.tuning;
    for (const [key, a] of this.awaiting) {
      if (now - a.at < t.helloTimeoutMs) continue;
      if (a.tries >= t.helloRetries) {
        this.awaiting.delete(key);
        this.release(a.address);
        continue;
      }
      a.tries++;
      a.at = now;
      this.sendHello(key, 0);
    }
    for (const [key, at] of this.strangers) {
      if (now - at < t.helloTimeoutMs * (t.helloRetries + 1)) continue;
      this.strangers.delete(key);
      if (!this.links.has(key) && !this.awaiting.has(key)) this.d.sessions.disconnect(key);
    }
  }

  private maintainTimer: ReturnType<typeof setTimeout> | null = null;

  maintainSoon(): void {
    if (this.maintainTimer || this.closed) return;
    this.maintainTimer = setTimeout(() => {
      this.maintainTimer = null;
      this.maintain();
    }, 20);
    this.maintainTimer.unref?.();
  }

  /** Fill free link slots: look up directory members, dial known peers. */
  maintain(): void {
    if (this.closed) return;
    const t = this.d.tuning;
    const now = this.d.now();
    const directory = new Set(this.d.directory().map((a) => a.toLowerCase()).filter((k) => k !== this.d.self));
    this.members = directory;
    const free = () => t.maxPeers - this.links.size - this.d.dialer.busy() - this.awaiting.size;
    for (const key of directory) {
      if (free() <= 0 || this.lookups >= LOOKUP_CONCURRENCY) break;
      if (this.links.has(key) || this.d.dialer.isDialing(key) || this.awaiting.has(key)) continue;
      const known = this.d.book.get(key);
      if (known && (known.source === 'hello' || known.source === 'dht') && known.failures === 0) continue;
      if (now - (this.lookedUp.get(key) ?? -Infinity) < t.discoverEveryMs) continue;
      this.lookedUp.set(key, now);
      void this.lookup(key);
    }
    const cands = this.d.book
      .all()
      .filter((p) => p.key !== this.d.self && !this.links.has(p.key) && !this.awaiting.has(p.key) && !this.d.dialer.isDialing(p.key) && p.notBefore <= now)
      .filter((p) => !this.d.sessions.isConnected(p.address) || !this.strangers.has(p.key))
      .sort((a, b) => Number(directory.has(b.key)) - Number(directory.has(a.key)) || a.failures - b.failures);
    for (const p of cands) {
      if (free() <= 0 || !this.d.dialer.canDial()) break;
      void this.d.dialer.dial(p).then((kind) => this.dialed(p.key, p.address, kind));
    }
  }

  private async lookup(key: string): Promise<void> {
    this.lookups++;
    this.lookupCount++;
    try {
      const info = await this.d.publisher.lookup(key, this.d.networkId);
      if (info && !this.closed) {
        const p = this.d.book.upsert(checksumAddress(key), info, 'dht', this.d.now());
        if (p.source === 'dht') this.d.book.succeeded(key);
      }
    } catch (e) {
      this.d.logger.debug('poe: DHT lookup failed', { peer: key, error: String(e) });
    } finally {
      this.lookups--;
      this.maintainSoon();
    }
  }

  private dialed(key: string, address: string, kind: 'direct' | 'punched' | 'relayed' | null): void {
    if (this.closed) return;
    if (!kind || !this.d.sessions.isConnected(address)) {
      this.dials.failed++;
      this.d.book.failed(key, this.d.now(), this.d.tuning);
      this.maintainSoon();
      return;
    }
    this.dials[kind]++;
    if (this.links.has(key)) return;
    this.strangers.delete(key);
    this.awaiting.set(key, { address, at: this.d.now(), tries: 0 });
    this.sendHello(key, 0);
  }

  sendHello(key: string, flags: number): void {
    const own = this.d.declared();
    const pex = this.d.book.sample(this.d.tuning.pexCount, (k) => k === key || k === this.d.self);
    const hello: Hello = {
      flags: flags | (this.d.reachability === 'public' ? HelloFlag.PUBLIC : 0),
      networkId: this.d.networkId,
      endpoints: own.endpoints,
      routers: own.routers,
      pex: pex.map((p) => ({ address: p.address, public: p.public, endpoints: p.endpoints, routers: p.routers })),
    };
    this.d.send(key, encodeHello(hello));
  }

  /** A session that will not become a link: closed if it is ours to close (after the HELLO left). */
  private release(address: string): void {
    if (!this.d.ownsSessions || this.d.isRouter(address)) return;
    const t = setTimeout(() => {
      if (!this.closed && !this.links.has(address.toLowerCase())) this.d.sessions.disconnect(address);
    }, 500);
    t.unref?.();
  }

  close(): void {
    this.closed = true;
    if (this.maintainTimer) clearTimeout(this.maintainTimer);
    this.links.clear();
    this.awaiting.clear();
    this.strangers.clear();
  }
}
