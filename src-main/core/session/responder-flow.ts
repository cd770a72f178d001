/**
 * @module session/responder-flow
 * Our side of handshakes others start. Work is ordered cheapest first so floods cost little:
 *
 * 1. INIT: exact size + mac1 (one HMAC; strangers who do not know our address get silence)
 * 2. under load: mac2 must carry a fresh cookie for the source ip:port, else a COOKIE reply
 * 3. per-IP token bucket (RateLimiter) — only now is the source worth spending crypto on
 * 4. a retransmitted INIT (same ephemeral) gets the cached RESPONSE: no new DH or signature
 * 5. DH + one signature → RESPONSE; half-open state is bounded (oldest evicted)
 * 6. FINISH: one verification; then `authorize`; then CONFIRM and the session is live.
 *    A FINISH retransmission for an established session is answered with CONFIRM again,
 *    recognised by its bytes, without crypto.
 */
import { bytesEqual, u32be } from '../base';
import type { Endpoint } from '../net';
import { FINISH_SIZE, Kind, MAX_HALF_OPEN } from './constants';
import type { Ctx, HalfOpen } from './context';
import { readFinish, readU32, respond } from './handshake';
import { safeAuthorize } from './initiator-flow';
import type { Session } from './peer';
import { TransportCipher } from './transport';

const MAX_EPOCH = 0x7fff_ffff;

export function onInit(ctx: Ctx, pkt: Uint8Array, from: Endpoint): void {
  if (!ctx.gate.checkMac1(pkt)) {
    ctx.stats.dropped++;
    return;
  }
  ctx.stats.initiationsReceived++;
  if (ctx.underLoad() && !ctx.gate.checkMac2(pkt, from)) {
    ctx.socket.send(ctx.gate.reply(pkt, from), from);
    ctx.stats.cookiesSent++;
    return;
  }
  if (!ctx.limiter.take(from.host)) {
    ctx.stats.rateLimited++;
    return;
  }
  const ephKey = Buffer.from(pkt.buffer, pkt.byteOffset + 8, 32).toString('base64');
  const known = ctx.halfOpenByEph.get(ephKey);
  if (known) {
    ctx.socket.send(known.response, from);
    known.sentPerf = performance.now();
    return;
  }
  if (ctx.halfOpen.size >= MAX_HALF_OPEN) {
    const oldest = ctx.halfOpen.values().next();
    if (!oldest.done) dropHalfOpen(ctx, oldest.value);
  }
  const sid = ctx.allocSid();
  const r = respond(ctx.identity, pkt, sid);
  if (!r) {
    ctx.stats.dropped++; // low-order ephemeral: no signature was made
    return;
  }
  ctx.stats.signatures++;
  const h: HalfOpen = { state: r.state, response: r.packet, ephKey, createdAt: Date.now(), sentPerf: performance.now() };
  ctx.halfOpen.set(sid, h);
  ctx.halfOpenByEph.set(ephKey, h);
  ctx.socket.send(r.packet, from);
}

export function dropHalfOpen(ctx: Ctx, h: HalfOpen): void {
  ctx.halfOpen.delete(h.state.localSid);
  if (ctx.halfOpenByEph.get(h.ephKey) === h) ctx.halfOpenByEph.delete(h.ephKey);
}

export function onFinish(ctx: Ctx, pkt: Uint8Array, from: Endpoint): void {
  if (pkt.length !== FINISH_SIZE) {
    ctx.stats.dropped++;
    return;
  }
  const sid = readU32(pkt, 4);
  const h = ctx.halfOpen.get(sid);
  if (!h) {
    const s = ctx.sessions.get(sid);
    if (s && s.finish && bytesEqual(s.finish, pkt)) ctx.sendControl(s, Kind.CONFIRM, u32be(s.epoch), from);
    else ctx.stats.dropped++;
    return;
  }
  ctx.stats.verifications++;
  const r = readFinish(h.state, pkt);
  if (!r || r.epoch > MAX_EPOCH) {
    ctx.stats.forged++; // keep the half-open state: a forgery must not kill a real handshake
    return;
  }
  dropHalfOpen(ctx, h);
  if (r.peer.address.toLowerCase() === ctx.selfKey) {
    ctx.stats.dropped++;
    return;
  }
  const info = { address: r.peer.address, publicKey: r.peer.publicKey, endpoint: { host: from.host, port: from.port } };
  if (!safeAuthorize(ctx, info)) {
    ctx.stats.rejected++;
    const existing = ctx.peers.get(info.address.toLowerCase());
    if (existing) ctx.closePeer(existing, false);
    return;
  }
  const peer = ctx.peerFor(info.address, info.publicKey, from);
  peer.setEndpoint(from);
  const epoch = Math.min(Math.max(r.epoch, peer.maxEpoch + 1), MAX_EPOCH);
  const s: Session = {
    localSid: sid,
    cipher: new TransportCipher(r.keys, h.state.remoteSid),
    initiator: false,
    epoch,
    createdAt: Date.now(),
    confirmed: true,
    supersededAt: null,
    finish: Uint8Array.from(pkt),
    nextMsgId: 0,
    peer,
  };
  ctx.sessions.set(sid, s);
  ctx.sendControl(s, Kind.CONFIRM, u32be(epoch), from);
  ctx.stats.handshakesCompleted++;
  ctx.install(s, false, performance.now() - h.sentPerf);
}
