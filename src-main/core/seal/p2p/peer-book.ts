/**
 * @module seal/p2p/peer-book
 * What we know about consensus participants we might connect to: their self-declared endpoints
 * and routers, from the bootstrap list, peer exchange, DHT records and their own HELLO — never
 * the NAT mapping we observed (handing a mapping around invites unsolicited packets that spoil
 * hole punches; ar/README). Sources rank hello > dht > bootstrap > pex: a second-hand PEX entry
 * never overwrites fresh first-hand data. Bounded (oldest PEX entries go first), with an
 * exponential dial backoff per peer.
 */
import { isRelayEndpoint } from '../../ar';
import { sameEndpoint, type Endpoint } from '../../net';
import type { P2pTuning } from './constants';

export type PeerSource = 'pex' | 'bootstrap' | 'dht' | 'hello';
const RANK: Record<PeerSource, number> = { pex: 0, bootstrap: 1, dht: 2, hello: 3 };
/** Older first-hand data may be replaced by lower-ranked news. */
const STALE_MS = 10 * 60_000;

export type KnownPeer = {
  address: string;
  key: string;
  endpoints: Endpoint[];
  routers: Endpoint[];
  public: boolean;
  source: PeerSource;
  updatedAt: number;
  failures: number;
  notBefore: number;
};

export type PeerInfoUpdate = { endpoints: Endpoint[]; routers: Endpoint[]; public: boolean };

function clean(list: Endpoint[]): Endpoint[] {
  return list.filter((e, i) => !isRelayEndpoint(e) && list.findIndex((x) => sameEndpoint(x, e)) === i);
}

export class PeerBook {
  private readonly peers = new Map<string, KnownPeer>();

  constructor(private readonly max = 1024) {}

  get(key: string): KnownPeer | undefined {
    return this.peers.get(key);
  }

  all(): KnownPeer[] {
    return [...this.peers.values()];
  }

  upsert(address: string, info: PeerInfoUpdate, source: PeerSource, now: number): KnownPeer {
    const key = address.toLowerCase();
    const e = this.peers.get(key);
    const update = { endpoints: clean(info.endpoints), routers: clean(info.routers), public: info.public };
    if (e) {
      if (RANK[source] >= RANK[e.source] || now - e.updatedAt > STALE_MS) Object.assign(e, update, { source, updatedAt: now });
      return e;
    }
    const p: KnownPeer = { address, key, ...update, source, updatedAt: now, failures: 0, notBefore: 0 };
    this.peers.set(key, p);
    if (this.peers.size > this.max) this.evict();
    return p;
  }

  failed(key: string, now: number, t: Pick<P2pTuning, 'dialBackoffMs' | 'dialBackoffMaxMs'>): void {
    const p = this.peers.get(key);
    if (!p) return;
    p.failures++;
    const ms = Math.min(t.dialBackoffMaxMs, t.dialBackoffMs * 2 ** Math.min(16, p.failures - 1));
    p.notBefore = now + ms * (0.9 + Math.random() * 0.2);
  }

  succeeded(key: string): void {
    const p = this.peers.get(key);
    if (!p) return;
    p.failures = 0;
    p.notBefore = 0;
  }

  /** Up to `n` peers for a HELLO's peer exchange, first-hand and public ones first. */
  sample(n: number, exclude: (key: string) => boolean): KnownPeer[] {
    const cands = this.all().filter((p) => !exclude(p.key) && (p.endpoints.length > 0 || p.routers.length > 0) && p.failures < 3);
    for (let i = cands.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [cands[i], cands[j]] = [cands[j]!, cands[i]!];
    }
    cands.sort((a, b) => Number(b.source === 'hello') - Number(a.source === 'hello') || Number(b.public) - Number(a.public));
    return cands.slice(0, n);
  }

  private evict(): void {
    let victim: KnownPeer | null = null;
    for (const p of this.peers.values()) {
      if (victim === null || RANK[p.source] < RANK[victim.source] || (RANK[p.source] === RANK[victim.source] && p.updatedAt < victim.updatedAt)) victim = p;
    }
    if (victim) this.peers.delete(victim.key);
  }
}
