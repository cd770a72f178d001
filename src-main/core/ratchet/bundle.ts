/**
 * @module ratchet/bundle
 * Prekey bundles (Signal X3DH rev. 1, §3.2 "Publishing keys"), adapted: no one-time prekeys, and
 * the owner's secp256k1 key signs the whole bundle — address, identity DH key, signed prekey, its
 * id and creation time — so one signature both certifies the identity DH key and signs the prekey.
 *
 * Binary encoding (162 bytes, published as the `extra` bytes of the owner's DHT record):
 *
 * ```
 * u8 version = 1 ‖ address (20) ‖ identityDhKey (32) ‖ signedPrekey (32) ‖ u32be signedPrekeyId ‖
 * u64be createdAt (Unix ms) ‖ signature (65, r ‖ s ‖ v)
 * signature = secp256k1-sign(sha256("BU-PREKEY-BUNDLE-v1\0" ‖ the 97 bytes before it))   (RFC 6979)
 * ```
 */
import { BuError, bytesEqual, concatBytes, fromHex, toHex, utf8 } from '../base';
import { checksumAddress, randomBytes, sameAddress, sha256, signHash } from '../crypto';
import { ByteReader, ByteWriter } from './codec';
import {
  ADDRESS_LENGTH,
  LABEL_BUNDLE,
  MAX_BUNDLE_AGE_MS,
  MAX_CLOCK_SKEW_MS,
  MIN_BUNDLE_TIME_MS,
  RATCHET_VERSION,
  SIGNATURE_LENGTH,
  X25519_KEY_LENGTH,
} from './constants';
import { checkIdentity, deriveIdentityDhKey, recoverSignerAddress, type RatchetIdentity } from './identity-dh';
import { generateRawX25519, x25519PublicOf } from './x25519-raw';

export type PrekeyBundle = {
  address: string;
  identityDhKey: Uint8Array;
  signedPrekey: Uint8Array;
  signedPrekeyId: number;
  createdAt: number;
  signature: Uint8Array;
};

/** The private half of a signed prekey; store it encrypted (`encodePrekeySecret`), delete it after the grace period. */
export type PrekeySecret = { id: number; createdAt: number; privateKey: Uint8Array; publicKey: Uint8Array };

export const BUNDLE_LENGTH = 1 + ADDRESS_LENGTH + 2 * X25519_KEY_LENGTH + 4 + 8 + SIGNATURE_LENGTH;
const PREKEY_SECRET_LENGTH = 1 + 4 + 8 + X25519_KEY_LENGTH;

function isU32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

function isTime(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function encodeBody(b: Omit<PrekeyBundle, 'signature'>): Uint8Array {
  const addr = fromHex(checksumAddress(b.address));
  if (b.identityDhKey.length !== X25519_KEY_LENGTH || b.signedPrekey.length !== X25519_KEY_LENGTH) throw new TypeError('X25519 keys must be 32 bytes');
  if (!isU32(b.signedPrekeyId) || !isTime(b.createdAt)) throw new TypeError('bad prekey id or timestamp');
  return new ByteWriter().u8(RATCHET_VERSION).bytes(addr).bytes(b.identityDhKey).bytes(b.signedPrekey).u32(b.signedPrekeyId).u64(b.createdAt).finish();
}

function bodyHash(body: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(LABEL_BUNDLE), body));
}

/** The signed bundle publishing `secret` (deterministic: RFC 6979 signatures). */
export function bundleForSecret(identity: RatchetIdentity, secret: PrekeySecret): PrekeyBundle {
  const address = checkIdentity(identity);
  const unsigned = {
    address,
    identityDhKey: deriveIdentityDhKey(identity.privateKey).publicKey,
    signedPrekey: secret.publicKey,
    signedPrekeyId: secret.id,
    createdAt: secret.createdAt,
  };
  let body: Uint8Array;
  try {
    body = encodeBody(unsigned);
  } catch (e) {
    throw new BuError('BAD_INPUT', `ratchet: bad prekey secret (${(e as Error).message})`);
  }
  return { ...unsigned, signature: signHash(bodyHash(body), identity.privateKey) };
}

/** A fresh signed prekey and its bundle. `prekeyId` defaults to a random u32 (no collisions across reinstalls). */
export function createPrekeyBundle(identity: RatchetIdentity, opts: { now?: number; prekeyId?: number } = {}): { bundle: PrekeyBundle; secret: PrekeySecret } {
  const now = opts.now ?? Date.now();
  const id = opts.prekeyId ?? new DataView(randomBytes(4).buffer).getUint32(0, false);
  if (!isU32(id) || !isTime(now)) throw new BuError('BAD_INPUT', 'ratchet: bad prekey id or time');
  const kp = generateRawX25519();
  const secret: PrekeySecret = { id, createdAt: now, privateKey: kp.privateKey, publicKey: kp.publicKey };
  return { bundle: bundleForSecret(identity, secret), secret };
}

export function encodeBundle(bundle: PrekeyBundle): Uint8Array {
  try {
    if (bundle.signature.length !== SIGNATURE_LENGTH) throw new TypeError('signature must be 65 bytes');
    return concatBytes(encodeBody(bundle), bundle.signature);
  } catch (e) {
    throw new BuError('BAD_INPUT', `ratchet: cannot encode bundle (${(e as Error).message})`);
  }
}

/** Parses the 162-byte encoding; BAD_ENVELOPE if malformed. Does NOT verify: call `verifyBundle`. */
export function decodeBundle(bytes: Uint8Array): PrekeyBundle {
  const r = new ByteReader(bytes, 'BAD_ENVELOPE', 'prekey bundle');
  if (bytes.length !== BUNDLE_LENGTH) r.fail(`length ${bytes.length} ≠ ${BUNDLE_LENGTH}`);
  if (r.u8() !== RATCHET_VERSION) r.fail('unsupported version');
  const address = checksumAddress(toHex(r.bytes(ADDRESS_LENGTH)));
  const identityDhKey = r.bytes(X25519_KEY_LENGTH);
  const signedPrekey = r.bytes(X25519_KEY_LENGTH);
  const signedPrekeyId = r.u32();
  const createdAt = r.u64();
  const signature = r.bytes(SIGNATURE_LENGTH);
  r.end();
  return { address, identityDhKey, signedPrekey, signedPrekeyId, createdAt, signature };
}

/**
 * True iff the signature is a canonical secp256k1 signature by `bundle.address` over every
 * field, and `createdAt` is sane: after 2020, at most 10 minutes in the future, at most
 * `maxAgeMs` (default 14 days) old.
 */
export function verifyBundle(bundle: PrekeyBundle, opts: { now?: number; maxAgeMs?: number } = {}): boolean {
  try {
    const now = opts.now ?? Date.now();
    const maxAge = opts.maxAgeMs ?? MAX_BUNDLE_AGE_MS;
    if (!isTime(bundle.createdAt) || bundle.createdAt < MIN_BUNDLE_TIME_MS) return false;
    if (bundle.createdAt > now + MAX_CLOCK_SKEW_MS || now - bundle.createdAt > maxAge) return false;
    if (bundle.signature.length !== SIGNATURE_LENGTH) return false;
    if (bytesEqual(bundle.identityDhKey, bundle.signedPrekey)) return false;
    const signer = recoverSignerAddress(bodyHash(encodeBody(bundle)), bundle.signature);
    return signer !== null && sameAddress(signer, bundle.address);
  } catch {
    return false;
  }
}

/** Storage encoding of a prekey secret (45 bytes: version, id, createdAt, private key). */
export function encodePrekeySecret(secret: PrekeySecret): Uint8Array {
  if (!isU32(secret.id) || !isTime(secret.createdAt) || secret.privateKey.length !== X25519_KEY_LENGTH) {
    throw new BuError('BAD_INPUT', 'ratchet: bad prekey secret');
  }
  return new ByteWriter().u8(RATCHET_VERSION).u32(secret.id).u64(secret.createdAt).bytes(secret.privateKey).finish();
}

export function decodePrekeySecret(bytes: Uint8Array): PrekeySecret {
  const r = new ByteReader(bytes, 'BAD_INPUT', 'prekey secret');
  if (bytes.length !== PREKEY_SECRET_LENGTH) r.fail('bad length');
  if (r.u8() !== RATCHET_VERSION) r.fail('unsupported version');
  const id = r.u32();
  const createdAt = r.u64();
  const privateKey = r.bytes(X25519_KEY_LENGTH);
  return { id, createdAt, privateKey, publicKey: x25519PublicOf(privateKey) };
}
