/**
 * @module crypto/bls
 * BLS12-381 signatures for POE consensus, through @noble/curves (`bls12_381.longSignatures`):
 * the minimal-pubkey-size variant of draft-irtf-cfrg-bls-signature-05 — public keys in G1
 * (48 B compressed), signatures in G2 (96 B compressed), ZCash serialisation — with the
 * proof-of-possession ciphersuite `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_` (§4.2.3) and
 * hash-to-curve per RFC 9380 (BLS12381G2_XMD:SHA-256_SSWU_RO_).
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
 * - `blsBatchVerify`: random linear combination (ethresear.ch "Fast verification of multiple
 *   BLS signatures", 5407; as in blst/Lighthouse): with 64-bit random r_i ≠ 0 it checks
 *   e(−g1, Σ r_i·σ_i) · Π_m e(Σ_{i∈m} r_i·pk_i, H(m)) = 1, so n seals over one message cost two
 *   pairings plus n 64-bit scalar multiplications (shared doublings, Straus/wNAF), and a
 *   forger's chance of passing a bad batch is ≤ 2^-64 per attempt — in particular σ1+X, σ2−X
 *   (which a plain aggregate accepts) fails unless r1 = r2.
 * Verify functions return false on any malformed input (wrong length, not on the curve, not in
 * the prime-order subgroup, infinity public key) and never throw. Decoded public keys and
 * hashed messages are kept in bounded LRU caches, so a validator's key is decompressed once.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { concatBytes, fromHex, toHex, utf8 } from '../base';
import { hkdf, keccak256, sha256 } from './hash';
import { randomBytes } from './random';

type G1Point = WeierstrassPoint<bigint>;
type G2Point = ReturnType<typeof bls12_381.longSignatures.hash>;
/** Miller-loop line coefficients of a G2 point (noble's pairing precompute). */
type G2Lines = ReturnType<typeof bls12_381.utils.calcPairingPrecomputes>;
type HashedMessage = { point: G2Point; lines: G2Lines };

export const BLS_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
export const BLS_SECRET_KEY_LENGTH = 32;
export const BLS_PUBLIC_KEY_LENGTH = 48;
export const BLS_SIGNATURE_LENGTH = 96;
export const BLS_MESSAGE_LENGTH = 32;
/** Prefix of the PoP message (6 bytes, like bytes6("BUPOP1") in Solidity). */
export const BLS_POP_PREFIX = utf8('BUPOP1');

const L = bls12_381.longSignatures;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const Fp12 = bls12_381.fields.Fp12;
const R = bls12_381.fields.Fr.ORDER;
const NEG_G1 = G1.BASE.negate().toAffine();

/** A Map with a size limit, least recently used out first (Map keeps insertion order). */
class Lru<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(k: string): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    if (this.m.size > this.limit) this.m.delete(this.m.keys().next().value!);
  }
  get size(): number {
    return this.m.size;
  }
  clear(): void {
    this.m.clear();
  }
}

/** Up to 4,096 decoded, validated public keys (a validator set, with room). */
const pkCache = new Lru<G1Point>(4096);
/** Hash-to-curve (and the Miller-loop lines of H(m)) cost milliseconds; one digest is checked for every seal and vote on it. */
const msgCache = new Lru<HashedMessage>(256);

/** Sizes of the point caches (for tests and diagnostics). */
export function blsCacheSizes(): { publicKeys: number; messages: number } {
  return { publicKeys: pkCache.size, messages: msgCache.size };
}

export function blsClearCaches(): void {
  pkCache.clear();
  msgCache.clear();
}

// ---------------------------------------------------------------- keys

const KEYGEN_SALT = utf8('BLS-SIG-KEYGEN-SALT-');
const KEYGEN_L = 48; // ceil(3 · ceil(log2 r) / 16)

function bytesToBigint(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + toHex(b));
}

function scalarBytes(sk: bigint): Uint8Array {
  return fromHex(sk.toString(16).padStart(64, '0'));
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
  const secretKey = scalarBytes(sk);
  return { secretKey, publicKey: blsPublicKey(secretKey) };
}

function secretScalar(sk: Uint8Array): bigint {
  if (sk.length !== BLS_SECRET_KEY_LENGTH) throw new TypeError('BLS secret key must be 32 bytes');
  const s = bytesToBigint(sk);
  if (s === 0n || s >= R) throw new TypeError('BLS secret key out of range');
  return s;
}

/** SkToPk: the 48-byte compressed G1 public key. Throws on an invalid secret key. */
export function blsPublicKey(secretKey: Uint8Array): Uint8Array {
  return G1.BASE.multiply(secretScalar(secretKey)).toBytes(true);
}

/** Decoded public key, or null unless it is 48 bytes, on the curve, in G1 and not infinity (KeyValidate). */
function publicKeyPoint(pk: Uint8Array): G1Point | null {
  if (!(pk instanceof Uint8Array) || pk.length !== BLS_PUBLIC_KEY_LENGTH) return null;
  const key = toHex(pk);
  const hit = pkCache.get(key);
  if (hit) return hit;
  try {
    const p = G1.fromBytes(pk); // checks the curve equation and the subgroup
    if (p.is0()) return null;
    pkCache.set(key, p);
    return p;
  } catch {
    return null;
  }
}

/** KeyValidate (draft-05 §2.5): a usable public key. */
export function blsPublicKeyValid(publicKey: Uint8Array): boolean {
  return publicKeyPoint(publicKey) !== null;
}

/** Decoded signature, or null unless it is 96 bytes, on the curve and in G2 (infinity decodes but never verifies). */
function signaturePoint(sig: Uint8Array): G2Point | null {
  if (!(sig instanceof Uint8Array) || sig.length !== BLS_SIGNATURE_LENGTH) return null;
  try {
    return L.Signature.fromBytes(sig);
  } catch {
    return null;
  }
}

function hashedMessage(msg: Uint8Array): HashedMessage | null {
  if (!(msg instanceof Uint8Array) || msg.length !== BLS_MESSAGE_LENGTH) return null;
  const key = toHex(msg);
  const hit = msgCache.get(key);
  if (hit) return hit;
  const point = L.hash(msg, BLS_DST);
  const h = { point, lines: bls12_381.utils.calcPairingPrecomputes(point) };
  msgCache.set(key, h);
  return h;
}

// ---------------------------------------------------------------- sign / verify

/** Sign a 32-byte digest: σ = sk · H(msg). */
export function blsSign(secretKey: Uint8Array, msg32: Uint8Array): Uint8Array {
  const sk = secretScalar(secretKey);
  const h = hashedMessage(msg32);
  if (!h) throw new TypeError('BLS messages are 32-byte digests');
  return L.Signature.toBytes(h.point.multiply(sk));
}

/**
 * e(−g1, σ) · Π e(pk_j, H(m_j)) = 1: one Miller loop per pair (sharing the squarings) and one
 * final exponentiation. All points are valid (decoded with subgroup checks); none may be infinity.
 */
function pairingCheck(sig: G2Point, terms: { pk: G1Point; h: HashedMessage }[]): boolean {
  if (sig.is0()) return false;
  try {
    const pairs: [G2Lines, bigint, bigint][] = [[bls12_381.utils.calcPairingPrecomputes(sig), NEG_G1.x, NEG_G1.y]];
    for (const t of terms) {
      if (t.pk.is0()) return false;
      const a = t.pk.toAffine();
      pairs.push([t.h.lines, a.x, a.y]);
    }
    return Fp12.eql(Fp12.finalExponentiate(bls12_381.millerLoopBatch(pairs)), Fp12.ONE);
  } catch {
    return false;
  }
}

export function blsVerify(publicKey: Uint8Array, msg32: Uint8Array, signature: Uint8Array): boolean {
  const pk = publicKeyPoint(publicKey);
  const h = pk && hashedMessage(msg32);
  const s = h && signaturePoint(signature);
  if (!pk || !h || !s) return false;
  return pairingCheck(s, [{ pk, h }]);
}

/** Sum of signatures (draft-05 §2.8). Throws on an empty list or an invalid signature. */
export function blsAggregateSignatures(signatures: Uint8Array[]): Uint8Array {
  if (signatures.length === 0) throw new TypeError('nothing to aggregate');
  let acc = G2.ZERO;
  for (const s of signatures) {
    const p = signaturePoint(s);
    if (!p) throw new TypeError('invalid BLS signature');
    acc = acc.add(p);
  }
  return L.Signature.toBytes(acc);
}

function aggregateKeyPoint(publicKeys: Uint8Array[]): G1Point | null {
  if (!Array.isArray(publicKeys) || publicKeys.length === 0) return null;
  let acc = G1.ZERO;
  for (const k of publicKeys) {
    const p = publicKeyPoint(k);
    if (!p) return null;
    acc = acc.add(p);
  }
  return acc.is0() ? null : acc;
}

/** Sum of public keys. Throws on an empty list, an invalid key, or a sum at infinity. */
export function blsAggregatePublicKeys(publicKeys: Uint8Array[]): Uint8Array {
  const p = aggregateKeyPoint(publicKeys);
  if (!p) throw new TypeError('invalid BLS public keys to aggregate');
  return p.toBytes(true);
}

/** FastAggregateVerify (draft-05 §3.3.4): many keys, one message, one aggregate signature. Needs PoPs. */
export function blsFastAggregateVerify(publicKeys: Uint8Array[], msg32: Uint8Array, aggregateSignature: Uint8Array): boolean {
  const pk = aggregateKeyPoint(publicKeys);
  const h = pk && hashedMessage(msg32);
  const s = h && signaturePoint(aggregateSignature);
  if (!pk || !h || !s) return false;
  return pairingCheck(s, [{ pk, h }]);
}

export type BlsBatchItem = { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array };

/** A uniformly random nonzero 64-bit scalar. */
function randomScalar64(): bigint {
  for (;;) {
    const r = bytesToBigint(randomBytes(8));
    if (r !== 0n) return r;
  }
}

/**
 * True iff every item's signature verifies (with probability ≥ 1 − 2^-64 against a forger;
 * an empty batch is true). Items with the same message share one pairing.
 */
export function blsBatchVerify(items: BlsBatchItem[]): boolean {
  if (!Array.isArray(items)) return false;
  if (items.length === 0) return true;
  if (items.length === 1) return blsVerify(items[0]!.publicKey, items[0]!.message, items[0]!.signature);
  const sigs: G2Point[] = [];
  const scalars: bigint[] = [];
  const groups = new Map<string, { h: HashedMessage; keys: G1Point[]; scalars: bigint[] }>();
  for (const it of items) {
    const pk = it && publicKeyPoint(it.publicKey);
    const s = pk && signaturePoint(it.signature);
    if (!pk || !s || s.is0() || !(it.message instanceof Uint8Array) || it.message.length !== BLS_MESSAGE_LENGTH) return false;
    const r = randomScalar64();
    sigs.push(s);
    scalars.push(r);
    const key = toHex(it.message);
    let g = groups.get(key);
    if (!g) {
      g = { h: hashedMessage(it.message)!, keys: [], scalars: [] };
      groups.set(key, g);
    }
    g.keys.push(pk);
    g.scalars.push(r);
  }
  try {
    const terms = [...groups.values()].map((g) => ({ pk: mulAddUnsafe(G1, g.keys, g.scalars), h: g.h }));
    return pairingCheck(mulAddUnsafe(G2, sigs, scalars), terms);
  } catch {
    return false;
  }
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
