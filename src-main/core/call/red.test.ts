/** @module call/red.test */
import { describe, expect, it } from 'vitest';
import { decodeRed, encodeRed, MAX_AUDIO_PAYLOAD, RedDecoder, RedEncoder } from './red';
import { MAX_BODY_PAYLOAD } from './media-packet';

const frame = (seq: number, size = 80) => ({ seq, timestampUs: 1_000_000 + seq * 20_000, durationUs: 20_000, data: new Uint8Array(size).fill(seq & 0xff) });

describe('RED audio redundancy', () => {
  it('carries the previous frame and rebuilds a single loss', () => {
    const enc = new RedEncoder();
    const dec = new RedDecoder();
    const payloads = [0, 1, 2, 3].map((s) => encodeRed(decodeRed(enc.encode(frame(s)))));
    expect(decodeRed(payloads[0]!)).toHaveLength(1);
    expect(decodeRed(payloads[2]!).map((b) => b.seqBack)).toEqual([1, 0]);
    const got = [0, 2, 3].flatMap((i) => dec.receive(i, decodeRed(payloads[i]!)));
    expect(got.map((g) => [g.seq, g.recovered])).toEqual([[0, false], [1, true], [2, false], [3, false]]);
    expect(got[1]!.data).toEqual(frame(1).data);
    expect(got[1]!.tsDeltaUs).toBe(20_000);
    expect(dec.recovered).toBe(1);
  });

  it('at level 2 rebuilds two consecutive losses, and drops a late original', () => {
    const enc = new RedEncoder();
    enc.level = 2;
    const dec = new RedDecoder();
    const p = [0, 1, 2, 3].map((s) => enc.encode(frame(s)));
    expect(decodeRed(p[3]!).map((b) => b.seqBack)).toEqual([2, 1, 0]);
    const got = [0, 3].flatMap((i) => dec.receive(i, decodeRed(p[i]!)));
    expect(got.map((g) => [g.seq, g.recovered])).toEqual([[0, false], [1, true], [2, true], [3, false]]);
    expect(dec.receive(2, decodeRed(p[2]!))).toEqual([]);
    expect(dec.late).toBe(1);
  });

  it('leaves out copies that do not fit one datagram and skips a sequence gap', () => {
    const enc = new RedEncoder();
    enc.level = 2;
    enc.encode(frame(0, 500));
    enc.encode(frame(1, 500));
    const big = enc.encode(frame(2, 500));
    expect(big.length).toBeLessThanOrEqual(MAX_BODY_PAYLOAD);
    expect(decodeRed(big).map((b) => b.seqBack)).toEqual([1, 0]);
    expect(decodeRed(enc.encode(frame(5))).map((b) => b.seqBack)).toEqual([0]);
    expect(() => enc.encode(frame(6, MAX_AUDIO_PAYLOAD + 1))).toThrow();
  });

  it('rejects malformed payloads', () => {
    const good = new RedEncoder().encode(frame(0));
    expect(() => decodeRed(good.subarray(0, good.length - 1))).toThrow();
    expect(() => decodeRed(new Uint8Array([0]))).toThrow();
    expect(() => decodeRed(new Uint8Array([4]))).toThrow();
    const extra = new Uint8Array(good.length + 1);
    extra.set(good);
    expect(() => decodeRed(extra)).toThrow();
    const notPrimary = good.slice();
    notPrimary[1] = 1;
    expect(() => decodeRed(notPrimary)).toThrow();
  });
});
