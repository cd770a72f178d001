/**
 * `bitunicom devnet` as separate processes of the built CLI (out/main/cli.js: run `npm run
 * build` first): 4 primaries + 4 sealer keys in 2 sealer processes on loopback.
 *  1. The command prints its RPC line once a block is final; a transaction sent with ethers
 *     gets a receipt and the `finalized` tag reaches its block; a sealer process killed from
 *     outside is reported (not restarted); Ctrl+C (SIGINT) stops every child.
 *  2. The same DIR resumes through DevnetCluster (ledgers kept); `kill -9` of a primary → the
 *     others keep finalising; restarted on its DIR it catches up and its head hash and state
 *     root equal the others' at that height.
 * KEEP_DEVNET=1 keeps the DIR (logs/<id>.log) for a look after a failure.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { JsonRpcProvider, Network, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForValue } from '../core/base';
import { CLI_BIN, DevnetCluster, type RpcBlock } from './devnet-cluster';

const BUILT = join(CLI_BIN, '..', '..', '..', 'out', 'main', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'bu-devnet-cluster-'));
let height = 0;

beforeAll(() => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first (the devnet spawns the built CLI)`);
});
afterAll(() => (process.env.KEEP_DEVNET ? console.log('kept', dir) : rmSync(dir, { recursive: true, force: true })));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const until = <T,>(what: string, f: () => T | undefined | Promise<T | undefined>, ms: number): Promise<T> => waitForValue(f, ms, what, 200);

describe('bitunicom devnet (multi-process POE network)', () => {
  it('serves RPC once final, finalises a transaction, reports a dead child, Ctrl+C stops all', async () => {
    const proc = spawn(process.execPath, [CLI_BIN, 'devnet', '--primaries', '4', '--sealers', '4', '--sealer-processes', '2', '--data', dir, '--block-time', '1', '--status-every', '2', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: Record<string, unknown>[] = [];
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += String(d)));
    createInterface({ input: proc.stdout }).on('line', (l) => events.push(JSON.parse(l) as Record<string, unknown>));
    const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
    let pids: number[] = [];
    try {
      const ready = await until('ready', () => events.find((e) => e.event === 'ready'), 120_000);
      expect(events[0]).toMatchObject({ event: 'prepared', dir, created: true, primaries: 4, sealers: 4, sealerProcesses: 2 });
      const members = ready.members as { id: string; role: string; keys: number; pid: number; rpcUrl: string }[];
      expect(members.map((m) => `${m.id}:${m.role}:${m.keys}`)).toEqual(['p0:primary:1', 'p1:primary:1', 'p2:primary:1', 'p3:primary:1', 's0:sealer:2', 's1:sealer:2']);
      pids = members.map((m) => m.pid);
      const rpcUrl = String(ready.rpcUrl);
      expect(rpcUrl).toBe(members[0]!.rpcUrl);
      expect(Number(ready.height)).toBeGreaterThanOrEqual(1);

      const chainId = Number(events[0]!.chainId);
      const provider = new JsonRpcProvider(rpcUrl, Network.from(chainId), { staticNetwork: Network.from(chainId), pollingInterval: 250 });
      const { layout } = await DevnetCluster.prepare({ dir });
      const wallet = new Wallet(layout.wallet.privateKey, provider);
      const to = Wallet.createRandom().address;
      const tx = await wallet.sendTransaction({ to, value: 12345n });
      const receipt = (await tx.wait(1, 60_000))!;
      expect(receipt.status).toBe(1);
      const fin = await until('finalized tag covering the receipt', async () => {
        const b = await provider.getBlock('finalized');
        return b && b.number >= receipt.blockNumber ? b : undefined;
      }, 30_000);
      expect(fin.number).toBeGreaterThanOrEqual(receipt.blockNumber);
      expect(await provider.getBalance(to, 'finalized')).toBe(12345n);

      process.kill(members[5]!.pid, 'SIGKILL');
      const dead = await until('exit report', () => events.find((e) => e.event === 'exit'), 15_000);
      expect(dead).toMatchObject({ id: 's1', signal: 'SIGKILL', expected: false });
      const st = await until('status with s1 down', () => events.find((e) => e.event === 'status' && (e.down as string[]).includes('s1')), 15_000);
      expect(st).toMatchObject({ up: 5, nodes: 6, down: ['s1'] });
      height = Number((await provider.getBlock('finalized'))!.number);
      provider.destroy();
    } finally {
      proc.kill('SIGINT');
    }
    expect(await exited, stderr).toBe(0);
    await until('children gone', () => (pids.every((p) => !alive(p)) ? true : undefined), 15_000);
  }, 180_000);

  it('resumes the same DIR; kill -9 of a primary: the rest keep finalising, the restarted one catches up to the same state', async () => {
    const c = await DevnetCluster.prepare({ dir, blockTimeSec: 1 });
    expect(c.created).toBe(false);
    const exits: { id: string; signal: string | null; expected: boolean }[] = [];
    c.events.on('exit', (e) => exits.push(e));
    try {
      await c.start();
      const resumed = await c.waitForFinal(height + 1, 90_000);
      expect(resumed.number).toBeGreaterThan(height);

      await c.kill('p3', 'SIGKILL');
      expect(exits).toEqual([expect.objectContaining({ id: 'p3', signal: 'SIGKILL', expected: true })]);
      const before = (await c.block('p0', 'finalized'))!;
      const after = await c.waitForFinal(before.number + 3, 60_000);
      expect(after.number).toBeGreaterThanOrEqual(before.number + 3);

      await c.restart('p3');
      const target = (await c.block('p0', 'finalized'))!.number;
      const p3: RpcBlock = await until('p3 caught up', async () => {
        const b = await c.block('p3', 'latest').catch(() => null);
        return b && b.number >= target ? b : undefined;
      }, 60_000);
      for (const m of c.members) {
        const b = await until(`${m.id} at #${p3.number}`, () => c.block(m.id, p3.number).then((x) => x ?? undefined), 30_000);
        expect({ id: m.id, hash: b.hash, stateRoot: b.stateRoot }).toEqual({ id: m.id, hash: p3.hash, stateRoot: p3.stateRoot });
      }
    } finally {
      await c.stop();
    }
    expect(c.up()).toEqual([]);
  }, 180_000);
});
