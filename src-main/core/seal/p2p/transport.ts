/**
 * @module seal/p2p/transport
 * `P2pTransport` on the product's P2P stack (README.md): consensus links are sessions of
 * core/session (over the node's UDP socket, or through AR relay circuits), found through the
 * DHT (POE_APP_ID records), peer exchange and the bootstrap list. This class wires the parts —
 * frame layer (frames.ts), links (links.ts), gossip (gossip.ts), requests (requests.ts),
 * discovery (discovery.ts) — to the session manager's events and exposes `PoeTransport`.
 * Building the stack (or adopting a node's) is create.ts's job.
 */
import { BuError, silentLogger, type Logger } from '../../base';
import type { ArClient, RelaySocket } from '../../ar';
import { checksumAddress } from '../../crypto';
import type { DhtIdentity, DhtNode } from '../../dht';
import type { Endpoint } from '../../net';
import type { PeerInfo, SessionManager } from '../../session';
import { encodeDirect, isPoePayload, type PoeFrame } from './codec';
import { DEFAULT_TUNING, Frame, type P2pTuning } from './constants';
import { Dialer } from './dialer';
import { RecordPublisher, recordEntries, recordExtra } from './discovery';
import { FrameIo } from './frames';
import { Gossip } from './gossip';
import { Links } from './links';
import { PeerBook } from './peer-book';
import { Requests } from './requests';
import type { P2pStats, P2pTransport, PeerHint, Reachability } from './types';

type MessageCb = (msg: Uint8Array, from: string) => boolean | Promise<boolean>;

export type TransportParts = {
  identity: DhtIdentity;
  relay: RelaySocket;
  sessions: SessionManager;
  dht: DhtNode;
  ar: () => ArClient | null;
  owned: boolean;
  reachability: Reachability;
  networkId: bigint;
  bootstrap: PeerHint[];
  directory: () => string[];
  advertise?: () => Endpoint[];
  tuning?: Partial<P2pTuning>;
  logger?: Logger;
  /** Joins the DHT / routers (own stack); resolves when the record can be published. */
  join: () => Promise<void>;
  /** Closes what we built (own stack). */
  teardown: () => Promise<void>;
};

export class PoeP2pTransport implements P2pTransport {
  readonly address: string;
  private readonly t: P2pTuning;
  private readonly logger: Logger;
  private readonly book = new PeerBook();
  private readonly io: FrameIo;
  private readonly links: Links;
  private readonly gossip: Gossip;
  private readonly requests: Requests;
  private readonly dialer: Dialer;
  private readonly publisher: RecordPublisher;
  private readonly callbacks = new Set<MessageCb>();
  private readonly offs: Array<() => void> = [];
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private joined = false;
  private notPeer = 0;
  private closed = false;

  constructor(private readonly p: TransportParts) {
    this.t = { ...DEFAULT_TUNING, ...p.tuning };
    this.logger = p.logger ?? silentLogger;
    this.address = checksumAddress(p.identity.address);
    const now = () => Date.now();
    const self = this.address.toLowerCase();
    this.io = new FrameIo({ sessions: p.sessions, tuning: this.t, logger: this.logger, now, onFrame: (k, peer, f) => this.onFrame(k, peer, f) });
    this.dialer = new Dialer({ sessions: p.sessions, ar: p.ar, tuning: this.t, logger: this.logger });
    this.publisher = new RecordPublisher({
      dht: p.dht,
      identity: p.identity,
      entries: () => {
        const d = this.declared();
        return recordEntries(d.endpoints, d.routers);
      },
      extra: () => recordExtra(p.reachability === 'public', p.networkId),
      ready: () => this.joined,
      logger: this.logger,
    });
    this.requests = new Requests(this.t, this.logger);
    this.links = new Links({
      self,
      sessions: p.sessions,
      send: (k, f) => this.io.send(k, f),
      book: this.book,
      dialer: this.dialer,
      publisher: this.publisher,
      isRouter: (a) => p.ar()?.isRouter(a) ?? false,
      ownsSessions: p.owned,
      reachability: p.reachability,
      networkId: p.networkId,
      declared: () => this.declared(),
      directory: () => safeList(p.directory, this.logger),
      tuning: this.t,
      now,
      logger: this.logger,
      onUp: () => undefined,
      onDown: (k) => {
        this.io.forgetPeer(k);
        this.requests.failPeer(k);
      },
    });
    this.gossip = new Gossip({
      peers: () => this.links.keys(),
      send: (k, f) => this.io.send(k, f),
      deliver: (payload, from) => this.deliver(payload, from),
      now,
      tuning: this.t,
      logger: this.logger,
    });
    this.addPeers(p.bootstrap);
  }

  /** Subscribe, join, publish, and start the maintenance loops. */
  async start(): Promise<void> {
    const s = this.p.sessions;
    this.offs.push(
      s.on('message', ({ peer, data }) => {
        if (!this.closed && isPoePayload(data)) this.io.onPayload(peer, data);
      }),
      s.on('established', ({ peer }) => this.links.onEstablished(peer)),
      s.on('closed', ({ address }) => this.links.onClosed(address)),
    );
    const tick = setInterval(() => {
      const now = Date.now();
      this.io.tick(now);
      this.links.tick(now);
      this.gossip.tick(now);
    }, this.t.tickMs);
    const discover = setInterval(() => this.links.maintain(), this.t.discoverEveryMs);
    const republish = setInterval(() => void this.publisher.publishIfChanged(), this.t.publishCheckMs);
    this.timers = [tick, discover, republish];
    for (const tm of this.timers) tm.unref?.();
    const ar = this.p.ar();
    if (ar) this.offs.push(ar.on('routers', () => void this.publisher.publishIfChanged()));
    this.links.maintain(); // bootstrap peers with addresses need no DHT
    void this.p
      .join()
      .catch((e: unknown) => this.logger.warn('poe: joining the network failed; retrying in the background', { error: String(e) }))
      .finally(() => {
        this.joined = true;
        void this.publisher.publishIfChanged();
        this.links.maintain();
      });
  }

  endpoint(): Endpoint {
    return this.p.relay.address();
  }

  declared(): { endpoints: Endpoint[]; routers: Endpoint[] } {
    let endpoints: Endpoint[] = [];
    if (this.p.advertise) endpoints = safeList(this.p.advertise, this.logger);
    else {
      const bound = this.p.relay.address();
      if (bound.host !== '0.0.0.0' && bound.host !== '::') endpoints = [bound];
      else if (this.p.reachability === 'public') {
        const seen = this.p.dht.observedEndpoint();
        if (seen) endpoints = [seen];
      }
    }
    const routers = this.p.reachability === 'nat' ? (this.p.ar()?.connectedRouters() ?? []).map((r) => r.endpoint) : [];
    return { endpoints, routers };
  }

  authorize(peer: PeerInfo): 'accept' | 'reject' {
    return this.links.authorize(peer);
  }

  acceptsRelay(address: string): boolean {
    return this.links.acceptsRelay(address);
  }

  addPeers(hints: PeerHint[]): void {
    const now = Date.now();
    for (const h of hints) {
      if (!h.address) continue;
      let address: string;
      try {
        address = checksumAddress(h.address);
      } catch {
        continue;
      }
      if (address === this.address) continue;
      this.book.upsert(address, { endpoints: [{ host: h.host, port: h.port }], routers: h.routers ?? [], public: !h.routers?.length }, 'bootstrap', now);
    }
    if (!this.closed && this.timers.length > 0) this.links.maintainSoon();
  }

  // ── PoeTransport ─────────────────────────────────────────────────────────────

  broadcast(msg: Uint8Array): void {
    if (this.closed) return;
    this.gossip.broadcast(msg);
  }

  send(peer: string, msg: Uint8Array): boolean {
    if (this.closed) return false;
    const key = peer.toLowerCase();
    if (!this.links.links.has(key)) return false;
    if (msg.length > 4 * 1024 * 1024) throw new BuError('TOO_LONG', `message is ${msg.length} bytes (max 4 MiB)`);
    return this.io.send(key, encodeDirect(msg));
  }

  onMessage(cb: MessageCb): () => void {
    this.callbacks.add(cb);
    return () => void this.callbacks.delete(cb);
  }

  onRequest(handler: (req: Uint8Array, from: string) => Promise<Uint8Array>): void {
    this.requests.setHandler(handler);
  }

  request(peer: string, req: Uint8Array, timeoutMs?: number): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new BuError('NETWORK', 'transport closed'));
    const key = peer.toLowerCase();
    if (!this.links.links.has(key)) return Promise.reject(new BuError('NETWORK', `${peer} is not a connected consensus peer`));
    return this.requests.request(key, req, timeoutMs ?? this.t.requestTimeoutMs, (f) => this.io.send(key, f));
  }

  peers(): { address: string; rttMs: number | null; via: 'direct' | 'relay' }[] {
    return this.links.peers();
  }

  stats(): P2pStats {
    const r = this.io.reassembly.stats;
    return {
      peers: this.links.links.size,
      known: this.book.all().length,
      dialing: this.dialer.busy(),
      sessions: this.p.sessions.stats().peers,
      gossip: { ...this.gossip.stats },
      frames: { ...this.io.stats, notPeer: this.notPeer },
      outbox: { ...this.io.outbox.stats },
      transfers: { ...r, heldBytes: this.io.reassembly.held(), retainedBytes: this.io.retention.held() },
      requests: { ...this.requests.stats },
      dials: { ...this.links.dials },
      lookups: this.links.lookupCount,
      published: this.publisher.published,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const tm of this.timers) clearInterval(tm);
    for (const off of this.offs.splice(0)) off();
    this.dialer.close();
    this.publisher.close();
    this.links.close();
    this.requests.clear();
    this.gossip.clear();
    this.io.close();
    this.callbacks.clear();
    await this.p.teardown();
  }

  // ── inbound ─────────────────────────────────────────────────────────────────

  private onFrame(key: string, peer: PeerInfo, f: Exclude<PoeFrame, { t: typeof Frame.CHUNK | typeof Frame.NACK | typeof Frame.ACK }>): void {
    if (f.t === Frame.HELLO) return this.links.onHello(peer, f.hello);
    if (!this.links.links.has(key)) {
      this.notPeer++; // only linked peers may gossip or ask
      return;
    }
    switch (f.t) {
      case Frame.GOSSIP:
        return void this.gossip.onGossip(key, f.hops, f.id, f.payload);
      case Frame.DIRECT:
        return void this.deliver(Uint8Array.from(f.payload), key);
      case Frame.IHAVE:
        return this.gossip.onIHave(key, f.items);
      case Frame.IWANT:
        return this.gossip.onIWant(key, f.ids);
      case Frame.REQUEST:
        return void this.requests.onRequest(key, peer.address, f.req, f.payload, (frame) => void this.io.send(key, frame));
      case Frame.RESPONSE:
        return this.requests.onResponse(key, f.req, f.status, f.payload);
    }
  }

  /** Every consumer sees the message; it is valid (relayed) if any of them says so. */
  private async deliver(payload: Uint8Array, fromKey: string): Promise<boolean> {
    const from = this.links.links.get(fromKey)?.address ?? checksumAddress(fromKey);
    const verdicts = await Promise.all(
      [...this.callbacks].map(async (cb) => {
        try {
          return (await cb(payload, from)) === true;
        } catch (e) {
          this.logger.debug('poe: message consumer threw', { error: String(e) });
          return false;
        }
      }),
    );
    return verdicts.some(Boolean);
  }
}

function safeList<T>(f: () => T[], logger: Logger): T[] {
  try {
    return f() ?? [];
  } catch (e) {
    logger.warn('poe: a list callback threw', { error: String(e) });
    return [];
  }
}
