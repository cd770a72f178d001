/**
 * @module crypto/bls
 * BLS12-381 signatures for POE consensus: the minimal-pubkey-size variant of
 * draft-irtf-cfrg-bls-signature-05 — public keys in G1 (48 B compressed), signatures in G2
 * (96 B compressed), ZCash serialisation — with the proof-of-possession ciphersuite
 * `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_` (§4.2.3) and hash-to-curve per RFC 9380.
 *
 * Two interchangeable backends, byte-identical (bls.test.ts runs every vector on both):
 * native blst (crypto/bls-blst, @chainsafe/blst; ~60× faster) where its prebuilt binary loads,
 * else pure-JS @noble/curves (crypto/bls-noble). `BITUNICOM_BLS=noble|blst` picks one.
 *
 * - Keys: `blsKeyFromSeed` is KeyGen (draft-05 §2.3) with empty key_info, i.e. EIP-2333
 *   `derive_master_SK` (HKDF-SHA256 "mod r", salt "BLS-SIG-KEYGEN-SALT-", L = 48).
 * - Every message is a 32-byte POE digest (see the POE brief); PoPs sign one too:
 *   `popDigest(address, pk) = keccak256("BUPOP1" ‖ address(20) ‖ pk(48))` under the normal DST,
 *   so the on-chain BLS precompile (pubkey ‖ sig ‖ digest32) can check registrations. The
 *   "BUPOP1" prefix keeps PoPs apart from consensus digests ("BUPOE1"), which is what the
 *   separate PoP DST of draft-05 §3.3 is for; binding the address stops PoP replay.
 * - Same-message aggregates (`blsFastAggregateVerify`, draft-05 §3.3.4) are safe against
 *   rogue keys only because every registered key carries a PoP.
 * - `blsBatchVerify`: random linear combination with 64-bit scalars (ethresear.ch 5407), so a
 *   forger passes a bad batch with probability ≤ 2^-64 — σ1+X, σ2−X (which a plain aggregate
 *   accepts) fails.
 * Verify functions return false on any malformed input (wrong length, not on the curve, not in
 * the prime-order subgroup, infinity public key or signature) and never throw.
 */
import { concatBytes, fromHex, toHex, utf8 } from '../base';
import type { BlsBackend, BlsBatchItem } from './bls-backend';
import { loadBlst } from './bls-blst';
import { nobleBackend } from './bls-noble';
import { hkdf, keccak256, sha256 } from './hash';

export type { BlsBatchItem } from './bls-backend';

export const BLS_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
export const BLS_SECRET_KEY_LENGTH = 32;
export const BLS_PUBLIC_KEY_LENGTH = 48;
export const BLS_SIGNATURE_LENGTH = 96;
export const BLS_MESSAGE_LENGTH = 32;
/** Prefix of the PoP message (6 bytes, like bytes6("BUPOP1") in Solidity). */
export const BLS_POP_PREFIX = utf8('BUPOP1');
const R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

export type BlsBackendName = BlsBackend['name'];

let backend: BlsBackend | null = null;

function active(): BlsBackend {
  if (!backend) {
    const want = process.env.BITUNICOM_BLS;
    backend = want === 'noble' ? nobleBackend : (loadBlst() ?? nobleBackend);
    if (want === 'blst' && backend.name !== 'blst') throw new Error('BITUNICOM_BLS=blst, but @chainsafe/blst does not load on this platform');
  }
  return backend;
}

/** The backend in use. */
export function blsBackendName(): BlsBackendName {
  return active().name;
}

/** Switches the backend (tests, benchmarks). Throws if blst is asked for and does not load. */
export function useBlsBackend(name: BlsBackendName): void {
  const b = name === 'noble' ? nobleBackend : loadBlst();
  if (!b) throw new Error('@chainsafe/blst does not load on this platform');
  backend = b;
}

/** Sizes of the backend's point caches (for tests and diagnostics). */
export function blsCacheSizes(): { publicKeys: number; messages: number } {
  return active().cacheSizes();
}

export function blsClearCaches(): void {
  active().clearCaches();
}

const isBytes = (b: unknown, n: number): b is Uint8Array => b instanceof Uint8Array && b.length === n;

// ---------------------------------------------------------------- keys

const KEYGEN_SALT = utf8('BLS-SIG-KEYGEN-SALT-');
const KEYGEN_L = 48; // ceil(3 · ceil(log2 r) / 16)

function bytesToBigint(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + toHex(b));
}

/**
 * KeyGen(IKM) of draft-irtf-cfrg-bls-signature-05 §2.3 with key_info = "" (identical to
 * EIP-2333 derive_master_SK): salt = H(salt); PRK = HKDF-Extract(salt, IKM ‖ 0x00);
 * OKM = HKDF-Expand(PRK, I2OSP(48, 2), 48); SK = OS2IP(OKM) mod r, repeated while SK = 0.
 */
export function blsKeyFromSeed(ikm: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  if (ikm.length < 32) throw new TypeError('BLS key seed must be at least 32 bytes');
  let salt = KEYGEN_SALT;
  let sk = 0n;
  while (sk === 0n) {
    salt = sha256(salt);
    const okm = hkdf(concatBytes(ikm, new Uint8Array(1)), salt, new Uint8Array([0, KEYGEN_L]), KEYGEN_L);
    sk = bytesToBigint(okm) % R;
  }
  const secretKey = fromHex(sk.toString(16).padStart(64, '0'));
  return { secretKey, publicKey: blsPublicKey(secretKey) };
}

function checkSecret(sk: Uint8Array): void {
  if (!isBytes(sk, BLS_SECRET_KEY_LENGTH)) throw new TypeError('BLS secret key must be 32 bytes');
  const s = bytesToBigint(sk);
  if (s === 0n || s >= R) throw new TypeError('BLS secret key out of range');
}

/** SkToPk: the 48-byte compressed G1 public key. Throws on an invalid secret key. */
export function blsPublicKey(secretKey: Uint8Array): Uint8Array {
  checkSecret(secretKey);
  return active().publicKey(secretKey);
}

/** KeyValidate (draft-05 §2.5): a usable public key. */
export function blsPublicKeyValid(publicKey: Uint8Array): boolean {
  return isBytes(publicKey, BLS_PUBLIC_KEY_LENGTH) && active().publicKeyValid(publicKey);
}

// ---------------------------------------------------------------- sign / verify

/** Sign a 32-byte digest: σ = sk · H(msg). */
export function blsSign(secretKey: Uint8Array, msg32: Uint8Array): Uint8Array {
  checkSecret(secretKey);
  if (!isBytes(msg32, BLS_MESSAGE_LENGTH)) throw new TypeError('BLS messages are 32-byte digests');
  return active().sign(secretKey, msg32);
}

export function blsVerify(publicKey: Uint8Array, msg32: Uint8Array, signature: Uint8Array): boolean {
  if (!isBytes(publicKey, BLS_PUBLIC_KEY_LENGTH) || !isBytes(msg32, BLS_MESSAGE_LENGTH) || !isBytes(signature, BLS_SIGNATURE_LENGTH)) return false;
  return active().verify(publicKey, msg32, signature);
}

/** Sum of signatures (draft-05 §2.8). Throws on an empty list or an invalid signature. */
export function blsAggregateSignatures(signatures: Uint8Array[]): Uint8Array {
  if (!Array.isArray(signatures) || signatures.length === 0) throw new TypeError('nothing to aggregate');
  const out = signatures.every((s) => isBytes(s, BLS_SIGNATURE_LENGTH)) ? active().aggregateSignatures(signatures) : null;
  if (!out) throw new TypeError('invalid BLS signature');
  return out;
}

const keyList = (pks: unknown): pks is Uint8Array[] => Array.isArray(pks) && pks.length > 0 && pks.every((k) => isBytes(k, BLS_PUBLIC_KEY_LENGTH));

/** Sum of public keys. Throws on an empty list, an invalid key, or a sum at infinity. */
export function blsAggregatePublicKeys(publicKeys: Uint8Array[]): Uint8Array {
  const out = keyList(publicKeys) ? active().aggregatePublicKeys(publicKeys) : null;
  if (!out) throw new TypeError('invalid BLS public keys to aggregate');
  return out;
}

/** FastAggregateVerify (draft-05 §3.3.4): many keys, one message, one aggregate signature. Needs PoPs. */
export function blsFastAggregateVerify(publicKeys: Uint8Array[], msg32: Uint8Array, aggregateSignature: Uint8Array): boolean {
  if (!keyList(publicKeys) || !isBytes(msg32, BLS_MESSAGE_LENGTH) || !isBytes(aggregateSignature, BLS_SIGNATURE_LENGTH)) return false;
  return active().fastAggregateVerify(publicKeys, msg32, aggregateSignature);
}

/**
 * True iff every item's signature verifies (with probability ≥ 1 − 2^-64 against a forger;
 * an empty batch is true).
 */
export function blsBatchVerify(items: BlsBatchItem[]): boolean {
  if (!Array.isArray(items)) return false;
  if (items.length === 0) return true;
  for (const it of items) {
    if (!it || !isBytes(it.publicKey, BLS_PUBLIC_KEY_LENGTH) || !isBytes(it.message, BLS_MESSAGE_LENGTH) || !isBytes(it.signature, BLS_SIGNATURE_LENGTH)) return false;
  }
  if (items.length === 1) return blsVerify(items[0]!.publicKey, items[0]!.message, items[0]!.signature);
  return active().batchVerify(items);
}

// ---------------------------------------------------------------- proof of possession

function addressBytes(address: string | Uint8Array): Uint8Array {
  if (address instanceof Uint8Array) {
    if (address.length !== 20) throw new TypeError('address must be 20 bytes');
    return address;
  }
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new TypeError('address must be 0x + 40 hex digits');
  return fromHex(address);
}

/** keccak256(abi.encodePacked(bytes6("BUPOP1"), address, bytes pubkey(48))): the message a PoP signs. */
export function popDigest(address: string | Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== BLS_PUBLIC_KEY_LENGTH) throw new TypeError('BLS public key must be 48 bytes');
  return keccak256(concatBytes(BLS_POP_PREFIX, addressBytes(address), publicKey));
}

/** The proof of possession an `address` registers its key with (96 bytes). */
export function blsPopProve(secretKey: Uint8Array, address: string | Uint8Array): Uint8Array {
  return blsSign(secretKey, popDigest(address, blsPublicKey(secretKey)));
}

export function blsPopVerify(publicKey: Uint8Array, address: string | Uint8Array, pop: Uint8Array): boolean {
  let digest: Uint8Array;
  try {
    digest = popDigest(address, publicKey);
  } catch {
    return false;
  }
  return blsVerify(publicKey, digest, pop);
}
