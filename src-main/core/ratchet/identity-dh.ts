/**
 * @module ratchet/identity-dh
 * The X25519 "identity DH key" that X3DH needs, derived from a secp256k1 identity and
 * certified by it.
 *
 * ```
 * identityDhPrivate = HKDF-SHA256(ikm = secp256k1 private key, salt = "BU-RATCHET-v1 identity-dh salt",
 *                                 info = "BU-RATCHET-v1 identity X25519 key", 32)      (RFC 5869; clamped on use, RFC 7748 §5)
 * certificate       = secp256k1-sign(sha256("BU-RATCHET-v1 identity-dh certificate\0" ‖ identityDhPublic))  (RFC 6979, r ‖ s ‖ v)
 * ```
 *
 * Deterministic, so any machine holding the identity key (a keystore import, a restored
 * mnemonic) has the same identity DH key, and HKDF is one-way, so the X25519 key reveals nothing
 * about the secp256k1 key. Anyone can check a certificate: the public key recovered from it
 * hashes (Ethereum style) to the owner's address. Only canonical signatures (v ∈ {0,1}, low s,
 * EIP-2) are accepted, so each certificate and bundle has exactly one valid encoding.
 */
import { BuError, concatBytes, utf8 } from '../base';
import { addressOf, hkdf, isValidPrivateKey, publicKeyOf, recoverPublicKey, sameAddress, sha256, signHash } from '../crypto';
import { LABEL_IDENTITY_CERT, LABEL_IDENTITY_DH, LABEL_IDENTITY_DH_SALT, SIGNATURE_LENGTH, X25519_KEY_LENGTH } from './constants';
import { rawX25519FromPrivate, type RawKeyPair } from './x25519-raw';

/** A secp256k1 identity (same shape as `core/account`'s `Identity`). */
export type RatchetIdentity = { privateKey: Uint8Array; publicKey: Uint8Array; address: string };

/** secp256k1 group order n (SEC 2 §2.4.1), halved: canonical signatures have s ≤ n/2. */
const HALF_ORDER = 0xffffffffffffffffffffffffffffffffbaaedce6af48a03bbfd25e8cd0364141n >> 1n;

/** The address that produced a canonical 65-byte signature over `hash`, or null. */
export function recoverSignerAddress(hash: Uint8Array, signature: Uint8Array): string | null {
  if (signature.length !== SIGNATURE_LENGTH || signature[64]! > 1) return null;
  let s = 0n;
  for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(signature[i]!);
  if (s === 0n || s > HALF_ORDER) return null;
  const pub = recoverPublicKey(hash, signature);
  return pub ? addressOf(pub) : null;
}

/** Checks that the identity is usable and self-consistent (caller bug otherwise → BAD_INPUT). */
export function checkIdentity(identity: RatchetIdentity): string {
  if (!(identity.privateKey instanceof Uint8Array) || !isValidPrivateKey(identity.privateKey)) {
    throw new BuError('BAD_INPUT', 'ratchet: invalid identity private key');
  }
  const address = addressOf(publicKeyOf(identity.privateKey));
  if (typeof identity.address !== 'string' || !sameAddress(address, identity.address)) {
    throw new BuError('BAD_INPUT', 'ratchet: identity address does not match its private key');
  }
  return address;
}

/** The identity DH key pair of a secp256k1 private key. */
export function deriveIdentityDhKey(secp256k1PrivateKey: Uint8Array): RawKeyPair {
  const priv = hkdf(secp256k1PrivateKey, utf8(LABEL_IDENTITY_DH_SALT), LABEL_IDENTITY_DH, X25519_KEY_LENGTH);
  return rawX25519FromPrivate(priv);
}

export function identityCertificateHash(identityDhKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(LABEL_IDENTITY_CERT), identityDhKey));
}

/** The identity's signature certifying its identity DH public key. */
export function certifyIdentityDhKey(secp256k1PrivateKey: Uint8Array, identityDhKey: Uint8Array): Uint8Array {
  return signHash(identityCertificateHash(identityDhKey), secp256k1PrivateKey);
}

/** The address that certified `identityDhKey`, or null if the certificate is not a canonical signature. */
export function certifiedAddress(identityDhKey: Uint8Array, certificate: Uint8Array): string | null {
  if (identityDhKey.length !== X25519_KEY_LENGTH) return null;
  return recoverSignerAddress(identityCertificateHash(identityDhKey), certificate);
}
