/**
 * @module wallet/anvil-fixture
 * Test helper: a real anvil (Foundry's dev node, `@foundry-rs/anvil-<platform>-<arch>`) on a
 * free loopback port. `startAnvil` lets anvil pick the port itself (`--port 0`, so there is no
 * find-a-free-port-then-bind race with parallel tests), reads the port from its "Listening on"
 * line, then polls `eth_chainId` until the node answers with the expected chain id.
 * `stop()` sends SIGTERM, then SIGKILL after 3 s; a process exit kills any anvil still running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type AnvilOptions = {
  /** BIP-39 phrase for the dev accounts (anvil's default: "test test … junk"). */
  mnemonic?: string;
  /** Default 31337 (anvil's). */
  chainId?: number;
  /** Interval mining, seconds; default: automine (a block per transaction). */
  blockTime?: number;
  /** Extra anvil arguments. */
  args?: string[];
};

export type Anvil = { url: string; chainId: number; pid: number; stop(): Promise<void> };

/** The anvil binary of this platform's @foundry-rs package. */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  let bin = '';
  try {
    bin = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  } catch {}
  if (!bin || !existsSync(bin)) throw new Error(`anvil is not installed (npm package ${pkg})`);
  return bin;
}

const running = new Set<ChildProcess>();
let exitHook = false;

export async function startAnvil(o: AnvilOptions = {}): Promise<Anvil> {
  const chainId = o.chainId ?? 31337;
  const args = ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(chainId)];
  if (o.mnemonic !== undefined) args.push('--mnemonic', o.mnemonic);
  if (o.blockTime !== undefined) args.push('--block-time', String(o.blockTime));
  args.push(...(o.args ?? []));
  const child = spawn(anvilBinary(), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FOUNDRY_DISABLE_NIGHTLY_WARNING: '1' },
  });
  running.add(child);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));
  }
  const stop = () => stopChild(child);
  let log = '';
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`anvil did not start listening within 15 s: ${log.slice(-500)}`)), 15_000);
      const onData = (d: Buffer) => {
        log = (log + d.toString('utf8')).slice(-4000);
        const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData); // keeps both pipes drained for the life of the process
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`anvil exited (${code ?? signal}) before listening: ${log.slice(-500)}`));
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForChainId(url, chainId, child);
    return { url, chainId, pid: child.pid!, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function waitForChainId(url: string, chainId: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last: unknown = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`anvil exited (${child.exitCode}) at ${url}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
        signal: AbortSignal.timeout(1000),
      });
      const body = (await res.json()) as { result?: string };
      if (body.result !== undefined && BigInt(body.result) === BigInt(chainId)) return;
      last = `eth_chainId answered ${JSON.stringify(body)}`;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`anvil at ${url} did not answer eth_chainId = ${chainId} within 15 s (last: ${String(last)})`);
}

function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
