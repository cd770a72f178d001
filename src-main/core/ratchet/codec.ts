/**
 * @module ratchet/codec
 * A tiny fixed-layout binary writer/reader (big-endian integers, raw byte fields) shared by the
 * bundle, message and state encodings. The reader throws `BuError(code)` on any truncation, so
 * each decoder reports malformed input with its own error code.
 */
import { BuError, type ErrorCode } from '../base';

export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  bytes(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }

  u8(n: number): this {
    return this.bytes(new Uint8Array([n & 0xff]));
  }

  u16(n: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, n, false);
    return this.bytes(b);
  }

  u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, false);
    return this.bytes(b);
  }

  /** A non-negative safe integer as 8 bytes. */
  u64(n: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), false);
    return this.bytes(b);
  }

  /** u16 length prefix, then the bytes. */
  vbytes(b: Uint8Array): this {
    if (b.length > 0xffff) throw new RangeError('field too long');
    return this.u16(b.length).bytes(b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const p of this.parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
}

export class ByteReader {
  private off = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly code: ErrorCode,
    private readonly what: string,
  ) {}

  get offset(): number {
    return this.off;
  }

  get remaining(): number {
    return this.buf.length - this.off;
  }

  fail(why: string): never {
    throw new BuError(this.code, `${this.what}: ${why}`);
  }

  /** A copy of the next `n` bytes (never aliases the input buffer). */
  bytes(n: number): Uint8Array {
    if (n < 0 || this.off + n > this.buf.length) this.fail('truncated');
    const out = this.buf.slice(this.off, this.off + n);
    this.off += n;
    return out;
  }

  u8(): number {
    return this.bytes(1)[0]!;
  }

  u16(): number {
    const b = this.bytes(2);
    return new DataView(b.buffer).getUint16(0, false);
  }

  u32(): number {
    const b = this.bytes(4);
    return new DataView(b.buffer).getUint32(0, false);
  }

  u64(): number {
    const b = this.bytes(8);
    const v = new DataView(b.buffer).getBigUint64(0, false);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('integer out of range');
    return Number(v);
  }

  vbytes(): Uint8Array {
    return this.bytes(this.u16());
  }

  /** Everything left. */
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  end(): void {
    if (this.off !== this.buf.length) this.fail('trailing bytes');
  }
}
