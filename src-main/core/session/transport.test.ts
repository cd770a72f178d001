import { describe, expect, it } from 'vitest';
import { createDecipheriv } from 'node:crypto';
import { randomBytes } from '../crypto';
import { Kind, MAX_UNFRAGMENTED_PAYLOAD, MAX_DATAGRAM, TRANSPORT_HEADER } from './constants';
import type { TransportKeys } from './handshake';
import { TransportCipher } from './transport';

function pair() {
  const k = { i2r: randomBytes(32), r2i: randomBytes(32), ei2r: randomBytes(32), er2i: randomBytes(32) };
  const ki: TransportKeys = { sendKey: Uint8Array.from(k.i2r), recvKey: Uint8Array.from(k.r2i), sendEnvKey: k.ei2r, recvEnvKey: k.er2i };
  const kr: TransportKeys = { sendKey: Uint8Array.from(k.r2i), recvKey: Uint8Array.from(k.i2r), sendEnvKey: k.er2i, recvEnvKey: k.ei2r };
  return { a: new TransportCipher(ki, 0xbbbbbbbb), b: new TransportCipher(kr, 0xaaaaaaaa), raw: k };
}
const DATA = Uint8Array.of(Kind.DATA);

describe('TransportCipher', () => {
  it('round-trips in both directions with separate keys', () => {
    const { a, b } = pair();
    const p1 = a.seal(DATA, Uint8Array.of(1, 2, 3));
    const p2 = b.seal(DATA, Uint8Array.of(4));
    expect([...(b.open(p1) as Buffer)]).toEqual([Kind.DATA, 1, 2, 3]);
    expect([...(a.open(p2) as Buffer)]).toEqual([Kind.DATA, 4]);
    expect(a.open(a.seal(DATA, Uint8Array.of(5)))).toBe('forged'); // a cannot open its own direction (counter 1: fresh)
  });

  it('lays out the header as documented and uses 0000 ‖ counter as the GCM nonce with the header as AAD', () => {
    const { a, raw } = pair();
    a.sendCounter = 0x1_0000_0002;
    const pkt = a.seal(DATA, Uint8Array.of(9, 9));
    expect([...pkt.subarray(0, TRANSPORT_HEADER)]).toEqual([5, 0, 0, 0, 0xbb, 0xbb, 0xbb, 0xbb, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(pkt).toHaveLength(TRANSPORT_HEADER + 3 + 16);
    // decrypt independently with node:crypto to pin the construction
    const d = createDecipheriv('aes-256-gcm', raw.i2r, Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2]));
    d.setAAD(pkt.subarray(0, 16));
    d.setAuthTag(pkt.subarray(pkt.length - 16));
    const pt = Buffer.concat([d.update(pkt.subarray(16, pkt.length - 16)), d.final()]);
    expect([...pt]).toEqual([Kind.DATA, 9, 9]);
  });

  it('keeps a full-size DATA packet within the datagram budget', () => {
    const { a, b } = pair();
    const pkt = a.seal(DATA, new Uint8Array(MAX_UNFRAGMENTED_PAYLOAD).fill(7));
    expect(pkt.length).toBe(MAX_DATAGRAM);
    expect((b.open(pkt) as Buffer).subarray(1)).toEqual(Buffer.alloc(MAX_UNFRAGMENTED_PAYLOAD, 7));
  });

  it('detects a flip of any byte (header is authenticated as AAD)', () => {
    const { a, b } = pair();
    const pkt = a.seal(DATA, Uint8Array.of(1, 2, 3, 4));
    for (let i = 0; i < pkt.length; i++) {
      if (i >= 4 && i < 8) continue; // receiver sid: selects the session, checked by the manager
      const t = Buffer.from(pkt);
      t[i] = t[i]! ^ 0x01;
      expect(b.open(t), `byte ${i}`).toBe('forged');
    }
    expect(b.open(pkt)).toBeInstanceOf(Buffer); // the forgeries did not advance the replay window
  });

  it('drops replays and keeps accepting reordered packets inside the window', () => {
    const { a, b } = pair();
    const pkts = Array.from({ length: 5 }, (_, i) => a.seal(DATA, Uint8Array.of(i)));
    expect(b.open(pkts[4]!)).toBeInstanceOf(Buffer);
    expect(b.open(pkts[4]!)).toBe('replay');
    expect(b.open(pkts[1]!)).toBeInstanceOf(Buffer);
    expect(b.open(pkts[0]!)).toBeInstanceOf(Buffer);
    expect(b.open(pkts[1]!)).toBe('replay');
    expect(b.receivedHighest).toBe(4);
  });

  it('rejects truncated packets and counters beyond 2^53', () => {
    const { a, b } = pair();
    const pkt = a.seal(DATA, null);
    expect(b.open(pkt.subarray(0, 20))).toBe('forged');
    const big = Buffer.from(pkt);
    big[8] = 0xff;
    expect(b.open(big)).toBe('forged');
  });

  it('zeroes the raw key material it was given', () => {
    const keys: TransportKeys = { sendKey: randomBytes(32), recvKey: randomBytes(32), sendEnvKey: randomBytes(32), recvEnvKey: randomBytes(32) };
    new TransportCipher(keys, 1);
    expect(keys.sendKey.every((x) => x === 0)).toBe(true);
    expect(keys.recvKey.every((x) => x === 0)).toBe(true);
  });
});

describe('TransportCipher: native AES-GCM contexts and node:crypto interoperate', () => {
  function mixed(nativeA: boolean, nativeB: boolean) {
    const k = { i2r: randomBytes(32), r2i: randomBytes(32), e: randomBytes(32) };
    const ki: TransportKeys = { sendKey: Uint8Array.from(k.i2r), recvKey: Uint8Array.from(k.r2i), sendEnvKey: k.e, recvEnvKey: k.e };
    const kr: TransportKeys = { sendKey: Uint8Array.from(k.r2i), recvKey: Uint8Array.from(k.i2r), sendEnvKey: k.e, recvEnvKey: k.e };
    return { a: new TransportCipher(ki, 2, { native: nativeA }), b: new TransportCipher(kr, 1, { native: nativeB }) };
  }
  const concat = (parts: Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

  for (const [na, nb] of [
    [true, false],
    [false, true],
    [false, false],
  ] as const) {
    it(`sealParts (native=${na}) opens on the other side (native=${nb}), and tampering is caught`, () => {
      const { a, b } = mixed(na, nb);
      const body = randomBytes(MAX_UNFRAGMENTED_PAYLOAD);
      for (let i = 0; i < 5; i++) {
        const pkt = concat(a.sealParts(DATA, body));
        expect(pkt.length).toBe(MAX_DATAGRAM);
        const pt = b.open(pkt);
        expect(Buffer.from(pt as Buffer).equals(Buffer.concat([Buffer.from(DATA), Buffer.from(body)]))).toBe(true);
        const bad = concat(a.sealParts(DATA, body));
        bad[TRANSPORT_HEADER + 7]! ^= 0x40;
        expect(b.open(bad)).toBe('forged');
      }
      // and the other direction with the contiguous seal()
      expect(Buffer.from(a.open(b.seal(DATA, Uint8Array.of(9))) as Buffer)).toEqual(Buffer.from([Kind.DATA, 9]));
    });
  }
});
