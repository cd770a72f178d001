/**
 * @module bench/poe-bench
 * Issue 9: POE finality on a real multi-process network — `bitunicom devnet` (daemon/devnet-
 * cluster.ts, the built CLI) with 4 primaries (a process each) and 32 sealer keys in 3 sealer
 * processes (11 + 11 + 10 keys), on loopback over the P2P transport:
 *   A. transactions at a steady rate (2/s, presigned EIP-1559 transfers from the genesis wallet)
 *      sent to primary 0's JSON-RPC for ≥ 60 s; latency = send → the block holding it is
 *      covered by the `finalized` tag (p0's `finalized` block polled every 50 ms and read with
 *      its transaction hashes; every stored POE block is final, so this is also its receipt);
 *   B. `kill -9` of one primary (p3) and a third of the sealer keys (process s0: 11 of 32), and
 *      the same load for ≥ 30 s: the network must keep finalising;
 *   C. both restarted on their DIRs: time until each has p0's finalized height, and whether its
 *      block hash and state root at that height equal p0's.
 * Baseline: the engine's own due→final p50 at p0 (its Status line) over the same phase.
 * Target (issue 9): send → finalized p50 ≤ 3 s.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { parseTimeouts, type TimeoutOverrides } from '../daemon/commands/poe-options';
import { CLI_BIN, DevnetCluster, rpcCall } from '../daemon/devnet-cluster';
import { percentile, type Row } from './stats';

/** `logLevel`: the nodes' log level in DIR/logs (POE_BENCH_LOG); `timeouts`: engine overrides (POE_BENCH_TIMEOUTS=propose=MS,…); `keep`: leave DIR (--poe-keep). */
export type PoeBenchOptions = { quick: boolean; log?: (line: string) => void; keep?: boolean; logLevel?: string; timeouts?: TimeoutOverrides };

const TARGET_P50_MS = 3000;
const RATE_PER_SEC = 2;

type Phase = { name: string; latencies: number[]; sent: number; lost: number; blocks: number; engineP50: number[]; cpu?: CpuUse };
type CpuUse = { nodes: number; machine: number; cores: number; seconds: number };

const TICK_MS = 10; // Linux USER_HZ = 100 (getconf CLK_TCK)

/** CPU time (ms) of a process from /proc/<pid>/stat (utime + stime), 0 if gone. */
function procCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** Busy and total CPU time (ms) of the whole machine, all cores, from /proc/stat. */
function machineCpuMs(): { busy: number; total: number; cores: number } {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const v = lines[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3]! + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS, cores: lines.filter((l) => /^cpu\d/.test(l)).length };
  } catch {
    return { busy: NaN, total: NaN, cores: 0 };
  }
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function poeRows(o: PoeBenchOptions): Promise<Row[]> {
  const log = o.log ?? (() => undefined);
  const built = join(CLI_BIN, '..', '..', '..', 'out', 'main', 'cli.js');
  if (!existsSync(built)) return [{ figure: 'POE devnet finality', value: 'not measured: build the CLI first (npm run build)', baseline: '', ratio: '' }];
  const loadMs = o.quick ? 20_000 : 60_000;
  const faultMs = o.quick ? 15_000 : 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'bu-poe-bench-'));
  const c = await DevnetCluster.prepare({ dir, primaries: 4, sealers: 32, sealerProcesses: 3, statusEverySec: 2, logLevel: o.logLevel ?? process.env.POE_BENCH_LOG ?? 'info', timeouts: o.timeouts ?? (process.env.POE_BENCH_TIMEOUTS ? parseTimeouts(process.env.POE_BENCH_TIMEOUTS) : undefined) });
  c.events.on('exit', (e) => {
    if (!e.expected) log(`poe: node ${e.id} died (${e.signal ?? e.code}): ${e.lastLine}`);
  });
  const counts = c.members.map((m) => `${m.id} ${m.keys}`).join(', ');
  log(`poe: devnet of ${c.members.length} processes (${counts}) in ${dir}`);
  try {
    const t0 = Date.now();
    await c.start();
    await c.waitForFinal(1, 180_000);
    // warm-up: a network whose nodes all started at once may lose its first rounds' messages
    const first = await c.waitForFinal(3, 120_000);
    log(`poe: ${c.members.length} nodes up in ${sec(Date.now() - t0)}, block #${first.number} final`);
    const url = c.rpcUrl!;
    const wallet = new Wallet(c.layout.wallet.privateKey);
    let nonce = Number(await rpcCall<string>(url, 'eth_getTransactionCount', [wallet.address, 'pending']));
    const pending = new Map<string, { sentAt: number; phase: Phase }>();
    let lastSeen = first.number;
    const cur: { phase: Phase | null } = { phase: null };

    // the finalized-block follower
    let following = true;
    const follower = (async () => {
      while (following) {
        const fin = await c.block('p0', 'finalized').catch(() => null);
        const now = Date.now();
        for (let n = lastSeen + 1; fin && n <= fin.number; n++) {
          const b = await rpcCall<{ transactions: string[] } | null>(url, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, false]).catch(() => null);
          if (!b) break;
          lastSeen = n;
          if (cur.phase) cur.phase.blocks++;
          for (const h of b.transactions) {
            const p = pending.get(h);
            if (!p) continue;
            pending.delete(h);
            p.phase.latencies.push(now - p.sentAt);
          }
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const chainId = BigInt(c.layout.chainId);
    const nodesCpu = () => c.members.reduce((sum, m) => sum + procCpuMs(m.proc?.pid), 0);
    const runLoad = async (p: Phase, ms: number) => {
      cur.phase = p;
      const start = Date.now();
      const cpu0 = nodesCpu();
      const m0 = machineCpuMs();
      const end = Date.now() + ms;
      const sampler = setInterval(() => {
        const s = c.member('p0').status?.finalityP50Ms;
        if (s != null) p.engineP50.push(s);
      }, 2000);
      for (let k = 0; Date.now() < end; k++) {
        const due = Date.now() + 1000 / RATE_PER_SEC;
        const raw = await wallet.signTransaction({ type: 2, chainId, nonce: nonce++, to: Wallet.createRandom().address, value: 1n, gasLimit: 21_000n, maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n });
        const sentAt = Date.now();
        const hash = await rpcCall<string>(url, 'eth_sendRawTransaction', [raw]);
        pending.set(hash, { sentAt, phase: p });
        p.sent++;
        await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      }
      clearInterval(sampler);
      const wall = Date.now() - start;
      const m1 = machineCpuMs();
      // killed processes' CPU drops out of the sum: phase B counts only the survivors, from its start
      p.cpu = { nodes: (nodesCpu() - cpu0) / wall, machine: (m1.busy - m0.busy) / wall, cores: m1.cores, seconds: wall / 1000 };
    };
    const settle = async (p: Phase) => {
      const deadline = Date.now() + 30_000;
      while ([...pending.values()].some((x) => x.phase === p) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      p.lost = [...pending.values()].filter((x) => x.phase === p).length;
    };

    const A: Phase = { name: `all up, ${RATE_PER_SEC} tx/s for ${loadMs / 1000} s`, latencies: [], sent: 0, lost: 0, blocks: 0, engineP50: [] };
    log(`poe: phase A: ${A.name} (load average ${loadavg()[0]!.toFixed(1)})`);
    await runLoad(A, loadMs);
    const B: Phase = { name: `p3 and s0 (11 of 32 sealer keys) killed, ${faultMs / 1000} s`, latencies: [], sent: 0, lost: 0, blocks: 0, engineP50: [] };
    log(`poe: phase B: kill -9 p3 and s0 (load average ${loadavg()[0]!.toFixed(1)})`);
    await Promise.all([c.kill('p3', 'SIGKILL'), c.kill('s0', 'SIGKILL')]);
    await runLoad(B, faultMs);
    for (const p of [A, B]) log(`poe: phase ${p === A ? 'A' : 'B'}: node processes used ${p.cpu!.nodes.toFixed(2)} cores, the machine ${p.cpu!.machine.toFixed(2)} of ${p.cpu!.cores}; ${p.blocks} blocks`);
    cur.phase = null;
    await settle(A);
    await settle(B);

    log('poe: phase C: restarting p3 and s0');
    const restartAt = Date.now();
    await Promise.all([c.restart('p3'), c.restart('s0')]);
    const catchUp: Record<string, { ms: number; same: boolean; height: number }> = {};
    for (const id of ['p3', 's0']) {
      const target = (await c.block('p0', 'finalized'))!.number;
      for (;;) {
        const b = await c.block(id, 'latest').catch(() => null);
        if (b && b.number >= target) {
          const ref = (await c.block('p0', b.number))!;
          catchUp[id] = { ms: Date.now() - restartAt, same: ref.hash === b.hash && ref.stateRoot === b.stateRoot, height: b.number };
          break;
        }
        if (Date.now() - restartAt > 120_000) {
          catchUp[id] = { ms: NaN, same: false, height: b?.number ?? -1 };
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    following = false;
    await follower;

    const rows: Row[] = [];
    for (const p of [A, B]) {
      const s = [...p.latencies].sort((a, b) => a - b);
      const eng = [...p.engineP50].sort((a, b) => a - b);
      const engine = eng.length ? `engine due→final p50 ${sec(percentile(eng, 50))} (p0)` : '';
      const p50 = percentile(s, 50);
      rows.push({
        figure: `POE send → finalized p50, ${p.name}`,
        value: sec(p50),
        baseline: engine,
        ratio: '',
        ...(p === A ? { target: '≤ 3 s', ok: p50 <= TARGET_P50_MS } : {}),
      });
      rows.push({ figure: `POE send → finalized p99, ${p.name}`, value: sec(percentile(s, 99)), baseline: `${p.sent - p.lost} of ${p.sent} final within 30 s of the phase's end; ${p.blocks} blocks in the phase`, ratio: '' });
      const u = p.cpu!;
      rows.push({
        figure: `  CPU, ${p === A ? 'A' : 'B'}: node processes / whole machine`,
        value: `${u.nodes.toFixed(2)} / ${u.machine.toFixed(2)} of ${u.cores} cores`,
        baseline: p.blocks ? `${((u.nodes * u.seconds) / p.blocks).toFixed(2)} CPU s per block (nodes)` : '',
        ratio: '',
      });
    }
    for (const [id, r] of Object.entries(catchUp)) {
      rows.push({ figure: `POE restart of ${id} → caught up to p0`, value: Number.isNaN(r.ms) ? 'did not catch up in 120 s' : sec(r.ms), baseline: `at #${r.height}: head hash and state root ${r.same ? 'equal p0' : 'DIFFER from p0'}`, ratio: '' });
    }
    return rows;
  } finally {
    await c.stop();
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
    else log(`poe: kept ${dir}`);
  }
}
