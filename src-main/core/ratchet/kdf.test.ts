import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../base';
import { hkdf, hmacSha256 } from '../crypto';
import { chainHmac, kdfCk, kdfRk, messageCipherKeys, ratchetHkdf, x3dhSecret } from './kdf';
import { dh, generateRawX25519, rawX25519FromPrivate, x25519PublicOf } from './x25519-raw';

describe('KDF building blocks against published test vectors', () => {
  it('HKDF-SHA256 matches RFC 5869 Appendix A.1 (Test Case 1)', () => {
    // Source: RFC 5869, "HMAC-based Extract-and-Expand Key Derivation Function", A.1 Test Case 1.
    const ikm = fromHex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b');
    const salt = fromHex('000102030405060708090a0b0c');
    const info = fromHex('f0f1f2f3f4f5f6f7f8f9');
    const okm = ratchetHkdf(ikm, salt, info, 42);
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
    // PRK of the same test case = HMAC-SHA256(salt, IKM): also checks the HMAC wiring of HKDF-Extract.
    expect(toHex(chainHmac(salt, ikm))).toBe('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
  });

  it('HMAC-SHA256 matches RFC 4231 §4.3 (Test Case 2)', () => {
    // Source: RFC 4231, "Identifiers and Test Vectors for HMAC-SHA-224, -256, -384, -512", 4.3 Test Case 2.
    const mac = chainHmac(utf8('Jefe'), utf8('what do ya want for nothing?'));
    expect(toHex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('raw-key X25519 matches RFC 7748 §6.1', () => {
    // Source: RFC 7748, "Elliptic Curves for Security", 6.1 Curve25519 (Diffie-Hellman test).
    const aPriv = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bPriv = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    expect(toHex(x25519PublicOf(aPriv))).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(x25519PublicOf(bPriv))).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(dh(aPriv, x25519PublicOf(bPriv)))).toBe(shared);
    expect(toHex(dh(bPriv, x25519PublicOf(aPriv)))).toBe(shared);
  });

  it('rejects small-order peer keys (all-zero shared secret)', () => {
    const kp = generateRawX25519();
    expect(() => dh(kp.privateKey, new Uint8Array(32))).toThrow();
    expect(() => dh(kp.privateKey, new Uint8Array(31))).toThrow();
  });

  it('generated raw key pairs are consistent', () => {
    const kp = generateRawX25519();
    expect(kp.privateKey).toHaveLength(32);
    expect(rawX25519FromPrivate(kp.privateKey).publicKey).toEqual(kp.publicKey);
  });
});

describe('Double Ratchet KDFs are composed as documented', () => {
  const rk = fromHex('11'.repeat(32));
  const ck = fromHex('22'.repeat(32));
  const dhOut = fromHex('33'.repeat(32));

  it('KDF_RK = HKDF(salt = rk, ikm = dh, info = "BU-RATCHET-v1 root chain", 64) split in two', () => {
    const out = hkdf(dhOut, rk, 'BU-RATCHET-v1 root chain', 64);
    const r = kdfRk(rk, dhOut);
    expect(r.rootKey).toEqual(out.slice(0, 32));
    expect(r.chainKey).toEqual(out.slice(32));
    expect(r.rootKey).not.toEqual(r.chainKey);
  });

  it('KDF_CK = HMAC(ck, 0x02) for the next chain key and HMAC(ck, 0x01) for the message key', () => {
    const r = kdfCk(ck);
    expect(r.chainKey).toEqual(hmacSha256(ck, new Uint8Array([2])));
    expect(r.messageKey).toEqual(hmacSha256(ck, new Uint8Array([1])));
    expect(kdfCk(r.chainKey).messageKey).not.toEqual(r.messageKey);
  });

  it('message keys expand to a 32-byte AES key and a 12-byte nonce', () => {
    const mk = fromHex('44'.repeat(32));
    const out = hkdf(mk, new Uint8Array(32), 'BU-RATCHET-v1 message key', 44);
    const k = messageCipherKeys(mk);
    expect(k.key).toEqual(out.slice(0, 32));
    expect(k.nonce).toEqual(out.slice(32));
  });

  it('X3DH SK = HKDF(salt = 0×32, ikm = 0xFF×32 ‖ DH1 ‖ DH2 ‖ DH3, info = "BU-RATCHET-v1 X3DH", 32)', () => {
    const [d1, d2, d3] = [fromHex('01'.repeat(32)), fromHex('02'.repeat(32)), fromHex('03'.repeat(32))];
    const ikm = fromHex('ff'.repeat(32) + '01'.repeat(32) + '02'.repeat(32) + '03'.repeat(32));
    expect(x3dhSecret(d1, d2, d3)).toEqual(hkdf(ikm, new Uint8Array(32), 'BU-RATCHET-v1 X3DH', 32));
    expect(x3dhSecret(d2, d1, d3)).not.toEqual(x3dhSecret(d1, d2, d3));
  });
});
