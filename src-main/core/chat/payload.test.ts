import { describe, expect, it } from 'vitest';
import { Kind, decodePayload, encodePayload } from './payload';
import { randomBytes } from '../crypto';

describe('chat payload codec', () => {
  it('round-trips every field', () => {
    const id = randomBytes(16);
    const acks = [randomBytes(16), randomBytes(16)];
    const p = decodePayload(
      encodePayload({ id, kind: Kind.TEXT, text: 'héllo 👋', acks, name: 'Ann', endpoints: ['1.2.3.4:5'], sentMs: 1_700_000_000_123 }),
    );
    expect(p.id).toEqual(id);
    expect(p.kind).toBe(Kind.TEXT);
    expect(p.text).toBe('héllo 👋');
    expect(p.acks).toEqual(acks);
    expect(p.name).toBe('Ann');
    expect(p.endpoints).toEqual(['1.2.3.4:5']);
    expect(p.sentMs).toBe(1_700_000_000_123);
  });

  it('rejects unknown kinds, short ids and garbage with BAD_ENVELOPE', () => {
    expect(() => decodePayload(encodePayload({ id: randomBytes(16), kind: 99 as never }))).toThrow(/kind/);
    expect(() => decodePayload(encodePayload({ id: randomBytes(8), kind: Kind.PING }))).toThrow(/16 bytes/);
    for (let i = 0; i < 200; i++) {
      try {
        decodePayload(randomBytes(1 + (i % 40)));
      } catch (e) {
        expect((e as { code?: string }).code).toBe('BAD_ENVELOPE');
      }
    }
  });

  it('carries the profile wallet and its 65-byte proof; a malformed pair reads as none', () => {
    const wallet = '0x' + 'Ab'.repeat(20);
    const walletProof = randomBytes(65);
    const p = decodePayload(encodePayload({ id: randomBytes(16), kind: Kind.PING, wallet, walletProof }));
    expect(p.wallet).toBe(wallet);
    expect(p.walletProof).toEqual(walletProof);
    const none = decodePayload(encodePayload({ id: randomBytes(16), kind: Kind.PING }));
    expect(none).toMatchObject({ wallet: '', walletProof: new Uint8Array(0), payment: null });
    const short = decodePayload(encodePayload({ id: randomBytes(16), kind: Kind.PING, wallet, walletProof: randomBytes(64) }));
    expect(short).toMatchObject({ kind: Kind.PING, wallet: '', walletProof: new Uint8Array(0) }); // the PING itself still counts
    const long = decodePayload(encodePayload({ id: randomBytes(16), kind: Kind.ACCEPT, wallet: wallet + '00', walletProof }));
    expect(long.wallet).toBe('');
  });
});
