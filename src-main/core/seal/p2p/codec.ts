/**
 * @module seal/p2p/codec
 * Binary codec of the POE transport's frames (wire tables in README.md). Every frame is
 * `[0xB0 tag][version 1][type]` + body, big-endian integers, carried as one session payload.
 * Decoding is strict and bounded: unknown type or version, short bodies, counts over their
 * limits, invalid endpoints and trailing bytes all yield null — nothing throws to the caller.
 */
import { fromHex, toHex } from '../../base';
import { checksumAddress } from '../../crypto';
import { isValidHost, isValidPort, type Endpoint } from '../../net';
import {
  CHUNK_HEADER,
  Frame,
  FRAME_HEADER,
  ID_BYTES,
  MAX_CHUNKS,
  MAX_EPS,
  MAX_FRAME,
  MAX_IDS_PER_FRAME,
  MAX_MESSAGE,
  MAX_PEX,
  MAX_ROUTERS,
  POE_TAG,
  POE_WIRE_VERSION,
  type ResponseStatusCode,
} from './constants';

export type PexEntry = { address: string; public: boolean; endpoints: Endpoint[]; routers: Endpoint[] };
export type Hello = { flags: number; networkId: bigint; endpoints: Endpoint[]; routers: Endpoint[]; pex: PexEntry[] };

export type PoeFrame =
  | { t: typeof Frame.HELLO; hello: Hello }
  | { t: typeof Frame.GOSSIP; hops: number; id: Uint8Array; payload: Uint8Array }
  | { t: typeof Frame.DIRECT; payload: Uint8Array }
  | { t: typeof Frame.IHAVE; items: Array<{ id: Uint8Array; size: number }> }
  | { t: typeof Frame.IWANT; ids: Uint8Array[] }
  | { t: typeof Frame.REQUEST; req: number; payload: Uint8Array }
  | { t: typeof Frame.RESPONSE; req: number; status: ResponseStatusCode; payload: Uint8Array }
  | { t: typeof Frame.CHUNK; xfer: number; index: number; count: number; total: number; bytes: Uint8Array }
  | { t: typeof Frame.NACK; xfer: number; count: number; got: number; missing: number[] }
  | { t: typeof Frame.ACK; xfer: number; got: number };

/** True for payloads of this protocol (a shared SessionManager routes by the first byte). */
export function isPoePayload(data: Uint8Array): boolean {
  return data.length >= FRAME_HEADER && data[0] === POE_TAG;
}

class Writer {
  private parts: number[] = [];
  private tail: Uint8Array[] = [];
  u8(n: number): this {
    this.parts.push(n & 0xff);
    return this;
  }
  u16(n: number): this {
    return this.u8(n >>> 8).u8(n);
  }
  u32(n: number): this {
    return this.u16(n >>> 16).u16(n & 0xffff);
  }
  u64(n: bigint): this {
    return this.u32(Number((n >> 32n) & 0xffff_ffffn)).u32(Number(n & 0xffff_ffffn));
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  endpoint(e: Endpoint): this {
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(e.host);
    if (v4) this.u8(4).bytes(Uint8Array.from(v4.slice(1).map(Number)));
    else {
      const h = new TextEncoder().encode(e.host);
      this.u8(0).u8(h.length).bytes(h);
    }
    return this.u16(e.port);
  }
  endpoints(list: Endpoint[], max: number): this {
    const l = list.slice(0, max);
    this.u8(l.length);
    for (const e of l) this.endpoint(e);
    return this;
  }
  /** Ends the small, structured part; `rest` (a payload) is appended without copying it twice. */
  finish(rest?: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.parts.length + (rest?.length ?? 0));
    out.set(this.parts);
    if (rest) out.set(rest, this.parts.length);
    return out;
  }
}

class Reader {
  off = 0;
  constructor(private readonly b: Uint8Array) {}
  get left(): number {
    return this.b.length - this.off;
  }
  need(n: number): void {
    if (this.left < n) throw new RangeError('short frame');
  }
  u8(): number {
    this.need(1);
    return this.b[this.off++]!;
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  u32(): number {
    return ((this.u16() << 16) >>> 0) + this.u16();
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.b.subarray(this.off, this.off + n);
    this.off += n;
    return out;
  }
  rest(): Uint8Array {
    return this.bytes(this.left);
  }
  endpoint(): Endpoint {
    const fam = this.u8();
    let host: string;
    if (fam === 4) host = Array.from(this.bytes(4)).join('.');
    else if (fam === 0) host = new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(this.u8()));
    else throw new RangeError('bad endpoint family');
    const port = this.u16();
    if (!isValidHost(host) || !isValidPort(port)) throw new RangeError('bad endpoint');
    return { host, port };
  }
  endpoints(max: number): Endpoint[] {
    const n = this.u8();
    if (n > max) throw new RangeError('too many endpoints');
    const out: Endpoint[] = [];
    for (let i = 0; i < n; i++) out.push(this.endpoint());
    return out;
  }
  address(): string {
    return checksumAddress('0x' + toHex(this.bytes(20)));
  }
}

function head(type: number): Writer {
  return new Writer().u8(POE_TAG).u8(POE_WIRE_VERSION).u8(type);
}

export function encodeHello(h: Hello): Uint8Array {
  const w = head(Frame.HELLO).u8(h.flags).u64(h.networkId).endpoints(h.endpoints, MAX_EPS).endpoints(h.routers, MAX_ROUTERS);
  const pex = h.pex.slice(0, MAX_PEX);
  w.u8(pex.length);
  for (const p of pex) {
    w.bytes(fromHex(p.address.replace(/^0x/i, '')))
      .u8(p.public ? 1 : 0)
      .endpoints(p.endpoints, MAX_EPS)
      .endpoints(p.routers, MAX_ROUTERS);
  }
  return w.finish();
}

export function encodeGossip(hops: number, id: Uint8Array, payload: Uint8Array): Uint8Array {
  return head(Frame.GOSSIP).u8(hops).bytes(id).finish(payload);
}

export function encodeDirect(payload: Uint8Array): Uint8Array {
  return head(Frame.DIRECT).finish(payload);
}

export function encodeIHave(items: Array<{ id: Uint8Array; size: number }>): Uint8Array {
  const w = head(Frame.IHAVE).u8(items.length);
  for (const it of items) w.bytes(it.id).u32(it.size);
  return w.finish();
}

export function encodeIWant(ids: Uint8Array[]): Uint8Array {
  const w = head(Frame.IWANT).u8(ids.length);
  for (const id of ids) w.bytes(id);
  return w.finish();
}

export function encodeRequest(req: number, payload: Uint8Array): Uint8Array {
  return head(Frame.REQUEST).u32(req).finish(payload);
}

export function encodeResponse(req: number, status: ResponseStatusCode, payload: Uint8Array): Uint8Array {
  return head(Frame.RESPONSE).u32(req).u8(status).finish(payload);
}

/** One CHUNK of `frame` (a complete encoded frame larger than one session payload). */
export function encodeChunk(xfer: number, index: number, count: number, frame: Uint8Array, chunkBytes: number): Uint8Array {
  const part = frame.subarray(index * chunkBytes, Math.min(frame.length, (index + 1) * chunkBytes));
  return head(Frame.CHUNK).u32(xfer).u16(index).u16(count).u32(frame.length).finish(part);
}

/** Chunks of `xfer` the receiver asks for again; `got` = how many it holds (also an ACK). */
export function encodeNack(xfer: number, count: number, got: number, missing: number[]): Uint8Array {
  const bitmap = new Uint8Array(Math.ceil(count / 8));
  for (const i of missing) if (i >= 0 && i < count) bitmap[i >> 3]! |= 1 << (i & 7);
  return head(Frame.NACK).u32(xfer).u16(count).u16(got).finish(bitmap);
}

/** The receiver holds `got` chunks of transfer `xfer`. */
export function encodeAck(xfer: number, got: number): Uint8Array {
  return head(Frame.ACK).u32(xfer).u16(got).finish();
}

/** Strict decode; null on anything malformed. Payloads are views into `data`. */
export function decodeFrame(data: Uint8Array, chunkBytes: number): PoeFrame | null {
  if (data.length < FRAME_HEADER || data.length > MAX_FRAME + CHUNK_HEADER || data[0] !== POE_TAG || data[1] !== POE_WIRE_VERSION) return null;
  const r = new Reader(data);
  r.off = FRAME_HEADER;
  try {
    const f = decodeBody(data[2]!, r, chunkBytes);
    return f && r.left === 0 ? f : null;
  } catch {
    return null;
  }
}

function decodeBody(t: number, r: Reader, chunkBytes: number): PoeFrame | null {
  switch (t) {
    case Frame.HELLO: {
      const flags = r.u8();
      const networkId = r.u64();
      const endpoints = r.endpoints(MAX_EPS);
      const routers = r.endpoints(MAX_ROUTERS);
      const n = r.u8();
      if (n > MAX_PEX) return null;
      const pex: PexEntry[] = [];
      for (let i = 0; i < n; i++) {
        const address = r.address();
        const pf = r.u8();
        if (pf > 1) return null;
        pex.push({ address, public: pf === 1, endpoints: r.endpoints(MAX_EPS), routers: r.endpoints(MAX_ROUTERS) });
      }
      return { t, hello: { flags, networkId, endpoints, routers, pex } };
    }
    case Frame.GOSSIP: {
      const hops = r.u8();
      const id = r.bytes(ID_BYTES);
      const payload = r.rest();
      return payload.length <= MAX_MESSAGE ? { t, hops, id, payload } : null;
    }
    case Frame.DIRECT: {
      const payload = r.rest();
      return payload.length <= MAX_MESSAGE ? { t, payload } : null;
    }
    case Frame.IHAVE: {
      const n = r.u8();
      if (n === 0 || n > MAX_IDS_PER_FRAME) return null;
      const items: Array<{ id: Uint8Array; size: number }> = [];
      for (let i = 0; i < n; i++) items.push({ id: r.bytes(ID_BYTES), size: r.u32() });
      return { t, items };
    }
    case Frame.IWANT: {
      const n = r.u8();
      if (n === 0 || n > MAX_IDS_PER_FRAME) return null;
      const ids: Uint8Array[] = [];
      for (let i = 0; i < n; i++) ids.push(r.bytes(ID_BYTES));
      return { t, ids };
    }
    case Frame.REQUEST: {
      const req = r.u32();
      const payload = r.rest();
      return payload.length <= MAX_MESSAGE ? { t, req, payload } : null;
    }
    case Frame.RESPONSE: {
      const req = r.u32();
      const status = r.u8();
      if (status > 3) return null;
      const payload = r.rest();
      return payload.length <= MAX_MESSAGE ? { t, req, status: status as ResponseStatusCode, payload } : null;
    }
    case Frame.CHUNK: {
      const xfer = r.u32();
      const index = r.u16();
      const count = r.u16();
      const total = r.u32();
      const bytes = r.rest();
      if (total <= chunkBytes || total > MAX_FRAME || count !== Math.ceil(total / chunkBytes) || count > MAX_CHUNKS || index >= count) return null;
      const expected = index < count - 1 ? chunkBytes : total - (count - 1) * chunkBytes;
      return bytes.length === expected ? { t, xfer, index, count, total, bytes } : null;
    }
    case Frame.NACK: {
      const xfer = r.u32();
      const count = r.u16();
      const got = r.u16();
      if (count < 2 || count > MAX_CHUNKS || got >= count) return null;
      const bitmap = r.bytes(Math.ceil(count / 8));
      const missing: number[] = [];
      for (let i = 0; i < count; i++) if (bitmap[i >> 3]! & (1 << (i & 7))) missing.push(i);
      return missing.length > 0 && missing.length <= count - got ? { t, xfer, count, got, missing } : null;
    }
    case Frame.ACK: {
      const xfer = r.u32();
      const got = r.u16();
      return got > 0 && got <= MAX_CHUNKS ? { t, xfer, got } : null;
    }
    default:
      return null;
  }
}
