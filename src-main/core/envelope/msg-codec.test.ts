import { describe, expect, it } from 'vitest';
import { isBuError, toHex, fromHex } from '../base';
import { decodeMsg, encodeMsg, MAX_ENVELOPE_BYTES, msgType, type Msg } from './msg-codec';

function expectBadEnvelope(fn: () => unknown): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(isBuError(err, 'BAD_ENVELOPE'), `expected BAD_ENVELOPE, got ${String(err)}`).toBe(true);
}

const sample: Msg = {
  version: 1,
  ts: 1_700_000_000,
  srcAddr: '0x52908400098527886E0F7030069857D2E4169EE7',
  dstAddr: '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  signedDataHash: new Uint8Array(65).fill(7),
  encryptedData: new Uint8Array([1, 2, 3, 4, 5]),
};

describe('Msg codec', () => {
  it('declares the seed fields as proto2 required with unchanged numbers and types, extensions only at new numbers', () => {
    const t = msgType();
    const fields = Object.fromEntries(t.fieldsArray.map((f) => [f.name, [f.id, f.type, f.required]]));
    expect(fields).toEqual({
      version: [1, 'int32', true],
      ts: [2, 'int32', true],
      srcAddr: [3, 'string', true],
      dstAddr: [4, 'string', true],
      signedDataHash: [5, 'bytes', true],
      encryptedData: [6, 'bytes', true],
      scheme: [7, 'int32', false],
    });
  });

  it('carries the optional scheme (field 7) and omits it when absent', () => {
    const withScheme = { ...sample, scheme: 2 };
    expect(decodeMsg(encodeMsg(withScheme))).toEqual(withScheme);
    expect(decodeMsg(encodeMsg(sample)).scheme).toBeUndefined();
    // a seed-only encoder's bytes (fields 1–6) are exactly what we emit without a scheme
    expect(encodeMsg(sample).length).toBe(encodeMsg({ ...sample, scheme: 0 }).length);
  });

  it('round-trips a realistic message', () => {
    expect(decodeMsg(encodeMsg(sample))).toEqual(sample);
  });

  it('round-trips unicode addresses, empty strings, empty bytes and int32 extremes', () => {
    for (const m of [
      { ...sample, srcAddr: 'ünïcødé-源-🚀', dstAddr: 'Ωmega\u{1F600}' },
      { ...sample, srcAddr: '', dstAddr: '', signedDataHash: new Uint8Array(), encryptedData: new Uint8Array() },
      { ...sample, version: 0, ts: 0 },
      { ...sample, version: -1, ts: -2_147_483_648 },
      { ...sample, version: 2_147_483_647, ts: 2_147_483_647 },
    ]) {
      expect(decodeMsg(encodeMsg(m))).toEqual(m);
    }
  });

  // Golden vectors derived by hand from the Protocol Buffers encoding rules
  // (https://protobuf.dev/programming-guides/encoding/): tag byte = field_number << 3 | wire_type,
  // wire type 0 = varint, 2 = length-delimited; varints are little-endian base-128 groups with the
  // high bit as "more follows"; negative int32 values are sign-extended to 64 bits (10 bytes).
  it('matches a hand-derived golden encoding', () => {
    const m: Msg = { version: 1, ts: 300, srcAddr: 'a', dstAddr: 'b', signedDataHash: new Uint8Array([1, 2]), encryptedData: new Uint8Array() };
    const expected =
      '0801' + //   field 1 varint: tag 1<<3|0 = 0x08, value 1
      '10ac02' + // field 2 varint: tag 2<<3|0 = 0x10, 300 = 0b10_0101100 → 0xac (0x2c|0x80), 0x02
      '1a0161' + // field 3 len-delim: tag 3<<3|2 = 0x1a, length 1, 'a' = 0x61
      '220162' + // field 4 len-delim: tag 4<<3|2 = 0x22, length 1, 'b' = 0x62
      '2a020102' + // field 5 bytes: tag 5<<3|2 = 0x2a, length 2, 01 02
      '3200'; //    field 6 bytes: tag 6<<3|2 = 0x32, length 0 (required, so written even when empty)
    expect(toHex(encodeMsg(m))).toBe(expected);
    expect(decodeMsg(fromHex(expected))).toEqual(m);
  });

  it('matches a hand-derived golden encoding with a negative ts and a two-byte UTF-8 address', () => {
    const m: Msg = { version: 1, ts: -1, srcAddr: 'é', dstAddr: 'b', signedDataHash: new Uint8Array([1, 2]), encryptedData: new Uint8Array() };
    const expected =
      '0801' +
      '10' + 'ffffffffffffffffff01' + // -1 as int32 → 0xFFFFFFFFFFFFFFFF → nine 0xff groups then 0x01
      '1a02c3a9' + //                    'é' = U+00E9 = UTF-8 c3 a9, length 2
      '220162' +
      '2a020102' +
      '3200';
    expect(toHex(encodeMsg(m))).toBe(expected);
    expect(decodeMsg(fromHex(expected))).toEqual(m);
  });

  it('matches a hand-derived varint for a realistic unix timestamp', () => {
    // 1_700_000_000 = 0x6553F100 → 7-bit groups from the low end: 0x00, 0x62, 0x4F, 0x2A, 0x06
    // → bytes 80 e2 cf aa 06 (continuation bit set on all but the last).
    const m: Msg = { version: 1, ts: 1_700_000_000, srcAddr: '', dstAddr: '', signedDataHash: new Uint8Array(), encryptedData: new Uint8Array() };
    expect(toHex(encodeMsg(m))).toBe('0801' + '1080e2cfaa06' + '1a00' + '2200' + '2a00' + '3200');
  });

  it('accepts fields in any order and skips unknown fields (future additions at new numbers)', () => {
    const reordered = fromHex('3200' + '2a020102' + '220162' + '1a0161' + '10ac02' + '0801' + '3a03010203' + '4005');
    expect(decodeMsg(reordered)).toMatchObject({ version: 1, ts: 300, srcAddr: 'a', dstAddr: 'b' });
  });

  it('rejects every missing required field', () => {
    const parts = ['0801', '10ac02', '1a0161', '220162', '2a020102', '3200'];
    for (let i = 0; i < parts.length; i++) {
      const without = parts.filter((_, j) => j !== i).join('');
      expectBadEnvelope(() => decodeMsg(fromHex(without)));
    }
    expectBadEnvelope(() => decodeMsg(new Uint8Array()));
  });

  it('rejects a required field sent with the wrong wire type', () => {
    // field 3 (src_addr) as a varint: 3<<3|0 = 0x18 → treated as unknown, so src_addr is missing
    expectBadEnvelope(() => decodeMsg(fromHex('0801' + '10ac02' + '1801' + '220162' + '2a020102' + '3200')));
  });

  it('rejects every truncation of a valid encoding with BAD_ENVELOPE', () => {
    const full = encodeMsg(sample);
    for (let n = 0; n < full.length; n++) expectBadEnvelope(() => decodeMsg(full.subarray(0, n)));
  });

  it('never throws anything but BAD_ENVELOPE on random garbage', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const b = new Uint8Array(1 + (rnd() % 96));
      for (let j = 0; j < b.length; j++) b[j] = rnd();
      try {
        const m = decodeMsg(b);
        expect(typeof m.srcAddr).toBe('string'); // a rare random valid parse must still be fully shaped
        expect(m.signedDataHash).toBeInstanceOf(Uint8Array);
      } catch (e) {
        expect(isBuError(e, 'BAD_ENVELOPE'), String(e)).toBe(true);
      }
    }
    expectBadEnvelope(() => decodeMsg(fromHex('ffffffffffffffffffffff')));
    expectBadEnvelope(() => decodeMsg('not bytes' as unknown as Uint8Array));
  });

  it('rejects oversize input before parsing and refuses to encode oversize envelopes', () => {
    expectBadEnvelope(() => decodeMsg(new Uint8Array(MAX_ENVELOPE_BYTES + 1)));
    let err: unknown;
    try {
      encodeMsg({ ...sample, encryptedData: new Uint8Array(MAX_ENVELOPE_BYTES) });
    } catch (e) {
      err = e;
    }
    expect(isBuError(err, 'TOO_LONG')).toBe(true);
  });

  it('refuses to encode ill-typed values (caller bug → BAD_INPUT)', () => {
    for (const m of [{ ...sample, ts: 2 ** 31 }, { ...sample, version: 1.5 }, { ...sample, srcAddr: 5 }, { ...sample, encryptedData: 'x' }]) {
      expect(() => encodeMsg(m as unknown as Msg)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    }
  });

  it('returns byte fields that do not alias the input buffer', () => {
    const buf = encodeMsg(sample);
    const copy = Uint8Array.from(buf);
    const m = decodeMsg(copy);
    copy.fill(0);
    expect(m.encryptedData).toEqual(sample.encryptedData);
    expect(m.signedDataHash).toEqual(sample.signedDataHash);
  });
});
