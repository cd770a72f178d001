/**
 * @module wallet/nonces
 * `NonceTracker`: the next nonce of each (chainId, address), and the transactions we sent that
 * are not mined yet (hash, nonce, EIP-1559 fees, raw EIP-2718 bytes), so the caller can speed up
 * or cancel one (same nonce, fees from `replacementFees`). State lives in a JSON file chosen by
 * the caller, replaced atomically (account/atomic-file: tmp + fsync + rename + fsync(dir)), so it
 * survives restarts; a damaged file is renamed `.corrupt` and the tracker starts empty
 * (`loadProblem` says so) — nonces are then re-read from the node.
 *
 * next(rpc, chainId, address) — serialised per account, so concurrent calls never share a nonce:
 *   pending = eth_getTransactionCount(address, 'pending'), latest = (…, 'latest')
 *   1. reset rule: if latest < local next AND pending < local next AND this process holds no
 *      unconfirmed reservation for the account AND none of our pending transactions is known to
 *      the node (eth_getTransactionByHash → null for each), the local state is stale — the chain
 *      was reset (devnet restart, fresh chain at count 0), or we crashed between reserving and
 *      broadcasting. Keeping it would leave a nonce gap the node never fills (every later
 *      transaction would wait forever), so it is dropped: our pending transactions are reported
 *      'dropped' by the next refresh and local next = pending.
 *   2. a released nonce (≥ pending, < local next) is reused first, lowest first (fills the gap);
 *   3. otherwise n = max(pending, local next). n is reserved: local next = n + 1 (persisted).
 * release(chainId, address, nonce): the reservation was not broadcast (signing or sending
 *   failed); the top nonce is given back at once, a lower one is reused by the next next().
 * confirm(raw): the reservation was broadcast; records the pending transaction (decoded from
 *   the raw bytes: chain id, sender, nonce, fees, hash).
 * markReplaced(oldHash, raw): a speed-up/cancel with the same nonce was broadcast; both stay
 *   watched (either may be mined) but only the newest is listed by `pending()`.
 * markMined(hash, ok) / refresh(rpc): refresh reads eth_getTransactionReceipt for every watched
 *   hash of the RPC's chain: a receipt → 'mined' (status 1) or 'failed' (0), its siblings of the
 *   same nonce → 'replaced'; no receipt but the account's latest nonce passed it → 'dropped'
 *   (another transaction of that nonce was mined). Settled transactions leave the file.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { Transaction } from 'ethers';
import { BuError } from '../base';
import { writeFileAtomic } from '../account';
import { parseAddress } from './address';
import type { RpcClient } from './rpc-client';

export type PendingTx = { hash: string; chainId: bigint; from: string; nonce: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; raw: string; sentAt: number; replacedBy?: string };
export type TxOutcome = { hash: string; chainId: bigint; from: string; nonce: bigint; outcome: 'mined' | 'failed' | 'replaced' | 'dropped'; blockNumber?: bigint };

type AccountState = { next: bigint; released: bigint[]; txs: PendingTx[] };
type StoredTx = Omit<PendingTx, 'chainId' | 'nonce' | 'maxFeePerGas' | 'maxPriorityFeePerGas'> & { chainId: string; nonce: string; maxFeePerGas: string; maxPriorityFeePerGas: string };
type Stored = { version: 1; accounts: Record<string, { next: string; released: string[]; txs: StoredTx[] }> };

const bad = (m: string) => new BuError('BAD_INPUT', m);

function chainOf(v: unknown): bigint {
  const ok = (typeof v === 'bigint' && v > 0n) || (typeof v === 'number' && Number.isSafeInteger(v) && v > 0);
  if (!ok) throw bad('A chain id must be a positive whole number.');
  return BigInt(v as bigint | number);
}

export class NonceTracker {
  /** Set when the file could not be read: what happened, and where the damaged copy went. */
  loadProblem: string | null = null;
  private readonly accounts = new Map<string, AccountState>();
  /** Nonces reserved by this process and neither confirmed nor released (never persisted). */
  private readonly live = new Map<string, Set<bigint>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Outcomes of transactions dropped by the reset rule, handed out by the next refresh. */
  private readonly dropped: TxOutcome[] = [];

  private constructor(readonly file: string) {}

  static open(file: string): NonceTracker {
    if (typeof file !== 'string' || file.trim() === '') throw bad('The nonce file path is empty.');
    const t = new NonceTracker(file);
    if (existsSync(file)) {
      try {
        t.load(JSON.parse(readFileSync(file, 'utf8')) as Stored);
      } catch (e) {
        t.accounts.clear();
        const to = `${file}.corrupt`;
        renameSync(file, to);
        t.loadProblem = `The nonce file was damaged (${e instanceof Error ? e.message : String(e)}); it was moved to ${to} and nonces will be read from the node.`;
      }
    }
    return t;
  }

  private load(s: Stored): void {
    if (s?.version !== 1 || typeof s.accounts !== 'object' || s.accounts === null) throw new Error('not a version 1 nonce file');
    for (const [key, a] of Object.entries(s.accounts)) {
      const txs = a.txs.map((x) => ({ ...x, chainId: BigInt(x.chainId), nonce: BigInt(x.nonce), maxFeePerGas: BigInt(x.maxFeePerGas), maxPriorityFeePerGas: BigInt(x.maxPriorityFeePerGas) }));
      if (!/^\d+:0x[0-9a-fA-F]{40}$/.test(key) || txs.some((x) => typeof x.raw !== 'string' || typeof x.hash !== 'string')) throw new Error(`bad entry ${key.slice(0, 60)}`);
      this.accounts.set(key, { next: BigInt(a.next), released: a.released.map((r) => BigInt(r)), txs });
    }
  }

  private save(): void {
    const accounts: Stored['accounts'] = {};
    for (const [key, a] of this.accounts) {
      accounts[key] = {
        next: a.next.toString(),
        released: a.released.map(String),
        txs: a.txs.map((x) => ({ ...x, chainId: String(x.chainId), nonce: String(x.nonce), maxFeePerGas: String(x.maxFeePerGas), maxPriorityFeePerGas: String(x.maxPriorityFeePerGas) })),
      };
    }
    try {
      writeFileAtomic(this.file, JSON.stringify({ version: 1, accounts } satisfies Stored, null, 1));
    } catch (e) {
      throw new BuError('INTERNAL', `The nonce file ${this.file} could not be written.`, { cause: e });
    }
  }

  private key(chainId: unknown, address: unknown): string {
    return `${chainOf(chainId)}:${parseAddress(address as string, 'The account address')}`;
  }

  private state(key: string): AccountState {
    let a = this.accounts.get(key);
    if (!a) this.accounts.set(key, (a = { next: 0n, released: [], txs: [] }));
    return a;
  }

  private liveOf(key: string): Set<bigint> {
    let s = this.live.get(key);
    if (!s) this.live.set(key, (s = new Set()));
    return s;
  }

  /** Reserves and returns the next nonce (see the module header for the rule). */
  next(rpc: RpcClient, chainId: bigint | number, address: string): Promise<bigint> {
    const key = this.key(chainId, address);
    const from = key.slice(key.indexOf(':') + 1);
    const run = (this.locks.get(key) ?? Promise.resolve()).catch(() => {}).then(() => this.reserve(rpc, key, from));
    this.locks.set(key, run);
    return run;
  }

  private async reserve(rpc: RpcClient, key: string, from: string): Promise<bigint> {
    const [p, l] = await Promise.all([rpc.call<string>('eth_getTransactionCount', [from, 'pending']), rpc.call<string>('eth_getTransactionCount', [from, 'latest'])]);
    const pending = BigInt(p);
    const latest = BigInt(l);
    const a = this.state(key);
    const live = this.liveOf(key);
    if (latest < a.next && pending < a.next && live.size === 0) {
      const known = await Promise.all(a.txs.map((t) => rpc.call('eth_getTransactionByHash', [t.hash])));
      if (known.every((k) => k === null)) {
        for (const t of a.txs) this.dropped.push({ hash: t.hash, chainId: t.chainId, from: t.from, nonce: t.nonce, outcome: 'dropped' });
        a.txs = [];
        a.released = [];
        a.next = pending;
      }
    }
    a.released = a.released.filter((r) => r >= pending && r < a.next).sort((x, y) => (x < y ? -1 : 1));
    const n = a.released.shift() ?? (pending > a.next ? pending : a.next);
    if (n + 1n > a.next) a.next = n + 1n;
    live.add(n);
    this.save();
    return n;
  }

  /** Gives back a reserved nonce that was not broadcast. */
  release(chainId: bigint | number, address: string, nonce: bigint): void {
    const key = this.key(chainId, address);
    const live = this.liveOf(key);
    if (typeof nonce !== 'bigint' || !live.has(nonce)) throw bad(`Nonce ${String(nonce)} is not reserved for that account.`);
    live.delete(nonce);
    const a = this.state(key);
    a.released.push(nonce);
    while (a.next > 0n && a.released.includes(a.next - 1n)) {
      a.next--;
      a.released = a.released.filter((r) => r !== a.next);
    }
    this.save();
  }

  private decode(raw: unknown): PendingTx {
    let t: Transaction;
    try {
      t = Transaction.from(raw as string);
    } catch (e) {
      throw new BuError('BAD_INPUT', 'That is not a signed EIP-2718 transaction.', { cause: e });
    }
    if (t.type !== 2 || !t.from || t.hash === null) throw bad('Only signed EIP-1559 (type 2) transactions are tracked.');
    return { hash: t.hash, chainId: t.chainId, from: t.from, nonce: BigInt(t.nonce), maxFeePerGas: t.maxFeePerGas!, maxPriorityFeePerGas: t.maxPriorityFeePerGas!, raw: t.serialized, sentAt: Date.now() };
  }

  /** The reservation of `raw`'s nonce was broadcast as `raw`: it is now watched. */
  confirm(raw: string): PendingTx {
    const tx = this.decode(raw);
    const key = this.key(tx.chainId, tx.from);
    const a = this.state(key);
    this.liveOf(key).delete(tx.nonce);
    a.released = a.released.filter((r) => r !== tx.nonce);
    if (tx.nonce >= a.next) a.next = tx.nonce + 1n;
    if (!a.txs.some((x) => x.hash === tx.hash)) a.txs.push(tx);
    this.save();
    return tx;
  }

  /** A replacement (same sender and nonce) of `oldHash` was broadcast as `raw`. */
  markReplaced(oldHash: string, raw: string): PendingTx {
    const tx = this.decode(raw);
    const a = this.state(this.key(tx.chainId, tx.from));
    const old = a.txs.find((x) => x.hash === oldHash);
    if (!old) throw new BuError('NOT_FOUND', `No pending transaction ${String(oldHash).slice(0, 70)} of ${tx.from} is tracked.`);
    if (old.nonce !== tx.nonce) throw bad(`A replacement must reuse nonce ${old.nonce}, not ${tx.nonce}.`);
    for (const x of a.txs) if (x.nonce === tx.nonce && x.replacedBy === undefined) x.replacedBy = tx.hash;
    if (!a.txs.some((x) => x.hash === tx.hash)) a.txs.push(tx);
    this.save();
    return tx;
  }

  /** Our not-yet-mined transactions of that account, newest replacement per nonce, by nonce. */
  pending(chainId: bigint | number, address: string): PendingTx[] {
    const a = this.accounts.get(this.key(chainId, address));
    return (a?.txs ?? []).filter((x) => x.replacedBy === undefined).sort((x, y) => (x.nonce < y.nonce ? -1 : 1)).map((x) => ({ ...x }));
  }

  /** `hash` was mined (ok) or reverted; its same-nonce siblings are settled as replaced. */
  markMined(hash: string, ok = true, blockNumber?: bigint): TxOutcome[] {
    for (const [, a] of this.accounts) {
      const tx = a.txs.find((x) => x.hash === hash);
      if (!tx) continue;
      const out = a.txs
        .filter((x) => x.nonce === tx.nonce)
        .map((x): TxOutcome => ({ hash: x.hash, chainId: x.chainId, from: x.from, nonce: x.nonce, outcome: x === tx ? (ok ? 'mined' : 'failed') : 'replaced', ...(x === tx && blockNumber !== undefined ? { blockNumber } : {}) }));
      a.txs = a.txs.filter((x) => x.nonce !== tx.nonce);
      this.save();
      return out;
    }
    throw new BuError('NOT_FOUND', `No pending transaction ${String(hash).slice(0, 70)} is tracked.`);
  }

  /** Settles the watched transactions of the RPC's chain from receipts and the accounts' latest nonces. */
  async refresh(rpc: RpcClient): Promise<TxOutcome[]> {
    const chainId = BigInt(await rpc.call<string>('eth_chainId'));
    const out: TxOutcome[] = this.dropped.filter((d) => d.chainId === chainId);
    this.dropped.splice(0, this.dropped.length, ...this.dropped.filter((d) => d.chainId !== chainId));
    for (const [key, a] of this.accounts) {
      if (!key.startsWith(`${chainId}:`) || a.txs.length === 0) continue;
      const from = key.slice(key.indexOf(':') + 1);
      const latest = BigInt(await rpc.call<string>('eth_getTransactionCount', [from, 'latest']));
      for (const tx of [...a.txs]) {
        if (!a.txs.includes(tx)) continue; // settled with a sibling
        const r = await rpc.call<{ status?: string; blockNumber?: string } | null>('eth_getTransactionReceipt', [tx.hash]);
        if (r) out.push(...this.markMined(tx.hash, r.status === '0x1', r.blockNumber ? BigInt(r.blockNumber) : undefined));
      }
      const gone = a.txs.filter((x) => x.nonce < latest);
      if (gone.length > 0) {
        for (const x of gone) out.push({ hash: x.hash, chainId: x.chainId, from: x.from, nonce: x.nonce, outcome: 'dropped' });
        a.txs = a.txs.filter((x) => x.nonce >= latest);
        this.save();
      }
    }
    return out;
  }
}
