/**
 * @module bench/seal-bench
 * Issue 9: the cost of POE's BLS12-381 work on one core (`core/crypto/bls.ts` on its default
 * backend — native blst where it loads), every batched figure next to single `blsVerify`
 * measured in the same run, and the native backend against the pure-JS noble fallback:
 *   - blsSign/s for a fresh digest (hash-to-G2 + one scalar multiplication): a ticket draw;
 *   - single blsVerify/s (one pairing check per seal), next to secp256k1 ECDSA verify/s;
 *   - aggregating N seal signatures and checking them with one blsFastAggregateVerify, and
 *     checking a ready aggregate (a certificate: N cached keys, one signature);
 *   - blsBatchVerify of 32/128/512 seals with distinct keys and signatures, over one message and
 *     over two (each sealer's SEAL_TICKET and SEAL digests), and 32 over 32 distinct messages
 *     not yet hashed to G2 (the worst case: 33 Miller loops and 32 hash-to-curve);
 *   - the grinding contrast: time to grind a ticket with 12 leading zero bits out of secp256k1
 *     ECDSA with extra entropy (a BLS key has exactly one ticket per seed).
 * Validator keys are decoded into the point cache before timing (the set is known LOOKBACK blocks
 * ahead), and a block hash's digest is hashed to G2 once for all its seals, as in a node.
 * Rates are per CPU second of this (single-threaded) process, i.e. per core, so other load on
 * the machine does not skew them. Target (issue 9): batched verification ≥ 150 seals/s per core.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { concatBytes, u32be, u64be, utf8 } from '../core/base';
import {
  blsAggregateSignatures,
  blsBackendName,
  blsBatchVerify,
  blsClearCaches,
  blsFastAggregateVerify,
  blsKeyFromSeed,
  blsPublicKeyValid,
  blsSign,
  blsVerify,
  keccak256,
  sha256,
  useBlsBackend,
  type BlsBatchItem,
} from '../core/crypto';
import { leadingZeros, ticketOf } from '../core/seal/sortition';
import { fmtRatio, type Row } from './stats';

export type SealBenchOptions = { quick: boolean; log?: (line: string) => void };

const TARGET_PER_SEC = 150;
const GRIND_BITS = 12;

const digest = (kind: number, height: bigint, data: Uint8Array) =>
  keccak256(concatBytes(utf8('BUPOE1'), new Uint8Array([kind]), u64be(16981n), u64be(height), u32be(0), data));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** CPU seconds used by this process so far: per-core figures stay honest on a shared machine. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Items per CPU second of `fn` (which handles `items` items), over `calls` calls. */
function rate(fn: () => boolean | void, items: number, calls: number): number {
  const t0 = cpuSeconds();
  for (let i = 0; i < calls; i++) if (fn() === false) throw new Error('verification failed in the benchmark');
  return (items * calls) / (cpuSeconds() - t0);
}

const fmtRate = (r: number, unit = 'seals/s') => `${r >= 100 ? r.toFixed(0) : r.toFixed(1)} ${unit}`;

export async function sealRows(opts: SealBenchOptions): Promise<Row[]> {
  const log = opts.log ?? (() => {});
  const N = opts.quick ? 128 : 512;
  const ROUNDS = opts.quick ? 1 : 3;
  const sizes = [32, 128, 512].filter((n) => n <= N);

  log(`seal: ${N} BLS keys, ${2 * N} signatures to set up…`);
  const keys = Array.from({ length: N }, (_, i) => blsKeyFromSeed(sha256(utf8(`seal bench key ${i}`))));
  for (const k of keys) blsPublicKeyValid(k.publicKey); // the validator set, decoded once
  const blockHash = sha256(utf8('block'));
  const seed = sha256(utf8('seed'));
  const sealMsg = digest(4, 100n, blockHash);
  const ticketMsg = digest(2, 100n, seed);
  const seals: BlsBatchItem[] = keys.map((k) => ({ publicKey: k.publicKey, message: sealMsg, signature: blsSign(k.secretKey, sealMsg) }));
  const tickets: BlsBatchItem[] = keys.map((k) => ({ publicKey: k.publicKey, message: ticketMsg, signature: blsSign(k.secretKey, ticketMsg) }));
  const mixed = (n: number) => [...seals.slice(0, n / 2), ...tickets.slice(0, n / 2)];
  const distinct = keys.slice(0, 32).map((k, i) => {
    const m = digest(4, BigInt(1000 + i), blockHash);
    return { publicKey: k.publicKey, message: m, signature: blsSign(k.secretKey, m) };
  });
  const aggSig = (n: number) => blsAggregateSignatures(seals.slice(0, n).map((s) => s.signature));
  const pks = (n: number) => seals.slice(0, n).map((s) => s.publicKey);
  const ready = new Map(sizes.map((n) => [n, aggSig(n)]));
  const ecdsaKey = secp256k1.utils.randomSecretKey();
  const ecdsaPub = secp256k1.getPublicKey(ecdsaKey);
  const ecdsaSig = secp256k1.sign(sealMsg, ecdsaKey, { prehash: false });

  // warm-up: let V8 compile the field arithmetic before anything is timed
  blsVerify(seals[0]!.publicKey, sealMsg, seals[0]!.signature);
  blsBatchVerify(seals.slice(0, 32));
  blsBatchVerify(mixed(32));
  for (let i = 0; i < 50; i++) secp256k1.verify(ecdsaSig, sealMsg, ecdsaPub, { prehash: false });

  const runs: Record<string, number[]> = {};
  const add = (name: string, v: number) => (runs[name] ??= []).push(v);
  let height = 0n;
  for (let r = 0; r < ROUNDS; r++) {
    log(`seal: round ${r + 1}/${ROUNDS}…`);
    add('sign', rate(() => void blsSign(keys[r]!.secretKey, digest(1, ++height, seed)), 1, opts.quick ? 8 : 16));
    add('ecdsaSign', rate(() => void secp256k1.sign(sealMsg, ecdsaKey, { prehash: false, extraEntropy: true }), 1, 200));
    add('ecdsaVerify', rate(() => secp256k1.verify(ecdsaSig, sealMsg, ecdsaPub, { prehash: false }), 1, 100));
    let i = 0;
    add('single', rate(() => blsVerify(seals[i % N]!.publicKey, sealMsg, seals[i++ % N]!.signature), 1, opts.quick ? 16 : 32));
    for (const n of sizes) {
      add(`batch${n}`, rate(() => blsBatchVerify(seals.slice(0, n)), n, 1));
      add(`mixed${n}`, rate(() => blsBatchVerify(mixed(n)), n, 1));
      add(`fastAgg${n}`, rate(() => blsFastAggregateVerify(pks(n), sealMsg, aggSig(n)), n, 1));
      add(`cert${n}`, rate(() => blsFastAggregateVerify(pks(n), sealMsg, ready.get(n)!), 1, 4));
    }
    // distinct messages, first seen: drop the hashed digests (keep the decoded keys), then restore
    blsClearCaches();
    for (const k of keys) blsPublicKeyValid(k.publicKey);
    add('distinct32', rate(() => blsBatchVerify(distinct), 32, 1));
    blsVerify(seals[0]!.publicKey, sealMsg, seals[0]!.signature);
    blsVerify(tickets[0]!.publicKey, ticketMsg, tickets[0]!.signature);
  }
  // the fallback backend, same keys and seals (its point caches start cold: warm them first)
  const main = blsBackendName();
  const fallback = main === 'blst' ? 'noble' : null;
  if (fallback) {
    log(`seal: the ${fallback} fallback backend…`);
    useBlsBackend(fallback);
    try {
      for (const k of keys.slice(0, 128)) blsPublicKeyValid(k.publicKey);
      blsVerify(seals[0]!.publicKey, sealMsg, seals[0]!.signature);
      let i = 0;
      add('fbSign', rate(() => void blsSign(keys[0]!.secretKey, digest(1, ++height, seed)), 1, opts.quick ? 4 : 8));
      add('fbSingle', rate(() => blsVerify(seals[i % N]!.publicKey, sealMsg, seals[i++ % N]!.signature), 1, opts.quick ? 4 : 8));
      add('fbBatch', rate(() => blsBatchVerify(seals.slice(0, 128)), 128, 1));
    } finally {
      useBlsBackend(main);
    }
  }
  const f = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const single = f.single!;
  const vsSingle = (v: number) => fmtRatio(v / single);

  // Grinding: ECDSA with extra entropy gives a new valid signature, so a new ticket, per try.
  const grinds = opts.quick ? 1 : 3;
  log(`seal: grinding ${grinds} ECDSA ticket(s) with ${GRIND_BITS} leading zero bits…`);
  let tries = 0;
  const g0 = cpuSeconds();
  for (let g = 0; g < grinds; g++) {
    const m = digest(1, BigInt(5000 + g), seed);
    for (;;) {
      tries++;
      if (leadingZeros(ticketOf(secp256k1.sign(m, ecdsaKey, { prehash: false, extraEntropy: true }))) >= GRIND_BITS) break;
    }
  }
  const grindMs = (cpuSeconds() - g0) * 1000;
  const perTryMs = grindMs / tries;

  const rows: Row[] = [];
  if (fallback) {
    const vs = (a: number, b: number) => fmtRatio(a / b);
    rows.push(
      { figure: `BLS backend ${main} vs ${fallback}: sign`, value: fmtRate(f.sign!, 'sig/s'), baseline: `${fallback} ${fmtRate(f.fbSign!, 'sig/s')}`, ratio: vs(f.sign!, f.fbSign!) },
      { figure: `BLS backend ${main} vs ${fallback}: verify one seal`, value: fmtRate(single), baseline: `${fallback} ${fmtRate(f.fbSingle!)}`, ratio: vs(single, f.fbSingle!) },
      { figure: `BLS backend ${main} vs ${fallback}: blsBatchVerify 128 seals`, value: fmtRate(f.batch128 ?? NaN), baseline: `${fallback} ${fmtRate(f.fbBatch!)}`, ratio: vs(f.batch128 ?? NaN, f.fbBatch!), target: `≥ ${TARGET_PER_SEC}/s (${fallback})`, ok: f.fbBatch! >= TARGET_PER_SEC },
    );
  }
  rows.push(
    { figure: 'BLS sign, fresh digest (a ticket draw: hash-to-G2 + 1 mult)', value: fmtRate(f.sign!, 'sig/s'), baseline: `secp256k1 sign ${fmtRate(f.ecdsaSign!, 'sig/s')}`, ratio: fmtRatio(f.sign! / f.ecdsaSign!) },
    { figure: 'BLS verify, one seal (1 pairing check)', value: fmtRate(single), baseline: `secp256k1 verify ${fmtRate(f.ecdsaVerify!, 'sig/s')}`, ratio: fmtRatio(single / f.ecdsaVerify!) },
  );
  for (const n of sizes) {
    const ok = f[`batch${n}`]! >= TARGET_PER_SEC;
    rows.push({ figure: `blsBatchVerify ${n} seals, 1 message`, value: fmtRate(f[`batch${n}`]!), baseline: `single verify ${fmtRate(single)}`, ratio: vsSingle(f[`batch${n}`]!), target: `≥ ${TARGET_PER_SEC}/s`, ok });
  }
  for (const n of sizes) {
    const ok = f[`mixed${n}`]! >= TARGET_PER_SEC;
    rows.push({ figure: `blsBatchVerify ${n} sigs, 2 messages (seal + ticket)`, value: fmtRate(f[`mixed${n}`]!), baseline: `single verify ${fmtRate(single)}`, ratio: vsSingle(f[`mixed${n}`]!), target: `≥ ${TARGET_PER_SEC}/s`, ok });
  }
  rows.push({ figure: 'blsBatchVerify 32 sigs, 32 distinct messages (hashed on first sight)', value: fmtRate(f.distinct32!), baseline: `single verify ${fmtRate(single)}`, ratio: vsSingle(f.distinct32!) });
  for (const n of sizes) {
    rows.push({ figure: `aggregate ${n} seals + blsFastAggregateVerify`, value: fmtRate(f[`fastAgg${n}`]!), baseline: `single verify ${fmtRate(single)}`, ratio: vsSingle(f[`fastAgg${n}`]!) });
  }
  for (const n of sizes) {
    const perCert = 1000 / f[`cert${n}`]!;
    rows.push({ figure: `certificate check: ready aggregate of ${n} seals`, value: `${perCert.toFixed(1)} ms (${fmtRate(n * f[`cert${n}`]!)})`, baseline: `single verify ${fmtRate(single)}`, ratio: vsSingle(n * f[`cert${n}`]!) });
  }
  rows.push({
    figure: `grind an ECDSA ticket with ${GRIND_BITS} leading zero bits (extra entropy)`,
    value: `${((perTryMs * 2 ** GRIND_BITS) / 1000).toFixed(1)} s expected (2^${GRIND_BITS} tries × ${perTryMs.toFixed(2)} ms)`,
    baseline: 'BLS: 1 ticket per key and seed',
    ratio: `seen: ${grinds} in ${(grindMs / 1000).toFixed(1)} CPU s, ${tries} tries`,
  });
  return rows;
}
