/**
 * @module crypto/aead
 * AES-256-GCM (NIST SP 800-38D) from node:crypto: 12-byte nonces, 16-byte tags appended to
 * the ciphertext. `open` returns null on any authentication failure instead of throwing, so
 * packet paths can drop bad input cheaply.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

export const TAG_LENGTH = 16;
export const NONCE_LENGTH = 12;

export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-gcm', key, nonce);
  if (aad) c.setAAD(aad);
  const body = c.update(plaintext);
  const fin = c.final();
  const tag = c.getAuthTag();
  const out = new Uint8Array(body.length + fin.length + TAG_LENGTH);
  out.set(body, 0);
  out.set(fin, body.length);
  out.set(tag, body.length + fin.length);
  return out;
}

export function aesGcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null {
  if (sealed.length < TAG_LENGTH || nonce.length !== NONCE_LENGTH || key.length !== 32) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    if (aad) d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
    const body = d.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
    const fin = d.final();
    return fin.length ? new Uint8Array(Buffer.concat([body, fin])) : new Uint8Array(body.buffer, body.byteOffset, body.length);
  } catch {
    return null;
  }
}
