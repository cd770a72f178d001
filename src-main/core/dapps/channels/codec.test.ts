/**
 * The channel wire format (codec.ts): round trips for every kind, the 16 KiB bound on both
 * sides, and each malformed shape refused with BAD_ENVELOPE.
 */
import { describe, expect, it } from 'vitest';
import { PAYLOAD_TAG, isBuError } from '../../base';
import { FrameKind, HEADER_BYTES, MAX_DATA_BYTES, decodeFrame, encodeData, encodeFrame, isChannelPayload } from './codec';

const APP = `0x${'ab'.repeat(20)}`;

const refused = (bytes: Uint8Array, why: RegExp) => {
  try {
    decodeFrame(bytes);
  } catch (e) {
    expect(isBuError(e, 'BAD_ENVELOPE')).toBe(true);
    expect((e as Error).message).toMatch(why);
    return;
  }
  throw new Error('expected a refusal');
};

describe('channel codec', () => {
  it('lays out the header as documented and round-trips DATA', () => {
    const body = encodeData({ move: 4, board: 'x--o-----' });
    const f = encodeFrame({ kind: FrameKind.DATA, appId: APP, stream: 0xdeadbeef, seq: 7, body });
    expect(f[0]).toBe(PAYLOAD_TAG.DAPP_CHANNEL);
    expect(f[1]).toBe(1);
    expect(f[2]).toBe(FrameKind.DATA);
    expect(Buffer.from(f.subarray(4, 24)).toString('hex')).toBe('ab'.repeat(20));
    expect(Buffer.from(f.subarray(24, 28)).toString('hex')).toBe('deadbeef');
    expect(f.length).toBe(HEADER_BYTES + body.length);
    expect(isChannelPayload(f)).toBe(true);
    expect(decodeFrame(f)).toEqual({ kind: FrameKind.DATA, appId: APP, flags: 0, stream: 0xdeadbeef, seq: 7, data: { move: 4, board: 'x--o-----' } });
  });

  it('round-trips every control kind', () => {
    for (const kind of [FrameKind.OPEN, FrameKind.ACCEPT, FrameKind.PROBE]) expect(decodeFrame(encodeFrame({ kind, appId: APP }))).toEqual({ kind, appId: APP, flags: 0, stream: 0, seq: 0 });
    expect(decodeFrame(encodeFrame({ kind: FrameKind.CLOSE, appId: APP, flags: 1 })).flags).toBe(1);
    expect(decodeFrame(encodeFrame({ kind: FrameKind.HAVE, appId: APP, flags: 1 })).flags).toBe(1);
    expect(decodeFrame(encodeFrame({ kind: FrameKind.ACK, appId: APP, stream: 5, seq: 9 }))).toMatchObject({ stream: 5, seq: 9 });
  });

  it('bounds the data at 16 KiB of UTF-8 JSON', () => {
    expect(encodeData('x'.repeat(MAX_DATA_BYTES - 2)).length).toBe(MAX_DATA_BYTES);
    expect(() => encodeData('x'.repeat(MAX_DATA_BYTES - 1))).toThrow(/limit is 16384/);
    expect(() => encodeData('é'.repeat(MAX_DATA_BYTES / 2))).toThrow(/TOO_LONG|limit/); // 2 bytes each
    expect(() => encodeData(undefined)).toThrow(/JSON value/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeData(cyclic)).toThrow(/JSON-serialisable/);
    expect(() => encodeData(10n)).toThrow(/JSON-serialisable/);
    // a frame bigger than the limit is refused on decode too
    const big = new Uint8Array(HEADER_BYTES + MAX_DATA_BYTES + 1);
    big.set(encodeFrame({ kind: FrameKind.OPEN, appId: APP }));
    big[2] = FrameKind.DATA;
    refused(big, /over the/);
  });

  it('refuses bad arguments when encoding', () => {
    expect(() => encodeFrame({ kind: FrameKind.OPEN, appId: '0xAB' })).toThrow(/not an app id/);
    expect(() => encodeFrame({ kind: 99 as never, appId: APP })).toThrow(/unknown/);
    expect(() => encodeFrame({ kind: FrameKind.DATA, appId: APP })).toThrow(/body/);
    expect(() => encodeFrame({ kind: FrameKind.OPEN, appId: APP, body: Uint8Array.of(1) })).toThrow(/body/);
    expect(() => encodeFrame({ kind: FrameKind.ACK, appId: APP, seq: 2 ** 32 })).toThrow(/uint32/);
    expect(() => encodeFrame({ kind: FrameKind.ACK, appId: APP, stream: -1 })).toThrow(/uint32/);
  });

  it('refuses malformed frames', () => {
    const open = encodeFrame({ kind: FrameKind.OPEN, appId: APP });
    const data = encodeFrame({ kind: FrameKind.DATA, appId: APP, body: encodeData(1) });
    const edit = (b: Uint8Array, at: number, v: number) => {
      const c = b.slice();
      c[at] = v;
      return c;
    };
    refused(open.subarray(0, HEADER_BYTES - 1), /shorter/);
    refused(new Uint8Array(0), /shorter/);
    refused(edit(open, 0, 0x08), /not a channel frame/);
    refused(edit(open, 1, 2), /version 2/);
    refused(edit(open, 2, 0), /unknown kind 0/);
    refused(edit(open, 2, 8), /unknown kind 8/);
    refused(edit(open, 3, 1), /flags 1/);
    refused(edit(encodeFrame({ kind: FrameKind.CLOSE, appId: APP }), 3, 2), /flags 2/);
    refused(edit(encodeFrame({ kind: FrameKind.HAVE, appId: APP }), 3, 2), /flags 2/);
    refused(edit(open, 31, 1), /stream and seq 0/);
    refused(edit(open, 24, 1), /stream and seq 0/);
    const withBody = new Uint8Array(open.length + 1);
    withBody.set(open);
    refused(withBody, /carries no body/);
    refused(data.subarray(0, HEADER_BYTES), /without a body/);
    const notJson = data.slice();
    notJson[HEADER_BYTES] = 0x7b; // '{'
    refused(notJson, /not UTF-8 JSON/);
    const badUtf8 = new Uint8Array(HEADER_BYTES + 3);
    badUtf8.set(data.subarray(0, HEADER_BYTES));
    badUtf8.set([0x22, 0xff, 0x22], HEADER_BYTES); // "\xff"
    refused(badUtf8, /not UTF-8 JSON/);
  });
});
