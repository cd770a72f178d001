/**
 * @module ar/router-links
 * The client's sessions with routers. "Home" routers (at most `maxRouters`) are registered
 * and pinged every `keepaliveMs`; one whose session closes or whose pings go unanswered for
 * `deadAfterMs` is dropped and replaced by the next candidate from `routers()` (bootstrap list
 * + DHT), a failed endpoint waiting `retryAfterMs` before it is tried again. "Temporary" links
 * (a friend's routers, for one introduction or mailbox PUT) are closed after `tempIdleMs`.
 * A bare endpoint is first probed for its address (probe.ts); the session handshake proves it.
 */
import { performance } from 'node:perf_hooks';
import { TypedEmitter, type Logger } from '../base';
import { endpointKey, sameEndpoint, type Endpoint } from '../net';
import type { PeerInfo, SessionManager } from '../session';
import { Msg } from './constants';
import { encodeArMessage, type ArMessage } from './messages';
import { Prober } from './prober';
import type { RelaySocket } from './relay-socket';
import type { Requests } from './requests';

/** A router endpoint, optionally with its address (skips the probe). */
export type RouterHint = Endpoint & { address?: string };

export type Link = {
  address: string;
  key: string;
  endpoint: Endpoint;
  home: boolean;
  registered: boolean;
  observed: Endpoint | null;
  rttMs: number | null;
  lastPongAt: number;
  lastPingAt: number;
  lastUsedAt: number;
  registeredWith: string;
  registering: boolean;
};

export type LinkOptions = {
  sessions: SessionManager;
  socket: RelaySocket;
  logger: Logger;
  now: () => number;
  routers: () => RouterHint[];
  localEndpoints: () => Endpoint[];
  requests: Requests;
  maxRouters: number;
  keepaliveMs: number;
  deadAfterMs: number;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  retryAfterMs: number;
  tempIdleMs: number;
};

export class RouterLinks extends TypedEmitter<{ changed: void; lost: Link }> {
  private readonly links = new Map<string, Link>();
  private readonly attaching = new Map<string, Promise<Link | null>>();
  private readonly attemptingAddresses = new Set<string>();
  private readonly cooldown = new Map<string, number>();
  private readonly probeCache = new Map<string, string>();
  private readonly prober: Prober;
  private filling: Promise<void> | null = null;
  private closed = false;
  /** fill() again whenever a home router is lost (set once the owner started). */
  autoFill = false;

  constructor(private readonly o: LinkOptions) {
    super();
    this.prober = new Prober(o.socket);
  }

  get(address: string): Link | undefined {
    return this.links.get(address.toLowerCase());
  }

  all(): Link[] {
    return [...this.links.values()];
  }

  homes(): Link[] {
    return this.all().filter((l) => l.home && l.registered);
  }

  isRouter(address: string): boolean {
    const k = address.toLowerCase();
    return this.links.has(k) || this.attemptingAddresses.has(k);
  }

  send(link: Link, m: ArMessage): boolean {
    return this.o.sessions.send(link.address, () => encodeArMessage(m));
  }

  request(link: Link, build: (req: number) => ArMessage, timeoutMs = this.o.requestTimeoutMs): Promise<ArMessage | null> {
    const req = this.o.requests.id();
    const p = this.o.requests.wait(req, link.key, timeoutMs);
    link.lastUsedAt = this.o.now();
    if (!this.send(link, build(req))) this.o.requests.cancel(req);
    return p;
  }

  fill(): Promise<void> {
    if (this.filling) return this.filling;
    this.filling = (async () => {
      for (let round = 0; round < 8 && !this.closed && this.homeCount() < this.o.maxRouters; round++) {
        const cands = this.candidates();
        if (cands.length === 0) break;
        await Promise.all(cands.slice(0, this.o.maxRouters - this.homeCount()).map((h) => this.attach(h, true)));
      }
    })().finally(() => {
      this.filling = null;
    });
    return this.filling;
  }

  /** A session (and, for home routers, a registration) with the router at `hint`. */
  attach(hint: RouterHint, home: boolean): Promise<Link | null> {
    const k = endpointKey(hint);
    const running = this.attaching.get(k);
    if (running) return running.then((l) => (l && home && !l.home ? this.promote(l) : l));
    const p = this.doAttach(hint, home).finally(() => this.attaching.delete(k));
    this.attaching.set(k, p);
    return p;
  }

  onSessionClosed(address: string): void {
    const l = this.links.get(address.toLowerCase());
    if (l) this.drop(l, 'session closed');
  }

  /** Keepalives, dead-router detection, temporary-link expiry, re-registration, refill. */
  tick(): void {
    if (this.closed) return;
    const now = this.o.now();
    for (const l of this.all()) {
      if (!l.home) {
        if (now - l.lastUsedAt >= this.o.tempIdleMs) this.disconnect(l, 'idle');
        continue;
      }
      if (!l.registered) continue;
      if (now - l.lastPongAt >= this.o.deadAfterMs) {
        this.disconnect(l, 'keepalive timeout');
        continue;
      }
      if (now - l.lastPingAt >= this.o.keepaliveMs) this.ping(l);
      if (!l.registering && this.o.localEndpoints().map(endpointKey).join(',') !== l.registeredWith) void this.register(l);
    }
    if (this.homeCount() < this.o.maxRouters) void this.fill();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.prober.close();
    for (const l of this.all()) this.o.sessions.disconnect(l.address);
    this.links.clear();
    await this.filling;
  }

  private homeCount(): number {
    let n = 0;
    for (const l of this.links.values()) if (l.home) n++;
    return n;
  }

  private candidates(): RouterHint[] {
    const now = this.o.now();
    const seen = new Set<string>();
    const out: RouterHint[] = [];
    let hints: RouterHint[] = [];
    try {
      hints = this.o.routers();
    } catch (e) {
      this.o.logger.warn('ar: routers() failed', { error: String(e) });
    }
    for (const h of hints) {
      const k = endpointKey(h);
      if (seen.has(k)) continue;
      seen.add(k);
      if ((this.cooldown.get(k) ?? 0) > now || this.attaching.has(k)) continue;
      const known = (h.address ?? this.probeCache.get(k))?.toLowerCase();
      if (known && this.links.get(known)?.home) continue;
      if (this.all().some((l) => l.home && sameEndpoint(l.endpoint, h))) continue;
      out.push(h);
    }
    return out;
  }

  private async doAttach(hint: RouterHint, home: boolean): Promise<Link | null> {
    const k = endpointKey(hint);
    const fail = (why: string): null => {
      this.cooldown.set(k, this.o.now() + this.o.retryAfterMs);
      this.o.logger.debug('ar: router unavailable', { router: k, why });
      return null;
    };
    let address = hint.address ?? this.probeCache.get(k);
    if (!address) {
      const a = await this.prober.probe(hint, Math.min(2000, this.o.connectTimeoutMs));
      if (!a) return fail('no probe answer');
      address = a.address;
      this.probeCache.set(k, address);
    }
    if (this.closed) return null;
    const key = address.toLowerCase();
    const existing = this.links.get(key);
    if (existing) return home && !existing.home ? this.promote(existing) : existing;
    this.attemptingAddresses.add(key);
    let info: PeerInfo;
    try {
      info = await this.o.sessions.connect({ address }, [{ host: hint.host, port: hint.port }], this.o.connectTimeoutMs);
    } catch (e) {
      this.probeCache.delete(k);
      return fail(String(e));
    } finally {
      this.attemptingAddresses.delete(key);
    }
    if (this.closed) return null;
    const now = this.o.now();
    const link: Link = { address: info.address, key, endpoint: { ...info.endpoint }, home: false, registered: false, observed: null, rttMs: null, lastPongAt: now, lastPingAt: now, lastUsedAt: now, registeredWith: '', registering: false };
    this.links.set(key, link);
    if (!home) return link;
    return (await this.promote(link)) ?? fail('registration failed');
  }

  private async promote(link: Link): Promise<Link | null> {
    link.home = true;
    if (await this.register(link)) {
      this.o.logger.info('ar: registered with router', { router: link.address, endpoint: endpointKey(link.endpoint) });
      this.emit('changed', undefined);
      return link;
    }
    link.home = false;
    this.disconnect(link, 'registration failed');
    return null;
  }

  private async register(link: Link): Promise<boolean> {
    const endpoints = this.o.localEndpoints();
    const t0 = performance.now();
    link.registering = true;
    const r = await this.request(link, (req) => ({ t: Msg.REGISTER, req, endpoints })).finally(() => (link.registering = false));
    if (r?.t !== Msg.REGISTERED) return false;
    link.registered = true;
    link.observed = r.observed;
    link.rttMs = round(performance.now() - t0);
    link.lastPongAt = this.o.now();
    link.registeredWith = endpoints.map(endpointKey).join(',');
    return true;
  }

  private ping(l: Link): void {
    l.lastPingAt = this.o.now();
    const t0 = performance.now();
    void this.request(l, (req) => ({ t: Msg.PING, req }), Math.max(this.o.keepaliveMs, 1000)).then((r) => {
      if (r?.t !== Msg.PONG) return;
      l.lastPongAt = this.o.now();
      l.rttMs = round(performance.now() - t0);
    });
  }

  private disconnect(l: Link, why: string): void {
    this.o.sessions.disconnect(l.address); // emits 'closed' → onSessionClosed → drop
    this.drop(l, why);
  }

  private drop(link: Link, why: string): void {
    if (this.links.get(link.key) !== link) return;
    this.links.delete(link.key);
    this.o.requests.failRouter(link.key);
    this.emit('lost', link);
    if (!link.home) return;
    this.cooldown.set(endpointKey(link.endpoint), this.o.now() + this.o.retryAfterMs);
    this.o.logger.info('ar: lost router', { router: link.address, why });
    if (link.registered) this.emit('changed', undefined);
    if (!this.closed && this.autoFill) void this.fill();
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
