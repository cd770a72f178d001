/**
 * @module seal/engine
 * One node's POE consensus: seed 003's draw, secondary seals and primary joint seal, run as
 * a Tendermint-style round machine (Buchman, Kwon, Milosevic, arXiv:1807.04938) so that
 * one block per height becomes final and nothing final is ever reverted:
 *
 *   propose   primaries whose unique ticket wins the round propose (best priority wins)
 *   seal      sealers whose ticket wins re-execute each proposal and seal the valid ones
 *   prevote   each primary prevotes the best-priority valid proposal with enough seals,
 *             respecting its lock; nil on timeout
 *   precommit on > 2/3 of stake prevoting one block (a polka): lock it and precommit it
 *   commit    on > 2/3 of stake precommitting one block: it is final (certificate of the
 *             aggregated precommits and seals, stored with the block); next height
 *
 * Timeouts grow with the round; a node that sees > 1/3 of stake in a later round jumps to
 * it. Every message is verified before it is counted; two signed messages of one key for
 * one (kind, height, round) become equivocation evidence (evidence.ts). A node that falls
 * behind catches up with sync.ts. The node's own messages take the same path as others'.
 */
import type { Block } from '@ethereumjs/block';
import { bytesToHex } from '@ethereumjs/util';
import { silentLogger, TypedEmitter, type Logger } from '../base';
import type { Ledger, Mempool } from '../chain';
import { blsSign } from '../crypto';
import { decodeMessage, encodeCertificate, encodeMessage, MsgType, type Certificate, type Hex, type PoeMessage, type ProposalMsg, type SealMsg, type VoteMsg } from './codec';
import { ContextCache, type SetReader } from './context';
import { Kind } from './digest';
import { HeightState, NIL, hexBytes, type Evidence, type ProposalEntry } from './height-state';
import { recordSeal } from './seals';
import type { PoeParams } from './params';
import { BODY_AUX, CERT_AUX, bestTicket, propose, type Built } from './proposer';
import { inlineSealing, type SealingPort } from './sealer';
import { admitProposal, buildCertificate, checkProposal, chooseBlock, sealJobFor } from './round-rules';
import { Syncer, type SyncStatus } from './sync';
import type { PoeTransport } from './transport';
import type { PoeKey } from './types';
import { isQuorum, verifyCertificate, voteDigest } from './verify';
import { Timers } from './timers';
import { TxGossip } from './tx-gossip';

export { inlineSealing, type SealingPort } from './sealer';

export type EngineOptions = {
  ledger: Ledger;
  mempool: Mempool | null;
  transport: PoeTransport;
  params: PoeParams;
  readSet: SetReader;
  keys: { primaries: PoeKey[]; sealers: PoeKey[] };
  sealing?: SealingPort;
  logger?: Logger;
  now?: () => number;
};

export type EngineEvents = {
  final: { block: Block; cert: Certificate; latencyMs: number };
  evidence: Evidence & { height: bigint };
};

const MAX_FUTURE = 2000;

export class PoeEngine {
  readonly events = new TypedEmitter<EngineEvents>();
  readonly contexts: ContextCache;
  readonly syncer: Syncer;
  private state: HeightState | null = null;
  private readonly timers = new Timers();
  private queue: Promise<unknown> = Promise.resolve();
  private future: { height: bigint; msg: PoeMessage }[] = [];
  private readonly offs: (() => void)[] = [];
  private readonly candidates = new Map<string, Built['candidate']>();
  private readonly latencies: number[] = [];
  private stopped = true;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly sealing: SealingPort;
  private firstTxAt: number | null = null;
  private readonly txs: TxGossip | null;
  private proposeDeadline = Infinity;
  private lastCatchUp = 0;
  /** When this height's block was due (a transaction waited, or the interval passed): finality is measured from it. */
  private dueAt = 0;
  /**
   * Our messages of this height (proposal, votes, seals), sent again while the height is stuck:
   * a message broadcast before the links came up (every node of a network starting at once) is
   * otherwise lost for good, and a round waits for +2/3 prevotes before its timeout (H6, devnet).
   */
  private ownSent: Uint8Array[] = [];

  constructor(private readonly o: EngineOptions) {
    this.logger = o.logger ?? silentLogger;
    this.now = o.now ?? Date.now;
    this.contexts = new ContextCache({ chainId: o.ledger.chainId, genesisHash: o.ledger.genesisHash, blockByNumber: (n) => o.ledger.blockByNumber(n) }, o.params, o.readSet);
    this.syncer = new Syncer(o.ledger, this.contexts, o.transport, this.logger);
    this.sealing = o.sealing ?? inlineSealing(o.keys.sealers);
    this.txs = o.mempool ? new TxGossip(o.mempool, o.transport) : null;
  }

  /** Our sealer keys changed (unlocked: the user's key; locked: none). */
  setSealerKeys(keys: PoeKey[]): void {
    this.o.keys.sealers = keys;
  }

  /** Peers on the transport. */
  peerCount(): number {
    return this.o.transport.peers().length;
  }

  get height(): bigint {
    return this.state?.ctx.height ?? this.o.ledger.head.header.number + 1n;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.offs.push(this.o.transport.onMessage((data) => this.receive(data)));
    this.o.transport.onRequest((req) => this.syncer.answer(req));
    this.offs.push(this.sealing.onSeal((msg) => this.broadcastOwn(msg)));
    if (this.o.mempool) {
      this.offs.push(
        this.o.mempool.events.on('added', (p) => {
          this.firstTxAt ??= this.now();
          this.txs?.added(p);
          void this.serial(() => {
            this.rearmPropose();
            return this.maybePropose();
          });
        }),
      );
    }
    this.timers.every(5000, () => this.serial(() => this.checkProgress()));
    // Links come up after start or an outage: catch up then, not at the next COMMIT (a quiet chain sends none).
    let hadPeers = false;
    this.timers.every(500, () => {
      const has = this.peerCount() > 0;
      if (has && !hadPeers) void this.serial(async () => ((await this.syncer.catchUp()) > 0 ? this.enterHeight() : undefined));
      hadPeers = has;
    });
    await this.serial(async () => {
      await this.syncer.catchUp();
      await this.enterHeight();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clear();
    for (const off of this.offs.splice(0)) off();
    await this.queue.catch(() => undefined);
  }

  status(): { height: bigint; round: number; finalized: bigint; finalityP50Ms: number | null; primaries: number; sealers: number; sync: SyncStatus } {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      height: this.height,
      round: this.state?.round ?? 0,
      finalized: this.o.ledger.head.header.number,
      finalityP50Ms: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null,
      primaries: this.state?.ctx.set.primaries.length ?? 0,
      sealers: this.state?.ctx.set.sealers.length ?? 0,
      sync: this.syncer.status.state === 'syncing' ? this.syncer.status : { ...this.syncer.status, height: this.o.ledger.head.header.number, target: this.o.ledger.head.header.number, peers: this.peerCount() },
    };
  }

  /** Chain reset (devnet) or an external import moved the head: start over at the new height. */
  restart(): Promise<void> {
    return this.serial(async () => {
      this.contexts.clear();
      await this.enterHeight();
    });
  }

  // ---- inbound ------------------------------------------------------------------------

  private receive(data: Uint8Array): Promise<boolean> {
    let msg: PoeMessage;
    try {
      msg = decodeMessage(data);
    } catch {
      return Promise.resolve(false);
    }
    return this.serial(() => this.apply(msg, false));
  }

  private broadcastOwn(data: Uint8Array): void {
    this.o.transport.broadcast(data);
    this.ownSent.push(data);
    if (this.ownSent.length > 64) this.ownSent.shift();
    void this.serial(() => this.apply(decodeMessage(data), true));
  }

  private async apply(msg: PoeMessage, trusted: boolean): Promise<boolean> {
    if (this.stopped) return false;
    if (msg.type === MsgType.TX) return this.txs ? this.txs.received(msg.raw) : false;
    const st = this.state;
    if (!st) return false;
    const height = msg.type === MsgType.COMMIT ? msg.cert.height : msg.height;
    if (height < st.ctx.height) return false;
    if (height > st.ctx.height) {
      if (msg.type === MsgType.COMMIT) {
        // Peers are ahead: fetch and verify what they finalised (not relayed: unverified here).
        if ((await this.catchUpSoon()) > 0) await this.enterHeight();
        return false;
      }
      if (height <= st.ctx.height + 2n && this.future.length < MAX_FUTURE) this.future.push({ height, msg });
      return false;
    }
    let ok: boolean;
    try {
      if (msg.type === MsgType.PROPOSAL) ok = await this.onProposal(st, msg, trusted);
      else if (msg.type === MsgType.SEAL) ok = this.onSeal(st, msg, trusted);
      else if (msg.type === MsgType.COMMIT) ok = await this.onCommitMsg(st, msg.cert);
      else ok = this.onVote(st, msg, trusted);
    } catch (err) {
      this.logger.debug('poe: message refused', { type: msg.type, error: String(err) });
      return false;
    }
    if (ok && this.state === st) await this.evaluate(st);
    return ok;
  }

  /**
   * A proposal's signatures are checked on arrival (ticket and proposal signature in one
   * batch); the block itself only when it is the best-priority one we would seal or vote for
   * (ensureValid), so losing proposals cost no execution.
   */
  private async onProposal(st: HeightState, m: ProposalMsg, trusted: boolean): Promise<boolean> {
    const block = this.o.ledger.decodeBlock(m.block);
    const admitted = admitProposal(st, m, block, trusted);
    if (!admitted) return false;
    if (admitted.evidence) this.report(st, admitted.evidence);
    const { entry, priority } = admitted;
    if (!entry) return false;
    // A sealer seals the best proposal it has seen in the round (and any better one that follows).
    if (this.o.keys.sealers.length && priority < (st.bestSealed.get(m.round) ?? 1n << 256n)) {
      if (await this.ensureValid(st, entry)) {
        st.bestSealed.set(m.round, priority);
        this.submitSealJob(st, entry);
      }
    }
    return true;
  }


  /** POE rules and re-execution of a proposed block, once. */
  private async ensureValid(st: HeightState, e: ProposalEntry): Promise<boolean> {
    const err = await checkProposal(st, e, { ledger: this.o.ledger, executed: this.candidates.has(e.hash), nowMs: this.now() });
    if (err) this.logger.info('poe: invalid proposal', { height: Number(st.ctx.height), error: err.slice(0, 200) });
    return e.status === 'valid';
  }

  private onSeal(st: HeightState, m: SealMsg, trusted: boolean): boolean {
    // only the committee needs seals
    return this.isPrimary(st) && recordSeal(st, m, trusted);
  }

  private onVote(st: HeightState, m: VoteMsg, trusted: boolean): boolean {
    if (!st.ctx.primaries.has(m.voter)) return false;
    if (!this.isPrimary(st)) return false; // sealers and observers follow COMMIT messages
    const kind = m.type === MsgType.PREVOTE ? Kind.PREVOTE : Kind.PRECOMMIT;
    return st.votes.add(kind, m.round, m.voter, bytesToHex(m.blockHash) as Hex, m.sig, trusted) === 'added';
  }

  private async onCommitMsg(st: HeightState, cert: Certificate): Promise<boolean> {
    const hash = bytesToHex(cert.blockHash) as Hex;
    if (!st.proposals.has(hash)) {
      if ((await this.catchUpSoon()) > 0) await this.enterHeight();
      return false;
    }
    verifyCertificate(st.ctx, cert, cert.blockHash);
    if (!(await this.ensureValid(st, st.proposals.get(hash)!))) return false;
    await this.commit(st, hash, cert);
    return true;
  }

  // ---- the round machine --------------------------------------------------------------

  private async enterHeight(): Promise<void> {
    this.timers.clearRound();
    this.ownSent = [];
    const head = this.o.ledger.head;
    const height = head.header.number + 1n;
    const ctx = await this.contexts.forHeight(height);
    const parentCtx = height > 1n ? await this.contexts.forHeight(height - 1n) : null;
    const st = new HeightState(ctx, parentCtx, head, this.now());
    this.state = st;
    this.candidates.clear();
    this.firstTxAt = (this.o.mempool?.size ?? 0) > 0 ? this.now() : null;
    this.startRound(st, 0);
    const replay = this.future.filter((f) => f.height === height);
    this.future = this.future.filter((f) => f.height > height);
    for (const f of replay) await this.apply(f.msg, false);
    await this.maybePropose();
  }

  private startRound(st: HeightState, round: number): void {
    st.round = round;
    st.step = 'propose';
    this.timers.clearRound();
    this.proposeDeadline = Infinity;
    this.rearmPropose();
  }

  /** The propose timeout runs from when a proposal is due (round 0: a transaction waits, or the interval passed). */
  private rearmPropose(): void {
    const st = this.state;
    if (!st || st.step !== 'propose') return;
    const t = st.ctx.params.timeouts;
    const due = st.round === 0 ? Math.max(this.now(), this.readyAt(st)) : this.now();
    const deadline = due + t.proposeMs + st.round * t.deltaMs;
    if (deadline >= this.proposeDeadline) return;
    this.proposeDeadline = deadline;
    if (st.round === 0) this.dueAt = due;
    const round = st.round;
    this.timers.round('propose', Math.min(deadline - this.now(), 2 ** 31 - 1), () => this.serial(() => this.onTimeout(st, round, 'propose')));
  }

  /** Round 0 begins when a transaction waits or the block interval has passed. */
  private readyAt(st: HeightState): number {
    const interval = Number(st.parent.header.timestamp) * 1000 + st.ctx.params.blockIntervalMs;
    const pending = (this.o.mempool?.size ?? 0) > 0 ? (this.firstTxAt ?? this.now()) : Infinity;
    return Math.min(interval, pending);
  }

  private async maybePropose(): Promise<void> {
    const st = this.state;
    if (!st || st.committed || st.step !== 'propose' || this.o.keys.primaries.length === 0) return;
    const round = st.round;
    if (st.prevoted.has(round) || this.timers.has(`proposed:${round}`)) return;
    const delay = round === 0 ? this.readyAt(st) - this.now() : 0;
    if (delay > 0) {
      if (!this.timers.has('ready')) this.timers.round('ready', Math.min(delay, 2 ** 31 - 1), () => this.serial(() => this.maybePropose()));
      return;
    }
    this.timers.mark(`proposed:${round}`);
    const ticket = bestTicket(st, this.o.keys.primaries, round);
    if (!ticket) return;
    // Hopeless if a better-priority proposal of this round is already here and checked valid (re-proposals
    // aside). An unchecked one may be a byzantine proposer's invalid block: propose anyway.
    if (!st.validHash && [...st.proposals.values()].some((e) => e.status === 'valid' && (e.proposedIn.get(round)?.priority ?? 1n << 256n) < ticket.priority)) return;
    const built = await propose({ ledger: this.o.ledger, mempool: this.o.mempool, state: st, ticket, round, nowMs: this.now() });
    if (this.state !== st) return;
    if (built.candidate) this.candidates.set(bytesToHex(built.candidate.block.hash()), built.candidate);
    this.broadcastOwn(encodeMessage(built.msg));
  }

  private async onTimeout(st: HeightState, round: number, what: 'propose' | 'prevote' | 'precommit'): Promise<void> {
    if (this.state !== st || st.committed || st.round !== round) return;
    this.logger.debug('poe: timeout', { h: Number(st.ctx.height), r: round, what, step: st.step });
    if (what === 'propose' && st.step === 'propose') this.prevote(st, (await this.choose(st, true)) ?? NIL);
    else if (what === 'prevote' && st.step === 'prevote') this.precommit(st, NIL);
    else if (what === 'precommit') {
      this.startRound(st, round + 1);
      await this.maybePropose();
    }
    await this.evaluate(st);
  }

  /** The block to prevote this round, or null to keep waiting (NIL at the timeout). */
  private choose(st: HeightState, atTimeout: boolean): Promise<Hex | null> {
    return chooseBlock(st, atTimeout, (e) => this.ensureValid(st, e));
  }

  private prevote(st: HeightState, hash: Hex): void {
    if (st.prevoted.has(st.round)) return;
    st.prevoted.add(st.round);
    st.step = 'prevote';
    this.vote(st, MsgType.PREVOTE, hash);
  }

  private precommit(st: HeightState, hash: Hex): void {
    if (st.precommitted.has(st.round)) return;
    st.precommitted.add(st.round);
    st.step = 'precommit';
    this.vote(st, MsgType.PRECOMMIT, hash);
  }

  private vote(st: HeightState, type: MsgType.PREVOTE | MsgType.PRECOMMIT, hash: Hex): void {
    this.logger.debug(type === MsgType.PREVOTE ? 'poe: prevote' : 'poe: precommit', { h: Number(st.ctx.height), r: st.round, hash: hash.slice(0, 10) });
    const kind = type === MsgType.PREVOTE ? Kind.PREVOTE : Kind.PRECOMMIT;
    const digest = voteDigest(st.ctx, kind, st.round, hexBytes(hash));
    for (const key of this.o.keys.primaries) {
      if (!st.ctx.primaries.has(key.address)) continue;
      const msg: VoteMsg = { type, height: st.ctx.height, round: st.round, blockHash: hexBytes(hash), voter: key.address as Hex, sig: blsSign(key.blsSecret, digest) };
      this.broadcastOwn(encodeMessage(msg));
    }
  }

  /** Applies Tendermint's upon-rules to what is known now (quorums are verified before they count). */
  private async evaluate(st: HeightState): Promise<void> {
    if (st.committed || this.state !== st) return;
    const book = st.votes;
    for (const r of book.roundsOf(Kind.PRECOMMIT)) {
      for (const [hash, claimed] of book.claimed(Kind.PRECOMMIT, r)) {
        if (hash === NIL || !isQuorum(st.ctx, claimed) || !st.proposals.has(hash)) continue;
        if (!(await this.ensureValid(st, st.proposals.get(hash)!))) continue;
        if (isQuorum(st.ctx, book.verifiedWeight(Kind.PRECOMMIT, r, hash))) {
          await this.commit(st, hash, buildCertificate(st, hash, r));
          return;
        }
      }
    }
    this.flushEvidence(st);
    for (const later of [...new Set([...book.roundsOf(Kind.PREVOTE), ...book.roundsOf(Kind.PRECOMMIT)])].filter((r) => r > st.round).sort((a, b) => b - a)) {
      if (book.claimedTotal(Kind.PREVOTE, later) + book.claimedTotal(Kind.PRECOMMIT, later) === 0n) continue;
      if (book.verifiedVotersWeight(later) * 3n > st.ctx.set.totalPrimaryStake) {
        this.startRound(st, later);
        await this.maybePropose();
        break;
      }
    }
    if (!this.isPrimary(st)) return;
    const r = st.round;
    if (st.step === 'propose') {
      const choice = this.timers.has('collect') ? null : await this.choose(st, false);
      if (choice && !this.timers.has('collect'))
        this.timers.round('collect', st.ctx.params.timeouts.collectMs, () =>
          this.serial(async () => {
            if (this.state === st && st.round === r && st.step === 'propose') this.prevote(st, (await this.choose(st, true)) ?? NIL);
            await this.evaluate(st);
          }),
        );
    }
    for (const [hash, claimed] of book.claimed(Kind.PREVOTE, r)) {
      if (!isQuorum(st.ctx, claimed) || !isQuorum(st.ctx, book.verifiedWeight(Kind.PREVOTE, r, hash))) continue;
      if (hash !== NIL && st.proposals.has(hash) && (await this.ensureValid(st, st.proposals.get(hash)!))) {
        st.validHash = hash;
        st.validRound = r;
        if (st.step === 'prevote') {
          st.lockedHash = hash;
          st.lockedRound = r;
          this.precommit(st, hash);
        }
      } else if (hash === NIL && st.step === 'prevote') this.precommit(st, NIL);
    }
    const t = st.ctx.params.timeouts;
    if (st.step === 'prevote' && isQuorum(st.ctx, book.claimedTotal(Kind.PREVOTE, r)) && !this.timers.has('prevote'))
      this.timers.round('prevote', t.prevoteMs + r * t.deltaMs, () => this.serial(() => this.onTimeout(st, r, 'prevote')));
    if (isQuorum(st.ctx, book.claimedTotal(Kind.PRECOMMIT, r)) && !this.timers.has('precommit'))
      this.timers.round('precommit', t.precommitMs + r * t.deltaMs, () => this.serial(() => this.onTimeout(st, r, 'precommit')));
  }

  private isPrimary(st: HeightState): boolean {
    return this.o.keys.primaries.some((k) => st.ctx.primaries.has(k.address));
  }

  private flushEvidence(st: HeightState): void {
    for (const ev of st.votes.evidence.splice(0)) this.report(st, ev);
  }

  private async commit(st: HeightState, hash: Hex, cert: Certificate): Promise<void> {
    if (st.committed) return;
    st.committed = true;
    this.flushEvidence(st); // found while counting the quorum that commits: the height state is dropped next
    const entry = st.proposals.get(hash)!;
    const aux = { [BODY_AUX]: entry.body, [CERT_AUX]: encodeCertificate(cert) };
    const candidate = this.candidates.get(hash);
    const block = candidate ? await this.o.ledger.commit(candidate, aux) : await this.o.ledger.importBlock(entry.block, aux);
    await this.o.mempool?.pruneStale();
    const latencyMs = this.now() - Math.max(st.startedAt, Math.min(this.dueAt, this.now()));
    this.latencies.push(latencyMs);
    if (this.latencies.length > 500) this.latencies.shift();
    this.o.transport.broadcast(encodeMessage({ type: MsgType.COMMIT, cert }));
    this.events.emit('final', { block, cert, latencyMs });
    await this.enterHeight();
  }

  private submitSealJob(st: HeightState, e: ProposalEntry): void {
    const job = sealJobFor(st, e, this.o.keys.sealers);
    if (job) this.sealing.submit(job);
  }

  private report(st: HeightState, ev: Evidence): void {
    this.logger.warn('poe: equivocation', { offender: ev.offender, kind: ev.kind, height: Number(st.ctx.height), round: ev.round });
    this.events.emit('evidence', { ...ev, height: st.ctx.height });
  }

  /** catchUp, at most once a second (every primary's COMMIT would otherwise start one). */
  private async catchUpSoon(): Promise<number> {
    if (this.now() - this.lastCatchUp < 1000) return 0;
    this.lastCatchUp = this.now();
    return this.syncer.catchUp();
  }

  private async checkProgress(): Promise<void> {
    const st = this.state;
    if (!st || this.stopped) return;
    if (this.now() - st.startedAt < 10_000) return;
    const before = this.o.ledger.head.header.number;
    await this.syncer.catchUp();
    if (this.o.ledger.head.header.number !== before) await this.enterHeight();
    else for (const m of this.ownSent) this.o.transport.broadcast(m);
  }

  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
