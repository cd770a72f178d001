/**
 * @module bench/chain-nodes
 * The two nodes the chain benchmark measures, each in its own process so RSS is its own:
 * the BitUnicom devnet (chain-devnet-child.ts: `startTestDevnet` over a genesis file) and
 * anvil (`@foundry-rs/anvil`, `--init` with the same geth genesis, Cancun, automine), both
 * reached over JSON-RPC (Ethereum execution-apis) on loopback. RSS is VmRSS from
 * /proc/<pid>/status (Linux).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RpcClient } from './chain-rpc';

export type BenchNode = {
  name: string;
  rpcUrl: string;
  pid: number;
  /** Resident set size now (bytes), or NaN where /proc is missing. */
  rss(): number;
  /** Bytes the node keeps on disk (the devnet's chain.db + WAL); null for an in-memory node. */
  disk(): number | null;
  /** If the process has ended: how (exit code or signal, and the end of its stderr). */
  ended(): string | null;
  /** How to unstick a node that stops mining what it holds (anvil's automine), if it has a way. */
  nudge?: { afterMs: number; method: string };
  close(): Promise<void>;
};

export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The anvil binary of this platform's @foundry-rs package, or null when it is not installed. */
export function anvilPath(): string | null {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    const dir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
    const bin = join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Children still running; killed if the benchmark exits before closing them. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});
function track(p: ChildProcess): ChildProcess {
  live.add(p);
  p.once('exit', () => live.delete(p));
  return p;
}

function endedText(p: ChildProcess, err: () => string): string | null {
  if (p.exitCode === null && p.signalCode === null) return null;
  return `exited ${p.exitCode ?? p.signalCode}${err().trim() ? `: ${err().trim().split('\n').slice(-5).join(' | ')}` : ''}`;
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', () => r()));
}

async function stop(p: ChildProcess, graceMs = 15_000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await exited(p);
  clearTimeout(t);
}

export async function startDevnetNode(o: {
  dir: string;
  genesisFile: string;
  accounts: number;
  intervalMs: number;
  /** Write a V8 CPU profile of the devnet process here. */
  cpuProfDir?: string;
}): Promise<BenchNode> {
  const script = fileURLToPath(new URL('./chain-devnet-child.ts', import.meta.url));
  const prof = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  const args = [...prof, '--import', 'tsx', script, o.dir, o.genesisFile, String(o.accounts), String(o.intervalMs)];
  const p = track(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
  let err = '';
  p.stderr!.on('data', (d) => (err = (err + String(d)).slice(-4000)));
  const rpcUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { rpcUrl: string }).rpcUrl);
    });
    p.once('exit', (code) => reject(new Error(`devnet child exited ${code}: ${err.trim()}`)));
  });
  return {
    name: 'devnet',
    rpcUrl,
    pid: p.pid!,
    rss: () => rssOf(p.pid!),
    ended: () => endedText(p, () => err),
    disk: () =>
      readdirSync(o.dir)
        .filter((f) => /^chain\.db(-wal)?$/.test(f))
        .reduce((n, f) => n + statSync(join(o.dir, f)).size, 0),
    async close() {
      p.stdin!.end();
      await stop(p);
    },
  };
}

/**
 * anvil as a developer runs it (automine), from the same genesis, except that historical
 * states leaving its in-memory window are dropped (`--max-persisted-states 0`) instead of
 * written out: by default it writes a full state snapshot per block for up to 3,600 blocks
 * (2 GB after 5,000 transactions here, tens of GB at 100,000). `cacheDir` (`--cache-path`)
 * holds whatever it still writes; its size is anvil's disk.
 */
export async function startAnvilNode(o: { bin: string; genesisFile: string; chainId: number; cacheDir: string }): Promise<BenchNode> {
  const port = await freePort();
  mkdirSync(o.cacheDir, { recursive: true });
  const args = ['--init', o.genesisFile, '--hardfork', 'cancun', '--chain-id', String(o.chainId), '--port', String(port), '--accounts', '0'];
  args.push('--cache-path', o.cacheDir, '--prune-history', '--quiet');
  const p = track(spawn(o.bin, args, { stdio: ['ignore', 'ignore', 'pipe'] }));
  let err = '';
  p.stderr!.on('data', (d) => (err = (err + String(d)).slice(-4000)));
  const rpcUrl = `http://127.0.0.1:${port}`;
  const rpc = new RpcClient(rpcUrl, 1);
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      if (p.exitCode !== null) throw new Error(`anvil exited ${p.exitCode}: ${err.trim()}`);
      try {
        await rpc.call('eth_chainId');
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`anvil did not answer on ${rpcUrl}: ${String(e)}`, { cause: e });
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (e) {
    await stop(p);
    throw e;
  } finally {
    rpc.close();
  }
  return {
    name: 'anvil',
    rpcUrl,
    pid: p.pid!,
    rss: () => rssOf(p.pid!),
    ended: () => endedText(p, () => err),
    disk: () => treeSize(o.cacheDir),
    // anvil 1.7.1's automine can stop mining a pool it holds (seen here past ~1,000 pending; cf. foundry-rs/foundry#10122).
    nudge: { afterMs: 1000, method: 'evm_mine' },
    close: () => stop(p),
  };
}

function treeSize(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? treeSize(p) : statSync(p).size;
  }
  return n;
}
