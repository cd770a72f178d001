/**
 * @module seal/height-state
 * Everything one node knows about one height: proposals (by block hash, across rounds),
 * their seals (checked lazily, in batches: seals.ts), votes (vote-book.ts) and the
 * Tendermint round state (round, step, lock, valid block). Two signed proposals of one
 * primary in one round are equivocation evidence.
 */
import type { Block } from '@ethereumjs/block';
import { bytesToHex } from '@ethereumjs/util';
import type { PoeBlockInfo } from './block-rules';
import type { HeightContext } from './context';
import { Kind, ZERO32 } from './digest';
import type { Hex } from './codec';
import { VoteBook } from './vote-book';

export const NIL = bytesToHex(ZERO32) as Hex;

export type SealClaim = { sealer: Hex; ticketSig: Uint8Array; sig: Uint8Array };

export type ProposalEntry = {
  hash: Hex;
  block: Block;
  body: Uint8Array;
  /** The block's own round (from its body: seals and tickets are drawn for it). */
  bodyRound: number;
  /** Checked (POE rules + re-execution) only when it matters: it is the best we might seal or vote for. */
  status: 'unchecked' | 'valid' | 'invalid';
  info: PoeBlockInfo | null;
  /** The first proposal message's ticket (verified on arrival). */
  ticketSig: Uint8Array;
  proposer: Hex;
  /** Rounds this block was proposed in → (priority ticket of the proposing primary, validRound). */
  proposedIn: Map<number, { priority: bigint; validRound: number }>;
  /** Verified seals by sealer. */
  seals: Map<string, { ticketSig: Uint8Array; sig: Uint8Array }>;
  /** Seals that passed the cheap checks, not yet their signatures. */
  pendingSeals: SealClaim[];
};

export type Evidence = { offender: Hex; kind: Kind; round: number; dataA: Uint8Array; sigA: Uint8Array; dataB: Uint8Array; sigB: Uint8Array };

export class HeightState {
  round = 0;
  step: 'propose' | 'prevote' | 'precommit' = 'propose';
  lockedHash: Hex | null = null;
  lockedRound = -1;
  validHash: Hex | null = null;
  validRound = -1;
  readonly proposals = new Map<Hex, ProposalEntry>();
  /** Blocks found invalid (by hash): never checked twice. */
  readonly invalid = new Set<string>();
  /** Seals that came before their proposal. */
  readonly earlySeals = new Map<Hex, SealClaim[]>();
  readonly votes: VoteBook;
  /** Best proposal priority we sealed per round (a sealer seals only improvements). */
  readonly bestSealed = new Map<number, bigint>();
  private readonly proposalBy = new Map<string, { hash: Hex; sig: Uint8Array }>();
  /** Rounds we already prevoted / precommitted in. */
  readonly prevoted = new Set<number>();
  readonly precommitted = new Set<number>();
  committed = false;

  constructor(
    readonly ctx: HeightContext,
    readonly parentCtx: HeightContext | null,
    readonly parent: Block,
    readonly startedAt: number,
  ) {
    this.votes = new VoteBook(ctx);
  }

  /** Records who proposed what in a round (signatures already verified); evidence when one primary proposed two blocks. */
  noteProposer(round: number, proposer: Hex, hash: Hex, sig: Uint8Array): Evidence | null {
    const key = `${round}:${proposer}`;
    const prev = this.proposalBy.get(key);
    if (!prev) {
      this.proposalBy.set(key, { hash, sig });
      return null;
    }
    if (prev.hash === hash) return null;
    return { offender: proposer, kind: Kind.PROPOSAL, round, dataA: hexBytes(prev.hash), sigA: prev.sig, dataB: hexBytes(hash), sigB: sig };
  }
}

export function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
}
