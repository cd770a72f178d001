/**
 * @module bench/chain-load
 * Load for the chain benchmark, identical for every node: transactions presigned offline
 * (EIP-1559 type 2, EIP-155 chain id), then sent with `eth_sendRawTransaction` (Ethereum
 * execution-apis) with bounded concurrency, and timed until the last one is in a block.
 *
 * Flow control: a sender never has more than `window` transactions sent and not yet in a
 * block, below geth's (and the devnet pool's) per-account slots and nonce-gap limits, so the
 * load is what a node accepts rather than a pile of refusals. Inclusion is seen by polling
 * `eth_blockNumber` and reading each new block's transaction hashes (batched), the same
 * calls on every node.
 */
import { Worker } from 'node:worker_threads';
import { keccak256 } from 'ethers';
import { RpcCallError, type RpcClient } from './chain-rpc';
import { nowUs } from './stats';

export type TxSpec = {
  sender: number;
  nonce: number;
  to: string;
  value: bigint;
  data: string;
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
};
export type SignedTx = { raw: string; hash: string; sender: number };

/** Fee caps far above any base fee these runs reach, so no transaction waits on its price. */
const FEES = { maxFeePerGas: 100_000n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n };

/** Hands out nonces per sender; the specs are signed later, all at once. */
export class TxPlan {
  private nonces: number[];
  constructor(senders: number) {
    this.nonces = new Array<number>(senders).fill(0);
  }
  tx(sender: number, o: { to: string; value?: bigint; data?: string; gasLimit: bigint }): TxSpec {
    return { sender, nonce: this.nonces[sender]!++, to: o.to, value: o.value ?? 0n, data: o.data ?? '0x', gasLimit: o.gasLimit, ...FEES };
  }
}

/** Sign every spec with ethers, split over `threads` worker threads; order is kept. */
export async function signAll(keys: string[], chainId: bigint, specs: TxSpec[], threads: number): Promise<SignedTx[]> {
  const per = Math.ceil(specs.length / threads);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, i) => specs.slice(i * per, (i + 1) * per)).map(
      (jobs) =>
        new Promise<string[]>((resolve, reject) => {
          if (jobs.length === 0) return resolve([]);
          const w = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
            workerData: { module: './chain-sign-worker.ts', keys, chainId, jobs },
          });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  const raws = parts.flat();
  return raws.map((raw, i) => ({ raw, hash: keccak256(raw), sender: specs[i]!.sender }));
}

/** Group signed transactions by sender, keeping nonce order. */
export function bySender(txs: SignedTx[], senders: number): SignedTx[][] {
  const out: SignedTx[][] = Array.from({ length: senders }, () => []);
  for (const t of txs) out[t.sender]!.push(t);
  return out;
}

export type DriveResult = {
  ms: number;
  txs: number;
  blocks: number;
  nudges: number;
  /** Transactions per second over the first and the last tenth of the run (does the node slow down as it grows?). */
  firstTenth: number;
  lastTenth: number;
};

const RETRYABLE = /txpool is full|account limit|nonce too high|limit exceeded/i;
const STALL_MS = Number(process.env.BENCH_STALL_MS ?? 120_000);

/**
 * Send every transaction (per sender in nonce order, round robin over senders) with at most
 * `concurrency` requests in flight, and time from the first send until all are in blocks.
 */
export async function drive(
  rpc: RpcClient,
  load: SignedTx[][],
  o: {
    concurrency: number;
    window: number;
    pollMs?: number;
    nudge?: { afterMs: number; method: string };
    /** Called every ~15 s with the transactions in blocks so far. */
    progress?: (done: number, total: number) => void;
  },
): Promise<DriveResult> {
  const senders = load.length;
  const total = load.reduce((n, l) => n + l.length, 0);
  const owner = new Map<string, number>();
  for (const l of load) for (const t of l) owner.set(t.hash, t.sender);
  const sent = new Array<number>(senders).fill(0);
  const included = new Array<number>(senders).fill(0);
  const busy = new Array<boolean>(senders).fill(false);
  const retry: SignedTx[] = [];
  let done = 0;
  let failed: unknown = null;
  let rr = 0;
  let tick: () => void = () => {};
  let ticked = new Promise<void>((r) => (tick = r));
  const nextTick = () => ticked;
  const pulse = () => {
    const t = tick;
    ticked = new Promise<void>((r) => (tick = r));
    t();
  };

  const pick = (): SignedTx | null | 'wait' => {
    const r = retry.findIndex((t) => !busy[t.sender]);
    if (r >= 0) return retry.splice(r, 1)[0]!;
    let waiting = retry.length > 0;
    for (let k = 0; k < senders; k++) {
      const s = (rr + k) % senders;
      if (sent[s]! >= load[s]!.length) continue;
      if (busy[s] || sent[s]! >= included[s]! + o.window) {
        waiting = true;
        continue;
      }
      rr = (s + 1) % senders;
      return load[s]![sent[s]!++]!;
    }
    return waiting ? 'wait' : null;
  };

  const worker = async (): Promise<void> => {
    while (failed === null) {
      const tx = pick();
      if (tx === null) return;
      if (tx === 'wait') {
        await nextTick();
        continue;
      }
      busy[tx.sender] = true;
      try {
        await rpc.call('eth_sendRawTransaction', [tx.raw]);
      } catch (e) {
        if (!(e instanceof RpcCallError) || !RETRYABLE.test(e.message)) throw e;
        retry.push(tx);
        await nextTick();
      } finally {
        busy[tx.sender] = false;
      }
    }
  };

  let last = Number(await rpc.call<string>('eth_blockNumber'));
  const first = last;
  const t0 = performance.now();
  const workers = Array.from({ length: o.concurrency }, () =>
    worker().catch((e) => {
      failed = e;
      pulse();
    }),
  );
  let lastProgress = Date.now();
  let nudges = 0;
  let lastNudge = 0;
  let lastReport = Date.now();
  const tenth = Math.max(1, Math.floor(total / 10));
  let atTenth = NaN;
  let atNinth = NaN;
  try {
    while (done < total) {
      if (failed !== null) throw failed;
      await new Promise((r) => setTimeout(r, o.pollMs ?? 2));
      const head = Number(await rpc.call<string>('eth_blockNumber'));
      const before = done;
      for (let from = last + 1; from <= head; from += 100) {
        const to = Math.min(head, from + 99);
        const calls: [string, unknown[]][] = [];
        for (let n = from; n <= to; n++) calls.push(['eth_getBlockByNumber', [`0x${n.toString(16)}`, false]]);
        for (const b of await rpc.batch<{ transactions: string[] } | null>(calls)) {
          if (b instanceof RpcCallError || !b) throw new Error(`block read failed: ${String(b)}`);
          for (const h of b.transactions) {
            const s = owner.get(h);
            if (s === undefined) continue;
            included[s]!++;
            done++;
            if (done === tenth) atTenth = performance.now();
            if (done === total - tenth) atNinth = performance.now();
          }
        }
      }
      last = head;
      if (o.progress && Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        o.progress(done, total);
      }
      if (done !== before) lastProgress = Date.now();
      else if (o.nudge && Date.now() - Math.max(lastProgress, lastNudge) > o.nudge.afterMs && sent.some((n, i) => n > included[i]!)) {
        // A node that stopped including what it holds (anvil's automine, see chain-bench.ts): mine by hand, and count it.
        nudges++;
        lastNudge = Date.now();
        await rpc.call(o.nudge.method);
      } else if (Date.now() - lastProgress > STALL_MS) throw new Error(`stalled: ${done} of ${total} transactions in blocks, none for ${STALL_MS / 1000} s`);
      pulse();
    }
  } catch (e) {
    failed ??= e;
    pulse();
    throw e;
  }
  const ms = performance.now() - t0;
  await Promise.all(workers);
  if (failed !== null) throw failed;
  await checkReceipts(rpc, load.map((l) => l[l.length - 1]).filter((t): t is SignedTx => !!t));
  const firstTenth = tenth / ((atTenth - t0) / 1000);
  const lastTenth = tenth / ((t0 + ms - atNinth) / 1000);
  return { ms, txs: total, blocks: last - first, nudges, firstTenth, lastTenth };
}

/** Every given transaction has a receipt with status 1 (else the run measured failures). */
export async function checkReceipts(rpc: RpcClient, txs: SignedTx[]): Promise<void> {
  for (let i = 0; i < txs.length; i += 200) {
    const part = txs.slice(i, i + 200);
    const rs = await rpc.batch<{ status: string } | null>(part.map((t) => ['eth_getTransactionReceipt', [t.hash]]));
    rs.forEach((r, j) => {
      if (r instanceof RpcCallError || !r) throw new Error(`no receipt for ${part[j]!.hash}: ${String(r)}`);
      if (r.status !== '0x1') throw new Error(`transaction ${part[j]!.hash} failed (status ${r.status})`);
    });
  }
}

/** One at a time: send, then poll for the receipt every `pollMs`; send→receipt times in µs. */
export async function latency(rpc: RpcClient, txs: SignedTx[], pollMs = 2): Promise<number[]> {
  const out: number[] = [];
  for (const tx of txs) {
    const t0 = nowUs();
    await rpc.call('eth_sendRawTransaction', [tx.raw]);
    for (;;) {
      const r = await rpc.call<{ status: string } | null>('eth_getTransactionReceipt', [tx.hash]);
      if (r) {
        if (r.status !== '0x1') throw new Error(`latency transaction ${tx.hash} failed`);
        break;
      }
      await new Promise((res) => setTimeout(res, pollMs));
    }
    out.push(nowUs() - t0);
  }
  return out;
}
