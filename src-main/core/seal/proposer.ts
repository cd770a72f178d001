/**
 * @module seal/proposer
 * A primary's proposal for a round: its ticket first (a unique BLS signature over the
 * height's seed; it proposes only if the ticket wins), then the block — the round's valid
 * block again if one got a polka earlier (Tendermint's validValue), else a new block from
 * the mempool with: coinbase = the proposer, prevRandao = sha256(ticket signature),
 * withdrawals = the rewards of the parent's certificate, extraData = keccak256(poeBody).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, createAddressFromString } from '@ethereumjs/util';
import type { Candidate, Ledger, Mempool } from '../chain';
import { blsSign } from '../crypto';
import { bodyHash, decodeCertificate, encodeBody, MsgType, type Hex, type ProposalMsg } from './codec';
import { Kind, poeDigest } from './digest';
import type { HeightState } from './height-state';
import { rewardWithdrawals } from './rewards';
import { isEligible, roundTarget, ticketOf } from './sortition';
import type { PoeKey } from './types';
import { ticketDigest } from './verify';

export const CERT_AUX = 'poe-cert';
export const BODY_AUX = 'poe-body';

export type Ticket = { key: PoeKey; sig: Uint8Array; priority: bigint };

/** The best winning proposer ticket among our primary keys for `round`, or null. */
export function bestTicket(state: HeightState, keys: PoeKey[], round: number): Ticket | null {
  const ctx = state.ctx;
  const digest = ticketDigest(ctx, Kind.PROPOSE_TICKET, round);
  let best: Ticket | null = null;
  for (const key of keys) {
    const v = ctx.primaries.get(key.address);
    if (!v) continue;
    const sig = blsSign(key.blsSecret, digest);
    if (!isEligible(sig, v.stake, ctx.set.totalPrimaryStake, roundTarget(ctx.params.targets.proposers, round))) continue;
    const priority = ticketOf(sig);
    if (!best || priority < best.priority) best = { key, sig, priority };
  }
  return best;
}

export type Built = { msg: ProposalMsg; candidate: Candidate | null };

/** Builds (or re-proposes) the block for `round` and signs the proposal. */
export async function propose(o: { ledger: Ledger; mempool: Mempool | null; state: HeightState; ticket: Ticket; round: number; nowMs: number }): Promise<Built> {
  const { ledger, state, ticket, round } = o;
  const ctx = state.ctx;
  let blockRlp: Uint8Array;
  let body: Uint8Array;
  let hash: Uint8Array;
  let candidate: Candidate | null = null;
  const reuse = state.validHash ? state.proposals.get(state.validHash) : undefined;
  if (reuse) {
    blockRlp = reuse.block.serialize();
    body = reuse.body;
    hash = reuse.block.hash();
  } else {
    const parent = state.parent;
    const lastCert = ctx.height === 1n ? new Uint8Array(0) : (ledger.aux(parent.hash(), CERT_AUX) ?? new Uint8Array(0));
    const withdrawals = ctx.height === 1n || !state.parentCtx ? [] : rewardWithdrawals(state.parentCtx, decodeCertificate(lastCert), parent);
    body = encodeBody({ version: 1, round, ticketSig: ticket.sig, lastCert });
    const baseFee = parent.header.common.isActivatedEIP(1559) ? parent.header.calcNextBaseFee() : 0n;
    const pending = o.mempool ? await o.mempool.pending(baseFee) : [];
    const nowSec = BigInt(Math.floor(o.nowMs / 1000));
    candidate = await ledger.buildBlock({
      txs: pending.map((p) => p.tx),
      timestamp: nowSec > parent.header.timestamp ? nowSec : parent.header.timestamp + 1n,
      coinbase: createAddressFromString(ticket.key.address),
      prevRandao: sha256(ticket.sig),
      extraData: bodyHash(body),
      withdrawals,
    });
    for (const s of candidate.skipped) {
      if (s.reason !== 'block full') o.mempool?.drop(bytesToHex(s.tx.hash()), 'invalid');
    }
    blockRlp = candidate.block.serialize();
    hash = candidate.block.hash();
  }
  const sig = blsSign(ticket.key.blsSecret, poeDigest(Kind.PROPOSAL, ctx.chainId, ctx.height, round, hash));
  return {
    msg: {
      type: MsgType.PROPOSAL,
      height: ctx.height,
      round,
      proposer: ticket.key.address as Hex,
      ticketSig: ticket.sig,
      validRound: reuse ? state.validRound : -1,
      block: blockRlp,
      body,
      sig,
    },
    candidate,
  };
}
