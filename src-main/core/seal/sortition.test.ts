import { describe, expect, it } from 'vitest';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { concatBytes, fromHex, toHex, u32be, u64be, utf8 } from '../base';
import { BLS_DST, blsKeyFromSeed, blsSign, blsVerify, keccak256, sha256 } from '../crypto';
import { isEligible, leadingZeros, roundTarget, targetNumerator, threshold, ticketHash, ticketOf } from './sortition';

const TWO_256 = 1n << 256n;
const PROPOSE_TICKET = 1;
const SEAL_TICKET = 2;
const R = bls12_381.fields.Fr.ORDER;
const P = bls12_381.fields.Fp.ORDER;

/** The POE signing digest: keccak256(bytes6("BUPOE1") ‖ uint8 kind ‖ uint64 chainId ‖ uint64 height ‖ uint32 round ‖ bytes32 data). */
function poeDigest(kind: number, chainId: bigint, height: bigint, round: number, data: Uint8Array): Uint8Array {
  const packed = concatBytes(utf8('BUPOE1'), new Uint8Array([kind]), u64be(chainId), u64be(height), u32be(round), data);
  expect(packed.length).toBe(59);
  return keccak256(packed);
}

const SEED = sha256(utf8('seed of block h-4'));
const DIGEST = poeDigest(SEAL_TICKET, 16981n, 1234n, 0, SEED);

/** ZCash compressed encoding of a G2 point without noble's per-point subgroup re-check (it is in G2 by construction). */
function compressG2(p: ReturnType<typeof bls12_381.longSignatures.hash>): Uint8Array {
  const { x, y } = p.toAffine();
  const half = (P - 1n) / 2n;
  const big = y.c1 !== 0n ? y.c1 > half : y.c0 > half;
  const out = concatBytes(fromHex(x.c1.toString(16).padStart(96, '0')), fromHex(x.c0.toString(16).padStart(96, '0')));
  out[0]! |= 0x80 | (big ? 0x20 : 0);
  return out;
}

/**
 * 4,000 real BLS signatures of DIGEST, cheaply: keys sk0 + i have signatures σ0 + i·H(m), so each
 * is one G2 addition away from the last (a few are checked against blsSign below).
 */
function signatureFamily(n: number): { secretKey: (i: number) => Uint8Array; sigs: Uint8Array[] } {
  const sk0 = BigInt('0x' + toHex(blsKeyFromSeed(sha256(utf8('sortition family'))).secretKey));
  const h = bls12_381.longSignatures.hash(DIGEST, BLS_DST);
  let s = h.multiply(sk0);
  const sigs: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    sigs.push(compressG2(s));
    s = s.add(h);
  }
  return { secretKey: (i) => fromHex(((sk0 + BigInt(i)) % R).toString(16).padStart(64, '0')), sigs };
}

describe('sortition arithmetic', () => {
  it('ticketOf is sha256(sig) as a big-endian integer; ticketHash its 32 bytes', () => {
    const sig = blsSign(blsKeyFromSeed(sha256(utf8('k'))).secretKey, DIGEST);
    expect(toHex(ticketHash(sig))).toBe(toHex(sha256(sig)));
    expect(ticketOf(sig)).toBe(BigInt('0x' + toHex(sha256(sig))));
    expect(ticketOf(sig)).toBeLessThan(TWO_256);
  });

  it('threshold is floor(2^256 · min(1, target·s/S)) exactly, in bigint', () => {
    expect(threshold(1n, 1n, 1)).toBe(TWO_256);
    expect(threshold(5n, 10n, 1)).toBe(TWO_256 / 2n);
    expect(threshold(1n, 3n, 2)).toBe((2n * TWO_256) / 3n);
    expect(threshold(1n, 1n, 0.1)).toBe(TWO_256 / 10n); // 0.1 read as 100000/10^6, not the nearest double
    expect(threshold(7n, 1_000_003n, 12.5)).toBe((125n * 7n * TWO_256) / (10n * 1_000_003n));
    expect(threshold(10n ** 24n, 3n * 10n ** 24n, 1.5)).toBe(TWO_256 / 2n);
    expect(threshold(1n, 2n, 10)).toBe(TWO_256); // capped at 1
    expect(threshold(0n, 100n, 50)).toBe(0n);
    expect(threshold(1n, 1n, 0)).toBe(0n);
    expect(targetNumerator(0.1234567)).toBe(123457n);
    expect(() => threshold(1n, 0n, 1)).toThrow(RangeError);
    expect(() => threshold(-1n, 10n, 1)).toThrow(RangeError);
    expect(() => threshold(1n, 10n, Number.NaN)).toThrow(RangeError);
    expect(() => threshold(1n, 10n, -1)).toThrow(RangeError);
    expect(() => threshold(1n, 10n, Infinity)).toThrow(RangeError);
  });

  it('isEligible compares the ticket with the threshold', () => {
    const sig = blsSign(blsKeyFromSeed(sha256(utf8('k'))).secretKey, DIGEST);
    const t = ticketOf(sig);
    expect(isEligible(sig, 1n, 1n, 1)).toBe(true);
    expect(isEligible(sig, 0n, 1n, 1)).toBe(false);
    // a stake just above / at the ticket's position
    const S = 1n << 64n;
    const s = (t * S) / TWO_256; // threshold(s) ≤ t < threshold(s + 1)
    expect(isEligible(sig, s + 1n, S, 1)).toBe(true);
    expect(isEligible(sig, s, S, 1)).toBe(false);
  });

  it('leadingZeros counts the zero bits of a 256-bit ticket', () => {
    expect(leadingZeros(0n)).toBe(256);
    expect(leadingZeros(1n)).toBe(255);
    expect(leadingZeros(TWO_256 - 1n)).toBe(0);
    expect(leadingZeros(1n << 255n)).toBe(0);
    expect(leadingZeros((1n << 244n) - 1n)).toBe(12);
    expect(() => leadingZeros(TWO_256)).toThrow(RangeError);
    expect(() => leadingZeros(-1n)).toThrow(RangeError);
  });

  it('roundTarget doubles per round up to 2^4', () => {
    expect([0, 1, 2, 3, 4, 5, 100].map((r) => roundTarget(0.25, r))).toEqual([0.25, 0.5, 1, 2, 4, 4, 4]);
    expect(() => roundTarget(1, -1)).toThrow(RangeError);
    expect(() => roundTarget(1, 1.5)).toThrow(RangeError);
  });
});

describe('sortition statistics over 4,000 keys', () => {
  const N = 4000;
  const fam = signatureFamily(N);
  const within = (count: number, ps: number[]) => {
    const mean = ps.reduce((a, p) => a + p, 0);
    const sd = Math.sqrt(ps.reduce((a, p) => a + p * (1 - p), 0));
    return { mean, sd, ok: Math.abs(count - mean) <= 5 * sd };
  };

  it('the family really is BLS signatures of the digest under keys sk0 + i', () => {
    for (const i of [0, 1, 2, 1999, N - 1]) expect(toHex(fam.sigs[i]!)).toBe(toHex(blsSign(fam.secretKey(i), DIGEST)));
    expect(new Set(fam.sigs.map(ticketOf)).size).toBe(N);
  });

  it('equal stakes: the eligible fraction matches target·s/S', () => {
    const target = 400; // p = 400/4000 = 0.1
    const n = fam.sigs.filter((s) => isEligible(s, 1n, BigInt(N), target)).length;
    const w = within(n, Array(N).fill(0.1));
    expect(w.ok, `${n} eligible, expected ${w.mean} ± ${w.sd.toFixed(1)}`).toBe(true);
  });

  it('stake weighting: a 4× stake is ~4× as likely to be eligible', () => {
    const stake = (i: number) => (i < N / 2 ? 1n : 4n);
    const total = BigInt(N / 2) * 5n; // 10,000
    const target = 500; // p = 0.05 for stake 1, 0.2 for stake 4
    const light = fam.sigs.slice(0, N / 2).filter((s, i) => isEligible(s, stake(i), total, target)).length;
    const heavy = fam.sigs.slice(N / 2).filter((s, i) => isEligible(s, stake(i + N / 2), total, target)).length;
    const wl = within(light, Array(N / 2).fill(0.05));
    const wh = within(heavy, Array(N / 2).fill(0.2));
    expect(wl.ok, `light ${light} vs ${wl.mean} ± ${wl.sd.toFixed(1)}`).toBe(true);
    expect(wh.ok, `heavy ${heavy} vs ${wh.mean} ± ${wh.sd.toFixed(1)}`).toBe(true);
    expect(heavy / light).toBeGreaterThan(2.5);
    expect(heavy / light).toBeLessThan(6);
  });

  it('a later round relaxes the draw: round 2 draws ~4× as many', () => {
    const base = 50; // p = 50/4000
    const r0 = fam.sigs.filter((s) => isEligible(s, 1n, BigInt(N), roundTarget(base, 0))).length;
    const r2 = fam.sigs.filter((s) => isEligible(s, 1n, BigInt(N), roundTarget(base, 2))).length;
    expect(within(r0, Array(N).fill(base / N)).ok).toBe(true);
    expect(within(r2, Array(N).fill((4 * base) / N)).ok).toBe(true);
  });
});

describe('grinding: BLS tickets are unique, ECDSA tickets are not', () => {
  const key = blsKeyFromSeed(sha256(utf8('grinder')));

  /** What a proposer draws its ticket from, given everything it could vary about its proposal. */
  function drawTicket(p: { chainId: bigint; height: bigint; round: number; seed: Uint8Array; txs: Uint8Array[]; timestamp: number; extraData: Uint8Array; gasLimit: bigint }) {
    return ticketOf(blsSign(key.secretKey, poeDigest(PROPOSE_TICKET, p.chainId, p.height, p.round, p.seed)));
  }

  it('one key, one seed: one signature and one ticket, whatever else the proposer varies', () => {
    const d = poeDigest(PROPOSE_TICKET, 16981n, 77n, 0, SEED);
    const sig = blsSign(key.secretKey, d);
    for (let i = 0; i < 5; i++) expect(toHex(blsSign(key.secretKey, d))).toBe(toHex(sig));
    const base = { chainId: 16981n, height: 77n, round: 0, seed: SEED, txs: [] as Uint8Array[], timestamp: 1_700_000_000, extraData: new Uint8Array(0), gasLimit: 30_000_000n };
    const tickets = new Set<bigint>();
    for (let i = 0; i < 8; i++) {
      tickets.add(drawTicket({ ...base, txs: [utf8(`tx ${i}`)], timestamp: base.timestamp + i, extraData: u32be(i), gasLimit: base.gasLimit - BigInt(i) }));
    }
    expect([...tickets]).toEqual([ticketOf(sig)]);
    // the inputs in the digest do move it (so it is not a constant): another seed or height
    expect(drawTicket({ ...base, seed: sha256(SEED) })).not.toBe(ticketOf(sig));
    expect(drawTicket({ ...base, height: 78n })).not.toBe(ticketOf(sig));
  });

  it('no other encoding or variant of the signature verifies, so there is nothing to pick from', () => {
    const d = poeDigest(PROPOSE_TICKET, 16981n, 77n, 0, SEED);
    const sig = blsSign(key.secretKey, d);
    const Sig = bls12_381.longSignatures.Signature;
    const point = Sig.fromBytes(sig);
    expect(blsVerify(key.publicKey, d, sig)).toBe(true);
    expect(blsVerify(key.publicKey, d, Sig.toBytes(point.negate()))).toBe(false); // the other y (sort bit)
    expect(blsVerify(key.publicKey, d, point.toBytes(false))).toBe(false); // uncompressed
    for (let k = 1n; k <= 4n; k++) expect(blsVerify(key.publicKey, d, Sig.toBytes(point.add(bls12_381.G2.Point.BASE.multiply(k))))).toBe(false);
  });

  it('ECDSA (secp256k1 with extra entropy) yields a new valid signature per try, so its tickets can be ground', () => {
    const sk = secp256k1.utils.randomSecretKey();
    const pk = secp256k1.getPublicKey(sk);
    const d = poeDigest(PROPOSE_TICKET, 16981n, 77n, 0, SEED);
    const sigs = Array.from({ length: 32 }, () => secp256k1.sign(d, sk, { prehash: false, extraEntropy: true }));
    for (const s of sigs) expect(secp256k1.verify(s, d, pk, { prehash: false })).toBe(true);
    expect(new Set(sigs.map((s) => toHex(s))).size).toBe(32);
    // grind for a ticket with ≥ 6 leading zero bits (p = 1/64 a try): found within 1,000 tries
    let tries = 0;
    let best = 0;
    while (best < 6 && tries < 1000) {
      tries++;
      best = Math.max(best, leadingZeros(ticketOf(secp256k1.sign(d, sk, { prehash: false, extraEntropy: true }))));
    }
    expect(best).toBeGreaterThanOrEqual(6);
    // the BLS signer's "best of 1,000" is its only ticket
    const blsTickets = new Set(Array.from({ length: 4 }, () => ticketOf(blsSign(key.secretKey, d))));
    expect(blsTickets.size).toBe(1);
  });
});
