import { describe, expect, it } from 'vitest';
import { isBuError, toHex, utf8 } from '../base';
import { sha256, signHash } from '../crypto';
import {
  BUNDLE_LENGTH,
  bundleForSecret,
  createPrekeyBundle,
  decodeBundle,
  decodePrekeySecret,
  encodeBundle,
  encodePrekeySecret,
  verifyBundle,
  type PrekeyBundle,
} from './bundle';
import { certifiedAddress, certifyIdentityDhKey, deriveIdentityDhKey } from './identity-dh';
import { rotatePrekeys } from './prekeys';
import { expectBadEnvelope, makeIdentity, NOW } from './test-helpers';

const DAY = 24 * 3600 * 1000;
const alice = makeIdentity();
const mallory = makeIdentity();

describe('identity DH key', () => {
  it('is derived deterministically from the secp256k1 key and differs per identity', () => {
    const a1 = deriveIdentityDhKey(alice.privateKey);
    const a2 = deriveIdentityDhKey(alice.privateKey.slice());
    expect(a1.publicKey).toEqual(a2.publicKey);
    expect(a1.privateKey).not.toEqual(alice.privateKey);
    expect(deriveIdentityDhKey(mallory.privateKey).publicKey).not.toEqual(a1.publicKey);
  });

  it('is certified by the identity: the certificate recovers the address, and only for that key', () => {
    const ik = deriveIdentityDhKey(alice.privateKey).publicKey;
    const cert = certifyIdentityDhKey(alice.privateKey, ik);
    expect(certifiedAddress(ik, cert)).toBe(alice.address);
    const other = deriveIdentityDhKey(mallory.privateKey).publicKey;
    expect(certifiedAddress(other, cert)).not.toBe(alice.address);
    expect(certifiedAddress(other, certifyIdentityDhKey(mallory.privateKey, other))).toBe(mallory.address);
  });

  it('refuses non-canonical certificates (high s, v > 1)', () => {
    const ik = deriveIdentityDhKey(alice.privateKey).publicKey;
    const cert = certifyIdentityDhKey(alice.privateKey, ik);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt('0x' + toHex(cert.subarray(32, 64)));
    const mirrored = cert.slice();
    mirrored.set(Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'), 32);
    mirrored[64] = cert[64]! ^ 1;
    expect(certifiedAddress(ik, mirrored)).toBeNull();
    const v2 = cert.slice();
    v2[64] = 2;
    expect(certifiedAddress(ik, v2)).toBeNull();
  });
});

describe('prekey bundles', () => {
  const { bundle, secret } = createPrekeyBundle(alice, { now: NOW, prekeyId: 7 });

  it('carry the documented fields and verify', () => {
    expect(bundle.address).toBe(alice.address);
    expect(bundle.identityDhKey).toEqual(deriveIdentityDhKey(alice.privateKey).publicKey);
    expect(bundle.signedPrekey).toEqual(secret.publicKey);
    expect(bundle.signedPrekeyId).toBe(7);
    expect(bundle.createdAt).toBe(NOW);
    expect(bundle.signature).toHaveLength(65);
    expect(verifyBundle(bundle, { now: NOW })).toBe(true);
  });

  it('encode to 162 bytes (≤ 512 for a DHT record) and decode losslessly', () => {
    const bytes = encodeBundle(bundle);
    expect(bytes.length).toBe(BUNDLE_LENGTH);
    expect(BUNDLE_LENGTH).toBe(162);
    expect(decodeBundle(bytes)).toEqual(bundle);
    expect(verifyBundle(decodeBundle(bytes), { now: NOW })).toBe(true);
  });

  it('are rebuilt identically from the stored secret (RFC 6979 signatures)', () => {
    expect(encodeBundle(bundleForSecret(alice, decodePrekeySecret(encodePrekeySecret(secret))))).toEqual(encodeBundle(bundle));
    expect(decodePrekeySecret(encodePrekeySecret(secret))).toEqual(secret);
  });

  it('get random prekey ids by default', () => {
    const ids = new Set(Array.from({ length: 8 }, () => createPrekeyBundle(alice, { now: NOW }).bundle.signedPrekeyId));
    expect(ids.size).toBeGreaterThan(1);
  });

  it('reject any altered field', () => {
    const flip = (b: Uint8Array) => {
      const c = b.slice();
      c[0]! ^= 1;
      return c;
    };
    const altered: PrekeyBundle[] = [
      { ...bundle, address: mallory.address },
      { ...bundle, identityDhKey: flip(bundle.identityDhKey) },
      { ...bundle, signedPrekey: flip(bundle.signedPrekey) },
      { ...bundle, signedPrekeyId: 8 },
      { ...bundle, createdAt: NOW + 1 },
      { ...bundle, signature: flip(bundle.signature) },
    ];
    for (const b of altered) expect(verifyBundle(b, { now: NOW })).toBe(false);
    // and every single-bit change of the wire encoding either fails to decode or to verify
    const bytes = encodeBundle(bundle);
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes.slice();
      c[i]! ^= 0x10;
      let ok = false;
      try {
        ok = verifyBundle(decodeBundle(c), { now: NOW });
      } catch (e) {
        expect(isBuError(e, 'BAD_ENVELOPE')).toBe(true);
      }
      expect(ok, `byte ${i}`).toBe(false);
    }
  });

  it('reject a bundle forged by another key for the victim address', () => {
    const forged = createPrekeyBundle(mallory, { now: NOW });
    expect(verifyBundle({ ...forged.bundle, address: alice.address }, { now: NOW })).toBe(false);
    // Mallory signing the exact bundle body for Alice's address with her own key
    const body = encodeBundle({ ...forged.bundle, address: alice.address }).subarray(0, BUNDLE_LENGTH - 65);
    const sig = signHash(sha256(utf8('BU-PREKEY-BUNDLE-v1\0'), body), mallory.privateKey);
    expect(verifyBundle({ ...forged.bundle, address: alice.address, signature: sig }, { now: NOW })).toBe(false);
    expect(verifyBundle({ ...forged.bundle, signature: sig }, { now: NOW })).toBe(false);
    // the same construction with the right key does verify: the test above is not vacuous
    const good = signHash(sha256(utf8('BU-PREKEY-BUNDLE-v1\0'), encodeBundle(forged.bundle).subarray(0, BUNDLE_LENGTH - 65)), mallory.privateKey);
    expect(verifyBundle({ ...forged.bundle, signature: good }, { now: NOW })).toBe(true);
  });

  it('reject insane timestamps: before 2020, in the future, older than the maximum age', () => {
    expect(verifyBundle(createPrekeyBundle(alice, { now: Date.UTC(2019, 11, 31) }).bundle, { now: NOW })).toBe(false);
    expect(verifyBundle(createPrekeyBundle(alice, { now: 1_700_000_000 }).bundle, { now: NOW })).toBe(false); // seconds, not ms
    expect(verifyBundle(createPrekeyBundle(alice, { now: NOW + 11 * 60_000 }).bundle, { now: NOW })).toBe(false);
    expect(verifyBundle(createPrekeyBundle(alice, { now: NOW + 9 * 60_000 }).bundle, { now: NOW })).toBe(true);
    expect(verifyBundle(bundle, { now: NOW + 15 * DAY })).toBe(false);
    expect(verifyBundle(bundle, { now: NOW + 13 * DAY })).toBe(true);
    expect(verifyBundle(bundle, { now: NOW + 15 * DAY, maxAgeMs: 20 * DAY })).toBe(true);
  });

  it('reject malformed encodings with BAD_ENVELOPE', () => {
    const bytes = encodeBundle(bundle);
    for (const b of [bytes.subarray(0, 161), new Uint8Array([...bytes, 0]), new Uint8Array(0)]) expectBadEnvelope(() => decodeBundle(b));
    const v2 = bytes.slice();
    v2[0] = 2;
    expectBadEnvelope(() => decodeBundle(v2));
  });
});

describe('signed prekey rotation', () => {
  it('makes a prekey when there is none, keeps it for a week, then rotates and keeps the old one for the grace period', () => {
    const first = rotatePrekeys(alice, [], { now: NOW });
    expect(first.rotated).toBe(true);
    expect(first.secrets).toHaveLength(1);
    expect(verifyBundle(first.bundle, { now: NOW })).toBe(true);

    const sameWeek = rotatePrekeys(alice, first.secrets, { now: NOW + 6 * DAY });
    expect(sameWeek.rotated).toBe(false);
    expect(encodeBundle(sameWeek.bundle)).toEqual(encodeBundle(first.bundle));

    const nextWeek = rotatePrekeys(alice, first.secrets, { now: NOW + 7 * DAY });
    expect(nextWeek.rotated).toBe(true);
    expect(nextWeek.secrets.map((s) => s.id)).toEqual([nextWeek.bundle.signedPrekeyId, first.bundle.signedPrekeyId]);
    expect(nextWeek.bundle.signedPrekeyId).not.toBe(first.bundle.signedPrekeyId);

    // the old one survives until 30 days after its successor was made …
    const inGrace = rotatePrekeys(alice, nextWeek.secrets, { now: NOW + 7 * DAY + 29 * DAY, rotateAfterMs: 365 * DAY });
    expect(inGrace.secrets.map((s) => s.id)).toContain(first.bundle.signedPrekeyId);
    // … and is deleted after that
    const after = rotatePrekeys(alice, nextWeek.secrets, { now: NOW + 7 * DAY + 30 * DAY, rotateAfterMs: 365 * DAY });
    expect(after.secrets.map((s) => s.id)).toEqual([nextWeek.bundle.signedPrekeyId]);
  });

  it('keeps at most 8 secrets', () => {
    let secrets = rotatePrekeys(alice, [], { now: NOW }).secrets;
    for (let i = 1; i <= 12; i++) secrets = rotatePrekeys(alice, secrets, { now: NOW + i * 1000, rotateAfterMs: 1000 }).secrets;
    expect(secrets).toHaveLength(8);
    expect(secrets[0]!.createdAt).toBe(NOW + 12_000);
  });
});
