/**
 * The wallet through the node's bridge handlers, against the embedded POE devnet AND against
 * anvil started with the user's own recovery phrase as a custom network; every figure is
 * compared with what `cast` (Foundry's client, not ours) reads from the same node:
 *  - devnet: native and test-token balances; a native send and an ERC-20 send to a second HD
 *    account, pending → confirmed in the activity of both accounts; bad address, insufficient
 *    funds and a token that is not on the network give their error codes;
 *  - anvil (automine off): a send stays pending; speed-up and cancel replace it by fee with the
 *    same nonce; after mining, the replacement is confirmed and the original 'replaced';
 *  - a network whose RPC goes away answers 'unreachable' within the RPC deadline;
 *  - a restart keeps the activity and the nonces; a devnet reset does not wedge sending.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityItemT, BridgeHandlers, MethodInput, MethodName, MethodOutput } from '../../src-preload/contract';
import { failure } from '../core/base/test-support';
import { RESOURCES_DIR } from '../core/chain/testing';
import { createNode, type BuNode } from '../core/node';
import { startAnvil, type Anvil } from '../core/wallet/anvil-fixture';

const run = promisify(execFile);
const CAST = 'node_modules/@foundry-rs/cast-linux-amd64/bin/cast';
const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const dir = mkdtempSync(join(tmpdir(), 'bu-wallet-'));
let node: BuNode;
let anvil: Anvil | null = null;

async function cast(...args: string[]): Promise<string> {
  return (await run(CAST, args, { env: { ...process.env, NO_COLOR: '1' } })).stdout.trim();
}

function call<M extends MethodName>(m: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  return Promise.resolve((node.handlers as BridgeHandlers)[m](input as never)) as Promise<MethodOutput<M>>;
}

/** The BuError code a call fails with (base/test-support's `failure`). */
const code = async (p: Promise<unknown>): Promise<string> => (await failure(p)).code;

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const itemOf = async (hash: string, account: string, networkId?: string): Promise<ActivityItemT | undefined> =>
  (await call('wallet.activity', { account, networkId })).find((x) => x.hash === hash);

async function open(): Promise<BuNode> {
  return createNode({ dataDir: dir, scryptN: 2 ** 10, resourcesDir: RESOURCES_DIR, chain: { rpcPort: 0, intervalMs: 500 }, listen: { host: '127.0.0.1', port: 0 }, wallet: { pollMs: 250 } });
}

beforeAll(async () => {
  node = await open();
  await node.handlers['account.create']({ mnemonic: MNEMONIC, password: 'correct horse', name: 'Wally' });
});
afterAll(async () => {
  await anvil?.stop();
  await node?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the wallet on the embedded devnet', () => {
  let me: string;
  let second: string;
  let rpc: string;
  let token: string;

  it('shows the prefunded balance and the test token, as cast reads them', async () => {
    rpc = node.core.chain.rpcUrl!;
    const [a] = await call('wallet.accounts', {});
    me = a!.address;
    expect(a).toMatchObject({ kind: 'hd', index: 0, name: 'Account 1' });
    const nets = await call('wallet.networks', {});
    expect(nets).toEqual([expect.objectContaining({ id: 'devnet', builtin: true, selected: true, symbol: 'BU', rpcUrl: `${rpc}/` })]);
    const b = await call('wallet.balances', {});
    expect(b.state).toBe('ok');
    expect(b.native!.amount).toBe(await cast('balance', me, '--rpc-url', rpc));
    expect(b.tokens).toHaveLength(1);
    token = b.tokens[0]!.address;
    expect(b.tokens[0]).toMatchObject({ symbol: 'tBUT', decimals: 18 });
    expect(await call('wallet.tokenInfo', { address: token })).toEqual({ address: token, symbol: 'tBUT', name: 'BitUnicom Test Token', decimals: 18 });
    expect(await code(call('wallet.tokenInfo', { address: me }))).toBe('WRONG_NETWORK'); // an account, not a contract
    expect(b.tokens[0]!.balance!.amount).toBe((await cast('call', token, 'balanceOf(address)(uint256)', me, '--rpc-url', rpc)).split(' ')[0]);
  });

  it('sends native tokens and an ERC-20 to a second account: pending, then confirmed on both sides', async () => {
    second = (await call('wallet.addAccount', { name: 'Savings' })).address;
    const q = await call('wallet.quote', { to: second, amount: '1.5' });
    expect(q).toMatchObject({ from: me, to: second, sufficient: true, tier: 'normal', amount: { amount: '1500000000000000000' } });
    expect(BigInt(q.tiers.fast.maxPriorityFeePerGas)).toBeGreaterThanOrEqual(BigInt(q.tiers.slow.maxPriorityFeePerGas));
    const sent = await call('wallet.send', { to: second, amount: '1.5', confirm: true });
    expect(sent).toMatchObject({ status: 'pending', direction: 'out', account: me, nonce: '0', replaceable: true });
    const done = await until('the native send to confirm', async () => {
      const i = await itemOf(sent.hash, me);
      return i?.status === 'confirmed' && i;
    });
    expect(done.fee).not.toBeNull();
    expect((await itemOf(sent.hash, second))?.direction).toBe('in');
    expect(await cast('balance', second, '--rpc-url', rpc)).toBe('1500000000000000000');
    expect((await call('wallet.balances', { account: second })).native!.amount).toBe('1500000000000000000');

    const t = await call('wallet.send', { to: second, amount: '10', token, confirm: true });
    expect(t.token?.symbol).toBe('tBUT');
    await until('the token send to confirm', async () => (await itemOf(t.hash, second))?.status === 'confirmed');
    expect((await cast('call', token, 'balanceOf(address)(uint256)', second, '--rpc-url', rpc)).split(' ')[0]).toBe('10000000000000000000');
    const tb = (await call('wallet.balances', { account: second })).tokens[0]!;
    expect(tb.balance).toMatchObject({ amount: '10000000000000000000', formatted: '10 tBUT' });
  });

  it('refuses a bad checksum, more than the balance, zero, and a token not on this network', async () => {
    const mixed = second.slice(0, 2) + second.slice(2).split('').map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    expect(await code(call('wallet.quote', { to: mixed, amount: '1' }))).toBe('BAD_ADDRESS');
    const q = await call('wallet.quote', { from: second, to: me, amount: '1000' });
    expect(q.sufficient).toBe(false);
    expect(q.warnings.join(' ')).toMatch(/Not enough BU/);
    expect(await code(call('wallet.send', { from: second, to: me, amount: '1000', confirm: true }))).toBe('INSUFFICIENT_FUNDS');
    expect(await code(call('wallet.quote', { to: second, amount: '0' }))).toBe('BAD_INPUT');
    expect(await code(call('wallet.quote', { to: second, amount: '1', token: second }))).toBe('WRONG_NETWORK');
  });

  it('keeps activity and nonces over a restart, and sends after a devnet reset', async () => {
    await node.close();
    node = await open();
    await node.handlers['account.unlock']({ password: 'correct horse' });
    expect((await call('wallet.accounts', {})).map((a) => a.name)).toEqual(['Account 1', 'Savings']);
    expect((await call('wallet.activity', { account: me })).length).toBeGreaterThanOrEqual(2);
    const again = await call('wallet.send', { to: second, amount: '0.25', confirm: true });
    expect(again.nonce).toBe('2');
    await until('the send after restart to confirm', async () => (await itemOf(again.hash, me))?.status === 'confirmed');

    await node.handlers['devnet.reset']({ confirm: true });
    await until('the old history to go with the old chain', async () => (await call('wallet.activity', { account: me })).length === 0);
    const fresh = await call('wallet.send', { to: second, amount: '0.5', confirm: true });
    expect(fresh.nonce).toBe('0');
    await until('the send on the new chain to confirm', async () => (await itemOf(fresh.hash, me))?.status === 'confirmed');
    expect(await cast('balance', second, '--rpc-url', node.core.chain.rpcUrl!)).toBe('500000000000000000');
  });
});

describe('anvil with the same recovery phrase as a custom network', () => {
  it('agrees with cast, replaces a pending send by fee, and goes unreachable cleanly', async () => {
    anvil = await startAnvil({ mnemonic: MNEMONIC, chainId: 31337, args: ['--no-mining'] });
    expect(await code(call('wallet.addNetwork', { name: 'Anvil', rpcUrl: anvil.url, chainId: 1 }))).toBe('CHAIN_ID_MISMATCH');
    const net = await call('wallet.addNetwork', { name: 'Anvil', rpcUrl: anvil.url, symbol: 'ETH' });
    expect(net).toMatchObject({ chainId: 31337, builtin: false, selected: false });
    const [me, second] = (await call('wallet.accounts', {})).map((a) => a.address);
    const b = await call('wallet.balances', { networkId: net.id });
    expect(b.native!.amount).toBe(await cast('balance', me!, '--rpc-url', anvil.url));
    expect(b.native!.formatted).toBe('10' + '\u202f' + '000 ETH');

    const first = await call('wallet.send', { networkId: net.id, to: second!, amount: '2', confirm: true });
    const faster = await call('wallet.replace', { hash: first.hash, action: 'speed-up', confirm: true });
    expect(faster).toMatchObject({ nonce: first.nonce, replacement: 'speed-up', status: 'pending' });
    expect(await cast('tx', faster.hash, 'value', '--rpc-url', anvil.url)).toBe('2000000000000000000');
    await cast('rpc', 'evm_mine', '--rpc-url', anvil.url);
    await until('the speed-up to confirm and the original to be replaced', async () => {
      const [a, c] = [await itemOf(first.hash, me!, net.id), await itemOf(faster.hash, me!, net.id)];
      return a?.status === 'replaced' && c?.status === 'confirmed';
    });
    expect(await cast('balance', second!, '--rpc-url', anvil.url)).toBe('10002000000000000000000');

    const doomed = await call('wallet.send', { networkId: net.id, to: second!, amount: '3', confirm: true });
    const cancel = await call('wallet.replace', { hash: doomed.hash, action: 'cancel', confirm: true });
    expect(cancel).toMatchObject({ replacement: 'cancel', to: me, amount: { amount: '0' } });
    await cast('rpc', 'evm_mine', '--rpc-url', anvil.url);
    await until('the cancel to confirm', async () => (await itemOf(cancel.hash, me!, net.id))?.status === 'confirmed');
    expect(await cast('balance', second!, '--rpc-url', anvil.url)).toBe('10002000000000000000000');
    expect(await cast('nonce', me!, '--rpc-url', anvil.url)).toBe('2');

    await anvil.stop();
    anvil = null;
    const t0 = Date.now();
    const gone = await call('wallet.balances', { networkId: net.id });
    expect(gone.state).toBe('unreachable');
    expect(gone.message).toMatch(/cannot be reached|refused|reach/i);
    expect(Date.now() - t0).toBeLessThan(6000);
    expect((await call('wallet.networkState', { id: net.id })).state).toBe('unreachable');
    expect(await code(call('wallet.quote', { networkId: net.id, to: second!, amount: '1' }))).toBe('RPC_UNREACHABLE');
  });
});
