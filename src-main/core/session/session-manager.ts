/**
 * @module session/session-manager
 * Authenticated, forward-secret sessions between secp256k1 identities over one UDP socket
 * (see README.md: SIGMA-I handshake, AES-256-GCM transport, RFC 6479 replay window, epochs,
 * rekey with grace, cookies, fragmentation). This file is the public face and the data path;
 * handshakes live in initiator-flow.ts / responder-flow.ts.
 */
import { BuError, silentLogger, TypedEmitter, type Logger } from '../base';
import { addressOf, checksumAddress, normalizePublicKey, publicKeyOf, randomBytes, sameAddress } from '../crypto';
import { isValidHost, isValidPort, RateLimiter, sameEndpoint, type Endpoint } from '../net';
import { DEFAULTS, FRAGMENT_CHUNK, FRAGMENT_HEADER, Kind, MAX_HALF_OPEN, MAX_PAYLOAD, MAX_UNFRAGMENTED_PAYLOAD, MIN_TRANSPORT, PacketType } from './constants';
import { CookieGate } from './cookie';
import { emptyStats, resolveOptions, type Ctx, type SessionManagerOptions, type SessionStats, type Waiter } from './context';
import { maybeRekey, tick } from './housekeeping';
import { fragmentCount, fragmentPrefix, parseFragment } from './fragment';
import { readU32 } from './handshake';
import { addEndpoints, endOutgoing, nudgeConfirm, onConfirm, onCookieReply, onResponse, startOutgoing } from './initiator-flow';
import { Peer, type PeerInfo, type Session } from './peer';
import { onFinish, onInit } from './responder-flow';

export type SessionEvents = {
  message: { peer: PeerInfo; data: Uint8Array; envelopeKey: Uint8Array };
  established: { peer: PeerInfo; initiator: boolean; rttMs: number };
  closed: { address: string };
};

const DATA_PREFIX = Uint8Array.of(Kind.DATA);

export class SessionManager extends TypedEmitter<SessionEvents> {
  private readonly ctx: Ctx;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly fragScratch = new Uint8Array(FRAGMENT_HEADER);
  private readonly unsubscribe: () => void;
  private readonly timer: ReturnType<typeof setInterval>;
  private closed = false;
  /** send() is usually called with the same (checksummed) address string many times in a row. */
  private lastLookup: { address: string; peer: Peer } | null = null;

  constructor(opts: SessionManagerOptions) {
    super();
    const logger: Logger = opts.logger ?? silentLogger;
    let publicKey: Uint8Array;
    try {
      publicKey = normalizePublicKey(publicKeyOf(opts.identity.privateKey));
    } catch {
      throw new BuError('BAD_INPUT', 'session identity has an invalid private key');
    }
    if (!sameAddress(addressOf(publicKey), opts.identity.address)) throw new BuError('BAD_INPUT', 'session identity address does not match its key');
    const identity = { privateKey: opts.identity.privateKey, publicKey, address: addressOf(publicKey) };
    const o = resolveOptions(opts);
    const rate = opts.handshakeRate ?? DEFAULTS.handshakeRate;
    this.ctx = {
      identity,
      selfKey: identity.address.toLowerCase(),
      opts: o,
      socket: opts.socket,
      logger,
      stats: emptyStats(),
      authorize: (p) => opts.authorize(p),
      // built-in load signal: many half-open handshakes (completed ones are removed at once)
      underLoad: opts.underLoad ?? (() => this.ctx.halfOpen.size >= MAX_HALF_OPEN / 8),
      sessions: new Map(),
      peers: new Map(),
      outgoing: new Map(),
      outgoingByPeer: new Map(),
      halfOpen: new Map(),
      halfOpenByEph: new Map(),
      gate: new CookieGate(identity.address),
      limiter: new RateLimiter({ ratePerSec: rate.ratePerSec, burst: rate.burst, maxKeys: 4096 }),
      cookieJar: new Map(),
      isClosed: () => this.closed,
      allocSid: () => this.allocSid(),
      peerFor: (address, pub, endpoint) => this.peerFor(address, pub, endpoint),
      install: (s, initiator, rtt) => this.install(s, initiator, rtt),
      failWaiters: (key, err) => this.failWaiters(key, err),
      sendControl: (s, kind, body, to) => this.ctx.socket.send(s.cipher.seal(Uint8Array.of(kind), body), to),
      closePeer: (peer, notify) => this.closePeer(peer, notify),
    };
    this.unsubscribe = opts.socket.onPacket((data, from) => this.onPacket(data, from));
    const tickMs = Math.max(10, Math.min(1000, o.rekeyAfterMs / 4, o.keepaliveMs / 2, o.idleTimeoutMs / 4, o.rekeyGraceMs / 4));
    this.timer = setInterval(() => {
      if (!this.closed) tick(this.ctx, Date.now());
    }, tickMs);
    this.timer.unref?.();
  }

  /** Resolves once a confirmed session with `peer.address` exists (reusing a live one). */
  connect(peer: { address: string; publicKey?: Uint8Array }, endpoints: Endpoint[], timeoutMs?: number, opts?: { fresh?: boolean }): Promise<PeerInfo> {
    if (this.closed) return Promise.reject(new BuError('NETWORK', 'session manager is closed'));
    let address: string;
    try {
      address = checksumAddress(peer.address);
    } catch {
      return Promise.reject(new BuError('BAD_INPUT', 'invalid peer address'));
    }
    const key = address.toLowerCase();
    if (key === this.ctx.selfKey) return Promise.reject(new BuError('BAD_INPUT', 'cannot open a session with ourselves'));
    let publicKey: Uint8Array | null = null;
    if (peer.publicKey) {
      try {
        publicKey = normalizePublicKey(peer.publicKey);
      } catch {
        return Promise.reject(new BuError('BAD_INPUT', 'invalid peer public key'));
      }
      if (!sameAddress(addressOf(publicKey), address)) return Promise.reject(new BuError('BAD_INPUT', 'peer public key does not match its address'));
    }
    const live = this.ctx.peers.get(key);
    // `fresh`: a new handshake over these endpoints even with a live session (a relayed link
    // upgrading to a punched one); the newer session wins by epoch once confirmed.
    if (live?.current && !opts?.fresh) return Promise.resolve(live.info);
    const eps = endpoints.filter((e, i) => isValidHost(e.host) && isValidPort(e.port) && endpoints.findIndex((x) => sameEndpoint(x, e)) === i);
    const running = this.ctx.outgoingByPeer.get(key);
    if (!running && eps.length === 0) return Promise.reject(new BuError('NETWORK', `no endpoint to reach ${address}`));
    const ms = timeoutMs !== undefined && timeoutMs > 0 ? timeoutMs : this.ctx.opts.handshakeTimeoutMs;
    return new Promise<PeerInfo>((resolve, reject) => {
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const w: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          set.delete(w);
          if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
          reject(new BuError('NETWORK', `no session with ${address} within ${ms} ms`));
        }, ms),
      };
      set.add(w);
      const deadline = Date.now() + ms;
      if (running) addEndpoints(this.ctx, running, eps, deadline);
      else startOutgoing(this.ctx, { key, address, publicKey }, eps, deadline, 'connect');
    });
  }

  /** Seal and send one payload (≤ 64 KiB) on the live session; false if there is none. */
  send(address: string, build: (envelopeKey: Uint8Array) => Uint8Array): boolean {
    if (this.closed) return false;
    const peer = this.lookup(address);
    const s = peer?.current;
    if (!peer || !s) return false;
    const now = Date.now();
    if (now - s.createdAt >= this.ctx.opts.rejectAfterMs || s.cipher.exhausted) {
      this.expire(peer, s, now);
      if (!peer.current) return false;
      return this.send(address, build);
    }
    maybeRekey(this.ctx, peer, s, now);
    const data = build(s.cipher.sendEnvKey);
    if (data.length > MAX_PAYLOAD) throw new BuError('TOO_LONG', `payload is ${data.length} bytes (max ${MAX_PAYLOAD})`);
    const to = peer.endpoint;
    if (data.length <= MAX_UNFRAGMENTED_PAYLOAD) {
      this.ctx.socket.send(s.cipher.sealParts(DATA_PREFIX, data), to);
    } else {
      const count = fragmentCount(data.length);
      const id = (s.nextMsgId = (s.nextMsgId + 1) >>> 0);
      for (let i = 0; i < count; i++) {
        const prefix = fragmentPrefix(this.fragScratch, id, i, count);
        this.ctx.socket.send(s.cipher.sealParts(prefix, data.subarray(i * FRAGMENT_CHUNK, Math.min(data.length, (i + 1) * FRAGMENT_CHUNK))), to);
      }
    }
    peer.lastSentAt = now;
    this.ctx.stats.messagesSent++;
    return true;
  }

  private lookup(address: string): Peer | undefined {
    const c = this.lastLookup;
    if (c !== null && c.address === address && this.ctx.peers.get(c.peer.key) === c.peer) return c.peer;
    const p = this.ctx.peers.get(address.toLowerCase());
    this.lastLookup = p ? { address, peer: p } : null;
    return p;
  }

  isConnected(address: string): boolean {
    return !this.closed && !!this.ctx.peers.get(address.toLowerCase())?.current;
  }

  info(address: string): { endpoint: Endpoint; rttMs: number | null; establishedAt: number; lastReceivedAt: number } | null {
    const p = this.ctx.peers.get(address.toLowerCase());
    if (!p?.current) return null;
    return { endpoint: { ...p.endpoint }, rttMs: p.rttMs, establishedAt: p.establishedAt, lastReceivedAt: p.lastReceivedAt };
  }

  /** Drop our sessions with a peer and tell it (CLOSE), e.g. after blocking it. */
  disconnect(address: string): void {
    const p = this.ctx.peers.get(address.toLowerCase());
    if (p) this.closePeer(p, true);
  }

  /** Counters for diagnostics, benchmarks and tests. */
  stats(): SessionStats & { sessions: number; peers: number; halfOpen: number } {
    return { ...this.ctx.stats, sessions: this.ctx.sessions.size, peers: this.ctx.peers.size, halfOpen: this.ctx.halfOpen.size };
  }

  /** Which session carries traffic to a peer (diagnostics; ids are local/remote receiver ids). */
  sessionSummary(address: string): { localSid: number; remoteSid: number; epoch: number; initiator: boolean; sessions: number } | null {
    const p = this.ctx.peers.get(address.toLowerCase());
    const s = p?.current;
    if (!p || !s) return null;
    return { localSid: s.localSid, remoteSid: s.cipher.remoteSid, epoch: s.epoch, initiator: s.initiator, sessions: p.sessions.length };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const p of [...this.ctx.peers.values()]) if (p.current) this.ctx.sendControl(p.current, Kind.CLOSE, null, p.endpoint);
    this.closed = true;
    clearInterval(this.timer);
    this.unsubscribe();
    for (const o of [...this.ctx.outgoing.values()]) endOutgoing(this.ctx, o);
    for (const key of [...this.waiters.keys()]) this.failWaiters(key, new BuError('NETWORK', 'session manager closed'));
    this.ctx.sessions.clear();
    this.ctx.peers.clear();
    this.ctx.halfOpen.clear();
    this.ctx.halfOpenByEph.clear();
    await new Promise<void>((r) => setImmediate(r)); // let the CLOSE datagrams leave before the socket does
  }

  // ── packet path ──────────────────────────────────────────────────────────────

  private onPacket(pkt: Uint8Array, from: Endpoint): void {
    if (this.closed) return;
    try {
      switch (pkt[0]) {
        case PacketType.TRANSPORT:
          return this.onTransport(pkt, from);
        case PacketType.INIT:
          return onInit(this.ctx, pkt, from);
        case PacketType.RESPONSE:
          return onResponse(this.ctx, pkt, from);
        case PacketType.FINISH:
          return onFinish(this.ctx, pkt, from);
        case PacketType.COOKIE:
          return onCookieReply(this.ctx, pkt, from);
        default:
          if (pkt[0]! >= 0x01 && pkt[0]! <= 0x0f) this.ctx.stats.dropped++; // ours but unknown; other first bytes belong to other protocols
      }
    } catch (e) {
      this.ctx.stats.dropped++;
      this.ctx.logger.debug('session: packet handling failed', { error: String(e) });
    }
  }

  private onTransport(pkt: Uint8Array, from: Endpoint): void {
    const s = pkt.length >= MIN_TRANSPORT ? this.ctx.sessions.get(readU32(pkt, 4)) : undefined;
    if (!s) {
      this.ctx.stats.dropped++;
      return;
    }
    const pt = s.cipher.open(pkt);
    if (pt === 'replay' || pt === 'forged') {
      this.ctx.stats[pt === 'replay' ? 'replays' : 'forged']++;
      return;
    }
    const peer = s.peer;
    const now = Date.now();
    peer.lastReceivedAt = now;
    const ep = peer.endpoint;
    if (ep.port !== from.port || ep.host !== from.host) peer.setEndpoint(from);
    if (!s.confirmed && pt[0] !== Kind.CONFIRM) nudgeConfirm(this.ctx, s);
    switch (pt[0]) {
      case Kind.DATA:
        this.deliver(peer, pt.subarray(1), s);
        return;
      case Kind.FRAGMENT: {
        const f = parseFragment(pt);
        if (!f) return void this.ctx.stats.dropped++;
        const done = peer.reassembly.add(`${s.localSid}:${f.msgId}`, f, s, now);
        if (done) this.deliver(peer, done.payload, done.tag);
        return;
      }
      case Kind.CONFIRM:
        return onConfirm(this.ctx, s, pt.subarray(1));
      case Kind.CLOSE:
        return this.onRemoteClose(peer, s);
      default:
        return; // KEEPALIVE (liveness already noted) or a future kind
    }
  }

  private deliver(peer: Peer, data: Uint8Array, s: Session): void {
    this.ctx.stats.messagesReceived++;
    this.emit('message', { peer: peer.info, data, envelopeKey: s.cipher.recvEnvKey });
  }

  /** CLOSE on session s: the peer dropped s and everything older; a newer session survives. */
  private onRemoteClose(peer: Peer, s: Session): void {
    if (!s.confirmed) {
      // the peer gave up on a handshake we were still confirming
      const o = this.ctx.outgoing.get(s.localSid);
      if (o) endOutgoing(this.ctx, o);
      this.ctx.sessions.delete(s.localSid);
      this.failWaiters(peer.key, new BuError('NETWORK', `${peer.address} closed the session`));
      if (!peer.current && peer.sessions.length === 0) this.closePeer(peer, false);
      return;
    }
    for (const x of [...peer.sessions]) if (x === s || !peer.better(x, s)) this.erase(peer, x);
    peer.reselect(Date.now()).forEach((x) => this.ctx.sessions.delete(x.localSid));
    if (!peer.current) this.closePeer(peer, false);
  }

  // ── session lifecycle ───────────────────────────────────────────────────────

  private allocSid(): number {
    for (;;) {
      const b = randomBytes(4);
      const sid = readU32(b, 0);
      if (sid !== 0 && !this.ctx.sessions.has(sid) && !this.ctx.outgoing.has(sid) && !this.ctx.halfOpen.has(sid)) return sid;
    }
  }

  private peerFor(address: string, publicKey: Uint8Array, endpoint: Endpoint): Peer {
    const key = address.toLowerCase();
    let p = this.ctx.peers.get(key);
    if (!p) {
      p = new Peer(key, address, publicKey, { host: endpoint.host, port: endpoint.port }, this.ctx.selfKey, Date.now(), this.ctx.opts.reassemblyTimeoutMs);
      this.ctx.peers.set(key, p);
    }
    return p;
  }

  private install(s: Session, initiator: boolean, rttMs: number): void {
    const peer = s.peer;
    const now = Date.now();
    for (const x of peer.install(s, now)) this.ctx.sessions.delete(x.localSid);
    peer.lastReceivedAt = now;
    peer.rttMs = Math.round(rttMs * 1000) / 1000;
    if (!peer.connected && peer.current) {
      peer.connected = true;
      peer.establishedAt = now;
      this.emit('established', { peer: peer.info, initiator, rttMs: peer.rttMs });
    }
    const set = this.waiters.get(peer.key);
    if (set && peer.current) {
      this.waiters.delete(peer.key);
      for (const w of set) {
        clearTimeout(w.timer);
        w.resolve(peer.info);
      }
    }
  }

  private failWaiters(key: string, err: Error): void {
    const set = this.waiters.get(key);
    if (!set) return;
    this.waiters.delete(key);
    for (const w of set) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  private erase(peer: Peer, s: Session): void {
    peer.remove(s);
    this.ctx.sessions.delete(s.localSid);
  }

  private expire(peer: Peer, s: Session, now: number): void {
    this.erase(peer, s);
    peer.reselect(now).forEach((x) => this.ctx.sessions.delete(x.localSid));
    if (!peer.current) this.closePeer(peer, false);
  }

  private closePeer(peer: Peer, notify: boolean): void {
    if (notify && peer.current) this.ctx.sendControl(peer.current, Kind.CLOSE, null, peer.endpoint);
    for (const s of peer.sessions) this.ctx.sessions.delete(s.localSid);
    peer.sessions.length = 0;
    peer.current = null;
    const o = this.ctx.outgoingByPeer.get(peer.key);
    if (o) {
      endOutgoing(this.ctx, o);
      if (o.session) this.ctx.sessions.delete(o.session.localSid);
    }
    peer.reassembly.clear();
    if (this.ctx.peers.get(peer.key) === peer) this.ctx.peers.delete(peer.key);
    if (peer.connected) {
      peer.connected = false;
      this.emit('closed', { address: peer.address });
    }
  }
}
