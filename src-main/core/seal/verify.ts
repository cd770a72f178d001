/**
 * @module seal/verify
 * Signature and eligibility checks of POE's messages against a height's context. Tickets
 * are unique BLS signatures (draft-irtf-cfrg-bls-signature-05) over the seed, so each
 * participant has exactly one ticket per (height, round, kind): nothing to grind.
 * Certificates verify their precommits and seals as aggregates: one fast-aggregate check
 * (2 pairings) for the precommits, one for the seal signatures and one random-linear-
 * combination batch for the seal tickets, whatever the number of signers.
 */
import { BuError } from '../base';
import { blsBatchVerify, blsFastAggregateVerify, blsVerify } from '../crypto';
import { bitsGet, type Certificate } from './codec';
import type { HeightContext } from './context';
import { Kind, poeDigest } from './digest';
import { isEligible, roundTarget } from './sortition';
import type { Validator } from './types';

export function ticketDigest(ctx: HeightContext, kind: Kind.PROPOSE_TICKET | Kind.SEAL_TICKET, round: number): Uint8Array {
  return poeDigest(kind, ctx.chainId, ctx.height, round, ctx.seed);
}

/** Threshold part of a proposer ticket (no pairing). */
export function sortitionWins(ctx: HeightContext, v: Validator, round: number, ticketSig: Uint8Array): boolean {
  return v.role === 1 && isEligible(ticketSig, v.stake, ctx.set.totalPrimaryStake, roundTarget(ctx.params.targets.proposers, round));
}

/** A primary's proposer ticket for `round`: valid signature and under its stake's threshold. */
export function proposerEligible(ctx: HeightContext, v: Validator, round: number, ticketSig: Uint8Array): boolean {
  return sortitionWins(ctx, v, round, ticketSig) && blsVerify(v.publicKey, ticketDigest(ctx, Kind.PROPOSE_TICKET, round), ticketSig);
}

/** Threshold part only (the signature is checked in a batch). */
export function sealerWins(ctx: HeightContext, v: Validator, round: number, ticketSig: Uint8Array): boolean {
  return v.role === 2 && isEligible(ticketSig, v.stake, ctx.set.totalSealerStake, roundTarget(ctx.params.targets.seals, round));
}

export function voteDigest(ctx: HeightContext, kind: Kind.PREVOTE | Kind.PRECOMMIT, round: number, blockHash: Uint8Array): Uint8Array {
  return poeDigest(kind, ctx.chainId, ctx.height, round, blockHash);
}

/** Sum of the stakes of `voters` (primaries, by index) × 3 > 2 × total: a BFT quorum. */
export function isQuorum(ctx: HeightContext, weight: bigint): boolean {
  return weight * 3n > ctx.set.totalPrimaryStake * 2n;
}

/**
 * Checks a finality certificate of height ctx.height for `blockHash`; throws BAD_INPUT with
 * the reason when it does not prove finality.
 */
export function verifyCertificate(ctx: HeightContext, cert: Certificate, blockHash: Uint8Array): void {
  const fail = (why: string): never => {
    throw new BuError('BAD_INPUT', `Finality certificate of block ${ctx.height} refused: ${why}`);
  };
  if (cert.height !== ctx.height) fail('wrong height');
  if (Buffer.compare(Buffer.from(cert.blockHash), Buffer.from(blockHash)) !== 0) fail('it certifies another block');
  const prims = ctx.set.primaries;
  if (cert.precommitBits.length !== Math.ceil(prims.length / 8)) fail('bitfield size');
  const signers = prims.filter((_, i) => bitsGet(cert.precommitBits, i));
  for (let i = prims.length; i < cert.precommitBits.length * 8; i++) if (bitsGet(cert.precommitBits, i)) fail('bits beyond the committee');
  const weight = signers.reduce((s, v) => s + v.stake, 0n);
  if (!isQuorum(ctx, weight)) fail('precommits carry no two-thirds majority of stake');
  const digest = voteDigest(ctx, Kind.PRECOMMIT, cert.round, blockHash);
  if (!blsFastAggregateVerify(signers.map((v) => v.publicKey), digest, cert.precommitAgg)) fail('bad precommit signatures');

  // Finality comes from the precommits. Seals are the witnesses honest primaries required
  // before they prevoted (minSealsFor); a certificate lists those its maker saw, each valid.
  if (cert.seals.length === 0) {
    if (cert.sealAgg.length !== 0) fail('seal signature without seals');
    return;
  }
  const seen = new Set<string>();
  const sealers: Validator[] = [];
  for (const s of cert.seals) {
    const v = ctx.sealers.get(s.sealer);
    if (!v) fail(`${s.sealer} is not a registered sealer`);
    if (seen.has(s.sealer)) fail('a sealer appears twice');
    seen.add(s.sealer);
    if (!sealerWins(ctx, v!, cert.sealRound, s.ticketSig)) fail(`${s.sealer}'s ticket did not win`);
    sealers.push(v!);
  }
  const ticketMsg = ticketDigest(ctx, Kind.SEAL_TICKET, cert.sealRound);
  const tickets = cert.seals.map((s, i) => ({ publicKey: sealers[i]!.publicKey, message: ticketMsg, signature: s.ticketSig }));
  if (!blsBatchVerify(tickets)) fail('bad seal tickets');
  const sealDigest = poeDigest(Kind.SEAL, ctx.chainId, ctx.height, cert.sealRound, blockHash);
  if (!blsFastAggregateVerify(sealers.map((v) => v.publicKey), sealDigest, cert.sealAgg)) fail('bad seal signatures');
}
