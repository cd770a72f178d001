/**
 * @module seal/p2p/dialer
 * The connection ladder to one consensus peer, modelled on chat/connector (whose traversal
 * reasoning is in ar/README): 1. direct to its declared endpoints (public primaries, LAN);
 * 2. a rendezvous through one of its routers — both sides learn each other's mapping and punch
 * (ArClient.introduce); 3. a relay circuit through one of its routers (ArClient.openRelay), the
 * path of sealers behind symmetric NATs. At most `dialConcurrency` ladders run at once, one per
 * peer; the outcome feeds the peer book's backoff.
 */
import type { Logger } from '../../base';
import type { ArClient } from '../../ar';
import type { Endpoint } from '../../net';
import type { SessionManager } from '../../session';
import type { P2pTuning } from './constants';
import type { KnownPeer } from './peer-book';

export type DialOutcome = 'direct' | 'punched' | 'relayed' | null;

export type DialerDeps = {
  sessions: SessionManager;
  ar: () => ArClient | null;
  tuning: Pick<P2pTuning, 'directTimeoutMs' | 'punchTimeoutMs' | 'relayTimeoutMs' | 'dialConcurrency'>;
  logger: Logger;
};

export class Dialer {
  private readonly running = new Map<string, Promise<DialOutcome>>();
  private closed = false;

  constructor(private readonly d: DialerDeps) {}

  /** Ladders in flight. */
  busy(): number {
    return this.running.size;
  }

  isDialing(key: string): boolean {
    return this.running.has(key);
  }

  canDial(): boolean {
    return !this.closed && this.running.size < this.d.tuning.dialConcurrency;
  }

  dial(peer: KnownPeer): Promise<DialOutcome> {
    const r = this.running.get(peer.key);
    if (r) return r;
    const p = this.ladder(peer)
      .catch((e: unknown) => {
        this.d.logger.debug('poe: dial failed', { peer: peer.address, error: String(e) });
        return null;
      })
      .finally(() => this.running.delete(peer.key));
    this.running.set(peer.key, p);
    return p;
  }

  close(): void {
    this.closed = true;
  }

  private async attempt(address: string, endpoints: Endpoint[], timeoutMs: number): Promise<boolean> {
    if (endpoints.length === 0 || this.closed) return false;
    try {
      await this.d.sessions.connect({ address }, endpoints, timeoutMs);
      return true;
    } catch {
      return this.d.sessions.isConnected(address);
    }
  }

  private async ladder(peer: KnownPeer): Promise<DialOutcome> {
    const s = this.d.sessions;
    const t = this.d.tuning;
    if (s.isConnected(peer.address)) return 'direct';
    if (await this.attempt(peer.address, peer.endpoints, t.directTimeoutMs)) return this.kind(peer.address, 'direct');
    const ar = this.d.ar();
    if (!ar || peer.routers.length === 0 || this.closed) return null;
    const intro = await ar.introduce(peer.address, peer.routers).catch(() => null);
    if (s.isConnected(peer.address)) return this.kind(peer.address, 'punched');
    if (intro && (await this.attempt(peer.address, intro.endpoints, t.punchTimeoutMs))) return this.kind(peer.address, 'punched');
    if (this.closed) return null;
    const relay = await ar.openRelay(peer.address, peer.routers).catch(() => null);
    if (s.isConnected(peer.address)) return this.kind(peer.address, 'relayed');
    if (relay && (await this.attempt(peer.address, [relay], t.relayTimeoutMs))) return 'relayed';
    if (relay) ar.closeRelay(relay);
    return null;
  }

  private kind(address: string, guess: Exclude<DialOutcome, null>): DialOutcome {
    const info = this.d.sessions.info(address);
    if (!info) return null;
    return this.d.ar()?.isRelayEndpoint(info.endpoint) ? 'relayed' : guess;
  }
}
