/**
 * @module node/endpoints
 * The UDP endpoints we tell friends about (invites, PINGs): the bound address, or — when
 * bound to the wildcard — every IPv4 interface address, LAN ones first, loopback last.
 */
import { networkInterfaces } from 'node:os';
import type { Endpoint } from '../net';

export function advertisedEndpoints(bound: Endpoint): Endpoint[] {
  if (bound.host !== '0.0.0.0') return [bound];
  const lan: Endpoint[] = [];
  const loop: Endpoint[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4') continue;
      (a.internal ? loop : lan).push({ host: a.address, port: bound.port });
    }
  }
  return [...lan, ...loop].slice(0, 8);
}
