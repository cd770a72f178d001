/**
 * @module ratchet/x25519-raw
 * X25519 (RFC 7748) with raw 32-byte private keys, on top of node:crypto. The ratchet state
 * must be serialisable, so its DH private keys live as bytes and become `KeyObject`s only for
 * the instant of a Diffie-Hellman. Import goes through the fixed PKCS#8 DER prefix of an X25519
 * key (RFC 8410 §7: OID 1.3.6.1.4.1.101.110 = id-X25519); RFC 7748 §5 clamping is applied by
 * the library on use, so any 32 bytes are a valid private key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { concatBytes, fromBase64Url } from '../base';
import { x25519Shared } from '../crypto';
import { X25519_KEY_LENGTH } from './constants';

/** DER header of a PKCS#8 OneAsymmetricKey holding an X25519 private key (RFC 8410 §7). */
const PKCS8_X25519_PREFIX = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);

export type RawKeyPair = { readonly privateKey: Uint8Array; readonly publicKey: Uint8Array };

function importPrivate(raw: Uint8Array): KeyObject {
  if (raw.length !== X25519_KEY_LENGTH) throw new TypeError('X25519 private key must be 32 bytes');
  return createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_X25519_PREFIX, raw)), format: 'der', type: 'pkcs8' });
}

function jwkField(key: KeyObject, field: 'x' | 'd'): Uint8Array {
  const value = key.export({ format: 'jwk' })[field];
  if (typeof value !== 'string') throw new Error('X25519 export failed');
  return fromBase64Url(value);
}

/** The public key of a raw private key. */
export function x25519PublicOf(privateKey: Uint8Array): Uint8Array {
  return jwkField(createPublicKey(importPrivate(privateKey)), 'x');
}

/** A fresh key pair with the private key as raw bytes. */
export function generateRawX25519(): RawKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey: jwkField(privateKey, 'd'), publicKey: jwkField(publicKey, 'x') };
}

/** The key pair of a raw private key. */
export function rawX25519FromPrivate(privateKey: Uint8Array): RawKeyPair {
  return { privateKey: privateKey.slice(), publicKey: x25519PublicOf(privateKey) };
}

/** DH(private, peer public); throws on a malformed peer key or an all-zero (small-order) result. */
export function dh(privateKey: Uint8Array, peerPublic: Uint8Array): Uint8Array {
  return x25519Shared(importPrivate(privateKey), peerPublic);
}
