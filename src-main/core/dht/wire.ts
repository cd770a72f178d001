/**
 * @module dht/wire
 * A small bounded binary codec (big-endian, RFC 1700 network order) shared by the DHT messages
 * and records. Every read checks the remaining length first; any malformation throws
 * `DhtWireError` (a `BuError` with code BAD_INPUT) and nothing else, so packet handlers need to
 * catch exactly one error type. Endpoints are family(1) ‖ address(4 | 16) ‖ port(2).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { BuError } from '../base';
import type { Endpoint } from '../net';

export class DhtWireError extends BuError {
  constructor(message: string) {
    super('BAD_INPUT', message);
    this.name = 'DhtWireError';
  }
}

export function isDhtWireError(e: unknown): e is DhtWireError {
  return e instanceof DhtWireError;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF8 = new TextEncoder();

export class Reader {
  private pos = 0;
  private readonly buf: Uint8Array;
  constructor(data: Uint8Array) {
    // a plain Uint8Array view: Buffer#slice would alias (not copy), and mixing Buffer and
    // Uint8Array element access makes hot id comparisons polymorphic
    this.buf = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (n > this.buf.length - this.pos) throw new DhtWireError(`truncated ${what}`);
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    const v = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    this.pos += 4;
    return v;
  }

  /** u64 limited to Number.MAX_SAFE_INTEGER (2^53 − 1). */
  u53(what = 'u53'): number {
    const hi = this.u32(what);
    const lo = this.u32(what);
    if (hi > 0x1fffff) throw new DhtWireError(`${what} above 2^53`);
    return hi * 0x1_0000_0000 + lo;
  }

  /** A copy (never aliases the datagram buffer, which the socket may reuse). */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Strict UTF-8 (no replacement characters: a string must re-encode to the same bytes). */
  string(n: number, what = 'string'): string {
    this.need(n, what);
    const view = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    try {
      return STRICT_UTF8.decode(view);
    } catch {
      throw new DhtWireError(`${what} is not valid UTF-8`);
    }
  }

  endpoint(what = 'endpoint'): Endpoint {
    const family = this.u8(what);
    let host: string;
    if (family === 4) {
      this.need(4, what);
      const b = this.buf;
      const p = this.pos;
      host = `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
      this.pos += 4;
    } else if (family === 6) {
      const raw = this.bytes(16, what);
      host = ipv6String(raw);
    } else {
      throw new DhtWireError(`${what}: unknown address family ${family}`);
    }
    const port = this.u16(what);
    if (port === 0) throw new DhtWireError(`${what}: port 0`);
    return { host, port };
  }

  end(what = 'message'): void {
    if (this.pos !== this.buf.length) throw new DhtWireError(`${this.buf.length - this.pos} trailing bytes after ${what}`);
  }
}

export class Writer {
  private buf: Uint8Array;
  private pos = 0;
  constructor(size = 256) {
    this.buf = new Uint8Array(size);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.room(2);
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.buf[this.pos++] = (v >>> 24) & 0xff;
    this.buf[this.pos++] = (v >>> 16) & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u53(v: number): this {
    return this.u32(Math.floor(v / 0x1_0000_0000)).u32(v >>> 0);
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  endpoint(e: Endpoint): this {
    const ip = ipBytes(e.host);
    if (!ip) throw new BuError('BAD_INPUT', `not an IP literal: ${e.host}`);
    return this.u8(ip.length === 4 ? 4 : 6).bytes(ip).u16(e.port);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export function utf8Bytes(s: string): Uint8Array {
  return UTF8.encode(s);
}

const ipCache = new Map<string, Uint8Array | null>();

/** Network-order bytes of an IPv4 (4) or IPv6 (16) literal; null for anything else. Cached (callers must not mutate). */
export function ipBytes(host: string): Uint8Array | null {
  const hit = ipCache.get(host);
  if (hit !== undefined) return hit;
  const v = parseIp(host);
  if (ipCache.size >= 1024) ipCache.delete(ipCache.keys().next().value!);
  ipCache.set(host, v);
  return v;
}

function parseIp(host: string): Uint8Array | null {
  if (isIPv4(host)) {
    const out = new Uint8Array(4);
    const parts = host.split('.');
    for (let i = 0; i < 4; i++) out[i] = Number(parts[i]);
    return out;
  }
  if (isIPv6(host)) {
    if (host.includes('.')) return null; // v4-mapped dotted forms are not used on udp4 sockets
    const [head, tail] = host.includes('::') ? host.split('::') : [host, undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    if (groups.length !== 8) return null;
    const out = new Uint8Array(16);
    groups.forEach((g, i) => {
      const v = parseInt(g, 16);
      out[2 * i] = v >>> 8;
      out[2 * i + 1] = v & 0xff;
    });
    return out;
  }
  return null;
}

/** RFC 5952 text form of 16 address bytes (lowercase, longest run of ≥ 2 zero groups as "::"). */
export function ipv6String(raw: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((raw[i]! << 8) | raw[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}
