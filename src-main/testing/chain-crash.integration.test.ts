/**
 * kill -9 the devnet process while transactions stream in and blocks are made, twice, then
 * restart it: every transaction whose eth_sendRawTransaction returned a hash is mined exactly
 * once, and every block seen before the kill is still there with the same hash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { testAccounts, testDevnetGenesis } from '../core/chain/test-genesis';
import { waitFor } from '../core/testnet';

const CHILD = fileURLToPath(new URL('./devnet-child.ts', import.meta.url));
const procs: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function startChild(dir: string, genesisFile: string): Promise<{ proc: ChildProcess; rpcUrl: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, genesisFile, '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const rpcUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      try {
        const j = JSON.parse(l) as { ready?: boolean; rpcUrl?: string };
        if (j.ready) resolve(j.rpcUrl!);
      } catch {
        /* not ours */
      }
    });
    proc.on('exit', () => reject(new Error(`devnet child exited: ${stderr.slice(-2000)}`)));
  });
  return { proc, rpcUrl };
}

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const j = (await res.json()) as { result?: T; error?: { message: string } };
  if (j.error) throw new Error(j.error.message);
  return j.result as T;
}

async function kill9(proc: ChildProcess): Promise<void> {
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

describe('devnet crash safety (kill -9)', () => {
  it('loses no accepted transaction and no block', async () => {
    const accounts = testAccounts(3);
    const dir = mkdtempSync(join(tmpdir(), 'bu-crash-chain-'));
    dirs.push(dir);
    const genesisFile = join(dir, 'genesis.json');
    writeFileSync(genesisFile, JSON.stringify(await testDevnetGenesis(accounts)));
    const chainDir = join(dir, 'chain');
    const wallet = new Wallet(accounts[1]!.key);
    const sign = (nonce: number) =>
      wallet.signTransaction({ type: 2, chainId: 16981n, nonce, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 10n ** 9n, gasLimit: 21_000n, to: accounts[2]!.address, value: 1n });

    const accepted: string[] = [];
    const seenBlocks = new Map<string, string>();
    let nonce: number;
    for (let round = 0; round < 2; round++) {
      const { proc, rpcUrl } = await startChild(chainDir, genesisFile);
      for (const [n, hash] of seenBlocks) {
        const b = await rpc<{ hash: string } | null>(rpcUrl, 'eth_getBlockByNumber', [n, false]);
        expect(b?.hash, `block ${n} after restart`).toBe(hash);
      }
      nonce = Number(BigInt(await rpc<string>(rpcUrl, 'eth_getTransactionCount', [wallet.address, 'pending'])));
      // Stream transactions; kill in the middle of the stream, without waiting for blocks.
      const stopAt = nonce + 40;
      while (nonce < stopAt) {
        accepted.push(await rpc<string>(rpcUrl, 'eth_sendRawTransaction', [await sign(nonce)]));
        nonce++;
        if (nonce % 7 === 0) {
          const b = await rpc<{ number: string; hash: string }>(rpcUrl, 'eth_getBlockByNumber', ['latest', false]);
          seenBlocks.set(b.number, b.hash);
        }
      }
      await kill9(proc);
    }
    const { rpcUrl } = await startChild(chainDir, genesisFile);
    await waitFor(async () => (await rpc<unknown>(rpcUrl, 'eth_getTransactionReceipt', [accepted[accepted.length - 1]])) !== null, 20_000);
    const blocksOf = new Map<string, string>();
    for (const h of accepted) {
      const r = await rpc<{ blockNumber: string; status: string } | null>(rpcUrl, 'eth_getTransactionReceipt', [h]);
      expect(r?.status, `receipt of ${h}`).toBe('0x1');
      blocksOf.set(h, r!.blockNumber);
    }
    // Exactly once: the sender's nonce equals the number of accepted transactions.
    expect(Number(BigInt(await rpc<string>(rpcUrl, 'eth_getTransactionCount', [wallet.address, 'latest'])))).toBe(accepted.length);
    expect(new Set(accepted).size).toBe(80);
    for (const [n, hash] of seenBlocks) expect((await rpc<{ hash: string }>(rpcUrl, 'eth_getBlockByNumber', [n, false])).hash).toBe(hash);
  });
});
