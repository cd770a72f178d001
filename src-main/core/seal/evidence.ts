/**
 * @module seal/evidence
 * Punishing equivocation on chain (issue 9; POE brief "Staking contract"): when the engine
 * sees one key sign two different blocks for the same (kind, height, round) — two proposals
 * (Kind.PROPOSAL = 3), prevotes (5) or precommits (6), the numbering PoeStaking uses — it
 * emits 'evidence' (height-state.ts, vote-book.ts). The reporter turns each piece into
 * `reportEquivocation(offender, kind, height, round, dataA, sigA, dataB, sigB)`, an EIP-1559
 * transaction signed with the node's own account and added to the local mempool; the engine
 * gossips local additions to the primaries, a proposer includes it, and the contract verifies
 * both signatures with the BLS precompile, slashes the offender (10 % to the reporter, the
 * rest burned) and removes it from `validators()` — so from height N + lookback on it is no
 * longer on the committee.
 *
 * One report per (offender, kind, height, round); none while an earlier report of the same
 * offender waits in the mempool (one slash takes all of its stake), and none when the
 * offender is no longer in the active set at the head (someone's report was mined first).
 */
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { createAddressFromPrivateKey, createAddressFromString } from '@ethereumjs/util';
import { silentLogger, type Logger } from '../base';
import { encodeReportEquivocation, readValidatorSet, type Ledger, type Mempool } from '../chain';
import type { EngineEvents, PoeEngine } from './engine';

/** Enough for two BLS precompile calls (50,000 gas each), the unlinking and two transfers. */
export const REPORT_GAS_LIMIT = 400_000n;
/** Tip offered to the proposer (1 gwei). */
export const REPORT_TIP_WEI = 1_000_000_000n;

export type EvidenceReporterOptions = {
  engine: PoeEngine;
  ledger: Ledger;
  mempool: Mempool;
  /** The account that signs (and pays for) the reports and receives the reporter's share (the sender is the private key's address). */
  key: { privateKey: Uint8Array; address: string };
  stakingAddress: string;
  logger?: Logger;
};

export type Report = { key: string; hash: string | null; error: string | null };

export class EvidenceReporter {
  /** Reports made, in order (hash of the transaction, or the error that stopped it). */
  readonly reports: Report[] = [];
  private readonly seen = new Set<string>();
  /** Offender → hash of its report not yet mined. */
  private readonly pending = new Map<string, string>();
  private readonly off: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;

  constructor(private readonly o: EvidenceReporterOptions) {
    this.logger = o.logger ?? silentLogger;
    this.off = o.engine.events.on('evidence', (ev) => {
      const key = `${ev.offender.toLowerCase()}:${ev.kind}:${ev.height}:${ev.round}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      const run = this.queue.then(() => this.submit(key, ev));
      this.queue = run.catch(() => undefined);
    });
  }

  /** Resolves when every report seen so far was submitted (or failed). */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  stop(): void {
    this.off();
  }

  private async submit(key: string, ev: EngineEvents['evidence']): Promise<void> {
    try {
      const { ledger, mempool } = this.o;
      const head = ledger.head;
      const set = await readValidatorSet(ledger, head.header);
      const offender = ev.offender.toLowerCase();
      const earlier = this.pending.get(offender);
      if (earlier && mempool.get(earlier)) {
        this.reports.push({ key, hash: null, error: 'a report of this offender is pending' });
        return;
      }
      if (![...set.primaries, ...set.sealers].some((v) => v.address === offender)) {
        this.reports.push({ key, hash: null, error: 'the offender is no longer staked' });
        return;
      }
      const data = encodeReportEquivocation({ offender, kind: ev.kind, height: ev.height, round: ev.round, dataA: ev.dataA, sigA: ev.sigA, dataB: ev.dataB, sigB: ev.sigB });
      const from = createAddressFromPrivateKey(this.o.key.privateKey);
      const nonce = await mempool.pendingNonce(from);
      const baseFee = head.header.common.isActivatedEIP(1559) ? head.header.calcNextBaseFee() : 0n;
      const number = head.header.number + 1n;
      const timestamp = BigInt(Math.floor(Date.now() / 1000));
      const tx = createFeeMarket1559Tx(
        {
          chainId: ledger.chainId,
          nonce,
          maxPriorityFeePerGas: REPORT_TIP_WEI,
          maxFeePerGas: baseFee * 2n + REPORT_TIP_WEI,
          gasLimit: REPORT_GAS_LIMIT,
          to: createAddressFromString(this.o.stakingAddress),
          value: 0n,
          data,
        },
        { common: ledger.commonAt(number, timestamp > head.header.timestamp ? timestamp : head.header.timestamp + 1n) },
      ).sign(this.o.key.privateKey);
      const hash = await mempool.add(tx.serialize());
      this.pending.set(offender, hash);
      this.reports.push({ key, hash, error: null });
      this.logger.warn('poe: equivocation reported', { offender, kind: ev.kind, height: Number(ev.height), round: ev.round, tx: hash });
    } catch (err) {
      this.reports.push({ key, hash: null, error: String(err) });
      this.logger.error('poe: equivocation report failed', { key, error: String(err).slice(0, 200) });
    }
  }
}

