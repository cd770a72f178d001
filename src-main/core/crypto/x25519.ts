/**
 * @module crypto/x25519
 * Ephemeral X25519 (RFC 7748) through node:crypto — available in Electron's BoringSSL and
 * several times faster than a JS implementation. Keys travel as 32 raw bytes.
 */
import { createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';

export type X25519KeyPair = { privateKey: KeyObject; publicKey: Uint8Array };

export function generateX25519(): X25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { privateKey, publicKey: new Uint8Array(Buffer.from(jwk.x as string, 'base64url')) };
}

/** Shared secret; throws on a malformed peer key or an all-zero result (small-order point). */
export function x25519Shared(privateKey: KeyObject, peerPublic: Uint8Array): Uint8Array {
  if (peerPublic.length !== 32) throw new TypeError('X25519 public key must be 32 bytes');
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peerPublic).toString('base64url') },
    format: 'jwk',
  });
  const shared = new Uint8Array(diffieHellman({ privateKey, publicKey }));
  if (shared.every((b) => b === 0)) throw new Error('X25519 produced an all-zero secret');
  return shared;
}
