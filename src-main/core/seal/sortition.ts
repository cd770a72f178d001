/**
 * @module seal/sortition
 * Stake-weighted cryptographic sortition for POE (issue 9; the POE brief's "Sortition"), in the
 * style of Algorand's (Gilad et al., SOSP 2017) but with unique BLS signatures as the VRF:
 *
 *   ticket = sha256(sig) read as a 256-bit big-endian integer, sig = BLS sign of the
 *            PROPOSE_TICKET / SEAL_TICKET digest (chainId, height, round, seed);
 *   eligible iff ticket < floor(2^256 · min(1, target · stake / total)); lower = better priority.
 *
 * A BLS signature (draft-irtf-cfrg-bls-signature-05) is a deterministic function of the key
 * and the message, and exactly one encoding of it verifies, so a participant holds one ticket
 * per (key, digest) and cannot grind it — unlike ECDSA, whose random nonce gives a fresh valid
 * signature (and ticket) per attempt. The threshold is computed exactly in bigint; the target
 * (expected number of eligible participants) is turned into a rational with a 10^6 denominator,
 * so every node computes the same bound.
 */
import { toHex } from '../base';
import { sha256 } from '../crypto';

const TWO_256 = 1n << 256n;
/** Targets are read as integers over this denominator (six decimals). */
export const TARGET_DENOMINATOR = 1_000_000n;
/** Round r relaxes the target by 2^min(r, MAX_ROUND_DOUBLINGS). */
export const MAX_ROUND_DOUBLINGS = 4;

/** sha256(sig): the 32-byte ticket (a block's mixHash is its proposer's). */
export function ticketHash(sig: Uint8Array): Uint8Array {
  return sha256(sig);
}

/** sha256(sig) as a big-endian 256-bit integer. */
export function ticketOf(sig: Uint8Array): bigint {
  return BigInt('0x' + toHex(sha256(sig)));
}

/** `target` as an integer numerator over TARGET_DENOMINATOR (rounded to six decimals). */
export function targetNumerator(target: number): bigint {
  if (!Number.isFinite(target) || target < 0) throw new RangeError(`sortition target must be a finite number ≥ 0, not ${target}`);
  return BigInt(Math.round(target * Number(TARGET_DENOMINATOR)));
}

/** floor(2^256 · min(1, target · stake / total)), exactly. */
export function threshold(stake: bigint, total: bigint, target: number): bigint {
  if (total <= 0n) throw new RangeError('total stake must be positive');
  if (stake < 0n) throw new RangeError('stake must not be negative');
  const num = targetNumerator(target) * stake;
  const den = TARGET_DENOMINATOR * total;
  if (num >= den) return TWO_256;
  return (num * TWO_256) / den;
}

export function isEligible(sig: Uint8Array, stake: bigint, total: bigint, target: number): boolean {
  return ticketOf(sig) < threshold(stake, total, target);
}

/** Leading zero bits of a 256-bit ticket (256 for 0). */
export function leadingZeros(ticket: bigint): number {
  if (ticket < 0n || ticket >= TWO_256) throw new RangeError('a ticket is a 256-bit unsigned integer');
  return ticket === 0n ? 256 : 256 - ticket.toString(2).length;
}

/** The target of round r: target · 2^min(r, 4). */
export function roundTarget(target: number, round: number): number {
  if (!Number.isInteger(round) || round < 0) throw new RangeError(`round must be an integer ≥ 0, not ${round}`);
  return target * 2 ** Math.min(round, MAX_ROUND_DOUBLINGS);
}
