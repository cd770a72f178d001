/**
 * viem 2 against the devnet's RPC, unchanged: a custom chain (id 16981), public and wallet
 * clients send a transfer, deploy the test token and the probe, read them, estimate gas,
 * wait for receipts, read logs with getLogs / getContractEvents and a polling watcher, and
 * decode revert reasons and custom errors from the RPC's code-3 errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  parseAbi,
  parseEther,
  type Abi,
  type Chain,
  type Hex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES_DIR, startTestDevnet, type TestDevnet } from '../testing';
import { probeContract } from './fixture';

const token = JSON.parse(readFileSync(join(RESOURCES_DIR, 'contracts', 'artifacts', 'BitUnicomTestToken.json'), 'utf8')) as { abi: Abi; bytecode: Hex };
let net: TestDevnet;
let chain: Chain;

beforeAll(async () => {
  net = await startTestDevnet();
  chain = defineChain({
    id: 16981,
    name: 'BitUnicom devnet',
    nativeCurrency: { name: 'BitUnicom', symbol: 'BU', decimals: 18 },
    rpcUrls: { default: { http: [net.rpcUrl] } },
  });
});
afterAll(() => net?.close());

const clients = () => {
  const account = privateKeyToAccount(net.accounts[0]!.key);
  const publicClient = createPublicClient({ chain, transport: http(net.rpcUrl), pollingInterval: 50 });
  const walletClient = createWalletClient({ account, chain, transport: http(net.rpcUrl) });
  return { account, publicClient, walletClient };
};

describe('viem 2', () => {
  it('reads the chain, fees and blocks', async () => {
    const { publicClient } = clients();
    expect(await publicClient.getChainId()).toBe(16981);
    const fees = await publicClient.estimateFeesPerGas();
    expect(fees.maxPriorityFeePerGas).toBe(10n ** 9n);
    const block = await publicClient.getBlock({ blockTag: 'latest' });
    expect(block.baseFeePerGas).toBeGreaterThan(0n);
    expect(block.blobGasUsed).toBe(0n);
    const hist = await publicClient.getFeeHistory({ blockCount: 2, rewardPercentiles: [50] });
    expect(hist.baseFeePerGas.length).toBe(Math.min(2, Number(block.number) + 1) + 1);
    expect((await publicClient.getBlock({ blockTag: 'finalized' })).number).toBe(block.number);
  });

  it('sends a transfer and waits for the receipt', async () => {
    const { publicClient, walletClient } = clients();
    const to = getAddress('0x' + '5a'.repeat(20));
    const gas = await publicClient.estimateGas({ account: walletClient.account, to, value: parseEther('2') });
    expect(gas).toBe(21000n);
    const hash = await walletClient.sendTransaction({ to, value: parseEther('2') });
    const r = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    expect(r.status).toBe('success');
    expect(r.effectiveGasPrice).toBeGreaterThan(0n);
    expect(await publicClient.getBalance({ address: to })).toBe(parseEther('2'));
    const tx = await publicClient.getTransaction({ hash });
    expect(tx.type).toBe('eip1559');
    expect(tx.chainId).toBe(16981);
  });

  it('deploys the test token, reads it, transfers, and reads Transfer events', async () => {
    const { account, publicClient, walletClient } = clients();
    const holders = [account.address, getAddress(net.accounts[1]!.address)];
    const hash = await walletClient.deployContract({ abi: token.abi, bytecode: token.bytecode, args: ['Viem Token', 'VTK', holders, 500n] });
    const { contractAddress, status } = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    expect(status).toBe('success');
    const address = contractAddress!;
    expect(await publicClient.readContract({ address, abi: token.abi, functionName: 'symbol' })).toBe('VTK');
    expect(await publicClient.readContract({ address, abi: token.abi, functionName: 'totalSupply' })).toBe(1000n);

    const watched: bigint[] = [];
    const unwatch = publicClient.watchContractEvent({
      address,
      abi: token.abi,
      eventName: 'Transfer',
      poll: true,
      pollingInterval: 50,
      onLogs: (logs) => watched.push(...logs.map((l) => (l as unknown as { args: { value: bigint } }).args.value)),
    });
    await new Promise((r) => setTimeout(r, 150));
    const { request } = await publicClient.simulateContract({ account, address, abi: token.abi, functionName: 'transfer', args: [net.accounts[2]!.address, 9n] });
    const t = await walletClient.writeContract(request);
    await publicClient.waitForTransactionReceipt({ hash: t, pollingInterval: 50 });
    for (let i = 0; i < 40 && watched.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    unwatch();
    expect(watched).toEqual([9n]);

    const events = await publicClient.getContractEvents({ address, abi: token.abi, eventName: 'Transfer', fromBlock: 0n });
    expect(events.map((e) => (e as unknown as { args: { value: bigint } }).args.value)).toEqual([500n, 500n, 9n]);
    const logs = await publicClient.getLogs({
      address,
      event: parseAbi(['event Transfer(address indexed from, address indexed to, uint256 value)'])[0],
      args: { to: getAddress(net.accounts[2]!.address) },
      fromBlock: 0n,
    });
    expect(logs).toHaveLength(1);
    expect(logs[0]!.transactionHash).toBe(t);
  });

  it('decodes reverts: Error(string) and custom errors', async () => {
    const { account, publicClient, walletClient } = clients();
    const p = probeContract();
    const abi = p.abi as Abi;
    const hash = await walletClient.deployContract({ abi, bytecode: p.bytecode });
    const address = (await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 })).contractAddress!;
    const reason = await publicClient.readContract({ address, abi, functionName: 'fail' }).catch((e: unknown) => e);
    const r1 = (reason as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError;
    expect(r1.reason).toBe('probe says no');
    const custom = await publicClient.simulateContract({ account, address, abi, functionName: 'failCustom' }).catch((e: unknown) => e);
    const r2 = (custom as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError;
    expect(r2.data?.errorName).toBe('Custom');
    expect(r2.data?.args).toEqual([7n]);
    const gas = await publicClient.estimateContractGas({ account, address, abi, functionName: 'fill', args: [5n] });
    expect(gas).toBeGreaterThan(5n * 22_000n);
  });
});
