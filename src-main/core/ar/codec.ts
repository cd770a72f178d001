/**
 * @module ar/codec
 * Compact binary primitives for AR messages: big-endian integers, 20-byte addresses, endpoint
 * lists. Readers never read past the end: a short or malformed body throws `ArDecodeError`,
 * which the receivers turn into a silent drop.
 */
import { isIPv4 } from 'node:net';
import { fromHex, toHex } from '../base';
import { checksumAddress } from '../crypto';
import { isValidHost, isValidPort, type Endpoint } from '../net';
import { MAX_ENDPOINTS } from './constants';

export class ArDecodeError extends Error {
  constructor(what: string) {
    super(`malformed AR message: ${what}`);
    this.name = 'ArDecodeError';
  }
}

export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private n = 0;

  constructor(initial = 64) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.n++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.n, v);
    this.n += 2;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.n, v >>> 0);
    this.n += 4;
    return this;
  }

  /** Milliseconds since the epoch (or any non-negative integer < 2^53). */
  u64(v: number): this {
    this.room(8);
    this.view.setBigUint64(this.n, BigInt(Math.max(0, Math.floor(v))));
    this.n += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }

  address(a: string): this {
    return this.bytes(addressBytes(a));
  }

  endpoint(e: Endpoint): this {
    if (isIPv4(e.host)) {
      this.u8(4);
      for (const part of e.host.split('.')) this.u8(Number(part));
    } else {
      const h = new TextEncoder().encode(e.host);
      if (h.length > 255) throw new RangeError('host too long');
      this.u8(0).u8(h.length).bytes(h);
    }
    return this.u16(e.port);
  }

  endpoints(list: readonly Endpoint[]): this {
    const ok = list.filter((e) => isValidHost(e.host) && isValidPort(e.port)).slice(0, MAX_ENDPOINTS);
    this.u8(ok.length);
    for (const e of ok) this.endpoint(e);
    return this;
  }

  get length(): number {
    return this.n;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

export class Reader {
  private off: number;
  private readonly view: DataView;

  constructor(
    private readonly buf: Uint8Array,
    offset = 0,
  ) {
    this.off = offset;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(k: number, what: string): void {
    if (this.off + k > this.buf.length) throw new ArDecodeError(`${what} past the end`);
  }

  u8(): number {
    this.need(1, 'u8');
    return this.buf[this.off++]!;
  }

  u16(): number {
    this.need(2, 'u16');
    const v = this.view.getUint16(this.off);
    this.off += 2;
    return v;
  }

  u32(): number {
    this.need(4, 'u32');
    const v = this.view.getUint32(this.off);
    this.off += 4;
    return v;
  }

  u64(): number {
    this.need(8, 'u64');
    const v = this.view.getBigUint64(this.off);
    this.off += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ArDecodeError('u64 too large');
    return Number(v);
  }

  bytes(k: number): Uint8Array {
    this.need(k, 'bytes');
    const b = this.buf.subarray(this.off, this.off + k);
    this.off += k;
    return b;
  }

  address(): string {
    return checksumAddress(`0x${toHex(this.bytes(20))}`);
  }

  endpoint(): Endpoint {
    const family = this.u8();
    let host: string;
    if (family === 4) {
      const b = this.bytes(4);
      host = `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
    } else if (family === 0) {
      host = new TextDecoder().decode(this.bytes(this.u8()));
    } else {
      throw new ArDecodeError(`endpoint family ${family}`);
    }
    const port = this.u16();
    if (!isValidHost(host) || !isValidPort(port)) throw new ArDecodeError('invalid endpoint');
    return { host, port };
  }

  endpoints(): Endpoint[] {
    const n = this.u8();
    if (n > MAX_ENDPOINTS) throw new ArDecodeError('too many endpoints');
    const out: Endpoint[] = [];
    for (let i = 0; i < n; i++) out.push(this.endpoint());
    return out;
  }

  rest(): Uint8Array {
    const b = this.buf.subarray(this.off);
    this.off = this.buf.length;
    return b;
  }

  /** The rest of the body as a blob of 1..`max` bytes (anything else is malformed). */
  blob(max: number): Uint8Array {
    if (this.remaining === 0 || this.remaining > max) throw new ArDecodeError(`blob of ${this.remaining} bytes`);
    return this.rest();
  }

  get remaining(): number {
    return this.buf.length - this.off;
  }

  /** Trailing bytes are an error (every message has a fixed layout). */
  end(): void {
    if (this.off !== this.buf.length) throw new ArDecodeError('trailing bytes');
  }
}

/** 20 raw bytes of an Ethereum-style address (any case). */
export function addressBytes(a: string): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw new RangeError('invalid address');
  return fromHex(a);
}
