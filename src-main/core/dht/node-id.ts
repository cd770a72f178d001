/**
 * @module dht/node-id
 * Node ids bound to endpoints (dht-rpc style): id = SHA-256("BU-DHT-ID\0" ‖ ip ‖ u16be(port)).
 * BEP 42 binds ids to the IP alone (with a few random bits, 8 ids per IPv4 address), which
 * would cap a loopback testnet at 8 nodes; binding to ip:port keeps the Sybil cost the same per
 * socket while letting 1,000 nodes share 127.0.0.1. Distances are Kademlia's XOR metric over
 * the 256-bit ids, compared as big-endian unsigned integers.
 */
import { utf8 } from '../base';
import { randomBytes, sha256 } from '../crypto';
import { endpointKey, type Endpoint } from '../net';
import { ID_BYTES } from './constants';
import { ipBytes } from './wire';

const ID_LABEL = utf8('BU-DHT-ID\0');
const cache = new Map<string, Uint8Array>();
const CACHE_MAX = 8192;

/** The id a node at `endpoint` must claim; null when the host is not an IP literal. Cached. */
export function nodeIdOf(endpoint: Endpoint): Uint8Array | null {
  const key = endpointKey(endpoint);
  const hit = cache.get(key);
  if (hit) return hit;
  const ip = ipBytes(endpoint.host);
  if (!ip) return null;
  const port = new Uint8Array([(endpoint.port >>> 8) & 0xff, endpoint.port & 0xff]);
  const id = sha256(ID_LABEL, ip, port);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, id);
  return id;
}

/** True when `id` is exactly the id bound to `endpoint`. */
export function idMatchesEndpoint(id: Uint8Array, endpoint: Endpoint): boolean {
  const expected = nodeIdOf(endpoint);
  if (!expected || id.length !== ID_BYTES) return false;
  for (let i = 0; i < ID_BYTES; i++) if (expected[i] !== id[i]) return false;
  return true;
}

export function xorDistance(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(ID_BYTES);
  for (let i = 0; i < ID_BYTES; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Compare two distances (or ids) as big-endian unsigned integers: <0, 0, >0. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Compare the XOR distances of `a` and `b` to `t` without allocating: <0 when a is closer. */
export function compareXor(a: Uint8Array, b: Uint8Array, t: Uint8Array): number {
  for (let i = 0; i < ID_BYTES; i++) {
    const d = (a[i]! ^ t[i]!) - (b[i]! ^ t[i]!);
    if (d !== 0) return d;
  }
  return 0;
}

/** Number of leading bits `a` and `b` share (256 when equal) = the bucket index of b in a's table. */
export function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < ID_BYTES; i++) {
    const x = a[i]! ^ b[i]!;
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return ID_BYTES * 8;
}

/** A random id sharing exactly `bits` leading bits with `self` (a target inside bucket `bits`). */
export function randomIdInBucket(self: Uint8Array, bits: number): Uint8Array {
  const out = randomBytes(ID_BYTES);
  const full = bits >> 3;
  for (let i = 0; i < full; i++) out[i] = self[i]!;
  if (full < ID_BYTES) {
    const rem = bits & 7;
    const keep = rem === 0 ? 0 : (0xff << (8 - rem)) & 0xff;
    const flip = 0x80 >> rem; // the first differing bit
    const b = (self[full]! & keep) | (out[full]! & ~keep & 0xff);
    out[full] = ((b & ~flip) | (~self[full]! & flip)) & 0xff;
  }
  return out;
}
