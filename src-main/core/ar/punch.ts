/**
 * @module ar/punch
 * The introduced side's half of a UDP hole punch (RFC 5128 §3.3 simultaneous open; mapping and
 * filtering terms from RFC 4787), hardened against routers that answer unsolicited packets.
 *
 * The naive punch — both sides send full packets at once — fails whenever the far side's first
 * packet reaches our NAT router before our own packet has left: a router that answers it (ICMP
 * port unreachable) confirms a conntrack entry for (far:X → ourWAN:P), so our later packet from
 * P to far:X clashes with it and is given another public port; the far side aims at P forever.
 * We avoid the race instead of hoping to win it:
 *
 *  1. on INTRO we first send an *opener* with a small IP TTL to the requester's mapping: it
 *     opens (and, for address-dependent filtering, arms) our NAT's mapping towards the
 *     requester and expires in the network before it reaches the requester's router;
 *  2. only then do we consent (INTRO_ACCEPT), so the requester — who sends its first INIT only
 *     when the router relays that consent — always finds our mapping open: its INIT is a reply
 *     in our NAT's eyes, whatever our filtering, and its own NAT saw its packet leave first;
 *  3. we send our own INITs to the requester's LAN endpoints at once (same-LAN peers), and to
 *     its mapping only after `mappingDelayMs`: by then its first INIT has left its NAT, so ours
 *     are replies there too. Our INITs matter when *we* are behind an endpoint-dependent
 *     (symmetric) mapping: the requester's INIT to our observed mapping cannot reach us, but
 *     ours, from a fresh port, pass a requester NAT whose filtering is endpoint- or
 *     address-independent of the port (full or restricted cone).
 *
 * The opener's first byte (0x42) belongs to no protocol on the shared socket, so if a short
 * path does deliver it, every receiver drops it. TTL 2 passes one NAT (the home router) and
 * dies at the first router behind it; deeper NAT chains (carrier-grade NAT) need `ttl` 3.
 */
import { randomBytes } from 'node:crypto';
import type { DatagramSocket, Endpoint } from '../net';

/** First byte of a punch opener datagram (unused by sessions 0x01–0x0F, DHT 0x20–0x2F, AR 0x40–0x41). */
export const PUNCH_OPENER = 0x42;
export const DEFAULT_OPENER_TTL = 2;
const OPENER_BYTES = 12;

/** `[0x42][11 random bytes]` — content-free; random so no two openers look alike. */
export function openerPacket(): Uint8Array {
  const p = new Uint8Array(randomBytes(OPENER_BYTES));
  p[0] = PUNCH_OPENER;
  return p;
}

/**
 * Sends two openers (one may be lost) with IP TTL `ttl` towards `to`. False if the transport
 * cannot limit the TTL — the caller then has to punch with full packets at once.
 */
export function openMapping(socket: DatagramSocket, to: Endpoint, ttl = DEFAULT_OPENER_TTL): boolean {
  if (!socket.sendWithTtl) return false;
  const first = socket.sendWithTtl(openerPacket(), to, ttl);
  const second = socket.sendWithTtl(openerPacket(), to, ttl);
  return first || second;
}

/**
 * How long the introduced side waits before its INITs go to the requester's mapping: the
 * consent travels us → router → requester, whose INIT then leaves at once. Twice our RTT to
 * the router covers a requester up to three times farther from the router than we are.
 */
export function mappingDelayMs(routerRttMs: number | null): number {
  const rtt = routerRttMs ?? 50;
  return Math.round(Math.min(1000, Math.max(40, 2 * rtt + 20)));
}
