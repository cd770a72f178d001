/**
 * @module session/initiator-flow
 * Our side of handshakes we start (connect or rekey): INIT to every candidate endpoint with
 * retransmission and exponential backoff (±10% jitter) until the deadline, COOKIE replies
 * (resend INIT with mac2 at once), RESPONSE (verify the responder, check it is who we asked
 * for, authorize, send FINISH), and FINISH retransmission until the responder's CONFIRM.
 * The session becomes usable only on CONFIRM (key confirmation: the responder accepted us).
 */
import { BuError, bytesEqual } from '../base';
import { endpointKey, sameEndpoint, type Endpoint } from '../net';
import { COOKIE_REPLY_SIZE, COOKIE_ROTATE_MS, DEFAULTS, INIT_MAC1_OFFSET, INIT_MAC2_OFFSET, RESPONSE_SIZE } from './constants';
import { cookieKey, mac1Key, openCookieReply, stampInit } from './cookie';
import type { Ctx, Outgoing, Target } from './context';
import { Initiator, readU32 } from './handshake';
import type { Session } from './peer';
import { TransportCipher } from './transport';

const MAX_EPOCH = 0x7fff_ffff;

export function startOutgoing(ctx: Ctx, target: Target, endpoints: Endpoint[], deadline: number, purpose: Outgoing['purpose']): Outgoing {
  const hs = new Initiator(ctx.allocSid());
  const m1k = mac1Key(target.address);
  const init = stampInit(hs.init, m1k, null);
  const o: Outgoing = {
    hs,
    target,
    purpose,
    endpoints: [...endpoints],
    failed: new Set(),
    mac1Key: m1k,
    cookieKey: cookieKey(target.address),
    init,
    mac1: init.slice(INIT_MAC1_OFFSET, INIT_MAC2_OFFSET),
    cookies: new Map(),
    deadline,
    phase: 'init',
    lastSentPerf: 0,
    rto: DEFAULTS.initialRetransmitMs,
    timer: null,
    session: null,
    finish: null,
    endpoint: null,
    rttMs: 0,
    lastNudge: 0,
  };
  ctx.outgoing.set(hs.localSid, o);
  ctx.outgoingByPeer.set(target.key, o);
  if (purpose === 'rekey') ctx.stats.rekeys++;
  sendInits(ctx, o, o.endpoints);
  schedule(ctx, o);
  return o;
}

/** Add endpoints to a running connect (a second connect() call with more candidates). */
export function addEndpoints(ctx: Ctx, o: Outgoing, endpoints: Endpoint[], deadline: number): void {
  const fresh = endpoints.filter((e) => !o.endpoints.some((x) => sameEndpoint(x, e)));
  o.endpoints.push(...fresh);
  o.deadline = Math.max(o.deadline, deadline);
  if (o.phase === 'init' && fresh.length) sendInits(ctx, o, fresh);
}

function initFor(ctx: Ctx, o: Outgoing, to: Endpoint): Uint8Array {
  const k = endpointKey(to);
  let cookie = o.cookies.get(k);
  if (!cookie) {
    const jar = ctx.cookieJar.get(k);
    if (jar && Date.now() - jar.at < COOKIE_ROTATE_MS - 10_000) cookie = jar.cookie;
  }
  return cookie ? stampInit(o.hs.init, o.mac1Key, cookie) : o.init;
}

function sendInits(ctx: Ctx, o: Outgoing, to: Endpoint[]): void {
  for (const e of to) if (!o.failed.has(endpointKey(e))) ctx.socket.send(initFor(ctx, o, e), e);
  o.lastSentPerf = performance.now();
}

function schedule(ctx: Ctx, o: Outgoing): void {
  if (o.timer) clearTimeout(o.timer);
  const wait = Math.max(0, Math.min(o.rto * (0.9 + Math.random() * 0.2), o.deadline - Date.now()));
  o.timer = setTimeout(() => onTimer(ctx, o), wait);
  o.timer.unref?.();
}

function onTimer(ctx: Ctx, o: Outgoing): void {
  o.timer = null;
  if (ctx.outgoing.get(o.hs.localSid) !== o || ctx.isClosed()) return;
  if (Date.now() >= o.deadline) {
    failOutgoing(ctx, o, new BuError('NETWORK', `no session with ${o.target.address}: handshake timed out`));
    return;
  }
  o.rto = Math.min(o.rto * 2, DEFAULTS.maxRetransmitMs);
  if (o.phase === 'init') sendInits(ctx, o, o.endpoints);
  else if (o.finish && o.endpoint) ctx.socket.send(o.finish, o.endpoint);
  schedule(ctx, o);
}

/** Forget a handshake (success or failure): timers, indexes. */
export function endOutgoing(ctx: Ctx, o: Outgoing): void {
  if (o.timer) clearTimeout(o.timer);
  o.timer = null;
  ctx.outgoing.delete(o.hs.localSid);
  if (ctx.outgoingByPeer.get(o.target.key) === o) ctx.outgoingByPeer.delete(o.target.key);
}

export function failOutgoing(ctx: Ctx, o: Outgoing, err: Error): void {
  endOutgoing(ctx, o);
  if (o.session && !o.session.confirmed) ctx.sessions.delete(o.session.localSid);
  const peer = ctx.peers.get(o.target.key);
  if (o.purpose === 'rekey' && peer) peer.rekeyNotBefore = Date.now() + Math.min(Math.max(ctx.opts.rekeyAfterMs, 250), 10_000);
  if (!peer?.current) ctx.failWaiters(o.target.key, err);
  if (peer && !peer.current && peer.sessions.length === 0) ctx.peers.delete(peer.key);
  ctx.logger.debug('session: handshake failed', { peer: o.target.address, purpose: o.purpose, error: err.message });
}

export function onResponse(ctx: Ctx, pkt: Uint8Array, from: Endpoint): void {
  const o = pkt.length === RESPONSE_SIZE ? ctx.outgoing.get(readU32(pkt, 8)) : undefined;
  if (!o || o.phase !== 'init') {
    ctx.stats.dropped++;
    return;
  }
  ctx.stats.verifications++;
  const r = o.hs.readResponse(pkt);
  if (!r) {
    ctx.stats.forged++;
    return;
  }
  const wrong = r.peer.address.toLowerCase() !== o.target.key || (o.target.publicKey !== null && !bytesEqual(o.target.publicKey, r.peer.publicKey));
  if (wrong) {
    o.failed.add(endpointKey(from));
    ctx.logger.info('session: endpoint answered with another identity', { expected: o.target.address, got: r.peer.address });
    if (o.endpoints.every((e) => o.failed.has(endpointKey(e)))) failOutgoing(ctx, o, new BuError('NETWORK', `the peer at that endpoint is not ${o.target.address}`));
    return;
  }
  const info = { address: r.peer.address, publicKey: r.peer.publicKey, endpoint: { host: from.host, port: from.port } };
  if (!safeAuthorize(ctx, info)) {
    ctx.stats.rejected++;
    const existing = ctx.peers.get(o.target.key);
    failOutgoing(ctx, o, new BuError('NETWORK', `${info.address} is not authorized`));
    if (existing) ctx.closePeer(existing, false);
    return;
  }
  const peer = ctx.peerFor(info.address, info.publicKey, from);
  const epoch = Math.min(peer.maxEpoch + 1, MAX_EPOCH);
  peer.noteEpoch(epoch);
  const { packet, keys } = o.hs.writeFinish(ctx.identity, epoch, r);
  ctx.stats.signatures++;
  const session: Session = {
    localSid: o.hs.localSid,
    cipher: new TransportCipher(keys, r.remoteSid),
    initiator: true,
    epoch,
    createdAt: Date.now(),
    confirmed: false,
    supersededAt: null,
    finish: null,
    nextMsgId: 0,
    peer,
  };
  ctx.sessions.set(session.localSid, session);
  o.phase = 'finish';
  o.session = session;
  o.finish = packet;
  o.endpoint = { host: from.host, port: from.port };
  o.rttMs = performance.now() - o.lastSentPerf;
  o.rto = DEFAULTS.initialRetransmitMs;
  o.deadline = Math.max(o.deadline, Date.now() + Math.min(ctx.opts.handshakeTimeoutMs, 5_000));
  ctx.socket.send(packet, from);
  schedule(ctx, o);
}

export function onCookieReply(ctx: Ctx, pkt: Uint8Array, from: Endpoint): void {
  const o = pkt.length === COOKIE_REPLY_SIZE ? ctx.outgoing.get(readU32(pkt, 4)) : undefined;
  if (!o || o.phase !== 'init') {
    ctx.stats.dropped++;
    return;
  }
  const cookie = openCookieReply(pkt, o.cookieKey, o.mac1);
  if (!cookie) {
    ctx.stats.forged++;
    return;
  }
  const k = endpointKey(from);
  o.cookies.set(k, cookie);
  if (ctx.cookieJar.size >= 256) ctx.cookieJar.delete(ctx.cookieJar.keys().next().value!);
  ctx.cookieJar.set(k, { cookie, at: Date.now() });
  ctx.socket.send(initFor(ctx, o, from), from);
  o.lastSentPerf = performance.now();
}

/**
 * Traffic arrived on a session we initiated but whose CONFIRM we have not seen: the responder
 * accepted us, so CONFIRM was lost. Resend FINISH now (at most every 100 ms) instead of
 * waiting for the backoff timer; the responder answers a repeated FINISH with CONFIRM.
 */
export function nudgeConfirm(ctx: Ctx, s: Session): void {
  const o = ctx.outgoing.get(s.localSid);
  const now = Date.now();
  if (!o || !o.finish || !o.endpoint || now - o.lastNudge < 100) return;
  o.lastNudge = now;
  o.deadline = Math.max(o.deadline, now + Math.min(ctx.opts.handshakeTimeoutMs, 5_000));
  ctx.socket.send(o.finish, o.endpoint);
}

/** CONFIRM on a session we initiated: the responder accepted us; make it live. */
export function onConfirm(ctx: Ctx, s: Session, body: Uint8Array): void {
  if (!s.initiator || s.confirmed || body.length < 4) return;
  const epoch = readU32(body, 0);
  if (epoch > MAX_EPOCH) return;
  s.epoch = Math.max(s.epoch, epoch);
  s.confirmed = true;
  const o = ctx.outgoing.get(s.localSid);
  const rtt = o ? o.rttMs : 0;
  if (o) endOutgoing(ctx, o);
  ctx.stats.handshakesCompleted++;
  ctx.install(s, true, rtt);
}

export function safeAuthorize(ctx: Ctx, info: { address: string; publicKey: Uint8Array; endpoint: Endpoint }): boolean {
  try {
    return ctx.authorize(info) === 'accept';
  } catch (e) {
    ctx.logger.warn('session: authorize threw; treating as reject', { error: String(e) });
    return false;
  }
}
