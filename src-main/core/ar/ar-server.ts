/**
 * @module ar/ar-server
 * The application router (seed 000 "AR"): clients reach it over ordinary authenticated
 * sessions and send AR control payloads (`0xA7 …`, see messages.ts). It offers
 *  - registration: the router remembers the client's observed endpoint (its NAT mapping, as
 *    the session sees it) and self-reported local endpoints, and pushes its mailbox;
 *  - rendezvous: INTRO_REQ → INTRO to the target → (target accepts) → INTRO_OK to the requester;
 *    both sides then open a session at once (simultaneous open = UDP hole punch, RFC 5128 §3.3);
 *  - relay: RELAY_REQ → RELAY_OFFER → (target accepts) → RELAY_OK; then raw `[0x40][cid][…]`
 *    frames are forwarded between the two clients (TURN-style channels, RFC 8656 §12), with the
 *    consent step and limits of libp2p Circuit Relay v2 (HOP CONNECT → STOP CONNECT → OK);
 *  - mailbox: MAILBOX_PUT stores ciphertext for an offline recipient (server-mailbox.ts);
 *  - vault: one sealed blob per registered client, its backed-up contact list (server-vault.ts).
 * The router never holds a key of the clients' end-to-end sessions: it cannot read relayed data.
 */
import { BuError, silentLogger, TypedEmitter, type Logger } from '../base';
import { checksumAddress } from '../crypto';
import { RateLimiter, type DatagramSocket, type Endpoint } from '../net';
import { MAX_SESSION_DATAGRAM, type PeerInfo, type SessionManager } from '../session';
import { ArErr, DEFAULT_LIMITS, Msg, PROBE_PACKET, RELAY_FRAME, RELAY_HEADER, type ArLimits } from './constants';
import { MailboxStore } from './mailbox-store';
import { decodeArMessage, encodeArMessage, isArPayload, type ArMessage } from './messages';
import { decodeProbeRequest, encodeProbeReply } from './probe';
import { cidHex } from './relay-socket';
import { CLOSE_REASONS, RelayTable, type Circuit, type CloseReason } from './relay-table';
import { MailboxService } from './server-mailbox';
import { VaultService, vaultLimits } from './server-vault';
import { VaultStore } from './vault-store';

export type ArServerOptions = {
  /** The router's own address (its SessionManager identity), announced in probe replies. */
  address: string;
  sessions: SessionManager;
  /** The router's UDP socket (the one its SessionManager uses). */
  socket: DatagramSocket;
  logger?: Logger;
  /** SQLite file for the mailbox; in memory when absent. */
  mailboxFile?: string;
  nativeBinding?: string;
  limits?: Partial<ArLimits>;
  now?: () => number;
  /** Housekeeping period (circuit expiry, mailbox retries). Default 1 s. */
  tickMs?: number;
};

type Client = { address: string; endpoints: Endpoint[]; registeredAt: number };
type PendingIntro = { requester: string; req: number; target: string; timer: ReturnType<typeof setTimeout> };
type PendingRelay = { req: number; circuit: Circuit; deadline: number; timer: ReturnType<typeof setTimeout> };

export type ArServerStats = {
  registered: number;
  intros: number;
  circuits: number;
  relayedFrames: number;
  relayedBytes: number;
  droppedUnknownCircuit: number;
  droppedSpoofed: number;
  droppedRate: number;
  droppedNotAccepted: number;
  droppedOversize: number;
  rateLimited: number;
  malformed: number;
  probes: number;
  mailbox: MailboxService['stats'];
  vault: VaultService['stats'];
};

export type ArServerEvents = { registered: { address: string; endpoint: Endpoint }; unregistered: { address: string } };

export class ArServer extends TypedEmitter<ArServerEvents> {
  readonly address: string;
  private readonly sessions: SessionManager;
  private readonly socket: DatagramSocket;
  private readonly logger: Logger;
  private readonly limits: ArLimits;
  private readonly now: () => number;
  private readonly clients = new Map<string, Client>();
  private readonly table: RelayTable;
  private readonly mailbox: MailboxService;
  private readonly vault: VaultService;
  private readonly requests: RateLimiter;
  private readonly probes: RateLimiter;
  private readonly intros = new Map<number, PendingIntro>();
  private readonly offers = new Map<string, PendingRelay>();
  private readonly deferred = new Set<ReturnType<typeof setTimeout>>();
  private readonly offs: Array<() => void>;
  private readonly timer: ReturnType<typeof setInterval>;
  private lastPurge = 0;
  private closed = false;
  private readonly counters = {
    intros: 0,
    relayedFrames: 0,
    relayedBytes: 0,
    droppedUnknownCircuit: 0,
    droppedSpoofed: 0,
    droppedRate: 0,
    droppedNotAccepted: 0,
    droppedOversize: 0,
    rateLimited: 0,
    malformed: 0,
    probes: 0,
  };

  constructor(opts: ArServerOptions) {
    super();
    try {
      this.address = checksumAddress(opts.address);
    } catch {
      throw new BuError('BAD_INPUT', 'ArServer needs the router address');
    }
    this.sessions = opts.sessions;
    this.socket = opts.socket;
    this.logger = opts.logger ?? silentLogger;
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.now = opts.now ?? Date.now;
    this.table = new RelayTable(this.limits);
    const store = MailboxStore.open(
      opts.mailboxFile ?? null,
      {
        ttlMs: this.limits.mailboxTtlMs,
        maxItemsPerRecipient: this.limits.mailboxMaxItemsPerRecipient,
        maxBytesPerRecipient: this.limits.mailboxMaxBytesPerRecipient,
        maxItemsPerSender: this.limits.mailboxMaxItemsPerSender,
        maxBytesPerSender: this.limits.mailboxMaxBytesPerSender,
        maxBytes: this.limits.mailboxMaxBytes,
      },
      { nativeBinding: opts.nativeBinding },
    );
    this.mailbox = new MailboxService(
      store,
      this.limits,
      (a, p) => this.sessions.send(a, () => p),
      (a) => this.clients.has(a.toLowerCase()) && this.sessions.isConnected(a),
      this.now,
      this.logger,
    );
    this.vault = new VaultService(VaultStore.attach(store.database, vaultLimits(this.limits)), (a) => this.clients.has(a.toLowerCase()), this.now, this.logger);
    this.requests = new RateLimiter({ ...this.limits.requestRate, maxKeys: 65_536 });
    this.probes = new RateLimiter({ ...this.limits.probeRate, maxKeys: 16_384 });
    this.offs = [
      this.sessions.on('message', (m) => this.onMessage(m.peer, m.data)),
      this.sessions.on('closed', ({ address }) => this.onClosed(address)),
      this.socket.onPacket((d, from) => this.onPacket(d, from)),
    ];
    this.timer = setInterval(() => this.tick(), opts.tickMs ?? 1000);
    this.timer.unref?.();
  }

  /** For the router's SessionManager: accept anyone while there is room (rekeys always). */
  authorize(peer: PeerInfo): 'accept' | 'reject' {
    if (this.closed) return 'reject';
    if (this.sessions.isConnected(peer.address)) return 'accept';
    return this.sessions.stats().peers < this.limits.maxClients ? 'accept' : 'reject';
  }

  isRegistered(address: string): boolean {
    return this.clients.has(address.toLowerCase());
  }

  registered(): string[] {
    return [...this.clients.values()].map((c) => c.address);
  }

  stats(): ArServerStats {
    return { ...this.counters, registered: this.clients.size, circuits: this.table.size, mailbox: { ...this.mailbox.stats }, vault: { ...this.vault.stats } };
  }

  /** Pending (unexpired) mailbox items for a recipient. */
  mailboxCount(recipient: string): number {
    return this.mailbox.pendingCount(recipient);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const off of this.offs) off();
    for (const p of this.intros.values()) clearTimeout(p.timer);
    for (const p of this.offers.values()) clearTimeout(p.timer);
    for (const t of this.deferred) clearTimeout(t);
    this.deferred.clear();
    this.intros.clear();
    this.offers.clear();
    this.vault.close();
    this.mailbox.close();
  }

  // ── control messages ─────────────────────────────────────────────────────────

  private send(address: string, m: ArMessage): boolean {
    return this.sessions.send(address, () => encodeArMessage(m));
  }

  private onMessage(peer: PeerInfo, data: Uint8Array): void {
    if (this.closed || !isArPayload(data)) return;
    const m = decodeArMessage(data);
    if (!m) {
      this.counters.malformed++;
      return;
    }
    if (m.t === Msg.PING) return void this.send(peer.address, { t: Msg.PONG, req: m.req });
    if (m.t === Msg.REGISTER || m.t === Msg.INTRO_REQ || m.t === Msg.RELAY_REQ || m.t === Msg.MAILBOX_PUT || m.t === Msg.RELAY_RENEW || m.t === Msg.VAULT_PUT || m.t === Msg.VAULT_GET) {
      if (!this.requests.take(peer.address.toLowerCase())) {
        this.counters.rateLimited++;
        return void this.send(peer.address, { t: Msg.ERROR, req: m.req, code: ArErr.RATE_LIMITED });
      }
    }
    switch (m.t) {
      case Msg.REGISTER:
        return this.onRegister(peer, m.req, m.endpoints);
      case Msg.INTRO_REQ:
        return this.onIntroReq(peer, m);
      case Msg.INTRO_ACCEPT:
        return this.onIntroAccept(peer, m.intro);
      case Msg.RELAY_REQ:
        return this.onRelayReq(peer, m.req, m.target);
      case Msg.RELAY_ACCEPT:
        return this.onRelayAccept(peer, cidHex(m.cid));
      case Msg.RELAY_RENEW: {
        const h = this.table.renew(cidHex(m.cid), peer.address, this.now());
        if (!h) return void this.send(peer.address, { t: Msg.ERROR, req: m.req, code: ArErr.UNKNOWN_CIRCUIT });
        return void this.send(peer.address, { t: Msg.RELAY_OK, req: m.req, cid: h.cidBytes, ttlMs: ttl(h.circuit, this.now()), bytesPerSec: this.limits.circuitBytesPerSec });
      }
      case Msg.RELAY_CLOSE: {
        const h = this.table.get(cidHex(m.cid));
        if (h && h.owner.toLowerCase() === peer.address.toLowerCase()) this.closeCircuit(h.circuit, 'closed', h.owner);
        return;
      }
      case Msg.MAILBOX_PUT:
        return void this.send(peer.address, this.mailbox.put(peer.address, m));
      case Msg.MAILBOX_ACK:
        return this.mailbox.ack(peer.address, m.ids);
      case Msg.VAULT_PUT:
        return void this.send(peer.address, this.vault.put(peer.address, m));
      case Msg.VAULT_GET:
        return void this.send(peer.address, this.vault.get(peer.address, m.req));
      default:
        return; // replies and router-to-client messages are not for us
    }
  }

  private onRegister(peer: PeerInfo, req: number, endpoints: Endpoint[]): void {
    const key = peer.address.toLowerCase();
    const fresh = !this.clients.has(key);
    this.clients.set(key, { address: peer.address, endpoints, registeredAt: this.now() });
    this.send(peer.address, { t: Msg.REGISTERED, req, observed: peer.endpoint, pending: this.mailbox.pendingCount(peer.address) });
    if (fresh) {
      this.logger.debug('ar: registered', { address: peer.address });
      this.emit('registered', { address: peer.address, endpoint: { ...peer.endpoint } });
    }
    // a REGISTER may come from a new machine holding the same key: what was in flight to the
    // old one is pushed again (at-least-once; the client deduplicates)
    this.mailbox.forget(peer.address);
    this.mailbox.push(peer.address);
  }

  private online(address: string): Client | null {
    const c = this.clients.get(address.toLowerCase());
    return c && this.sessions.isConnected(c.address) ? c : null;
  }

  private onIntroReq(peer: PeerInfo, m: Extract<ArMessage, { t: typeof Msg.INTRO_REQ }>): void {
    if (m.target.toLowerCase() === peer.address.toLowerCase()) return void this.send(peer.address, { t: Msg.ERROR, req: m.req, code: ArErr.SELF });
    const target = this.online(m.target);
    if (!target) return this.refuseLater(peer.address, m.req, Date.now() + this.limits.consentTimeoutMs);
    let intro: number;
    do intro = (Math.random() * 0x1_0000_0000) >>> 0;
    while (this.intros.has(intro));
    // Silence from the target and "not registered" get the same answer at the same time:
    // strangers can probe neither presence nor addresses.
    const timer = setTimeout(() => {
      if (this.intros.delete(intro)) this.send(peer.address, { t: Msg.ERROR, req: m.req, code: ArErr.NOT_REGISTERED });
    }, this.limits.consentTimeoutMs);
    timer.unref?.();
    this.intros.set(intro, { requester: peer.address, req: m.req, target: target.address, timer });
    this.send(target.address, { t: Msg.INTRO, intro, peer: peer.address, observed: peer.endpoint, endpoints: m.endpoints });
  }

  private onIntroAccept(peer: PeerInfo, intro: number): void {
    const p = this.intros.get(intro);
    if (!p || p.target.toLowerCase() !== peer.address.toLowerCase()) return;
    this.intros.delete(intro);
    clearTimeout(p.timer);
    const t = this.online(p.target);
    if (!t) return void this.send(p.requester, { t: Msg.ERROR, req: p.req, code: ArErr.NOT_REGISTERED });
    this.counters.intros++;
    this.send(p.requester, { t: Msg.INTRO_OK, req: p.req, observed: peer.endpoint, endpoints: t.endpoints });
  }

  private onRelayReq(peer: PeerInfo, req: number, targetAddress: string): void {
    if (targetAddress.toLowerCase() === peer.address.toLowerCase()) return void this.send(peer.address, { t: Msg.ERROR, req, code: ArErr.SELF });
    const deadline = Date.now() + this.limits.consentTimeoutMs;
    const target = this.online(targetAddress);
    // an offline target, or one at its circuit limit, looks like one that declined (see INTRO)
    if (!target || this.table.countOf(target.address) >= this.limits.maxCircuitsPerClient) return this.refuseLater(peer.address, req, deadline);
    const r = this.table.allocate(peer.address, target.address, this.now());
    if (!r.ok) return void this.send(peer.address, { t: Msg.ERROR, req, code: r.code });
    const c = r.circuit;
    const timer = setTimeout(() => {
      if (!this.offers.delete(c.b.cid)) return;
      this.table.remove(c);
      this.send(peer.address, { t: Msg.ERROR, req, code: ArErr.NOT_REGISTERED });
    }, this.limits.consentTimeoutMs);
    timer.unref?.();
    this.offers.set(c.b.cid, { req, circuit: c, deadline, timer });
    this.send(target.address, { t: Msg.RELAY_OFFER, peer: peer.address, cid: c.b.cidBytes, ttlMs: ttl(c, this.now()), bytesPerSec: this.limits.circuitBytesPerSec });
  }

  private onRelayAccept(peer: PeerInfo, cid: string): void {
    const p = this.offers.get(cid);
    if (!p || p.circuit.b.owner.toLowerCase() !== peer.address.toLowerCase()) return;
    this.offers.delete(cid);
    clearTimeout(p.timer);
    const c = p.circuit;
    this.send(c.a.owner, { t: Msg.RELAY_OK, req: p.req, cid: c.a.cidBytes, ttlMs: ttl(c, this.now()), bytesPerSec: this.limits.circuitBytesPerSec });
  }

  private closeCircuit(c: Circuit, reason: CloseReason, by: string | null): void {
    this.table.remove(c);
    const offer = this.offers.get(c.b.cid);
    if (offer) {
      clearTimeout(offer.timer);
      this.offers.delete(c.b.cid);
    }
    for (const h of [c.a, c.b]) {
      if (by && h.owner.toLowerCase() === by.toLowerCase()) continue;
      // the requester of a circuit still waiting for consent does not know its id yet
      if (offer && h === c.a) this.refuseLater(h.owner, offer.req, offer.deadline);
      else this.send(h.owner, { t: Msg.RELAY_CLOSE, cid: h.cidBytes, reason: CLOSE_REASONS[reason] });
    }
  }

  /** ERROR NOT_REGISTERED at `deadline` (ms, wall clock): declines and absences look alike. */
  private refuseLater(address: string, req: number, deadline: number): void {
    const t = setTimeout(() => {
      this.deferred.delete(t);
      if (!this.closed) this.send(address, { t: Msg.ERROR, req, code: ArErr.NOT_REGISTERED });
    }, Math.max(0, deadline - Date.now()));
    t.unref?.();
    this.deferred.add(t);
  }

  private onClosed(address: string): void {
    const key = address.toLowerCase();
    if (this.clients.delete(key)) this.emit('unregistered', { address });
    this.mailbox.forget(address);
    for (const c of this.table.of(address)) this.closeCircuit(c, 'peer-gone', address);
    for (const [id, p] of this.intros) {
      if (p.requester.toLowerCase() === key || p.target.toLowerCase() === key) {
        clearTimeout(p.timer);
        this.intros.delete(id);
      }
    }
  }

  private tick(): void {
    if (this.closed) return;
    const now = this.now();
    for (const { circuit, reason } of this.table.due(now)) this.closeCircuit(circuit, reason, null);
    const purge = now - this.lastPurge >= 60_000;
    if (purge) this.lastPurge = now;
    this.mailbox.tick(
      [...this.clients.values()].map((c) => c.address),
      purge,
    );
  }

  // ── raw datagrams: relay frames and probes ───────────────────────────────────

  private onPacket(data: Uint8Array, from: Endpoint): void {
    if (this.closed) return;
    if (data[0] === RELAY_FRAME) return this.forward(data, from);
    if (data[0] === PROBE_PACKET) return this.onProbe(data, from);
  }

  private forward(data: Uint8Array, from: Endpoint): void {
    if (data.length > RELAY_HEADER + MAX_SESSION_DATAGRAM) return void this.counters.droppedOversize++; // only session-sized datagrams
    const h = data.length > RELAY_HEADER ? this.table.get(cidHex(data, 1)) : undefined;
    if (!h) return void this.counters.droppedUnknownCircuit++;
    const src = this.sessions.info(h.owner)?.endpoint;
    // only the circuit owner's authenticated session endpoint may use its id
    if (!src || src.port !== from.port || src.host !== from.host) return void this.counters.droppedSpoofed++;
    if (this.offers.has(h.circuit.b.cid)) return void this.counters.droppedNotAccepted++;
    const dst = this.sessions.info(h.partner.owner)?.endpoint;
    if (!dst) return void this.counters.droppedSpoofed++;
    const inner = data.length - RELAY_HEADER;
    if (!this.table.take(h, inner, this.now())) return void this.counters.droppedRate++;
    // rewrite only the 9-byte frame header; the inner datagram goes out untouched (scatter/gather)
    const head = new Uint8Array(RELAY_HEADER);
    head[0] = RELAY_FRAME;
    head.set(h.partner.cidBytes, 1);
    this.counters.relayedFrames++;
    this.counters.relayedBytes += inner;
    this.socket.send([head, data.subarray(RELAY_HEADER)], dst);
  }

  private onProbe(data: Uint8Array, from: Endpoint): void {
    const nonce = decodeProbeRequest(data);
    if (!nonce || !this.probes.take(from.host)) return;
    const reply = encodeProbeReply(nonce, this.address, from);
    if (!reply) return;
    this.counters.probes++;
    this.socket.send(reply, from);
  }
}

function ttl(c: Circuit, now: number): number {
  return Math.max(0, Math.min(0xffff_ffff, c.expiresAt - now));
}
