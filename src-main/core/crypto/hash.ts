/**
 * @module crypto/hash
 * SHA-256 and HMAC from node:crypto (native, fast in Node and Electron alike), Keccak-256
 * from @noble/hashes (BoringSSL has no Keccak), HKDF-SHA256 per RFC 5869 from node:crypto.
 */
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { keccak_256 } from '@noble/hashes/sha3.js';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

/** HKDF-SHA256 (RFC 5869): extract with `salt`, expand with `info` to `length` bytes. */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string | Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, typeof info === 'string' ? Buffer.from(info) : info, length));
}
