/**
 * @module seal/vote-book
 * Prevotes and precommits of one height, verified lazily and in batches: a vote is recorded
 * after cheap checks (the voter is on the committee, one slot per voter and block), and its
 * BLS signature is checked only when the engine is about to act on a quorum that includes it
 * — all votes for one (kind, round, block) share one digest, so a quorum costs one random-
 * linear-combination batch (2 pairings) instead of one verification per vote. A batch that
 * fails is re-checked vote by vote and the forgeries are dropped, so a forged vote can
 * delay a step by one batch, never count. Two *verified* votes of one key for different
 * blocks in one (kind, round) are equivocation evidence; a voter's second block in a
 * (kind, round) has its votes checked at once (each vote at most once: a valid one stays
 * verified, a forgery is dropped), so equivocation is caught even when neither block
 * gathers a quorum (a prevote for B and one for nil).
 */
import { blsBatchVerify, blsVerify } from '../crypto';
import type { HeightContext } from './context';
import { Kind } from './digest';
import type { Hex } from './codec';
import { hexBytes, type Evidence } from './height-state';
import { voteDigest } from './verify';

type VoteKind = Kind.PREVOTE | Kind.PRECOMMIT;
type Entry = { voter: Hex; hash: Hex; sig: Uint8Array; verified: boolean };

/** At most this many distinct claimed votes per voter and (kind, round): forgeries cannot crowd out the real one. */
const PER_VOTER = 3;

export class VoteBook {
  private readonly rounds = new Map<string, Entry[]>();
  readonly evidence: Evidence[] = [];

  constructor(private readonly ctx: HeightContext) {}

  /** 'added', or 'duplicate' when this exact vote is known (or the voter's slots are full). */
  add(kind: VoteKind, round: number, voter: Hex, hash: Hex, sig: Uint8Array, verified: boolean): 'added' | 'duplicate' {
    const list = this.list(kind, round);
    const mine = list.filter((e) => e.voter === voter);
    if (mine.some((e) => e.hash === hash && (e.verified || Buffer.compare(Buffer.from(e.sig), Buffer.from(sig)) === 0))) return 'duplicate';
    if (mine.length >= PER_VOTER) return 'duplicate';
    list.push({ voter, hash, sig, verified });
    if (mine.some((e) => e.hash !== hash)) this.checkConflict(kind, round, voter);
    return 'added';
  }

  /** One voter, two blocks: verify its pending votes one by one (forgeries dropped), then look for evidence. */
  private checkConflict(kind: VoteKind, round: number, voter: Hex): void {
    const list = this.list(kind, round);
    const pk = this.ctx.primaries.get(voter)!.publicKey;
    const forged = new Set<Entry>();
    for (const e of list) {
      if (e.voter !== voter || e.verified) continue;
      if (blsVerify(pk, voteDigest(this.ctx, kind, round, hexBytes(e.hash)), e.sig)) e.verified = true;
      else forged.add(e);
    }
    if (forged.size) this.rounds.set(`${kind}:${round}`, list.filter((e) => !forged.has(e)));
    this.noteEquivocation(kind, round, voter);
  }

  /** Claimed weight (unverified included) per block hash, each voter counted once per hash. */
  claimed(kind: VoteKind, round: number): Map<Hex, bigint> {
    return this.weigh(this.list(kind, round));
  }

  /** Claimed weight of all distinct voters in a round (for the "2/3 of anything" timeouts). */
  claimedTotal(kind: VoteKind, round: number): bigint {
    const voters = new Set(this.list(kind, round).map((e) => e.voter));
    return [...voters].reduce((s, v) => s + (this.ctx.primaries.get(v)?.stake ?? 0n), 0n);
  }

  /** Verifies the votes for `hash` (one batch; vote by vote if it fails) and returns their weight. */
  verifiedWeight(kind: VoteKind, round: number, hash: Hex): bigint {
    const list = this.list(kind, round);
    const pending = list.filter((e) => e.hash === hash && !e.verified);
    if (pending.length) {
      const digest = voteDigest(this.ctx, kind, round, hexBytes(hash));
      const items = pending.map((e) => ({ publicKey: this.ctx.primaries.get(e.voter)!.publicKey, message: digest, signature: e.sig }));
      if (blsBatchVerify(items)) pending.forEach((e) => (e.verified = true));
      else for (const [i, e] of pending.entries()) e.verified = blsVerify(items[i]!.publicKey, digest, e.sig);
      this.rounds.set(`${kind}:${round}`, list.filter((e) => e.verified || e.hash !== hash));
      for (const e of pending) if (e.verified) this.noteEquivocation(kind, round, e.voter);
    }
    return this.weigh(this.list(kind, round).filter((e) => e.hash === hash && e.verified)).get(hash) ?? 0n;
  }

  /** Verified votes for `hash` (call verifiedWeight first). */
  verifiedVotes(kind: VoteKind, round: number, hash: Hex): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    for (const e of this.list(kind, round)) if (e.hash === hash && e.verified && !out.has(e.voter)) out.set(e.voter, e.sig);
    return out;
  }

  /** Rounds with any claimed votes. */
  roundsOf(kind: VoteKind): number[] {
    return [...this.rounds.keys()].filter((k) => k.startsWith(`${kind}:`)).map((k) => Number(k.split(':')[1]));
  }

  /** Distinct verified voters of a round (any block): for the "> 1/3 is in a later round" jump. */
  verifiedVotersWeight(round: number): bigint {
    const voters = new Set<string>();
    for (const kind of [Kind.PREVOTE, Kind.PRECOMMIT] as const) {
      const hashes = new Set(this.list(kind, round).map((e) => e.hash));
      for (const h of hashes) this.verifiedWeight(kind, round, h);
      for (const e of this.list(kind, round)) if (e.verified) voters.add(e.voter);
    }
    return [...voters].reduce((s, v) => s + (this.ctx.primaries.get(v)?.stake ?? 0n), 0n);
  }

  private noteEquivocation(kind: VoteKind, round: number, voter: Hex): void {
    const mine = this.list(kind, round).filter((e) => e.voter === voter && e.verified);
    const a = mine[0];
    const b = mine.find((e) => e.hash !== a?.hash);
    if (!a || !b) return;
    if (this.evidence.some((e) => e.offender === voter && e.kind === kind && e.round === round)) return;
    this.evidence.push({ offender: voter, kind, round, dataA: hexBytes(a.hash), sigA: a.sig, dataB: hexBytes(b.hash), sigB: b.sig });
  }

  private weigh(entries: Entry[]): Map<Hex, bigint> {
    const seen = new Set<string>();
    const out = new Map<Hex, bigint>();
    for (const e of entries) {
      const id = `${e.voter}:${e.hash}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.set(e.hash, (out.get(e.hash) ?? 0n) + (this.ctx.primaries.get(e.voter)?.stake ?? 0n));
    }
    return out;
  }

  private list(kind: VoteKind, round: number): Entry[] {
    const key = `${kind}:${round}`;
    let l = this.rounds.get(key);
    if (!l) {
      l = [];
      this.rounds.set(key, l);
    }
    return l;
  }
}
