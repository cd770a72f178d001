/**
 * ethers 6 against the devnet's RPC, unchanged: JsonRpcProvider + Wallet send a transfer,
 * deploy the test token and the probe, call them, read logs with queryFilter and with
 * contract.on (ethers polls eth_newFilter / eth_getFilterChanges), and see geth-style errors
 * become ethers' error codes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Contract, ContractFactory, JsonRpcProvider, Network, NonceManager, Wallet, isError, parseEther } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES_DIR, startTestDevnet, type TestDevnet } from '../testing';
import { probeContract } from './fixture';

const token = JSON.parse(readFileSync(join(RESOURCES_DIR, 'contracts', 'artifacts', 'BitUnicomTestToken.json'), 'utf8')) as { abi: never; bytecode: string };
let net: TestDevnet;
let provider: JsonRpcProvider;
let wallet: Wallet;
/**
 * ethers' provider answers identical requests from a 250 ms cache, so on a devnet that mines
 * within milliseconds a second send from a bare Wallet right after a receipt reuses the
 * cached "pending" nonce. NonceManager (ethers' own answer) counts locally.
 */
let signer: NonceManager;

beforeAll(async () => {
  net = await startTestDevnet();
  provider = new JsonRpcProvider(net.rpcUrl, undefined, { pollingInterval: 100 });
  wallet = new Wallet(net.accounts[0]!.key, provider);
  signer = new NonceManager(wallet);
});
afterAll(async () => {
  provider?.destroy();
  await net?.close();
});

describe('ethers 6', () => {
  it('detects the network and reads fee data', async () => {
    const n = await provider.getNetwork();
    expect(n.chainId).toBe(16981n);
    expect(n).toBeInstanceOf(Network);
    const fee = await provider.getFeeData();
    expect(fee.maxPriorityFeePerGas).toBe(10n ** 9n);
    expect(fee.maxFeePerGas).toBeGreaterThan(fee.maxPriorityFeePerGas!);
    expect((await provider.getBlock('latest'))!.number).toBeGreaterThanOrEqual(0);
  });

  it('sends a transfer', async () => {
    const to = Wallet.createRandom().address;
    const tx = await signer.sendTransaction({ to, value: parseEther('1.5') });
    const r = await tx.wait();
    expect(r!.status).toBe(1);
    expect(await provider.getBalance(to)).toBe(parseEther('1.5'));
    const got = await provider.getTransaction(tx.hash);
    expect(got!.from).toBe(wallet.address);
    expect(got!.type).toBe(2);
    const block = await provider.getBlock(r!.blockNumber, true);
    expect(block!.prefetchedTransactions.map((t) => t.hash)).toContain(tx.hash);
  });

  it('deploys the test token, calls it, reads Transfer logs with queryFilter and contract.on', async () => {
    const holders = [wallet.address, net.accounts[1]!.address];
    const factory = new ContractFactory(token.abi, token.bytecode, signer);
    const c = (await factory.deploy('Ethers Token', 'ETK', holders, 1000n)) as Contract;
    await c.waitForDeployment();
    const addr = await c.getAddress();
    expect(await c.getFunction('symbol')()).toBe('ETK');
    expect(await c.getFunction('balanceOf')(holders[1])).toBe(1000n);

    const seen = new Promise<bigint>((resolve) => {
      void c.on('Transfer', (_from: string, _to: string, value: bigint) => resolve(value));
    });
    await new Promise((r) => setTimeout(r, 300)); // the filter is installed on the next poll
    const tx = await c.getFunction('transfer')(net.accounts[2]!.address, 77n);
    await tx.wait();
    expect(await seen).toBe(77n);
    await c.removeAllListeners();

    const logs = await c.queryFilter(c.filters.Transfer!(wallet.address), 0, 'latest');
    expect(logs.map((l) => (l as unknown as { args: unknown[] }).args[2])).toEqual([77n]);
    const mints = await c.queryFilter(c.filters.Transfer!('0x0000000000000000000000000000000000000000', holders[1]));
    expect(mints.map((l) => (l as unknown as { args: unknown[] }).args[2])).toEqual([1000n]);
    expect((await provider.getLogs({ address: addr, fromBlock: 0 })).length).toBe(3);
  });

  it('deploys the probe: revert reasons and custom errors reach ethers', async () => {
    const p = probeContract();
    const c = (await new ContractFactory(p.abi as never, p.bytecode, signer).deploy()) as Contract;
    await c.waitForDeployment();
    await expect(c.getFunction('fail').staticCall()).rejects.toMatchObject({ code: 'CALL_EXCEPTION', reason: 'probe says no' });
    const err = await c.getFunction('failCustom').staticCall().catch((e: unknown) => e);
    expect(isError(err, 'CALL_EXCEPTION')).toBe(true);
    expect((err as { revert?: { name: string; args: unknown[] } }).revert).toMatchObject({ name: 'Custom' });
    const gas = await c.getFunction('fill').estimateGas(10);
    expect(gas).toBeGreaterThan(200_000n);
  });

  it('pool errors map to ethers codes', async () => {
    const poor = Wallet.createRandom().connect(provider);
    const e = await poor.sendTransaction({ to: wallet.address, value: 1n, gasLimit: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, nonce: 0, chainId: 16981n }).catch((x: unknown) => x);
    expect(isError(e, 'INSUFFICIENT_FUNDS')).toBe(true);
    const used = await provider.getTransactionCount(wallet.address);
    const low = await wallet.sendTransaction({ to: wallet.address, nonce: used - 1 }).catch((x: unknown) => x);
    expect(isError(low, 'NONCE_EXPIRED')).toBe(true);
  });
});
