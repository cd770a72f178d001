/**
 * @module bench/chain-bench
 * Issue 8 item 9: the embedded devnet next to anvil (`@foundry-rs/anvil`) in the same run,
 * over the same JSON-RPC client and the very same presigned transactions (both nodes start
 * from one geth genesis: the same funded accounts and the genesis test token):
 *   - native transfers per second and ERC-20 `transfer`s per second (EIP-20), sent with
 *     eth_sendRawTransaction with bounded concurrency, timed until the last is in a block;
 *   - send→receipt latency p50/p99, one transaction at a time, receipt polled every 2 ms;
 *   - after 100,000 transactions in all (5,000 with --quick): the devnet's chain.db (+ WAL)
 *     on disk and each node's RSS, per transaction and per 100k.
 * Every recipient is a fresh address, so state grows with every transaction (a worst case
 * for state size). Measurements, not pass/fail: the issue sets no numeric target.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Interface, dataSlice, id, type InterfaceAbi } from 'ethers';
import { loadArtifact } from '../core/chain/artifacts';
import { RESOURCES_DIR, testAccounts, testDevnetGenesis } from '../core/chain/test-genesis';
import { bySender, drive, latency, signAll, TxPlan, type DriveResult, type SignedTx, type TxSpec } from './chain-load';
import { anvilPath, startAnvilNode, startDevnetNode, type BenchNode } from './chain-nodes';
import { RpcClient } from './chain-rpc';
import { fmtRatio, fmtUs, summarize, type Row } from './stats';

export type ChainBenchOptions = { quick: boolean; cpuProfDir?: string; log?: (line: string) => void };

/**
 * 32 senders, each with at most 16 transactions sent and not yet in a block: 512 in flight.
 * More stalls anvil 1.7.1's automine (past ~1,000 pending it stops mining until poked; see
 * chain-nodes.ts), and the devnet's blocks stay far below 512 transactions at its pace anyway.
 */
const SENDERS = 32;
const WINDOW = 16;
const CONCURRENCY = 16;
const INTERVAL_MS = 1000;
const ERC20_GAS = 60_000n;

type Phases = { warmup: SignedTx[]; setup: SignedTx[]; native: SignedTx[]; erc20: SignedTx[]; latency: SignedTx[]; fill: SignedTx[] };
type NodeFigures = {
  native: DriveResult;
  erc20: DriveResult;
  latencyUs: number[];
  fill: DriveResult;
  rssStart: number;
  rssEnd: number;
  diskStart: number | null;
  diskEnd: number | null;
  txsTotal: number;
};

const fresh = (label: string, i: number) => dataSlice(id(`${label} ${i}`), 12);

async function plan(keys: string[], chainId: bigint, token: string, sizes: { tp: number; lat: number; total: number }): Promise<Phases> {
  const erc20 = new Interface(loadArtifact(RESOURCES_DIR, 'BitUnicomTestToken').abi as InterfaceAbi);
  const p = new TxPlan(SENDERS);
  const transfer = (s: number, to: string) => p.tx(s, { to, value: 1n, gasLimit: 21_000n });
  const tokenTo = (s: number, to: string, amount: bigint) => p.tx(s, { to: token, data: erc20.encodeFunctionData('transfer', [to, amount]), gasLimit: ERC20_GAS });
  const specs: Record<keyof Phases, TxSpec[]> = { warmup: [], setup: [], native: [], erc20: [], latency: [], fill: [] };
  for (let i = 0; i < SENDERS * 4; i++) specs.warmup.push(transfer(i % SENDERS, fresh('warmup', i)));
  const accounts = testAccounts(SENDERS);
  for (let s = 1; s < SENDERS; s++) specs.setup.push(tokenTo(0, accounts[s]!.address, 10n ** 21n));
  for (let i = 0; i < sizes.tp; i++) specs.native.push(transfer(i % SENDERS, fresh('native', i)));
  for (let i = 0; i < sizes.tp; i++) specs.erc20.push(tokenTo(i % SENDERS, fresh('erc20', i), 1n));
  for (let i = 0; i < sizes.lat; i++) specs.latency.push(transfer(1, fresh('latency', i)));
  const before = Object.values(specs).reduce((n, l) => n + l.length, 0);
  for (let i = 0; i < sizes.total - before; i++) {
    const s = i % SENDERS;
    specs.fill.push(i % 2 === 0 ? transfer(s, fresh('fill', i)) : tokenTo(s, fresh('fill', i), 1n));
  }
  const names = Object.keys(specs) as (keyof Phases)[];
  const signed = await signAll(keys, chainId, names.flatMap((n) => specs[n]), Math.max(1, Math.min(4, availableParallelism())));
  const out = {} as Phases;
  let at = 0;
  for (const n of names) {
    out[n] = signed.slice(at, at + specs[n].length);
    at += specs[n].length;
  }
  return out;
}

async function measure(node: BenchNode, phases: Phases, log: (l: string) => void): Promise<NodeFigures> {
  const rpc = new RpcClient(node.rpcUrl, CONCURRENCY + 4);
  const t0 = performance.now();
  const progress = (done: number, all: number) =>
    log(`chain: ${node.name} … ${done.toLocaleString('en')} of ${all.toLocaleString('en')} in blocks (${((performance.now() - t0) / 1000).toFixed(0)} s), RSS ${mib(node.rss())}`);
  const run = { concurrency: CONCURRENCY, window: WINDOW, nudge: node.nudge, progress };
  try {
    const rssStart = node.rss();
    const diskStart = node.disk();
    await drive(rpc, bySender(phases.warmup, SENDERS), run);
    await drive(rpc, bySender(phases.setup, SENDERS), run);
    const native = await drive(rpc, bySender(phases.native, SENDERS), run);
    log(`chain: ${node.name} native transfers: ${detail(native)}`);
    const erc20 = await drive(rpc, bySender(phases.erc20, SENDERS), run);
    log(`chain: ${node.name} ERC-20 transfers: ${detail(erc20)}`);
    const latencyUs = await latency(rpc, phases.latency);
    log(`chain: ${node.name} send→receipt p50 ${fmtUs(summarize(latencyUs).p50)}; now the fill to ${total(phases).toLocaleString('en')} transactions…`);
    const fill = await drive(rpc, bySender(phases.fill, SENDERS), run);
    log(`chain: ${node.name} fill: ${detail(fill)}`);
    if (rpc.resets) log(`chain: ${node.name}: ${rpc.resets} requests sent again after a dropped keep-alive socket`);
    return { native, erc20, latencyUs, fill, rssStart, rssEnd: node.rss(), diskStart, diskEnd: node.disk(), txsTotal: total(phases) };
  } catch (e) {
    await new Promise((r) => setTimeout(r, 200));
    const ended = node.ended();
    throw new Error(`${node.name}: ${String(e)}${ended ? ` (the node ${ended})` : ''}`, { cause: e });
  } finally {
    rpc.close();
  }
}

const total = (p: Phases) => Object.values(p).reduce((n, l) => n + l.length, 0);
const tps = (r: DriveResult) => r.txs / (r.ms / 1000);
const rate = (r: DriveResult) => `${tps(r).toFixed(0)} tx/s`;
const detail = (r: DriveResult) => `${rate(r)} (${r.txs} in ${r.blocks} blocks${r.nudges ? `, ${r.nudges} stalls ended with evm_mine` : ''})`;
const tenths = (r: DriveResult) => `${r.firstTenth.toFixed(0)} → ${r.lastTenth.toFixed(0)} tx/s`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** Run the chain benchmark; rows for the bench table (devnet value, anvil baseline, devnet/anvil). */
export async function chainRows(o: ChainBenchOptions): Promise<Row[]> {
  const log = o.log ?? (() => {});
  const sizes = o.quick ? { tp: 1000, lat: 50, total: 5_000 } : { tp: 5000, lat: 300, total: 100_000 };
  const accounts = testAccounts(SENDERS);
  const genesis = await testDevnetGenesis(accounts);
  const chainId = BigInt(genesis.config.chainId as number);
  const token = genesis.bitunicom.contracts[0]!.address!;
  const work = mkdtempSync(join(tmpdir(), 'bu-chain-bench-'));
  const genesisFile = join(work, 'genesis.json');
  writeFileSync(genesisFile, JSON.stringify(genesis));
  try {
    const t0 = performance.now();
    const phases = await plan(
      accounts.map((a) => a.key),
      chainId,
      token,
      sizes,
    );
    log(`chain: presigned ${total(phases).toLocaleString('en')} transactions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const devnet = await startDevnetNode({ dir: join(work, 'devnet'), genesisFile, accounts: SENDERS, intervalMs: INTERVAL_MS, cpuProfDir: o.cpuProfDir });
    let dev: NodeFigures;
    try {
      dev = await measure(devnet, phases, log);
    } finally {
      await devnet.close();
    }

    const bin = anvilPath();
    let anv: NodeFigures | null = null;
    let why = 'anvil not installed (@foundry-rs/anvil): anvil column skipped';
    if (bin) {
      try {
        const anvil = await startAnvilNode({ bin, genesisFile, chainId: Number(chainId), cacheDir: join(work, 'anvil-cache') });
        try {
          anv = await measure(anvil, phases, log);
        } finally {
          await anvil.close();
        }
      } catch (e) {
        why = `anvil failed: ${String(e).split('\n')[0]}`;
      }
    }
    if (!anv) log(`chain: ${why}`);
    return rows(dev, anv, why, sizes);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function rows(d: NodeFigures, a: NodeFigures | null, why: string, sizes: { tp: number; total: number }): Row[] {
  const vs = (dv: number, av: number | undefined, fmt: (x: number) => string, note = '') =>
    a && av !== undefined ? { baseline: `anvil ${fmt(av)}${note}`, ratio: fmtRatio(dv / av) } : { baseline: why, ratio: '' };
  const out: Row[] = [];
  const perBlock = (r: DriveResult) => `${(r.txs / Math.max(1, r.blocks)).toFixed(r.txs < r.blocks * 10 ? 1 : 0)} tx/block`;
  const tpRow = (figure: string, dr: DriveResult, ar: DriveResult | undefined) =>
    out.push({
      figure,
      value: `${rate(dr)} (${perBlock(dr)})`,
      ...vs(tps(dr), ar && tps(ar), (x) => `${x.toFixed(0)} tx/s`, ar ? ` (${perBlock(ar)}${ar.nudges ? `, ${ar.nudges} stalls` : ''})` : ''),
    });
  const where = `${SENDERS} senders, ≤${SENDERS * WINDOW} in flight`;
  tpRow(`chain: native transfers/s (${sizes.tp.toLocaleString('en')}, ${where})`, d.native, a?.native);
  tpRow(`chain: ERC-20 transfers/s (${sizes.tp.toLocaleString('en')}, test token)`, d.erc20, a?.erc20);
  const dl = summarize(d.latencyUs);
  const al = a ? summarize(a.latencyUs) : undefined;
  out.push({ figure: `chain: send → receipt p50 (one at a time, ${dl.n}, poll 2 ms)`, value: fmtUs(dl.p50), ...vs(dl.p50, al?.p50, fmtUs) });
  out.push({ figure: 'chain: send → receipt p99', value: fmtUs(dl.p99), ...vs(dl.p99, al?.p99, fmtUs) });
  tpRow(`chain: mixed transfers/s, sustained (${d.fill.txs.toLocaleString('en')}, half ERC-20)`, d.fill, a?.fill);
  out.push({
    figure: '  first → last tenth of it',
    value: tenths(d.fill),
    ...vs(d.fill.lastTenth, a?.fill.lastTenth, () => tenths(a!.fill)),
  });
  const n = d.txsTotal;
  const per = (bytes: number) => `${(bytes / n).toFixed(0)} B/tx, ${mib((bytes / n) * 100_000)}/100k`;
  const grown = (end: number | null, start: number | null) => (end !== null && start !== null ? end - start : NaN);
  const dDisk = grown(d.diskEnd, d.diskStart);
  const aDisk = a ? grown(a.diskEnd, a.diskStart) : undefined;
  out.push({
    figure: `chain: on disk after ${n.toLocaleString('en')} txs (devnet chain.db + WAL)`,
    value: `${mib(d.diskEnd ?? NaN)} (${per(dDisk)})`,
    ...(a && !aDisk ? { baseline: 'anvil keeps its state in memory (see RSS)', ratio: '' } : vs(dDisk, aDisk, (x) => `${mib(a!.diskEnd ?? NaN)} (${per(x)})`)),
  });
  out.push({
    figure: `chain: RSS after ${n.toLocaleString('en')} txs (at start)`,
    value: `${mib(d.rssEnd)} (${mib(d.rssStart)})`,
    ...vs(d.rssEnd, a?.rssEnd, (x) => `${mib(x)} (${mib(a!.rssStart)})`),
  });
  const dRss = d.rssEnd - d.rssStart;
  out.push({ figure: '  RSS growth', value: per(dRss), ...vs(dRss, a ? a.rssEnd - a.rssStart : undefined, per) });
  return out;
}
