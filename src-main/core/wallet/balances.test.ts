import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { ContractFactory, JsonRpcProvider, Wallet, type Contract } from 'ethers';
import { waitFor } from '../base';
import { RESOURCES_DIR, loadArtifact } from '../chain';
import { anvilBinary, startAnvil, type Anvil } from './anvil-fixture';
import { BalanceWatcher, MAX_BALANCE_TOKENS, readBalances, type Balances } from './balances';
import { RpcClient, RpcClientError } from './rpc-client';
import { failure } from '../base/test-support';

const CAST = 'node_modules/@foundry-rs/cast-linux-amd64/bin/cast';
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'; // anvil account 0
const BOB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'; // anvil account 1
const NOT_TOKEN = '0x7777777777777777777777777777777777777777';
const EOA = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'; // anvil account 2: no code

describe('balances on anvil', () => {
  let anvil: Anvil;
  let rpc: RpcClient;
  let provider: JsonRpcProvider;
  let tokenA: Contract;
  let tokenB: Contract;
  let a: string;
  let b: string;

  beforeAll(async () => {
    anvil = await startAnvil();
    rpc = new RpcClient(anvil.url, { timeoutMs: 2000 });
    provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
    const signer = new Wallet(DEV_KEY, provider);
    const artifact = loadArtifact(RESOURCES_DIR, 'BitUnicomTestToken');
    const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, signer);
    tokenA = (await factory.deploy('Token A', 'AAA', [signer.address], 1000n * 10n ** 18n)) as Contract;
    await tokenA.waitForDeployment();
    tokenB = (await factory.deploy('Token B', 'BBB', [signer.address, BOB], 7n)) as Contract;
    await tokenB.waitForDeployment();
    [a, b] = [await tokenA.getAddress(), await tokenB.getAddress()];
    await (await tokenA.getFunction('transfer')(BOB, 123_456_789n)).wait();
    await (await signer.sendTransaction({ to: BOB, value: 5n })).wait();
    await rpc.call('anvil_setCode', [NOT_TOKEN, '0x600080fd']); // reverts on every call
  });
  afterAll(async () => {
    provider?.destroy();
    await anvil?.stop();
  });

  it('reads native and token balances in one batch, equal to what ethers and cast read', async () => {
    const r = await readBalances(rpc, { account: BOB.toLowerCase(), tokens: [a, b.toLowerCase(), a] });
    expect(r.account).toBe(BOB);
    expect(r.native).toBe(await provider.getBalance(BOB));
    expect(r.blockNumber).toBe(BigInt(await provider.getBlockNumber()));
    expect(r.tokens).toEqual([
      { address: a, balance: 123_456_789n },
      { address: b, balance: 7n },
    ]);
    expect(await tokenA.getFunction('balanceOf')(BOB)).toBe(123_456_789n);
    expect(execFileSync(CAST, ['balance', BOB, '--rpc-url', anvil.url], { encoding: 'utf8', timeout: 30_000 }).trim()).toBe(String(r.native));
    expect(execFileSync(CAST, ['call', a, 'balanceOf(address)(uint256)', BOB, '--rpc-url', anvil.url], { encoding: 'utf8', timeout: 30_000 }).trim()).toMatch(/^123456789\b/);
  });

  it('reports a failing token on its own entry, the others still read', async () => {
    const r = await readBalances(rpc, { account: BOB, tokens: [NOT_TOKEN, a, EOA] });
    expect(r.tokens[1]).toEqual({ address: a, balance: 123_456_789n });
    expect(r.tokens[0]).toMatchObject({ address: NOT_TOKEN, error: { code: 'RPC_ERROR', message: expect.stringMatching(/rejected eth_call/) } });
    expect(r.tokens[2]).toEqual({
      address: EOA,
      error: { code: 'RPC_BAD_RESPONSE', message: `The token at ${EOA} answered balanceOf with nothing (is there an ERC-20 contract at that address?).` },
    });
  });

  it('reads at a past block number', async () => {
    const head = BigInt(await provider.getBlockNumber());
    const before = await readBalances(rpc, { account: BOB, tokens: [a], blockTag: head });
    await (await tokenA.getFunction('transfer')(BOB, 1n)).wait();
    const then = await readBalances(rpc, { account: BOB, tokens: [a], blockTag: head });
    const now = await readBalances(rpc, { account: BOB, tokens: [a] });
    expect(then).toEqual(before);
    expect(then.blockNumber).toBe(head);
    expect(now.tokens).toEqual([{ address: a, balance: (before.tokens[0] as { balance: bigint }).balance + 1n }]);
    expect(now.blockNumber).toBe(head + 1n);
  });

  it('validates the query', async () => {
    expect((await failure(readBalances(rpc, { account: 'bob', tokens: [] }))).code).toBe('BAD_ADDRESS');
    expect((await failure(readBalances(rpc, { account: BOB, tokens: ['0x12'] }))).message).toMatch(/^Token address 1 has 2 hexadecimal/);
    expect((await failure(readBalances(rpc, { account: BOB, tokens: a as never }))).code).toBe('BAD_INPUT');
    expect((await failure(readBalances(rpc, { account: BOB, tokens: [], blockTag: -1n }))).code).toBe('BAD_INPUT');
    expect((await failure(readBalances(rpc, { account: BOB, tokens: [], blockTag: 'newest' as never }))).code).toBe('BAD_INPUT');
    const many = Array.from({ length: MAX_BALANCE_TOKENS + 1 }, (_, i) => '0x' + (i + 1).toString(16).padStart(40, '0'));
    expect((await failure(readBalances(rpc, { account: BOB, tokens: many }))).message).toMatch(/At most 100/);
    expect(() => new BalanceWatcher(rpc, { account: BOB, tokens: [], intervalMs: 1.5 })).toThrow(/polling interval/);
  });

  it('the watcher emits once per new block, not on idle polls', async () => {
    const w = new BalanceWatcher(rpc, { account: BOB, tokens: [a], intervalMs: 50 });
    const seen: Balances[] = [];
    const errors: RpcClientError[] = [];
    w.on('balances', (x) => seen.push(x));
    w.on('error', (e) => errors.push(e));
    w.start();
    await waitFor(() => seen.length === 1, 5000);
    await new Promise((r) => setTimeout(r, 300)); // ~6 polls, no new block
    expect(seen.length).toBe(1);
    await rpc.call('evm_mine');
    await waitFor(() => seen.length === 2, 5000);
    expect(seen[1]!.blockNumber).toBe(seen[0]!.blockNumber + 1n);
    await (await tokenA.getFunction('transfer')(BOB, 10n)).wait();
    await waitFor(() => seen.length === 3, 5000);
    expect((seen[2]!.tokens[0] as { balance: bigint }).balance).toBe((seen[1]!.tokens[0] as { balance: bigint }).balance + 10n);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.length).toBe(3);
    expect(errors).toEqual([]);
    await w.stop();
    await rpc.call('evm_mine');
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.length).toBe(3);
  });
});

describe('BalanceWatcher and an RPC that goes away', () => {
  it('emits RPC_UNREACHABLE while anvil is stopped and resumes when an anvil is back on the same port', async () => {
    const first = await startAnvil();
    const port = Number(new URL(first.url).port);
    const rpc = new RpcClient(first.url, { timeoutMs: 1000 });
    const w = new BalanceWatcher(rpc, { account: BOB, tokens: [], intervalMs: 50 });
    const seen: Balances[] = [];
    const errors: RpcClientError[] = [];
    w.on('balances', (x) => seen.push(x));
    w.on('error', (e) => errors.push(e));
    w.start();
    let second: ReturnType<typeof spawn> | null = null;
    try {
      await waitFor(() => seen.length === 1, 5000);
      await first.stop();
      await waitFor(() => errors.length >= 2, 5000);
      expect(errors[0]).toBeInstanceOf(RpcClientError);
      expect(errors[0]).toMatchObject({ kind: 'RPC_UNREACHABLE', code: 'RPC_UNREACHABLE', why: 'refused', host: `127.0.0.1:${port}` });
      expect(w.isRunning).toBe(true);
      // a fresh anvil on the same port, with a different balance for BOB: the watcher reads it (same block number 0 or not)
      second = spawn(anvilBinary(), ['--host', '127.0.0.1', '--port', String(port), '--balance', '3'], { stdio: 'ignore' });
      await waitFor(() => seen.length === 2, 10_000);
      expect(seen[1]!.native).toBe(3n * 10n ** 18n);
      expect(seen[0]!.native).toBe(10_000n * 10n ** 18n);
    } finally {
      await w.stop();
      await first.stop();
      second?.kill('SIGKILL');
    }
  });
});
