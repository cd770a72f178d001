/**
 * @module chain/mempool
 * Transactions accepted by eth_sendRawTransaction and not yet in a block. Rules follow geth's
 * legacypool where it matters to wallets (messages: errors.ts):
 *   - checked before acceptance: size ≤ 128 KiB, type (legacy, EIP-2930, EIP-1559; blob and
 *     EIP-7702 types are refused), EIP-155 chain id, signature, gas ≤ block gas limit,
 *     intrinsic gas, tip ≤ fee cap, fee cap ≥ the next block's base fee, tip ≥ 1 wei,
 *     nonce ≥ account nonce and less than 64 past the sender's next free nonce (a gap of
 *     at most 64, like geth's accountQueue), balance ≥ the cost of this and the sender's
 *     earlier waiting transactions;
 *   - same sender and nonce replaces only with both fee cap and tip raised by ≥ 10 %;
 *   - at most 1,024 waiting transactions per sender and 8,192 in all (geth lets a sender's
 *     executable run grow until the pool is full; a deploy script sends hundreds at once).
 * A transaction is *pending* when its nonce continues the account's nonce without a gap, else
 * *queued*. Blocks take pending ones, best effective tip first, nonce order per sender.
 *
 * Durability: every accepted transaction is written to the `mempool` table (synchronous=FULL)
 * before its hash is returned, and removed in the same SQLite transaction that commits the
 * block including it; a restart or kill -9 therefore loses none (geth keeps a journal file).
 */
import { RLP } from '@ethereumjs/rlp';
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { bytesToHex, type Address } from '@ethereumjs/util';
import type { Block } from '@ethereumjs/block';
import { TypedEmitter, type Logger, silentLogger } from '../base';
import { ChainError, txErrors } from './errors';
import type { Ledger } from './ledger';

export const POOL_LIMITS = {
  maxTxBytes: 128 * 1024,
  perSender: 1024,
  maxNonceGap: 64,
  total: 8192,
  priceBumpPercent: 10n,
  minTipWei: 1n,
};

export type PoolTx = {
  tx: TypedTransaction;
  raw: Uint8Array;
  hash: string;
  sender: string;
  from: Address;
  nonce: bigint;
  seq: number;
  addedAt: number;
};

export type MempoolEvents = { added: PoolTx; removed: { hash: string; reason: 'included' | 'replaced' | 'stale' | 'invalid' | 'reset' } };

export class Mempool {
  readonly events = new TypedEmitter<MempoolEvents>();
  private bySender = new Map<string, Map<bigint, PoolTx>>();
  private byHash = new Map<string, PoolTx>();
  private seq = 0;
  private addQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ledger: Ledger,
    private readonly logger: Logger = silentLogger,
    readonly limits = POOL_LIMITS,
  ) {
    ledger.onCommit((block) => this.removeIncluded(block));
  }

  /** Load the journal (after a restart) and drop what the chain already holds. */
  async restore(): Promise<number> {
    const common = this.nextCommon();
    for (const row of this.ledger.db.mempool()) {
      try {
        const tx = createTxFromRLP(new Uint8Array(row.raw), { common });
        this.insert(tx, new Uint8Array(row.raw), tx.getSenderAddress(), row.seq);
        this.seq = Math.max(this.seq, row.seq + 1);
      } catch (err) {
        this.logger.warn('dropping an unreadable mempool entry', { error: String(err) });
        this.ledger.db.dropPoolTx(row.hash);
      }
    }
    await this.pruneStale();
    return this.byHash.size;
  }

  get size(): number {
    return this.byHash.size;
  }

  get(hash: string): PoolTx | undefined {
    return this.byHash.get(hash.toLowerCase());
  }

  /** Validate, store and index a signed raw transaction; resolves to its hash. */
  add(raw: Uint8Array): Promise<string> {
    const run = this.addQueue.then(() => this.addNow(raw));
    this.addQueue = run.catch(() => undefined);
    return run;
  }

  /** Counts of transactions ready for the next block and waiting on a nonce gap. */
  async counts(): Promise<{ pending: number; queued: number }> {
    const pending = (await this.pending()).length;
    return { pending, queued: this.byHash.size - pending };
  }

  /** The nonce a new transaction from `address` should use ("pending" block tag). */
  async pendingNonce(address: Address): Promise<bigint> {
    let nonce = await this.stateNonce(address);
    const mine = this.bySender.get(address.toString());
    while (mine?.has(nonce)) nonce++;
    return nonce;
  }

  /** Pending transactions in block order: best effective tip first, nonces in order per sender. */
  async pending(baseFee = 0n): Promise<PoolTx[]> {
    const heads: { list: PoolTx[]; i: number }[] = [];
    for (const txs of this.bySender.values()) {
      const list: PoolTx[] = [];
      let n = await this.stateNonce(firstFrom(txs));
      for (let p = txs.get(n); p; p = txs.get(++n)) list.push(p);
      if (list.length) heads.push({ list, i: 0 });
    }
    const out: PoolTx[] = [];
    for (;;) {
      let best: { list: PoolTx[]; i: number } | null = null;
      let bestTip = -1n;
      let bestTx: PoolTx | undefined;
      for (const h of heads) {
        const p = h.list[h.i];
        if (!p) continue;
        const tip = effectiveTip(p.tx, baseFee);
        if (tip > bestTip || (tip === bestTip && bestTx && p.seq < bestTx.seq)) {
          best = h;
          bestTx = p;
          bestTip = tip;
        }
      }
      if (!best || !bestTx || bestTip < 0n) break;
      best.i++;
      out.push(bestTx);
    }
    return out;
  }

  all(): PoolTx[] {
    return [...this.byHash.values()];
  }

  /** Remove a transaction the block builder refused (it can never be valid as it stands). */
  drop(hash: string, reason: MempoolEvents['removed']['reason']): void {
    const p = this.byHash.get(hash);
    if (!p) return;
    this.ledger.db.dropPoolTx(Buffer.from(p.hash.slice(2), 'hex'));
    this.unindex(p);
    this.events.emit('removed', { hash, reason });
  }

  /** Forget everything (devnet reset). */
  clear(): void {
    this.ledger.db.clearPool();
    for (const hash of [...this.byHash.keys()]) this.events.emit('removed', { hash, reason: 'reset' });
    this.byHash.clear();
    this.bySender.clear();
  }

  /** Drop transactions whose nonce the chain has passed (included elsewhere or replaced). */
  async pruneStale(): Promise<void> {
    for (const txs of [...this.bySender.values()]) {
      const nonce = await this.stateNonce(firstFrom(txs));
      for (const p of [...txs.values()]) if (p.nonce < nonce) this.drop(p.hash, 'stale');
    }
  }

  private async addNow(raw: Uint8Array): Promise<string> {
    const l = this.limits;
    if (raw.length > l.maxTxBytes) throw txErrors.oversized(raw.length, l.maxTxBytes);
    const head = this.ledger.head.header;
    const common = this.nextCommon();
    if (raw.length > 0 && (raw[0] === 3 || raw[0] === 4)) throw txErrors.typeNotSupported(raw[0]);
    let tx: TypedTransaction;
    try {
      tx = createTxFromRLP(raw, { common });
    } catch (err) {
      const msg = (err as Error).message;
      if (/chain ?id/i.test(msg)) throw txErrors.chainId(chainIdOf(raw) ?? 0n, this.ledger.chainId);
      if (/maxFeePerGas cannot be less than maxPriorityFeePerGas/.test(msg)) {
        // Only a hand-made transaction gets here (ethers, viem and ethereumjs refuse to build one).
        const f = RLP.decode(raw.subarray(1)) as Uint8Array[];
        const n = (i: number) => BigInt(f[i] && f[i].length ? bytesToHex(f[i]) : 0);
        throw txErrors.tipAboveCap('unknown', n(2), n(3));
      }
      throw txErrors.decode(firstLine(msg));
    }
    if (tx.type > 2) throw txErrors.typeNotSupported(tx.type);
    if (tx.type === 0 && !tx.supports(155)) throw txErrors.unprotected();
    if ('chainId' in tx && (tx as { chainId: bigint }).chainId !== this.ledger.chainId) {
      throw txErrors.chainId((tx as { chainId: bigint }).chainId, this.ledger.chainId);
    }
    let from: Address;
    try {
      from = tx.getSenderAddress();
    } catch (err) {
      throw txErrors.invalidSender(firstLine((err as Error).message));
    }
    const hash = bytesToHex(tx.hash());
    if (this.byHash.has(hash) || this.ledger.db.tx(tx.hash())) throw txErrors.alreadyKnown();
    if (tx.gasLimit > head.gasLimit) throw txErrors.gasLimit(tx.gasLimit, head.gasLimit);
    const intrinsic = tx.getIntrinsicGas();
    if (tx.gasLimit < intrinsic) throw txErrors.intrinsic(tx.gasLimit, intrinsic);
    const { cap, tip } = fees(tx);
    const addr = from.toString();
    if (tip > cap) throw txErrors.tipAboveCap(addr, tip, cap);
    const nextBase = head.common.isActivatedEIP(1559) ? head.calcNextBaseFee() : 0n;
    if (cap < nextBase) throw txErrors.feeCapTooLow(addr, cap, nextBase);
    if (tip < l.minTipWei) throw txErrors.underpriced(tip, l.minTipWei);

    const state = this.ledger.stateAt(head);
    const account = await state.getAccount(from);
    const stateNonce = account?.nonce ?? 0n;
    if (tx.nonce < stateNonce) throw txErrors.nonceTooLow(addr, tx.nonce, stateNonce);
    const mine = this.bySender.get(addr);
    let next = stateNonce;
    while (mine?.has(next)) next++;
    if (tx.nonce >= next + BigInt(l.maxNonceGap)) throw txErrors.nonceTooHigh(addr, tx.nonce, stateNonce);

    const old = mine?.get(tx.nonce);
    if (old) {
      const o = fees(old.tx);
      const bump = (x: bigint) => x + (x * l.priceBumpPercent) / 100n;
      if (cap < bump(o.cap) || tip < bump(o.tip)) throw txErrors.replaceUnderpriced();
    } else {
      if ((mine?.size ?? 0) >= l.perSender) throw txErrors.accountLimit(addr, l.perSender);
      if (this.byHash.size >= l.total) throw txErrors.poolFull();
    }
    let cost = tx.gasLimit * cap + tx.value;
    for (const p of mine?.values() ?? []) if (p.nonce < tx.nonce) cost += p.tx.gasLimit * fees(p.tx).cap + p.tx.value;
    const balance = account?.balance ?? 0n;
    if (cost > balance) throw txErrors.insufficientFunds(balance, cost);

    const seq = this.seq++;
    this.ledger.db.atomic(() => {
      if (old) this.ledger.db.dropPoolTx(Buffer.from(old.hash.slice(2), 'hex'));
      this.ledger.db.putPoolTx(tx.hash(), from.bytes, tx.nonce, raw, seq);
    });
    if (old) {
      this.unindex(old);
      this.events.emit('removed', { hash: old.hash, reason: 'replaced' });
    }
    const p = this.insert(tx, raw, from, seq);
    this.events.emit('added', p);
    return hash;
  }

  private insert(tx: TypedTransaction, raw: Uint8Array, from: Address, seq: number): PoolTx {
    const sender = from.toString();
    const p: PoolTx = { tx, raw, hash: bytesToHex(tx.hash()), sender, from, nonce: tx.nonce, seq, addedAt: Date.now() };
    let m = this.bySender.get(sender);
    if (!m) this.bySender.set(sender, (m = new Map()));
    m.set(tx.nonce, p);
    this.byHash.set(p.hash, p);
    return p;
  }

  private unindex(p: PoolTx): void {
    this.byHash.delete(p.hash);
    const m = this.bySender.get(p.sender);
    m?.delete(p.nonce);
    if (m && m.size === 0) this.bySender.delete(p.sender);
  }

  /** Runs inside the block's commit transaction. */
  private removeIncluded(block: Block): void {
    for (const tx of block.transactions) {
      const hash = bytesToHex(tx.hash());
      const p = this.byHash.get(hash);
      this.ledger.db.dropPoolTx(tx.hash());
      if (p) {
        this.unindex(p);
        this.events.emit('removed', { hash, reason: 'included' });
      }
    }
  }

  private async stateNonce(address: Address): Promise<bigint> {
    return (await this.ledger.stateAt(this.ledger.head.header).getAccount(address))?.nonce ?? 0n;
  }

  private nextCommon() {
    const h = this.ledger.head.header;
    return this.ledger.commonAt(h.number + 1n, BigInt(Math.max(Number(h.timestamp) + 1, Math.floor(Date.now() / 1000))));
  }
}

export function fees(tx: TypedTransaction): { cap: bigint; tip: bigint } {
  if ('maxFeePerGas' in tx) {
    const t = tx as unknown as { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
    return { cap: t.maxFeePerGas, tip: t.maxPriorityFeePerGas };
  }
  const gp = (tx as unknown as { gasPrice: bigint }).gasPrice;
  return { cap: gp, tip: gp };
}

/** min(tip, cap − baseFee): what the block producer earns per gas; negative if unpayable. */
export function effectiveTip(tx: TypedTransaction, baseFee: bigint): bigint {
  const { cap, tip } = fees(tx);
  const room = cap - baseFee;
  return room < tip ? room : tip;
}

function firstFrom(txs: Map<bigint, PoolTx>): Address {
  return txs.values().next().value!.from;
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').replace(/\s*\(.*$/, '').slice(0, 200);
}

/** The chain id a typed transaction claims (its first RLP field), for the error message. */
function chainIdOf(raw: Uint8Array): bigint | undefined {
  try {
    const typed = (raw[0] ?? 0xff) <= 0x7f;
    // Typed transactions carry it as their first field; legacy ones inside v (EIP-155).
    const fields = RLP.decode(typed ? raw.subarray(1) : raw) as Uint8Array[];
    const field = (i: number) => BigInt(fields[i] && fields[i].length ? bytesToHex(fields[i]) : 0);
    if (typed) return field(0);
    const v = field(6);
    return v >= 35n ? (v - 35n) / 2n : undefined;
  } catch {
    return undefined;
  }
}

export { ChainError };
