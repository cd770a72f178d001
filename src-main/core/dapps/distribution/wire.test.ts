import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../package';
import { MAX_HEAD_BYTES, MAX_PIECE_BYTES, PREFIX_BYTES } from './constants';
import { prng } from './test-support';
import { decodeMessage, encodeMessage, fullBitfield, hasBit, type DistMessage } from './wire';

const hash = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const data = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

const samples: DistMessage[] = [
  { type: 'HAVE_Q', id: 1, hash },
  { type: 'HAVE', id: 2, hash, headSize: 5000, totalSize: 3 * CHUNK_SIZE + 7, chunkCount: 4, bitfield: Uint8Array.of(0b1011_0000) },
  { type: 'HAVE', id: 3, hash, headSize: 16 + 100, totalSize: 256 * CHUNK_SIZE, chunkCount: 256, bitfield: fullBitfield(256) },
  { type: 'GET_HEADER', id: 4, hash, offset: 0, length: MAX_PIECE_BYTES },
  { type: 'HEADER', id: 5, hash, offset: 16384, headSize: 20000, data: data(3616) },
  { type: 'GET_PIECE', id: 6, hash, chunk: 255, offset: CHUNK_SIZE - 16384, length: 16384 },
  { type: 'PIECE', id: 0xffffffff, hash, chunk: 3, offset: 0, data: data(MAX_PIECE_BYTES) },
  { type: 'NOT_FOUND', id: 8, hash },
  { type: 'BUSY', id: 9, hash, retryAfterMs: 250 },
];

function withBytes(m: DistMessage, edit: (b: Uint8Array, v: DataView) => void): Uint8Array {
  const b = encodeMessage(m).slice();
  edit(b, new DataView(b.buffer));
  return b;
}

describe('bundle distribution wire format', () => {
  it('round-trips every message type, tag 0xc0 and version 1 first', () => {
    for (const m of samples) {
      const bytes = encodeMessage(m);
      expect([bytes[0], bytes[1]]).toEqual([0xc0, 1]);
      const back = decodeMessage(bytes);
      expect(back).not.toBeNull();
      expect({ ...back, hash: [...back!.hash] }).toEqual({ ...m, hash: [...m.hash] });
    }
    const have = decodeMessage(encodeMessage(samples[1]!));
    expect(have?.type === 'HAVE' && [0, 1, 2, 3].map((i) => hasBit(have.bitfield, i))).toEqual([true, false, true, true]);
  });

  it('keeps a piece of 16 KiB within a few dozen session fragments', () => {
    const piece = encodeMessage({ type: 'PIECE', id: 1, hash, chunk: 0, offset: 0, data: data(16384) });
    expect(piece.length).toBe(PREFIX_BYTES + 6 + 16384);
    expect(Math.ceil(piece.length / 1161)).toBeLessThanOrEqual(15);
    expect(Math.ceil(encodeMessage(samples[6]!).length / 1161)).toBeLessThanOrEqual(29);
  });

  it('refuses malformed messages: tag, version, type, truncation, trailing bytes', () => {
    const get = samples[5]!;
    expect(decodeMessage(withBytes(get, (b) => (b[0] = 0xc1)))).toBeNull();
    expect(decodeMessage(withBytes(get, (b) => (b[1] = 2)))).toBeNull();
    expect(decodeMessage(withBytes(get, (b) => (b[2] = 0x09)))).toBeNull();
    expect(decodeMessage(withBytes(get, (b) => (b[2] = 0x00)))).toBeNull();
    const full = encodeMessage(get);
    for (let n = 0; n < full.length; n++) expect(decodeMessage(full.subarray(0, n))).toBeNull();
    for (const m of samples) {
      if (m.type === 'PIECE' || m.type === 'HEADER') continue; // data runs to the end: one more byte is a longer piece
      const b = encodeMessage(m);
      const longer = new Uint8Array(b.length + 1);
      longer.set(b);
      expect(decodeMessage(longer), m.type).toBeNull();
    }
  });

  it('refuses out-of-bounds sizes, offsets and counts without allocating for them', () => {
    const get = samples[5]!;
    expect(decodeMessage(withBytes(get, (_, v) => v.setUint32(PREFIX_BYTES + 6, MAX_PIECE_BYTES + 1)))).toBeNull(); // length > 32 KiB
    expect(decodeMessage(withBytes(get, (_, v) => v.setUint32(PREFIX_BYTES + 6, 0)))).toBeNull(); // empty
    expect(decodeMessage(withBytes(get, (_, v) => v.setUint32(PREFIX_BYTES + 2, CHUNK_SIZE - 100)))).toBeNull(); // past the chunk end
    expect(decodeMessage(withBytes(get, (_, v) => v.setUint32(PREFIX_BYTES + 2, 0xffffffff)))).toBeNull(); // overflowing offset
    expect(decodeMessage(withBytes(get, (_, v) => v.setUint16(PREFIX_BYTES, 256)))).toBeNull(); // chunk ≥ 256
    const piece = new Uint8Array(PREFIX_BYTES + 6 + MAX_PIECE_BYTES + 1);
    piece.set(encodeMessage(samples[6]!));
    expect(decodeMessage(piece)).toBeNull(); // a 32 KiB + 1 piece
    const header = samples[4]!;
    expect(decodeMessage(withBytes(header, (_, v) => v.setUint32(PREFIX_BYTES + 4, MAX_HEAD_BYTES + 1)))).toBeNull();
    expect(decodeMessage(withBytes(header, (_, v) => v.setUint32(PREFIX_BYTES + 4, 100)))).toBeNull(); // data past the head size
    expect(decodeMessage(withBytes(samples[3]!, (_, v) => v.setUint32(PREFIX_BYTES, MAX_HEAD_BYTES)))).toBeNull(); // GET_HEADER past any head
    const have = samples[1]!;
    expect(decodeMessage(withBytes(have, (b) => (b[b.length - 1] = 0b1011_1000)))).toBeNull(); // a spare bit set
    expect(decodeMessage(withBytes(have, (_, v) => v.setUint16(PREFIX_BYTES + 8, 5)))).toBeNull(); // count ≠ ⌈total / 256 KiB⌉
    expect(decodeMessage(withBytes(have, (_, v) => v.setUint32(PREFIX_BYTES + 4, 0xffffffff)))).toBeNull(); // more than 64 MiB
    expect(decodeMessage(withBytes(have, (_, v) => v.setUint32(PREFIX_BYTES, MAX_HEAD_BYTES + 1)))).toBeNull();
    expect(decodeMessage(withBytes(samples[8]!, (_, v) => v.setUint32(PREFIX_BYTES, 60_001)))).toBeNull(); // BUSY for over a minute
  });

  it('the encoder refuses what the decoder would', () => {
    expect(() => encodeMessage({ type: 'PIECE', id: 1, hash, chunk: 0, offset: 0, data: data(MAX_PIECE_BYTES + 1) })).toThrow(TypeError);
    expect(() => encodeMessage({ type: 'GET_PIECE', id: 1, hash, chunk: 300, offset: 0, length: 10 })).toThrow(TypeError);
    expect(() => encodeMessage({ type: 'HAVE_Q', id: -1, hash })).toThrow(TypeError);
    expect(() => encodeMessage({ type: 'HAVE_Q', id: 1, hash: hash.subarray(0, 31) })).toThrow(TypeError);
  });

  it('never throws on random or mutated input', () => {
    const rnd = prng(42);
    const encoded = samples.map(encodeMessage);
    for (let n = 0; n < 20_000; n++) {
      const base = encoded[n % encoded.length]!;
      const b = n % 2 ? base.slice() : Uint8Array.from({ length: (rnd() * 120) | 0 }, () => (rnd() * 256) | 0);
      if (n % 2) for (let k = 0; k < 3; k++) b[(rnd() * b.length) | 0] = (rnd() * 256) | 0;
      if (n % 5 === 0 && b.length > 0) b[0] = 0xc0;
      const m = decodeMessage(b);
      if (m) expect(() => encodeMessage(m)).not.toThrow();
    }
  });
});
