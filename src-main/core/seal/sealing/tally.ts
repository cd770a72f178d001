/**
 * @module seal/sealing/tally
 * What the sealer has earned, kept across restarts: seals made, rewards (wei, exact bigint) and
 * their history in 5-minute buckets (seven days kept; the status shows the last 24 hours), plus
 * the last block whose withdrawals were counted, so a block seen twice (a restart, a re-sent
 * head) is never counted twice. Rewards are the EIP-4895 withdrawals of each final block paid
 * to one of our addresses (amounts in gwei; 1 gwei = 10^9 wei).
 *
 * The file belongs to one chain: it lives in `<profile>/chain/sealing.json`, so a devnet reset
 * (which deletes that folder) starts it from zero with the new chain. Writes are atomic
 * (temporary file + rename) and batched (at most one a second, and on close).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SealingHistoryBucketT } from '../../../../src-preload/contract';

export const BUCKET_MS = 5 * 60_000;
export const KEEP_MS = 7 * 24 * 3_600_000;
export const SHOWN_MS = 24 * 3_600_000;
const GWEI = 1_000_000_000n;

type Bucket = { t: number; seals: number; rewardsWei: bigint };

/** A block's withdrawals, as @ethereumjs/block has them (address bytes or hex, amount in gwei). */
export type WithdrawalLike = { address: { toString(): string } | string; amount: bigint | number | string };
export type BlockLike = {
  header: { number: bigint; timestamp: bigint };
  withdrawals?: readonly WithdrawalLike[];
};

/** Sum (wei) of the withdrawals paid to any of `ours` (lower-case 0x addresses). */
export function rewardsOf(block: BlockLike, ours: ReadonlySet<string>): bigint {
  let wei = 0n;
  for (const w of block.withdrawals ?? []) {
    if (ours.has(String(w.address).toLowerCase())) wei += BigInt(w.amount) * GWEI;
  }
  return wei;
}

export class Tally {
  sealsMade = 0;
  rewardsWei = 0n;
  /** Highest block number whose withdrawals were counted (-1: none). */
  lastBlock = -1n;
  private buckets: Bucket[] = [];
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    this.load();
  }

  /** Re-read the file (after the chain was erased and started again, it is gone: zeros). */
  load(): void {
    this.sealsMade = 0;
    this.rewardsWei = 0n;
    this.lastBlock = -1n;
    this.buckets = [];
    if (!existsSync(this.file)) return;
    try {
      const j = JSON.parse(readFileSync(this.file, 'utf8')) as {
        sealsMade?: unknown;
        rewardsWei?: unknown;
        lastBlock?: unknown;
        history?: Array<{ t?: unknown; seals?: unknown; rewardsWei?: unknown }>;
      };
      if (typeof j.sealsMade === 'number' && Number.isSafeInteger(j.sealsMade) && j.sealsMade >= 0) this.sealsMade = j.sealsMade;
      if (typeof j.rewardsWei === 'string' && /^\d+$/.test(j.rewardsWei)) this.rewardsWei = BigInt(j.rewardsWei);
      if (typeof j.lastBlock === 'string' && /^-?\d+$/.test(j.lastBlock)) this.lastBlock = BigInt(j.lastBlock);
      for (const b of Array.isArray(j.history) ? j.history : []) {
        if (typeof b.t !== 'number' || typeof b.seals !== 'number' || typeof b.rewardsWei !== 'string' || !/^\d+$/.test(b.rewardsWei)) continue;
        this.buckets.push({ t: b.t, seals: b.seals, rewardsWei: BigInt(b.rewardsWei) });
      }
      this.buckets.sort((a, b) => a.t - b.t);
    } catch {
      // unreadable: start from zero rather than refuse to seal
    }
  }

  addSeals(n: number, at = this.now()): void {
    if (n <= 0) return;
    this.sealsMade += n;
    this.bucket(at).seals += n;
    this.touch();
  }

  /** Count one final block's withdrawals to us; false when it was counted before. */
  addBlock(block: BlockLike, ours: ReadonlySet<string>): boolean {
    const n = block.header.number;
    if (n <= this.lastBlock) return false;
    this.lastBlock = n;
    const wei = rewardsOf(block, ours);
    if (wei > 0n) {
      this.rewardsWei += wei;
      this.bucket(Number(block.header.timestamp) * 1000).rewardsWei += wei;
    }
    this.touch();
    return true;
  }

  /** Buckets of the last 24 hours, oldest first. */
  history(): SealingHistoryBucketT[] {
    const from = this.now() - SHOWN_MS;
    return this.buckets.filter((b) => b.t + BUCKET_MS > from).map((b) => ({ t: b.t, seals: b.seals, rewardsWei: b.rewardsWei.toString() }));
  }

  /** Write now if anything changed. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    const keepFrom = this.now() - KEEP_MS;
    this.buckets = this.buckets.filter((b) => b.t + BUCKET_MS > keepFrom);
    const body = {
      version: 1,
      sealsMade: this.sealsMade,
      rewardsWei: this.rewardsWei.toString(),
      lastBlock: this.lastBlock.toString(),
      history: this.buckets.map((b) => ({ t: b.t, seals: b.seals, rewardsWei: b.rewardsWei.toString() })),
    };
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(body));
    renameSync(`${this.file}.tmp`, this.file);
  }

  private bucket(at: number): Bucket {
    const t = Math.floor(at / BUCKET_MS) * BUCKET_MS;
    let i = this.buckets.length;
    while (i > 0 && this.buckets[i - 1]!.t > t) i--;
    const prev = this.buckets[i - 1];
    if (prev && prev.t === t) return prev;
    const b: Bucket = { t, seals: 0, rewardsWei: 0n };
    this.buckets.splice(i, 0, b);
    return b;
  }

  private touch(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.flush();
      } catch {
        this.dirty = true; // try again with the next change or on close
      }
    }, 1000);
    this.timer.unref?.();
  }
}
