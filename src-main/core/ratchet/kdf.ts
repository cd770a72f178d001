/**
 * @module ratchet/kdf
 * The key derivation functions of X3DH (Signal X3DH rev. 1, §2.2 and §3.3) and of the Double
 * Ratchet (Signal Double Ratchet rev. 4, §5.2 "Recommended cryptographic algorithms"):
 *
 * ```
 * X3DH   SK          = HKDF-SHA256(salt = 0x00×32, ikm = 0xFF×32 ‖ DH1 ‖ DH2 ‖ DH3, info = "BU-RATCHET-v1 X3DH", 32)
 * KDF_RK rk', ck     = HKDF-SHA256(salt = rk, ikm = DH output, info = "BU-RATCHET-v1 root chain", 64)
 * KDF_CK ck', mk     = HMAC-SHA256(ck, 0x02), HMAC-SHA256(ck, 0x01)
 * AEAD   key, nonce  = HKDF-SHA256(salt = 0x00×32, ikm = mk, info = "BU-RATCHET-v1 message key", 44)
 * ```
 *
 * HKDF is RFC 5869 and HMAC is RFC 2104 with SHA-256 (FIPS 180-4), both from `core/crypto`
 * (node:crypto); `kdf.test.ts` checks the wiring against RFC 5869 and RFC 4231 vectors. The
 * AEAD is AES-256-GCM instead of the spec's AES-256-CBC + HMAC: every message key is used for
 * exactly one encryption, so a nonce derived from it is never reused.
 */
import { hkdf, hmacSha256 } from '../crypto';
import { LABEL_MESSAGE, LABEL_ROOT, LABEL_X3DH } from './constants';

const ZERO_SALT = new Uint8Array(32);
/** X3DH §2.2: for X25519, F is 32 0xFF bytes, prepended so the input never starts like a valid scalar. */
const X3DH_F = new Uint8Array(32).fill(0xff);
const CHAIN_MESSAGE = new Uint8Array([0x01]);
const CHAIN_NEXT = new Uint8Array([0x02]);

/** HKDF-SHA256 as used everywhere in this module (exported for the RFC 5869 vector test). */
export function ratchetHkdf(ikm: Uint8Array, salt: Uint8Array, info: string | Uint8Array, length: number): Uint8Array {
  return hkdf(ikm, salt, info, length);
}

/** HMAC-SHA256 as used by the symmetric-key chains (exported for the RFC 4231 vector test). */
export function chainHmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmacSha256(key, data);
}

/** X3DH shared secret SK from DH1 ‖ DH2 ‖ DH3 (no DH4: we have no one-time prekeys). */
export function x3dhSecret(dh1: Uint8Array, dh2: Uint8Array, dh3: Uint8Array): Uint8Array {
  const ikm = new Uint8Array(32 * 4);
  ikm.set(X3DH_F, 0);
  ikm.set(dh1, 32);
  ikm.set(dh2, 64);
  ikm.set(dh3, 96);
  return ratchetHkdf(ikm, ZERO_SALT, LABEL_X3DH, 32);
}

/** KDF_RK: a DH ratchet step of the root chain → (new root key, new chain key). */
export function kdfRk(rootKey: Uint8Array, dhOut: Uint8Array): { rootKey: Uint8Array; chainKey: Uint8Array } {
  const out = ratchetHkdf(dhOut, rootKey, LABEL_ROOT, 64);
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64) };
}

/** KDF_CK: a symmetric-key ratchet step → (next chain key, message key). */
export function kdfCk(chainKey: Uint8Array): { chainKey: Uint8Array; messageKey: Uint8Array } {
  return { chainKey: chainHmac(chainKey, CHAIN_NEXT), messageKey: chainHmac(chainKey, CHAIN_MESSAGE) };
}

/** AES-256-GCM key and 12-byte nonce of one message key. */
export function messageCipherKeys(messageKey: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const out = ratchetHkdf(messageKey, ZERO_SALT, LABEL_MESSAGE, 44);
  return { key: out.slice(0, 32), nonce: out.slice(32, 44) };
}
