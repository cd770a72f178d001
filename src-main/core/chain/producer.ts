/**
 * @module chain/producer
 * The embedded devnet's block producer: a single in-process authority, like anvil's
 * automine plus an interval. A block is made shortly after a transaction arrives (a short
 * batching delay lets a burst share one block) and, when nothing waits, every `intervalMs`
 * so time moves on for contracts that read it. It only *chooses* blocks; execution and
 * storage are the ledger's (buildBlock → commit), which is the seam POE sealing
 * (core/seal, seed 003) replaces: it will call the same two methods with its own candidate
 * selection, randomness and seals, and set safe/finalized from committee votes.
 *
 * Post-merge header rules (EIP-3675, EIP-4399): difficulty 0, nonce 0, mixHash carries
 * prevRandao. The devnet derives it from the parent (keccak(parent.prevRandao ‖ parent
 * hash)); it is not unpredictable, which a single-machine network does not need.
 */
import type { Block } from '@ethereumjs/block';
import { concatBytes, createAddressFromString, type Address } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { silentLogger, type Logger } from '../base';
import type { Ledger } from './ledger';
import type { Mempool } from './mempool';

export type ProducerOptions = {
  /** Empty blocks are made this often (ms). */
  intervalMs: number;
  /** After a transaction arrives, wait this long for others to share its block (ms). */
  batchDelayMs?: number;
  /** Fee recipient (tips); the devnet's own address by default. */
  coinbase?: Address;
  logger?: Logger;
  /** Clock (ms since the epoch); tests move it. */
  now?: () => number;
};

/** The devnet's fee recipient: an address nobody holds a key for ("BitUnicom devnet"). */
export const DEVNET_COINBASE = '0x000000000000000000000000000000000000b175';

export class DevnetProducer {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<Block | null> | null = null;
  private again = false;
  private stopped = true;
  private offAdded: (() => void) | null = null;
  private readonly coinbase: Address;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(
    private readonly ledger: Ledger,
    private readonly mempool: Mempool,
    readonly opts: ProducerOptions,
  ) {
    this.coinbase = opts.coinbase ?? createAddressFromString(DEVNET_COINBASE);
    this.logger = opts.logger ?? silentLogger;
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.offAdded = this.mempool.events.on('added', () => this.schedule(this.opts.batchDelayMs ?? 20));
    this.armInterval();
    if (this.mempool.size > 0) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.offAdded?.();
    this.offAdded = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
    await this.running?.catch(() => null);
  }

  /** Make one block now (waits for one in progress first). Resolves to it, or null on failure. */
  async produce(): Promise<Block | null> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.produceOnce().finally(() => {
      this.running = null;
    });
    const block = await this.running;
    if (this.again && !this.stopped) {
      this.again = false;
      this.schedule(0);
    }
    return block;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.produce();
    }, delayMs);
    this.soon.unref?.();
  }

  private armInterval(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.produce();
    }, this.opts.intervalMs);
    this.timer.unref?.();
  }

  private async produceOnce(): Promise<Block | null> {
    const parent = this.ledger.head;
    try {
      const baseFee = parent.header.common.isActivatedEIP(1559) ? parent.header.calcNextBaseFee() : 0n;
      const pending = await this.mempool.pending(baseFee);
      const nowSec = BigInt(Math.floor(this.now() / 1000));
      const timestamp = nowSec > parent.header.timestamp ? nowSec : parent.header.timestamp + 1n;
      const candidate = await this.ledger.buildBlock({
        txs: pending.map((p) => p.tx),
        timestamp,
        coinbase: this.coinbase,
        prevRandao: keccak_256(concatBytes(parent.header.mixHash, parent.hash())),
      });
      let full = false;
      for (const s of candidate.skipped) {
        if (s.reason === 'block full') {
          full = true;
          continue;
        }
        this.logger.warn('devnet: dropping a transaction the block refused', { reason: s.reason.split('\n')[0] });
        this.mempool.drop(`0x${Buffer.from(s.tx.hash()).toString('hex')}`, 'invalid');
      }
      const block = await this.ledger.commit(candidate);
      await this.mempool.pruneStale();
      if (full || (await this.mempool.pending(block.header.calcNextBaseFee())).length > 0) this.again = true;
      return block;
    } catch (err) {
      this.logger.warn('devnet: block production failed', { error: String(err) });
      return null;
    } finally {
      this.armInterval();
    }
  }
}
