import { Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRpcFixture, probeContract, type RpcErrorObject, type RpcFixture } from './fixture';
import { revertReason } from './revert';

type Json = Record<string, unknown>;
let f: RpcFixture;
let probe: string;
const iface = new Interface(probeContract().abi as never);
const enc = (fn: string, args: unknown[] = []) => iface.encodeFunctionData(fn, args);
const bytes = (h: string) => Buffer.from(h.slice(2), 'hex');
const rpcError = (p: Promise<unknown>) => p.then(() => ({ code: 0, message: 'no error' }) as RpcErrorObject, (e: RpcErrorObject) => e);

beforeAll(async () => {
  f = await openRpcFixture();
  const deploy = await f.send({ data: bytes(probeContract().bytecode), gasLimit: 2_000_000n });
  probe = (await f.call<Json>('eth_getTransactionReceipt', [deploy])).contractAddress as string;
});
afterAll(() => f.close());

describe('eth_call', () => {
  it('returns the output, with data or input, from any sender, at a past block', async () => {
    const out = await f.call<string>('eth_call', [{ to: probe, data: enc('divide', [10, 3]) }, 'latest']);
    expect(BigInt(out)).toBe(3n);
    expect(await f.call('eth_call', [{ to: probe, input: enc('divide', [10, 5]) }])).toBe('0x' + '2'.padStart(64, '0'));
    expect(await f.call('eth_call', [{ to: probe, data: enc('count') }, '0x0'])).toBe('0x');
    const balOf = await f.call<string>('eth_call', [{ from: f.accounts[1]!.address, to: probe, data: enc('bal', [f.accounts[1]!.address]) }]);
    expect(BigInt(balOf)).toBe(10n ** 24n);
  });

  it('a revert with Error(string): code 3, the reason, the data', async () => {
    const e = await rpcError(f.call('eth_call', [{ to: probe, data: enc('fail') }, 'latest']));
    expect(e.code).toBe(3);
    expect(e.message).toBe('execution reverted: probe says no');
    expect(revertReason(bytes(e.data as string))).toBe('probe says no');
    expect((e.data as string).slice(0, 10)).toBe('0x08c379a0');
  });

  it('a custom error is "execution reverted" with its data; a panic names its reason', async () => {
    const e = await rpcError(f.call('eth_call', [{ to: probe, data: enc('failCustom') }, 'latest']));
    expect(e).toEqual({ code: 3, message: 'execution reverted', data: iface.encodeErrorResult('Custom', [7]) });
    const p = await rpcError(f.call('eth_call', [{ to: probe, data: enc('divide', [1, 0]) }, 'latest']));
    expect(p).toMatchObject({ code: 3, message: 'execution reverted: division or modulo by zero' });
  });

  it('out of gas and other pre-execution refusals are -32000 with geth messages', async () => {
    expect(await rpcError(f.call('eth_call', [{ to: probe, data: enc('fill', [50]), gas: '0x7530' }]))).toEqual({ code: -32000, message: 'out of gas' });
    expect(await rpcError(f.call('eth_call', [{ to: probe, gas: '0x5000' }]))).toEqual({ code: -32000, message: 'intrinsic gas too low: have 20480, want 21000' });
    const poor = '0x' + '77'.repeat(20);
    const e = await rpcError(f.call('eth_call', [{ from: poor, to: probe, value: '0x1' }]));
    expect(e.code).toBe(-32000);
    expect(e.message).toBe(`insufficient funds for gas * price + value: address ${poor} have 0 want 1`);
    const low = await rpcError(f.call('eth_call', [{ from: f.accounts[0]!.address, to: probe, maxFeePerGas: '0x1' }]));
    expect(low.message).toMatch(/^max fee per gas less than block base fee/);
    expect(await rpcError(f.call('eth_call', [{ to: probe, gasPrice: '0x1', maxFeePerGas: '0x2' }]))).toMatchObject({ code: -32602 });
    expect(await rpcError(f.call('eth_call', [{ to: probe, chainId: '0x1' }]))).toMatchObject({ code: -32602, message: expect.stringContaining("chainId does not match node's") });
  });

  it('a contract may be the caller (geth skips the EOA check for calls)', async () => {
    const out = await f.call<string>('eth_call', [{ from: f.token, to: probe, data: enc('divide', [9, 3]) }]);
    expect(BigInt(out)).toBe(3n);
  });

  it('state overrides: balance, code, storage', async () => {
    const ghost = '0x' + '99'.repeat(20);
    const out = await f.call<string>('eth_call', [{ to: probe, data: enc('bal', [ghost]) }, 'latest', { [ghost]: { balance: '0x1234' } }]);
    expect(BigInt(out)).toBe(0x1234n);
    const code = await f.call<string>('eth_call', [{ to: ghost, data: enc('count') }, 'latest', { [ghost]: { code: probeContract().deployedBytecode, state: { ['0x' + '00'.repeat(32)]: '0x' + '00'.repeat(31) + '2a' } } }]);
    expect(BigInt(code)).toBe(42n);
    expect(BigInt(await f.call<string>('eth_call', [{ to: probe, data: enc('bal', [ghost]) }]))).toBe(0n);
  });

  it('refuses block overrides rather than ignoring them', async () => {
    expect(await rpcError(f.call('eth_call', [{ to: probe }, 'latest', {}, { number: '0x1' }]))).toMatchObject({ code: -32602 });
  });

  it('never touches the head state', async () => {
    const root = f.ledger.head.header.stateRoot;
    await f.call('eth_call', [{ from: f.accounts[0]!.address, to: probe, data: enc('ping', ['x']) }]);
    expect(f.ledger.head.header.stateRoot).toEqual(root);
    expect(await f.call('eth_getStorageAt', [probe, '0x0', 'latest'])).toBe('0x' + '00'.repeat(32));
  });
});

describe('eth_estimateGas', () => {
  it('21000 for a plain transfer', async () => {
    expect(await f.call('eth_estimateGas', [{ from: f.accounts[0]!.address, to: f.accounts[1]!.address, value: '0x1' }])).toBe('0x5208');
  });

  it('enough gas for storage-heavy work, within 1.5 % above what it needs', async () => {
    const from = f.accounts[0]!.address;
    const est = BigInt(await f.call<string>('eth_estimateGas', [{ from, to: probe, data: enc('fill', [20]) }]));
    expect(est).toBeGreaterThan(20n * 22_100n);
    const hash = await f.send({ to: probe as never, data: bytes(enc('fill', [20])), gasLimit: est });
    const r = await f.call<Json>('eth_getTransactionReceipt', [hash]);
    expect(r.status).toBe('0x1');
    const fails = await rpcError(f.call('eth_call', [{ from, to: probe, data: enc('fill', [20]), gas: '0x' + ((est * 98n) / 100n).toString(16) }, '0x1']));
    expect(fails).toEqual({ code: -32000, message: 'out of gas' });
  });

  it('refunds: an estimate that pays for the refunded gas too', async () => {
    const from = f.accounts[0]!.address;
    const est = BigInt(await f.call<string>('eth_estimateGas', [{ from, to: probe, data: enc('ping', ['refund me']) }]));
    const hash = await f.send({ to: probe as never, data: bytes(enc('ping', ['refund me'])), gasLimit: est });
    expect(await f.call<Json>('eth_getTransactionReceipt', [hash])).toMatchObject({ status: '0x1' });
  });

  it('a revert is code 3 with the reason; gas that cannot fit is -32000', async () => {
    const e = await rpcError(f.call('eth_estimateGas', [{ to: probe, data: enc('fail') }]));
    expect(e).toMatchObject({ code: 3, message: 'execution reverted: probe says no' });
    const cap = await rpcError(f.call('eth_estimateGas', [{ to: probe, data: enc('fill', [40]), gas: '0x9c40' }]));
    expect(cap).toEqual({ code: -32000, message: 'gas required exceeds allowance (40000)' });
    const poor = '0x' + '66'.repeat(20);
    const broke = await rpcError(f.call('eth_estimateGas', [{ from: poor, to: probe, value: '0x5', gasPrice: '0x3b9aca00' }]));
    expect(broke).toEqual({ code: -32000, message: 'insufficient funds for transfer' });
  });

  it('a contract creation', async () => {
    const est = BigInt(await f.call<string>('eth_estimateGas', [{ from: f.accounts[0]!.address, data: probeContract().bytecode }]));
    expect(est).toBeGreaterThan(53_000n);
    const hash = await f.send({ data: bytes(probeContract().bytecode), gasLimit: est });
    expect(await f.call<Json>('eth_getTransactionReceipt', [hash])).toMatchObject({ status: '0x1' });
  });
});

describe('eth_createAccessList', () => {
  it('lists the touched slots, not sender, recipient or precompiles; the list lowers gas', async () => {
    const from = f.accounts[0]!.address;
    const r = await f.call<Json>('eth_createAccessList', [{ from, to: f.token, data: erc20Transfer(f.accounts[1]!.address, 5n) }, 'latest']);
    const list = r.accessList as { address: string; storageKeys: string[] }[];
    expect(list.map((i) => i.address)).not.toContain(from.toLowerCase());
    expect(list.map((i) => i.address)).not.toContain(f.token.toLowerCase());
    expect(r.gasUsed).toMatch(/^0x[1-9a-f]/);
    expect(r).not.toHaveProperty('error');
    const withProbe = await f.call<Json>('eth_createAccessList', [{ from, to: probe, data: enc('bal', [f.token]) }]);
    expect(withProbe.accessList).toEqual([{ address: f.token.toLowerCase(), storageKeys: [] }]);
    const failing = await f.call<Json>('eth_createAccessList', [{ from, to: probe, data: enc('fail') }]);
    expect(failing.error).toBe('execution reverted');
  });
});

function erc20Transfer(to: string, amount: bigint): string {
  return new Interface(['function transfer(address,uint256)']).encodeFunctionData('transfer', [to, amount]);
}
