/**
 * @module crypto/secp256k1
 * Identity keys and signatures on secp256k1 (SEC 2) through @noble/curves — Electron's
 * BoringSSL has no secp256k1. Signatures are ECDSA with RFC 6979 nonces over a 32-byte hash
 * we compute ourselves (prehash off), serialised Ethereum-style as r ‖ s ‖ v (65 bytes,
 * v = recovery id 0/1) so the signer's public key, and so its address, can be recovered.
 * Addresses follow Ethereum: keccak256(uncompressed pubkey without 0x04)[12..], EIP-55 checksum.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak256 } from './hash';
import { toHex } from '../base';

export const SIGNATURE_LENGTH = 65;

export function generatePrivateKey(): Uint8Array {
  return secp256k1.utils.randomSecretKey();
}

export function isValidPrivateKey(key: Uint8Array): boolean {
  return key.length === 32 && secp256k1.utils.isValidSecretKey(key);
}

/** Compressed (33 bytes) by default. */
export function publicKeyOf(privateKey: Uint8Array, compressed = true): Uint8Array {
  return secp256k1.getPublicKey(privateKey, compressed);
}

/** Validates and normalises a public key (33 or 65 bytes) to compressed form; throws if off-curve. */
export function normalizePublicKey(pub: Uint8Array): Uint8Array {
  return secp256k1.Point.fromBytes(pub).toBytes(true);
}

/** EIP-55 checksummed address of a public key (compressed or uncompressed). */
export function addressOf(publicKey: Uint8Array): string {
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  const raw = toHex(keccak256(uncompressed.subarray(1)).subarray(12));
  return checksumAddress(raw);
}

/** EIP-55 mixed-case checksum of a 20-byte hex address. */
export function checksumAddress(address: string): string {
  const lower = address.toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{40}$/.test(lower)) throw new TypeError('invalid address');
  const hash = toHex(keccak256(new TextEncoder().encode(lower)));
  let out = '0x';
  for (let i = 0; i < 40; i++) out += parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  return out;
}

export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Sign a 32-byte hash; returns r ‖ s ‖ v (65 bytes). */
export function signHash(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  if (hash.length !== 32) throw new TypeError('hash must be 32 bytes');
  const rec = secp256k1.sign(hash, privateKey, { prehash: false, format: 'recovered' });
  const out = new Uint8Array(65);
  out.set(rec.subarray(1, 65), 0);
  out[64] = rec[0]!;
  return out;
}

/** Recover the compressed public key from a 65-byte r ‖ s ‖ v signature; null if invalid. */
export function recoverPublicKey(hash: Uint8Array, signature: Uint8Array): Uint8Array | null {
  if (hash.length !== 32 || signature.length !== 65) return null;
  const v = signature[64]!;
  if (v > 3) return null;
  const rec = new Uint8Array(65);
  rec[0] = v;
  rec.set(signature.subarray(0, 64), 1);
  try {
    const pub = secp256k1.recoverPublicKey(rec, hash, { prehash: false });
    return secp256k1.Point.fromBytes(pub).toBytes(true);
  } catch {
    return null;
  }
}

/** Verify a 65-byte signature against an expected public key (low-s enforced). */
export function verifyHash(hash: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (hash.length !== 32 || signature.length !== 65) return false;
  try {
    return secp256k1.verify(signature.subarray(0, 64), hash, publicKey, { prehash: false, lowS: true });
  } catch {
    return false;
  }
}
