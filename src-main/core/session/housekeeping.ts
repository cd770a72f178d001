/**
 * @module session/housekeeping
 * The periodic tick and the rekey trigger: expire half-open handshakes, superseded sessions
 * (after the grace period) and sessions past their hard lifetime; close idle peers; send
 * keepalives only when nothing else went out for keepaliveMs; start rekeys that are due.
 */
import { Kind } from './constants';
import type { Ctx } from './context';
import { startOutgoing } from './initiator-flow';
import type { Peer, Session } from './peer';
import { dropHalfOpen } from './responder-flow';

const KEEPALIVE_PREFIX = Uint8Array.of(Kind.KEEPALIVE);

/** Start a rekey of `s` (the current session) if it is due by age or by packets sent. */
export function maybeRekey(ctx: Ctx, peer: Peer, s: Session, now: number): void {
  if (now < peer.rekeyNotBefore || ctx.outgoingByPeer.has(peer.key)) return;
  const o = ctx.opts;
  // the session's initiator rekeys on time; the responder only as a fallback, later, to avoid crossing
  const due = now - s.createdAt >= (s.initiator ? o.rekeyAfterMs : o.rekeyAfterMs * 1.25) || s.cipher.sendCounter >= o.rekeyAfterMessages;
  if (!due) return;
  startOutgoing(ctx, { key: peer.key, address: peer.address, publicKey: peer.publicKey }, [peer.endpoint], now + o.handshakeTimeoutMs, 'rekey');
}

function erase(ctx: Ctx, peer: Peer, s: Session): void {
  peer.remove(s);
  ctx.sessions.delete(s.localSid);
}

export function tick(ctx: Ctx, now: number): void {
  const o = ctx.opts;
  for (const h of [...ctx.halfOpen.values()]) if (now - h.createdAt > o.handshakeTimeoutMs) dropHalfOpen(ctx, h);
  for (const peer of [...ctx.peers.values()]) {
    peer.reassembly.expire(now);
    for (const s of [...peer.sessions]) {
      const graceOver = s !== peer.current && s.supersededAt !== null && now - s.supersededAt > o.rekeyGraceMs;
      if (graceOver || now - s.createdAt > o.rejectAfterMs) erase(ctx, peer, s);
    }
    if (!peer.current && peer.sessions.length) peer.reselect(now).forEach((x) => ctx.sessions.delete(x.localSid));
    if (!peer.current) {
      if (!ctx.outgoingByPeer.has(peer.key)) ctx.closePeer(peer, false);
      continue;
    }
    if (now - peer.lastReceivedAt > o.idleTimeoutMs) {
      ctx.logger.debug('session: peer idle, closing', { peer: peer.address });
      ctx.closePeer(peer, false);
      continue;
    }
    if (now - peer.lastSentAt >= o.keepaliveMs) {
      ctx.socket.send(peer.current.cipher.seal(KEEPALIVE_PREFIX, null), peer.endpoint);
      peer.lastSentAt = now;
    }
    maybeRekey(ctx, peer, peer.current, now);
  }
}
