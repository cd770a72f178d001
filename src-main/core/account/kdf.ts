/**
 * @module account/kdf
 * Password-based key derivation on node:crypto: scrypt (RFC 7914) and PBKDF2-HMAC-SHA256
 * (RFC 8018), both asynchronous so the event loop keeps running while a password is
 * checked. Node refuses scrypt above `maxmem` (32 MiB by default) and Web3 keystores use up
 * to 256 MiB, so `maxmem` is sized from the parameters. Parameters are bounded so a hostile
 * file cannot make us allocate gigabytes or spin for minutes.
 *
 * OpenSSL also enforces RFC 7914's N < 2^(16·r), which some keystores break (the Web3 Secret
 * Storage spec's own scrypt vector has N = 2^18 with r = 1, which geth and ethers accept).
 * Only for such parameters we fall back to @noble/hashes' pure-JS scrypt, which skips that
 * check for compatibility; everything we write stays on the native path.
 */
import { pbkdf2, scrypt } from 'node:crypto';
import { scryptAsync as nobleScryptAsync } from '@noble/hashes/scrypt.js';

export type ScryptParams = { n: number; r: number; p: number };

/** Upper bounds accepted from files (2^20 · 8 · 1 is geth's largest practical setting ×4). */
export const SCRYPT_MAX_N = 2 ** 20;
export const SCRYPT_MAX_COST = 2 ** 24; // n · r · p
export const PBKDF2_MAX_ITERATIONS = 10_000_000;

export function isValidScryptParams({ n, r, p }: ScryptParams): boolean {
  const ints = [n, r, p].every((x) => Number.isSafeInteger(x) && x > 0);
  return ints && n > 1 && n <= SCRYPT_MAX_N && (n & (n - 1)) === 0 && r <= 64 && p <= 64 && n * r * p <= SCRYPT_MAX_COST;
}

export function scryptAsync(password: Uint8Array, salt: Uint8Array, dkLen: number, params: ScryptParams): Promise<Uint8Array> {
  const { n, r, p } = params;
  if (!nativeScryptAccepts(params)) return nobleScryptAsync(password, salt, { N: n, r, p, dkLen, asyncTick: 20 });
  // OpenSSL needs 128·r·(N+2) bytes for V plus 128·r·p for B; leave 1 MiB of slack.
  const maxmem = 128 * r * (n + p + 2) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, dkLen, { N: n, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(new Uint8Array(key))));
  });
}

/** OpenSSL (and so node:crypto) rejects N ≥ 2^(16·r), per RFC 7914 §2. */
export function nativeScryptAccepts({ n, r }: ScryptParams): boolean {
  return 16 * r >= 53 || n < 2 ** (16 * r);
}

export function pbkdf2Sha256Async(password: Uint8Array, salt: Uint8Array, iterations: number, dkLen: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, dkLen, 'sha256', (err, key) => (err ? reject(err) : resolve(new Uint8Array(key))));
  });
}

/** Passwords are NFKC-normalised UTF-8 (as ethers does), so equal-looking input gives equal keys. */
export function passwordBytes(password: string): Uint8Array {
  return new Uint8Array(Buffer.from(password.normalize('NFKC'), 'utf8'));
}
