/**
 * @module ar/probe
 * The router address probe (raw datagram 0x41). A session handshake needs the responder's
 * address up front (its mac1 is keyed by it), but routers are found as bare `host:port`
 * (bootstrap list, DHT). The probe asks "who are you?"; the answer is NOT trusted — the
 * session handshake that follows proves the identity. Like a STUN Binding response (RFC 8489)
 * the reply also tells the asker its endpoint as the router sees it.
 *
 * The request is padded to 96 bytes and the reply is never longer, so the probe cannot be used
 * for amplification; routers rate-limit it per source IP.
 */
import type { Endpoint } from '../net';
import { PROBE_PACKET, PROBE_REPLY, PROBE_REQUEST, PROBE_REQUEST_BYTES } from './constants';
import { Reader, Writer } from './codec';

export const PROBE_NONCE_BYTES = 8;

export function encodeProbeRequest(nonce: Uint8Array): Uint8Array {
  const b = new Uint8Array(PROBE_REQUEST_BYTES);
  b[0] = PROBE_PACKET;
  b[1] = PROBE_REQUEST;
  b.set(nonce.subarray(0, PROBE_NONCE_BYTES), 2);
  return b;
}

export function decodeProbeRequest(pkt: Uint8Array): Uint8Array | null {
  if (pkt.length !== PROBE_REQUEST_BYTES || pkt[0] !== PROBE_PACKET || pkt[1] !== PROBE_REQUEST) return null;
  return pkt.slice(2, 2 + PROBE_NONCE_BYTES);
}

/** null if the reply would not fit in the request's size (never amplify). */
export function encodeProbeReply(nonce: Uint8Array, address: string, observed: Endpoint): Uint8Array | null {
  const b = new Writer(PROBE_REQUEST_BYTES).u8(PROBE_PACKET).u8(PROBE_REPLY).bytes(nonce).address(address).endpoint(observed).finish();
  return b.length <= PROBE_REQUEST_BYTES ? b : null;
}

export function decodeProbeReply(pkt: Uint8Array): { nonce: Uint8Array; address: string; observed: Endpoint } | null {
  if (pkt.length < 2 || pkt[0] !== PROBE_PACKET || pkt[1] !== PROBE_REPLY) return null;
  try {
    const r = new Reader(pkt, 2);
    const out = { nonce: r.bytes(PROBE_NONCE_BYTES).slice(), address: r.address(), observed: r.endpoint() };
    r.end();
    return out;
  } catch {
    return null;
  }
}
