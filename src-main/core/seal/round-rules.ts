/**
 * @module seal/round-rules
 * The engine's pure decisions on one height's state (engine.ts does the I/O and timers):
 *  - which block to prevote (Tendermint's upon-proposal rules with seed 003's seals: the
 *    best-priority valid proposal of the round with the round's minimum seals, respecting
 *    the lock unless a later polka released it);
 *  - the finality certificate of a committed block (aggregated precommits and seals);
 *  - whether a proposal message is admitted (signatures, one batch) and whether its block is
 *    valid (POE rules + re-execution, once per block);
 *  - the job our sealer keys get for a proposal.
 */
import type { Block } from '@ethereumjs/block';
import { bytesToHex } from '@ethereumjs/util';
import type { Ledger } from '../chain';
import { blsAggregateSignatures, blsBatchVerify } from '../crypto';
import { checkPoeBlock } from './block-rules';
import { bitsFrom, decodeBody, type Certificate, type Hex, type ProposalMsg } from './codec';
import { Kind, poeDigest } from './digest';
import { NIL, hexBytes, type Evidence, type HeightState, type ProposalEntry } from './height-state';
import { minSealsFor } from './params';
import { claimedSeals, verifyPendingSeals } from './seals';
import type { SealJob } from './sealer';
import { roundTarget, ticketOf } from './sortition';
import type { PoeKey } from './types';
import { isQuorum, sortitionWins, ticketDigest } from './verify';

/** The block to prevote in st.round, or null to keep waiting (NIL at the timeout). `valid` checks (and executes) a block once. */
export async function chooseBlock(st: HeightState, atTimeout: boolean, valid: (e: ProposalEntry) => Promise<boolean>): Promise<Hex | null> {
  const r = st.round;
  const need = minSealsFor(st.ctx.params, r, st.ctx.set.sealers.length);
  const sorted = [...st.proposals.values()]
    .filter((e) => e.proposedIn.has(r) && e.status !== 'invalid' && claimedSeals(e) >= need)
    .sort((a, b) => (a.proposedIn.get(r)!.priority < b.proposedIn.get(r)!.priority ? -1 : 1));
  const acceptable = async (e: ProposalEntry) => (e.seals.size >= need || verifyPendingSeals(st, e) >= need) && (await valid(e));
  if (st.lockedRound >= 0) {
    const locked = sorted.find((c) => c.hash === st.lockedHash);
    if (locked && (await acceptable(locked))) return locked.hash;
    for (const c of sorted) {
      const vr = c.proposedIn.get(r)!.validRound;
      if (vr >= st.lockedRound && vr < r && isQuorum(st.ctx, st.votes.verifiedWeight(Kind.PREVOTE, vr, c.hash)) && (await acceptable(c))) return c.hash;
    }
    return atTimeout ? NIL : null;
  }
  for (const c of sorted) if (await acceptable(c)) return c.hash;
  return atTimeout ? NIL : null;
}

/** The certificate of `hash`, final by the verified precommits of `round`, with every verified seal. */
export function buildCertificate(st: HeightState, hash: Hex, round: number): Certificate {
  const votes = st.votes.verifiedVotes(Kind.PRECOMMIT, round, hash);
  const idx: number[] = [];
  const sigs: Uint8Array[] = [];
  st.ctx.set.primaries.forEach((v, i) => {
    const sig = votes.get(v.address);
    if (sig) {
      idx.push(i);
      sigs.push(sig);
    }
  });
  const entry = st.proposals.get(hash)!;
  verifyPendingSeals(st, entry);
  const seals = [...entry.seals];
  return {
    height: st.ctx.height,
    round,
    blockHash: hexBytes(hash),
    sealRound: entry.bodyRound,
    seals: seals.map(([sealer, s]) => ({ sealer: sealer as Hex, ticketSig: s.ticketSig })),
    sealAgg: seals.length ? blsAggregateSignatures(seals.map(([, s]) => s.sig)) : new Uint8Array(0),
    precommitBits: bitsFrom(idx, st.ctx.set.primaries.length),
    precommitAgg: blsAggregateSignatures(sigs),
  };
}

/** The seal job for our registered sealer keys, or null when none of them is registered. */
export function sealJobFor(st: HeightState, e: ProposalEntry, keys: PoeKey[]): SealJob | null {
  const mine = keys.map((k) => st.ctx.sealers.get(k.address)).filter((v) => !!v);
  if (mine.length === 0) return null;
  return {
    chainId: st.ctx.chainId,
    height: st.ctx.height,
    round: e.bodyRound,
    seed: st.ctx.seed,
    block: e.block.serialize(),
    blockHash: e.block.hash(),
    sealers: mine.map((v) => ({ address: v.address, stake: v.stake })),
    totalStake: st.ctx.set.totalSealerStake,
    target: roundTarget(st.ctx.params.targets.seals, e.bodyRound),
  };
}

/**
 * Checks a proposed block once (POE rules, a timestamp at most 15 s ahead, re-execution
 * unless we built it ourselves) and records the verdict on the entry; the reason when invalid.
 */
export async function checkProposal(st: HeightState, e: ProposalEntry, o: { ledger: Ledger; executed: boolean; nowMs: number }): Promise<string | null> {
  if (e.status !== 'unchecked') return null;
  try {
    const ownTicket = e.block.header.coinbase.toString().toLowerCase() === e.proposer ? e.ticketSig : undefined;
    e.info = checkPoeBlock(st.ctx, st.parentCtx, e.block, e.body, st.parent, ownTicket);
    if (e.block.header.timestamp * 1000n > BigInt(o.nowMs + 15_000)) throw new Error('its timestamp is in the future');
    if (!o.executed) await o.ledger.checkBlock(e.block);
    e.status = 'valid';
    return null;
  } catch (err) {
    e.status = 'invalid';
    st.invalid.add(e.hash);
    return String(err);
  }
}

/**
 * A proposal message's checks on arrival: a primary's winning ticket, ticket and proposal
 * signatures in one batch (`trusted`: our own). Null when refused; else its entry (null for a
 * block already found invalid), its priority, and evidence if the primary proposed another
 * block in this round. The block itself is checked later, when it matters (checkProposal).
 */
export function admitProposal(
  st: HeightState,
  m: ProposalMsg,
  block: Block,
  trusted: boolean,
): { entry: ProposalEntry | null; priority: bigint; evidence: Evidence | null } | null {
  const v = st.ctx.primaries.get(m.proposer);
  if (!v) return null;
  const hash = bytesToHex(block.hash()) as Hex;
  if (!trusted) {
    if (!sortitionWins(st.ctx, v, m.round, m.ticketSig)) return null;
    const ok = blsBatchVerify([
      { publicKey: v.publicKey, message: ticketDigest(st.ctx, Kind.PROPOSE_TICKET, m.round), signature: m.ticketSig },
      { publicKey: v.publicKey, message: poeDigest(Kind.PROPOSAL, st.ctx.chainId, st.ctx.height, m.round, block.hash()), signature: m.sig },
    ]);
    if (!ok) return null;
  }
  const evidence = st.noteProposer(m.round, m.proposer, hash, m.sig);
  const priority = ticketOf(m.ticketSig);
  if (st.invalid.has(hash)) return { entry: null, priority, evidence };
  let entry = st.proposals.get(hash);
  if (!entry) {
    const bodyRound = decodeBody(m.body).round;
    entry = { hash, block, body: m.body, bodyRound, status: 'unchecked', info: null, ticketSig: m.ticketSig, proposer: m.proposer, proposedIn: new Map(), seals: new Map(), pendingSeals: st.earlySeals.get(hash) ?? [] };
    st.earlySeals.delete(hash);
    st.proposals.set(hash, entry);
  }
  if (!entry.proposedIn.has(m.round)) entry.proposedIn.set(m.round, { priority, validRound: m.validRound });
  return { entry, priority, evidence };
}
