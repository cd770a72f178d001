import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, utf8 } from '../base';
import { sha256 } from '../crypto';
import { CHAT_APP_ID } from './constants';
import { decodeRecord, encodeRecord, encodeUnsignedRecord, recordAddress, recordKey, recordSigningHash, signRecord, verifyRecord, type UnsignedRecord } from './record';
import { randomIdentity } from './testnet';

function body(pub: Uint8Array, over: Partial<UnsignedRecord> = {}): UnsignedRecord {
  return { publicKey: pub, appId: CHAT_APP_ID, seq: 1, expiresAt: 2_000_000_000, entries: [{ host: '192.0.2.7', port: 4000, appId: CHAT_APP_ID, agent: 'test' }], ...over };
}

describe('signed records', () => {
  it('key = SHA-256("BU-DHT-REC\\0" ‖ address ‖ u32be(appId)), case-insensitive address', () => {
    const addr = '0x52908400098527886E0F7030069857D2E4169EE7'; // EIP-55 test vector address (EIP-55 spec)
    const expected = sha256(utf8('BU-DHT-REC\0'), fromHex(addr.slice(2)), Uint8Array.from([0, 0, 0, 1]));
    expect(recordKey(addr, 1)).toEqual(expected);
    expect(recordKey(addr.toLowerCase(), 1)).toEqual(expected);
    expect(recordKey(addr, 2)).not.toEqual(expected);
    expect(() => recordKey('0x1234', 1)).toThrow();
    expect(() => recordKey(addr, 2 ** 32)).toThrow();
  });

  it('signs SHA-256("BU-DHT-REC-v1\\0" ‖ canonical body) and verifies by recovering the owner key', () => {
    const id = randomIdentity();
    const rec = signRecord(id, body(id.publicKey));
    expect(recordSigningHash(rec)).toEqual(sha256(concatBytes(utf8('BU-DHT-REC-v1\0'), encodeUnsignedRecord(rec))));
    expect(verifyRecord(rec)).toBe(true);
    expect(verifyRecord(decodeRecord(encodeRecord(rec)))).toBe(true);
    expect(recordAddress(rec)).toBe(id.address);
  });

  it('fails verification for any change of the body, the key, v or a high-s twin', () => {
    const id = randomIdentity();
    const rec = signRecord(id, body(id.publicKey, { extra: Uint8Array.from([1, 2, 3]) }));
    expect(verifyRecord({ ...rec, seq: 2 })).toBe(false);
    expect(verifyRecord({ ...rec, expiresAt: rec.expiresAt + 1 })).toBe(false);
    expect(verifyRecord({ ...rec, entries: [{ ...rec.entries[0]!, port: 4001 }] })).toBe(false);
    expect(verifyRecord({ ...rec, extra: Uint8Array.from([1, 2, 4]) })).toBe(false);
    expect(verifyRecord({ ...rec, publicKey: randomIdentity().publicKey })).toBe(false);
    const flippedV = Uint8Array.from(rec.signature);
    flippedV[64] = flippedV[64]! ^ 1;
    expect(verifyRecord({ ...rec, signature: flippedV })).toBe(false);
    const v2 = Uint8Array.from(rec.signature);
    v2[64] = 2;
    expect(verifyRecord({ ...rec, signature: v2 })).toBe(false);
    // s' = n − s is the same ECDSA signature in high-s form: must be refused (canonical bytes)
    const n = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'); // secp256k1 order, SEC 2 §2.4.1
    const s = BigInt('0x' + Buffer.from(rec.signature.subarray(32, 64)).toString('hex'));
    const high = Uint8Array.from(rec.signature);
    high.set(fromHex((n - s).toString(16).padStart(64, '0')), 32);
    high[64] = high[64]! ^ 1;
    expect(verifyRecord({ ...rec, signature: high })).toBe(false);
  });

  it('refuses to sign a body that names another public key', () => {
    const a = randomIdentity();
    const b = randomIdentity();
    expect(() => signRecord(a, body(b.publicKey))).toThrow(/signing identity/);
  });
});
