/**
 * @module chat/connector
 * The traversal ladder (issue 3, seed 000 "AR"): to reach a friend we try, in order,
 *   1. direct  — the endpoints saved from invites and PINGs (LAN, public, port-forwarded);
 *   2. direct  — fresh endpoints from the friend's signed DHT record (address, CHAT_APP_ID);
 *   3. punched — a rendezvous through one of the friend's routers: both sides learn each other's
 *                mapped ip:port and connect at once (UDP hole punching, like DCUtR / hyperdht);
 *   4. relayed — a relay circuit through a router; the router forwards session ciphertext only.
 * A relayed link keeps trying to upgrade (step 3) every `upgradeEveryMs`. At most one attempt
 * per peer runs at a time, and failed attempts back off, so callers may ask freely.
 */
import type { Logger } from '../base';
import type { Endpoint } from '../net';
import type { SessionManager } from '../session';
import { backoffMs } from './backoff';

export type LinkKind = 'direct' | 'punched' | 'relayed';

/** Where a friend can be found (the DHT, behind an interface so chat stays testable). */
export type Discovery = {
  lookup(address: string): Promise<{ endpoints: Endpoint[]; routers: Endpoint[]; prekeys: Uint8Array | null } | null>;
};

/** Router services used to get through NATs. */
export type Traversal = {
  introduce(peer: string, via: Endpoint[]): Promise<{ endpoints: Endpoint[] } | null>;
  openRelay(peer: string, via: Endpoint[]): Promise<Endpoint | null>;
  isRelayEndpoint(e: Endpoint): boolean;
};

export type ConnectorOptions = {
  sessions: SessionManager;
  logger: Logger;
  now?: () => number;
  discovery?: Discovery | null;
  traversal?: Traversal | null;
  directTimeoutMs?: number;
  punchTimeoutMs?: number;
  relayTimeoutMs?: number;
  upgradeEveryMs?: number;
};

type PeerRef = { address: string; publicKey: Uint8Array };

export class Connector {
  private inFlight = new Map<string, Promise<boolean>>();
  private failures = new Map<string, { count: number; notBefore: number }>();
  private links = new Map<string, { kind: LinkKind; at: number }>();
  private lastUpgrade = new Map<string, number>();
  /** Routers last seen in each friend's DHT record (for mailbox delivery). */
  readonly lastRecord = new Map<string, { routers: Endpoint[]; prekeys: Uint8Array | null; at: number }>();
  private readonly now: () => number;

  constructor(private o: ConnectorOptions) {
    this.now = o.now ?? Date.now;
  }

  private key(address: string): string {
    return address.toLowerCase();
  }

  /** How the live session with `address` was reached ('none' without one). */
  linkOf(address: string): LinkKind | 'none' {
    const info = this.o.sessions.info(address);
    if (!info) return 'none';
    if (this.o.traversal?.isRelayEndpoint(info.endpoint)) return 'relayed';
    return this.links.get(this.key(address))?.kind === 'punched' ? 'punched' : 'direct';
  }

  /** The peer reached us (or a router introduced it): remember how, for status. */
  noteLink(address: string, kind: LinkKind): void {
    this.links.set(this.key(address), { kind, at: this.now() });
  }

  /** Number of failed ladder runs since the last success (0 = reachable or untried). */
  failureCount(address: string): number {
    return this.failures.get(this.key(address))?.count ?? 0;
  }

  /** Resolves true once a session to the peer is live. Never rejects. */
  ensure(peer: PeerRef, saved: Endpoint[], force = false): Promise<boolean> {
    const key = this.key(peer.address);
    if (this.o.sessions.isConnected(peer.address)) {
      this.maybeUpgrade(peer);
      return Promise.resolve(true);
    }
    const running = this.inFlight.get(key);
    if (running) return running;
    const f = this.failures.get(key);
    if (!force && f && f.notBefore > this.now()) return Promise.resolve(false);
    const p = this.ladder(peer, saved)
      .then((kind) => {
        if (kind) {
          this.failures.delete(key);
          this.noteLink(peer.address, kind);
          return true;
        }
        const count = (this.failures.get(key)?.count ?? 0) + 1;
        this.failures.set(key, { count, notBefore: this.now() + backoffMs(count - 1, { baseMs: 2000 }) });
        return false;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  /** Forget failure history (e.g. after the peer reached us), so the next ensure() tries at once. */
  reset(address: string): void {
    this.failures.delete(this.key(address));
  }

  private async attempt(peer: PeerRef, endpoints: Endpoint[], timeoutMs: number): Promise<boolean> {
    if (endpoints.length === 0) return false;
    try {
      await this.o.sessions.connect(peer, endpoints, timeoutMs);
      return true;
    } catch (e) {
      this.o.logger.debug('connect attempt failed', { peer: peer.address, endpoints: endpoints.length, error: String(e) });
      return this.o.sessions.isConnected(peer.address);
    }
  }

  private async ladder(peer: PeerRef, saved: Endpoint[]): Promise<LinkKind | null> {
    const direct = this.o.directTimeoutMs ?? 2500;
    if (await this.attempt(peer, saved, direct)) return this.kindNow(peer.address, 'direct');
    const rec = this.o.discovery ? await this.o.discovery.lookup(peer.address).catch(() => null) : null;
    if (rec) this.lastRecord.set(this.key(peer.address), { routers: rec.routers, prekeys: rec.prekeys, at: this.now() });
    if (this.o.sessions.isConnected(peer.address)) return this.kindNow(peer.address, 'direct');
    const fresh = (rec?.endpoints ?? []).filter((e) => !saved.some((s) => s.host === e.host && s.port === e.port));
    if (await this.attempt(peer, fresh, direct)) return this.kindNow(peer.address, 'direct');
    const t = this.o.traversal;
    if (!t) return null;
    const via = rec?.routers ?? [];
    const intro = await t.introduce(peer.address, via).catch(() => null);
    if (this.o.sessions.isConnected(peer.address)) return this.kindNow(peer.address, 'punched');
    if (intro && (await this.attempt(peer, intro.endpoints, this.o.punchTimeoutMs ?? 3000))) return this.kindNow(peer.address, 'punched');
    const relay = await t.openRelay(peer.address, via).catch(() => null);
    if (this.o.sessions.isConnected(peer.address)) return this.kindNow(peer.address, 'relayed');
    if (relay && (await this.attempt(peer, [relay], this.o.relayTimeoutMs ?? 5000))) return 'relayed';
    return null;
  }

  private kindNow(address: string, guess: LinkKind): LinkKind {
    const info = this.o.sessions.info(address);
    if (info && this.o.traversal?.isRelayEndpoint(info.endpoint)) return 'relayed';
    return guess;
  }

  /** A relayed link periodically asks for a rendezvous again; a punched session then takes over. */
  maybeUpgrade(peer: PeerRef): void {
    const t = this.o.traversal;
    if (!t || this.linkOf(peer.address) !== 'relayed') return;
    const key = this.key(peer.address);
    const last = this.lastUpgrade.get(key) ?? 0;
    if (this.now() - last < (this.o.upgradeEveryMs ?? 30_000) || this.inFlight.has(key)) return;
    this.lastUpgrade.set(key, this.now());
    const via = this.lastRecord.get(key)?.routers ?? [];
    const p = (async () => {
      const intro = await t.introduce(peer.address, via).catch(() => null);
      if (!intro || intro.endpoints.length === 0) return true;
      try {
        await this.o.sessions.connect(peer, intro.endpoints, this.o.punchTimeoutMs ?? 3000, { fresh: true });
        if (!t.isRelayEndpoint(this.o.sessions.info(peer.address)?.endpoint ?? { host: '', port: 0 })) this.noteLink(peer.address, 'punched');
      } catch {
        /* still relayed; try again later */
      }
      return true;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
  }
}
