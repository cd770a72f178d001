/**
 * @module crypto/bls-noble
 * The pure-JS BLS backend, @noble/curves `bls12_381` (min-pk, ZCash serialisation, hash-to-curve
 * per RFC 9380 BLS12381G2_XMD:SHA-256_SSWU_RO_): the fallback where the native blst binary is
 * unavailable, and the reference the native backend is crossed against in tests.
 * `batchVerify` is a random linear combination (ethresear.ch "Fast verification of multiple BLS
 * signatures", 5407; as in blst/Lighthouse): with 64-bit random r_i ≠ 0 it checks
 * e(−g1, Σ r_i·σ_i) · Π_m e(Σ_{i∈m} r_i·pk_i, H(m)) = 1, so n seals over one message cost two
 * pairings plus n 64-bit scalar multiplications (shared doublings, Straus/wNAF), and a forger's
 * chance of passing a bad batch is ≤ 2^-64 per attempt — in particular σ1+X, σ2−X (which a
 * plain aggregate accepts) fails unless r1 = r2. Decoded public keys and hashed messages are
 * kept in bounded LRU caches.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { toHex } from '../base';
import { randomBytes } from './random';
import { Lru, type BlsBackend, type BlsBatchItem } from './bls-backend';

type G1Point = WeierstrassPoint<bigint>;
type G2Point = ReturnType<typeof bls12_381.longSignatures.hash>;
/** Miller-loop line coefficients of a G2 point (noble's pairing precompute). */
type G2Lines = ReturnType<typeof bls12_381.utils.calcPairingPrecomputes>;
type HashedMessage = { point: G2Point; lines: G2Lines };

const DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const L = bls12_381.longSignatures;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const Fp12 = bls12_381.fields.Fp12;
const NEG_G1 = G1.BASE.negate().toAffine();

/** Up to 4,096 decoded, validated public keys (a validator set, with room). */
const pkCache = new Lru<G1Point>(4096);
/** Hash-to-curve (and the Miller-loop lines of H(m)) cost milliseconds; one digest is checked for every seal and vote on it. */
const msgCache = new Lru<HashedMessage>(256);

const scalar = (b: Uint8Array): bigint => BigInt('0x' + toHex(b));

/** Decoded public key, or null unless it is on the curve, in G1 and not infinity (KeyValidate). */
function publicKeyPoint(pk: Uint8Array): G1Point | null {
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

/** Decoded signature, or null unless it is on the curve and in G2 (infinity decodes but never verifies). */
function signaturePoint(sig: Uint8Array): G2Point | null {
  try {
    return L.Signature.fromBytes(sig);
  } catch {
    return null;
  }
}

function hashedMessage(msg: Uint8Array): HashedMessage {
  const key = toHex(msg);
  const hit = msgCache.get(key);
  if (hit) return hit;
  const point = L.hash(msg, DST);
  const h = { point, lines: bls12_381.utils.calcPairingPrecomputes(point) };
  msgCache.set(key, h);
  return h;
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

function aggregateKeyPoint(publicKeys: Uint8Array[]): G1Point | null {
  let acc = G1.ZERO;
  for (const k of publicKeys) {
    const p = publicKeyPoint(k);
    if (!p) return null;
    acc = acc.add(p);
  }
  return acc.is0() ? null : acc;
}

/** A uniformly random nonzero 64-bit scalar. */
function randomScalar64(): bigint {
  for (;;) {
    const r = scalar(randomBytes(8));
    if (r !== 0n) return r;
  }
}

function batchVerify(items: BlsBatchItem[]): boolean {
  const sigs: G2Point[] = [];
  const scalars: bigint[] = [];
  const groups = new Map<string, { h: HashedMessage; keys: G1Point[]; scalars: bigint[] }>();
  for (const it of items) {
    const pk = publicKeyPoint(it.publicKey);
    const s = pk && signaturePoint(it.signature);
    if (!pk || !s || s.is0()) return false;
    const r = randomScalar64();
    sigs.push(s);
    scalars.push(r);
    const key = toHex(it.message);
    let g = groups.get(key);
    if (!g) {
      g = { h: hashedMessage(it.message), keys: [], scalars: [] };
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

export const nobleBackend: BlsBackend = {
  name: 'noble',
  publicKey: (sk) => G1.BASE.multiply(scalar(sk)).toBytes(true),
  publicKeyValid: (pk) => publicKeyPoint(pk) !== null,
  sign: (sk, msg) => L.Signature.toBytes(hashedMessage(msg).point.multiply(scalar(sk))),
  verify(pk, msg, sig) {
    const p = publicKeyPoint(pk);
    const s = p && signaturePoint(sig);
    return !!p && !!s && pairingCheck(s, [{ pk: p, h: hashedMessage(msg) }]);
  },
  aggregateSignatures(signatures) {
    let acc = G2.ZERO;
    for (const s of signatures) {
      const p = signaturePoint(s);
      if (!p) return null;
      acc = acc.add(p);
    }
    return L.Signature.toBytes(acc);
  },
  aggregatePublicKeys: (pks) => aggregateKeyPoint(pks)?.toBytes(true) ?? null,
  fastAggregateVerify(pks, msg, sig) {
    const pk = aggregateKeyPoint(pks);
    const s = pk && signaturePoint(sig);
    return !!pk && !!s && pairingCheck(s, [{ pk, h: hashedMessage(msg) }]);
  },
  batchVerify,
  cacheSizes: () => ({ publicKeys: pkCache.size, messages: msgCache.size }),
  clearCaches() {
    pkCache.clear();
    msgCache.clear();
  },
};
