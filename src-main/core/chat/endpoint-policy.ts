/**
 * @module chat/endpoint-policy
 * Which saved endpoints of a friend are worth a direct handshake (ladder step 1).
 *
 * Endpoints the friend reported itself (invite, PING list: its interface addresses, a public
 * or port-forwarded address) are always tried. An endpoint we only *saw* its packets come
 * from ('ping' source) and that it never reported is a NAT mapping (RFC 4787 §4): it exists
 * only while the friend's NAT keeps it, and sending to a dead mapping is not harmless — a NAT
 * router that answers unsolicited packets then holds a conntrack entry for our flow that later
 * steals the port a hole punch needs (see ar/punch.ts). RFC 4787 REQ-5 asks NATs to keep an
 * idle UDP mapping for at least 2 minutes, so a mapping heard from in the last minute is
 * still worth a try; an older one waits for a fresh rendezvous instead.
 */
import type { Endpoint } from '../net';
import type { EndpointRow } from '../store';

export const MAPPING_FRESH_MS = 60_000;

export function usableSavedEndpoints(rows: readonly EndpointRow[], now: number): Endpoint[] {
  const reported = new Set(rows.filter((r) => r.source !== 'ping').map((r) => `${r.host}:${r.port}`));
  return rows
    .filter((r) => r.source !== 'ping' || reported.has(`${r.host}:${r.port}`) || now - r.updatedAt <= MAPPING_FRESH_MS)
    .map((r) => ({ host: r.host, port: r.port }));
}
