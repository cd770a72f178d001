/**
 * @module ar/ar-client
 * The client role of the application-router protocol (seed 000 "AR"; README.md). Keeps
 * sessions with up to `maxRouters` home routers (router-links.ts: registered, pinged, a dead
 * one replaced from `routers()`), and uses routers for rendezvous + hole punching
 * (introduce), relay circuits (openRelay, through RelaySocket) and the offline mailbox
 * (mailboxPut / 'mailbox' / ackMailbox). Routers only needed for one request (a friend's
 * routers) get a temporary session, closed when idle. vaultPut / vaultGet keep one sealed blob
 * per account at its routers (vault-client.ts).
 */
import { BuError, silentLogger, toHex, TypedEmitter, type Logger } from '../base';
import { sameEndpoint, type Endpoint } from '../net';
import type { PeerInfo, SessionManager } from '../session';
import { MAILBOX_MAX_BLOB, Msg } from './constants';
import { decodeArMessage, encodeAckBatches, isArPayload, type ArMessage } from './messages';
import { DEFAULT_OPENER_TTL, mappingDelayMs, openMapping } from './punch';
import { cidHex, type RelaySocket } from './relay-socket';
import { Requests } from './requests';
import { RouterLinks, type Link, type RouterHint } from './router-links';
import { VaultClient, type VaultCopy, type VaultPutReport } from './vault-client';

export type { RouterHint } from './router-links';

export type ArClientOptions = {
  sessions: SessionManager;
  socket: RelaySocket;
  logger?: Logger;
  /** Candidate routers: bootstrap list + DHT (`dht.routers()`). Called whenever one is needed. */
  routers: () => RouterHint[];
  /** Our self-reported endpoints (LAN addresses), told to routers for peers on the same network. */
  localEndpoints: () => Endpoint[];
  now?: () => number;
  maxRouters?: number;
  keepaliveMs?: number;
  deadAfterMs?: number;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** A router endpoint that failed is not tried again for this long. */
  retryAfterMs?: number;
  /** Temporary router sessions (not home routers) are closed after this long unused. */
  tempIdleMs?: number;
  /** Whom we let introduce themselves or open relay circuits to us (default: everyone). */
  acceptPeer?: (address: string, kind: 'intro' | 'relay') => boolean;
  /** Start the simultaneous open ourselves when introduced (default true). */
  punchOnIntro?: boolean;
  punchTimeoutMs?: number;
  /** IP TTL of the opener that opens our NAT towards an introduced peer (punch.ts; default 2). */
  punchTtl?: number;
};

export type MailboxDelivery = { router: string; items: Array<{ id: string; blob: Uint8Array; receivedAt: number; from: string }> };

export type ArClientEvents = {
  intro: { peer: string; endpoints: Endpoint[]; router: string };
  relayOffer: { peer: string; endpoint: Endpoint; router: string };
  mailbox: MailboxDelivery;
  routers: void;
};

type OwnCircuit = { cid: Uint8Array; router: string; peer: string; expiresAt: number; ttlMs: number; renewing: boolean };

export class ArClient extends TypedEmitter<ArClientEvents> {
  private readonly sessions: SessionManager;
  private readonly socket: RelaySocket;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly localEndpoints: () => Endpoint[];
  private readonly acceptPeer: NonNullable<ArClientOptions['acceptPeer']>;
  private readonly punchOnIntro: boolean;
  private readonly punchTimeoutMs: number;
  private readonly punchTtl: number;
  private readonly tickMs: number;
  private readonly links: RouterLinks;
  private readonly circuits = new Map<string, OwnCircuit>();
  private readonly requests = new Requests();
  private readonly vault: VaultClient;
  private readonly offs: Array<() => void>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  constructor(opts: ArClientOptions) {
    super();
    const keepaliveMs = opts.keepaliveMs ?? 15_000;
    this.sessions = opts.sessions;
    this.socket = opts.socket;
    this.logger = opts.logger ?? silentLogger;
    this.now = opts.now ?? Date.now;
    this.localEndpoints = opts.localEndpoints;
    this.acceptPeer = opts.acceptPeer ?? (() => true);
    this.punchOnIntro = opts.punchOnIntro ?? true;
    this.punchTimeoutMs = opts.punchTimeoutMs ?? 10_000;
    this.punchTtl = opts.punchTtl ?? DEFAULT_OPENER_TTL;
    this.tickMs = Math.max(20, Math.min(1000, keepaliveMs / 2));
    this.links = new RouterLinks({
      sessions: opts.sessions,
      socket: opts.socket,
      logger: this.logger,
      now: this.now,
      routers: opts.routers,
      localEndpoints: opts.localEndpoints,
      requests: this.requests,
      maxRouters: opts.maxRouters ?? 2,
      keepaliveMs,
      deadAfterMs: opts.deadAfterMs ?? keepaliveMs * 3 + 1000,
      requestTimeoutMs: opts.requestTimeoutMs ?? 5000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 5000,
      retryAfterMs: opts.retryAfterMs ?? 10_000,
      tempIdleMs: opts.tempIdleMs ?? 60_000,
    });
    this.vault = new VaultClient(this.links, opts.localEndpoints, this.logger);
    this.offs = [
      this.sessions.on('message', (m) => this.onMessage(m.peer, m.data)),
      this.sessions.on('closed', ({ address }) => this.links.onSessionClosed(address)),
      this.links.on('changed', () => this.emit('routers', undefined)),
      this.links.on('lost', (l) => {
        for (const [hex, c] of [...this.circuits]) if (c.router.toLowerCase() === l.key) this.forgetCircuit(hex);
      }),
    ];
  }

  /** Connect and register to up to `maxRouters` routers; keeps doing so in the background. */
  async start(): Promise<void> {
    if (this.closed || this.timer) return;
    this.links.autoFill = true;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref?.();
    await this.links.fill();
  }

  /** Registered home routers. */
  connectedRouters(): Array<{ address: string; endpoint: Endpoint; rttMs: number | null }> {
    return this.links.homes().map((l) => ({ address: l.address, endpoint: { ...l.endpoint }, rttMs: l.rttMs }));
  }

  /** Our endpoint as each home router sees it (for NAT classification). */
  observations(): Array<{ router: string; observed: Endpoint }> {
    return this.links.homes().flatMap((l) => (l.observed ? [{ router: l.address, observed: { ...l.observed } }] : []));
  }

  /** True for routers we have (or are opening) a session with: the node's authorize must accept them. */
  isRouter(address: string): boolean {
    return this.links.isRouter(address);
  }

  /** Whether an endpoint is one of our relay circuits' virtual endpoints. */
  isRelayEndpoint(e: Endpoint): boolean {
    return this.socket.isRelayEndpoint(e);
  }

  /** Ask routers (those listed for the peer first) to introduce us; the peer starts punching. */
  async introduce(peer: string, via: Endpoint[] = []): Promise<{ endpoints: Endpoint[] } | null> {
    const r = await this.anyAnswer(via, (req) => ({ t: Msg.INTRO_REQ, req, target: peer, endpoints: this.localEndpoints() }), Msg.INTRO_OK);
    if (!r || r.m.t !== Msg.INTRO_OK) return null;
    return { endpoints: dedupe([r.m.observed, ...r.m.endpoints]) };
  }

  /** Open a relay circuit to the peer; resolves with a virtual endpoint for `sessions.connect`. */
  async openRelay(peer: string, via: Endpoint[] = []): Promise<Endpoint | null> {
    const r = await this.firstAnswer(via, true, (req) => ({ t: Msg.RELAY_REQ, req, target: peer }), Msg.RELAY_OK);
    if (!r || r.m.t !== Msg.RELAY_OK) return null;
    return this.adoptCircuit(r.link, r.m.cid, peer, r.m.ttlMs);
  }

  /** Store a blob for an offline recipient at one of its routers (`via`; none: our own); true once stored. */
  async mailboxPut(recipient: string, blob: Uint8Array, via: Endpoint[]): Promise<boolean> {
    if (blob.length > MAILBOX_MAX_BLOB) throw new BuError('TOO_LONG', `mailbox item is ${blob.length} bytes (max ${MAILBOX_MAX_BLOB})`);
    const r = await this.firstAnswer(via, via.length === 0, (req) => ({ t: Msg.MAILBOX_PUT, req, recipient, blob }), Msg.MAILBOX_STORED);
    return r?.m.t === Msg.MAILBOX_STORED;
  }

  /** Tell a router that items are safely committed (it deletes them). */
  ackMailbox(router: string, ids: string[]): boolean {
    const l = this.links.get(router);
    if (!l || ids.length === 0) return false;
    const raw = ids.filter((id) => /^[0-9a-f]{32}$/i.test(id)).map((id) => Uint8Array.from(Buffer.from(id, 'hex')));
    let ok = true;
    for (const p of encodeAckBatches(raw)) ok = this.sessions.send(l.address, () => p) && ok;
    l.lastUsedAt = this.now();
    return ok;
  }

  /** Keep `blob` (version `version`) in our vault at every home router (or those in `only`); resolves with how many hold it now. */
  async vaultPut(blob: Uint8Array, version: number, only?: readonly string[]): Promise<number> {
    return (await this.vaultPutReport(blob, version, only)).filter((r) => r.version === version).length;
  }

  /** Like vaultPut, with the version each router holds afterwards (a newer one: another machine of ours wrote it). */
  vaultPutReport(blob: Uint8Array, version: number, only?: readonly string[]): Promise<VaultPutReport> {
    return this.vault.put(blob, version, only);
  }

  /** Our vault blob from the home routers and the `via` routers: the highest version `verify` accepts (it throws on an invalid one). */
  vaultGet(via: readonly Endpoint[], verify: (blob: Uint8Array, version: number) => boolean): Promise<VaultCopy | null> {
    return this.vault.get(via, verify);
  }

  /** Close a relay circuit we hold (by its virtual endpoint). */
  closeRelay(endpoint: Endpoint): void {
    const c = this.socket.circuitFor(endpoint);
    if (!c) return;
    const own = this.circuits.get(c.cid);
    const l = own ? this.links.get(own.router) : undefined;
    if (own && l) this.links.send(l, { t: Msg.RELAY_CLOSE, cid: own.cid, reason: 0 });
    this.forgetCircuit(c.cid);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const off of this.offs) off();
    this.requests.clear();
    for (const hex of [...this.circuits.keys()]) this.forgetCircuit(hex);
    await this.links.close();
  }

  private tick(): void {
    if (this.closed) return;
    this.links.tick();
    const now = this.now();
    for (const c of this.circuits.values()) {
      const used = this.socket.circuit(c.cid)?.lastUsedAt ?? 0;
      if (!c.renewing && c.expiresAt - now < c.ttlMs / 4 && Date.now() - used < c.ttlMs) void this.renew(c);
    }
  }

  /**
   * Routers to ask, in order: linked routers listed in `via`, then the other `via` endpoints
   * (temporary sessions), then (if `fallbackHome`) our home routers; at most 4.
   */
  private routerQueue(via: Endpoint[], fallbackHome: boolean): Array<Link | Endpoint> {
    const linkedVia = this.links.all().filter((l) => via.some((e) => sameEndpoint(e, l.endpoint)));
    const rest = via.filter((e) => !linkedVia.some((l) => sameEndpoint(e, l.endpoint)));
    const queue: Array<Link | Endpoint> = [...linkedVia, ...rest];
    if (fallbackHome) for (const h of this.links.homes()) if (!queue.includes(h)) queue.push(h);
    return queue.slice(0, 4);
  }

  private async ask(item: Link | Endpoint, seen: Set<string>, build: (req: number) => ArMessage): Promise<{ link: Link; m: ArMessage | null } | null> {
    const link = 'key' in item ? item : await this.links.attach(item, false);
    if (!link || seen.has(link.key) || this.links.get(link.key) !== link) return null;
    seen.add(link.key);
    const m = await this.links.request(link, build);
    if (m?.t === Msg.ERROR) this.logger.debug('ar: router refused', { router: link.address, code: m.code });
    return { link, m };
  }

  /** One router after the other (requests with side effects: circuits, stored items). */
  private async firstAnswer(via: Endpoint[], fallbackHome: boolean, build: (req: number) => ArMessage, want: number): Promise<{ link: Link; m: ArMessage } | null> {
    const seen = new Set<string>();
    for (const item of this.routerQueue(via, fallbackHome)) {
      if (this.closed) break;
      const r = await this.ask(item, seen, build);
      if (r?.m?.t === want) return { link: r.link, m: r.m };
    }
    return null;
  }

  /** All routers at once, first useful answer wins (introductions: an offline peer costs one consent timeout, not one per router). */
  private anyAnswer(via: Endpoint[], build: (req: number) => ArMessage, want: number): Promise<{ link: Link; m: ArMessage } | null> {
    const queue = this.routerQueue(via, true);
    const seen = new Set<string>();
    return new Promise((resolve) => {
      let pending = queue.length;
      let done = false;
      if (pending === 0) return resolve(null);
      for (const item of queue) {
        void this.ask(item, seen, build).then((r) => {
          if (!done && r?.m?.t === want) {
            done = true;
            resolve({ link: r.link, m: r.m });
          }
          if (--pending === 0 && !done) resolve(null);
        });
      }
    });
  }

  private async renew(c: OwnCircuit): Promise<void> {
    const l = this.links.get(c.router);
    if (!l) return;
    c.renewing = true;
    const r = await this.links.request(l, (req) => ({ t: Msg.RELAY_RENEW, req, cid: c.cid }));
    c.renewing = false;
    if (r?.t === Msg.RELAY_OK) {
      c.ttlMs = r.ttlMs;
      c.expiresAt = this.now() + r.ttlMs;
    }
  }

  private adoptCircuit(link: Link, cid: Uint8Array, peer: string, ttlMs: number): Endpoint {
    const endpoint = this.socket.addCircuit(cid, link.endpoint, { routerAddress: link.address, peer });
    this.circuits.set(cidHex(cid), { cid, router: link.address, peer, ttlMs, expiresAt: this.now() + ttlMs, renewing: false });
    link.lastUsedAt = this.now();
    return endpoint;
  }

  private forgetCircuit(hex: string): void {
    this.circuits.delete(hex);
    this.socket.removeCircuit(hex);
  }

  // ── messages from routers ────────────────────────────────────────────────────

  private onMessage(peer: PeerInfo, data: Uint8Array): void {
    if (this.closed || !isArPayload(data)) return;
    const link = this.links.get(peer.address);
    if (!link) return; // AR payloads from anyone but our routers are ignored
    const m = decodeArMessage(data);
    if (!m) return;
    switch (m.t) {
      case Msg.REGISTERED:
      case Msg.PONG:
      case Msg.INTRO_OK:
      case Msg.RELAY_OK:
      case Msg.MAILBOX_STORED:
      case Msg.VAULT_STORED:
      case Msg.VAULT:
      case Msg.ERROR:
        this.requests.settle(link.key, m.req, m);
        return;
      case Msg.INTRO:
        return this.onIntro(link, m);
      case Msg.RELAY_OFFER: {
        if (!this.acceptPeer(m.peer, 'relay')) return void this.links.send(link, { t: Msg.RELAY_CLOSE, cid: m.cid, reason: 0 });
        const endpoint = this.adoptCircuit(link, m.cid, m.peer, m.ttlMs);
        this.links.send(link, { t: Msg.RELAY_ACCEPT, cid: m.cid });
        this.emit('relayOffer', { peer: m.peer, endpoint, router: link.address });
        return;
      }
      case Msg.RELAY_CLOSE:
        if (this.circuits.get(cidHex(m.cid))?.router.toLowerCase() === link.key) this.forgetCircuit(cidHex(m.cid));
        return;
      case Msg.MAILBOX_ITEMS:
        link.lastUsedAt = this.now();
        this.emit('mailbox', { router: link.address, items: m.items.map((it) => ({ id: toHex(it.id), blob: it.blob, receivedAt: it.receivedAt, from: it.sender })) });
        return;
      default:
        return;
    }
  }

  /** Introduced to a requester: open our mapping, consent, then punch back (punch.ts). */
  private onIntro(link: Link, m: Extract<ArMessage, { t: typeof Msg.INTRO }>): void {
    if (!this.acceptPeer(m.peer, 'intro')) return; // silence: the requester cannot tell we are online
    const mapped = m.observed;
    const lan = dedupe(m.endpoints).filter((e) => !sameEndpoint(e, mapped));
    const opened = openMapping(this.socket, mapped, this.punchTtl);
    this.links.send(link, { t: Msg.INTRO_ACCEPT, intro: m.intro });
    if (this.punchOnIntro) this.punchBack(m.peer, lan, mapped, opened ? mappingDelayMs(link.rttMs) : 0);
    this.emit('intro', { peer: m.peer, endpoints: dedupe([mapped, ...m.endpoints]), router: link.address });
  }

  /**
   * Our INITs: to the requester's LAN endpoints now, to its mapping after `delayMs` unless a
   * direct session exists by then. A relayed session does not count: we handshake afresh
   * (the newer session takes over by epoch), the relayed one carries on meanwhile.
   */
  private punchBack(peer: string, lan: Endpoint[], mapped: Endpoint, delayMs: number): void {
    const relayed = () => {
      const info = this.sessions.info(peer);
      return info ? this.socket.isRelayEndpoint(info.endpoint) : null;
    };
    if (relayed() === false) return; // already direct
    const connect = (eps: Endpoint[]) =>
      this.sessions
        .connect({ address: peer }, eps, this.punchTimeoutMs, { fresh: relayed() === true })
        .catch((e: unknown) => this.logger.debug('ar: punch failed', { peer, error: String(e) }));
    if (lan.length > 0) void connect(lan);
    if (delayMs <= 0) return void connect([mapped]);
    const t = setTimeout(() => {
      if (!this.closed && relayed() !== false) void connect([mapped]);
    }, delayMs);
    t.unref?.();
  }
}

function dedupe(list: Endpoint[]): Endpoint[] {
  return list.filter((e, i) => list.findIndex((x) => sameEndpoint(x, e)) === i);
}
