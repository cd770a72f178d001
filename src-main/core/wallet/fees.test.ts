import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBuError } from '../base';
import { randomBytes } from '../crypto';
import { WalletAccounts } from './accounts';
import type { WalletSigner } from './account-keys';
import { startAnvil, type Anvil } from './anvil-fixture';
import { estimateGas, medianBigint, replacementFees, suggestFees } from './fees';
import { RpcClient } from './rpc-client';

const M = 'test test test test test test test test test test test junk'; // anvil's dev accounts
const BOB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
// init code deploying a contract whose runtime returns 42
const INIT = '0x600a600c600039600a6000f3602a60005260206000f3';
const GWEI = 1_000_000_000n;

let dir: string;
let wallet: WalletAccounts;
let signer: WalletSigner;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bu-fees-'));
  wallet = await WalletAccounts.open({ file: join(dir, 'wallet.json'), secret: { kind: 'mnemonic', mnemonic: M }, wrapKey: randomBytes(32) });
  signer = wallet.signer(wallet.list()[0]!.address);
});
afterAll(() => {
  wallet.close();
  rmSync(dir, { recursive: true, force: true });
});

async function receipt(rpc: RpcClient, hash: string): Promise<{ status: string; blockNumber: string }> {
  for (let i = 0; i < 100; i++) {
    const r = await rpc.call<{ status: string; blockNumber: string } | null>('eth_getTransactionReceipt', [hash]);
    if (r) return r;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`no receipt for ${hash}`);
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isBuError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('did not fail');
}

describe('fees on anvil (automine)', () => {
  let anvil: Anvil;
  let rpc: RpcClient;
  beforeAll(async () => {
    anvil = await startAnvil({ mnemonic: M });
    rpc = new RpcClient(anvil.url, { timeoutMs: 3000 });
  });
  afterAll(() => anvil.stop());

  it('suggests positive, ordered fees (quiet chain, then with tips in the history) and a normal-fee transfer is mined', async () => {
    const quiet = await suggestFees(rpc);
    expect(quiet.baseFee).toBeGreaterThan(0n);
    expect(quiet.normal.maxPriorityFeePerGas).toBeGreaterThan(0n); // empty blocks: the node's eth_maxPriorityFeePerGas

    // blocks with tips of 1, 2, …, 6 gwei
    for (let i = 0; i < 6; i++) {
      const raw = signer.signTransaction({ chainId: 31337n, nonce: i, to: BOB, value: 1n, gasLimit: 21_000n, maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: BigInt(i + 1) * GWEI });
      await receipt(rpc, await rpc.call<string>('eth_sendRawTransaction', [raw]));
    }
    const s = await suggestFees(rpc);
    expect(s.source).toBe('feeHistory');
    const next = await rpc.call<{ baseFeePerGas: string[] }>('eth_feeHistory', ['0x1', 'latest', []]);
    expect(s.baseFee).toBe(BigInt(next.baseFeePerGas.at(-1)!));
    for (const t of [s.slow, s.normal, s.fast]) {
      expect(t.maxPriorityFeePerGas).toBeGreaterThan(0n);
      expect(t.maxFeePerGas).toBe(2n * s.baseFee + t.maxPriorityFeePerGas);
    }
    expect(s.slow.maxPriorityFeePerGas <= s.normal.maxPriorityFeePerGas && s.normal.maxPriorityFeePerGas <= s.fast.maxPriorityFeePerGas).toBe(true);
    // one tx per block: every percentile is that tx's tip; median of 1..6 gwei = 3.5 gwei (empty blocks ignored)
    expect(s.normal.maxPriorityFeePerGas).toBe(3_500_000_000n);

    const gasLimit = await estimateGas(rpc, { from: signer.address, to: BOB, value: 5n });
    expect(gasLimit).toBe(21_000n); // plain transfer: no margin
    const raw = signer.signTransaction({ chainId: 31337n, nonce: 6, to: BOB, value: 5n, gasLimit, ...s.normal });
    expect((await receipt(rpc, await rpc.call<string>('eth_sendRawTransaction', [raw]))).status).toBe('0x1');
  });

  it('adds a 25% margin to contract estimates, and a deployment with it is mined', async () => {
    const plain = BigInt(await rpc.call<string>('eth_estimateGas', [{ from: signer.address, data: INIT }]));
    const g = await estimateGas(rpc, { from: signer.address, data: INIT });
    expect(g).toBe((plain * 125n + 99n) / 100n);
    const nonce = Number(BigInt(await rpc.call<string>('eth_getTransactionCount', [signer.address, 'pending'])));
    const raw = signer.signTransaction({ chainId: 31337n, nonce, to: null, data: INIT, gasLimit: g, ...(await suggestFees(rpc)).normal });
    expect((await receipt(rpc, await rpc.call<string>('eth_sendRawTransaction', [raw]))).status).toBe('0x1');
  });

  it('refuses bad input with BAD_INPUT', async () => {
    expect(await failure(estimateGas(rpc, { from: 'nope' }))).toMatchObject({ code: 'BAD_ADDRESS' });
    expect(await failure(estimateGas(rpc, { from: signer.address, data: '0x1' }))).toMatchObject({ code: 'BAD_INPUT' });
    expect(await failure(estimateGas(rpc, { from: signer.address }))).toMatchObject({ code: 'BAD_INPUT' });
    expect(await failure(suggestFees(rpc, { minPriorityFeePerGas: 1 as unknown as bigint }))).toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('replacement on anvil --no-mining', () => {
  let anvil: Anvil;
  let rpc: RpcClient;
  beforeAll(async () => {
    anvil = await startAnvil({ mnemonic: M, args: ['--no-mining'] });
    rpc = new RpcClient(anvil.url, { timeoutMs: 3000 });
  });
  afterAll(() => anvil.stop());

  it('accepts replacementFees(old) and refuses a same-fee replacement as underpriced', async () => {
    const old = { maxPriorityFeePerGas: 1n * GWEI, maxFeePerGas: 3n * GWEI };
    const tx = (fees: typeof old, value: bigint) => signer.signTransaction({ chainId: 31337n, nonce: 0, to: BOB, value, gasLimit: 21_000n, ...fees });
    const first = await rpc.call<string>('eth_sendRawTransaction', [tx(old, 1n)]);
    const same = await failure(rpc.call('eth_sendRawTransaction', [tx(old, 2n)]));
    expect(same.code).toBe('RPC_ERROR');
    expect(same.message).toMatch(/replacement transaction underpriced/i);
    const bumped = replacementFees(old);
    expect(bumped).toEqual({ maxPriorityFeePerGas: 1_100_000_000n, maxFeePerGas: 3_300_000_000n });
    const second = await rpc.call<string>('eth_sendRawTransaction', [tx(bumped, 3n)]);
    expect(second).not.toBe(first);
    await rpc.call('evm_mine');
    expect((await receipt(rpc, second)).status).toBe('0x1');
    expect(await rpc.call('eth_getTransactionReceipt', [first])).toBeNull();
  });
});

describe('fallback and arithmetic', () => {
  let server: Server;
  let rpc: RpcClient;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const { id, method } = JSON.parse(body) as { id: number; method: string };
        const result: Record<string, unknown> = { eth_gasPrice: '0x' + (7n * GWEI).toString(16), eth_getBlockByNumber: { baseFeePerGas: '0x' + (5n * GWEI).toString(16) } };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(method in result ? { jsonrpc: '2.0', id, result: result[method] } : { jsonrpc: '2.0', id, error: { code: -32601, message: 'method not found' } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    rpc = new RpcClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`, { timeoutMs: 2000 });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('falls back to eth_gasPrice − base fee when eth_feeHistory and eth_maxPriorityFeePerGas are missing', async () => {
    const s = await suggestFees(rpc);
    expect(s.source).toBe('fallback');
    expect(s.baseFee).toBe(5n * GWEI);
    expect(s.normal).toEqual({ maxPriorityFeePerGas: 2n * GWEI, maxFeePerGas: 12n * GWEI });
  });

  it('does not treat an unreachable node as "unsupported"', async () => {
    const e = await failure(suggestFees(new RpcClient('http://127.0.0.1:2', { timeoutMs: 1000 })));
    expect(e.code).toBe('RPC_UNREACHABLE');
  });

  it('bumps replacement fees by ≥ 10%, rounded up, strictly higher, never under the current suggestion', () => {
    expect(replacementFees({ maxPriorityFeePerGas: 0n, maxFeePerGas: 0n })).toEqual({ maxPriorityFeePerGas: 1n, maxFeePerGas: 1n });
    expect(replacementFees({ maxPriorityFeePerGas: 15n, maxFeePerGas: 101n })).toEqual({ maxPriorityFeePerGas: 17n, maxFeePerGas: 112n });
    const cur = { maxPriorityFeePerGas: 5n * GWEI, maxFeePerGas: 4n * GWEI };
    expect(replacementFees({ maxPriorityFeePerGas: GWEI, maxFeePerGas: 2n * GWEI }, cur)).toEqual({ maxPriorityFeePerGas: 5n * GWEI, maxFeePerGas: 5n * GWEI });
    expect(() => replacementFees({ maxPriorityFeePerGas: 1.5 as unknown as bigint, maxFeePerGas: 2n })).toThrow(/bigint/);
    expect(medianBigint([3n, 1n, 2n])).toBe(2n);
    expect(medianBigint([1n, 2n])).toBe(2n);
  });
});
