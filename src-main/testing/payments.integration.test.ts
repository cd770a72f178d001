/**
 * Money in a conversation, through the bridge handlers of two real nodes on loopback (real UDP,
 * sessions, encrypted stores) and a real chain: Alice's embedded POE devnet, which Bob adds as a
 * custom network (each profile's devnet is its own chain). Checked:
 *  - each learns the other's wallet address from the signed profile (Contact.wallet = account 0);
 *  - Alice sends Bob 1.5 BU from the chat: both messages go pending → confirmed ("Confirmed in
 *    block N"), and `cast` sees Bob's balance on Alice's chain;
 *  - Bob requests 2 BU; Alice pays it with one call: her request copy and Bob's both end 'paid',
 *    the payment confirmed on both sides;
 *  - a payment naming a chain Bob has no network for is 'unverified' on his side;
 *  - errors: a request on a network the payer does not have (WRONG_NETWORK), paying twice.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageT } from '../../src-preload/contract';
import { failure } from '../core/base/test-support';
import { RESOURCES_DIR } from '../core/chain/testing';
import { befriend, startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';

const run = promisify(execFile);
const CAST = 'node_modules/@foundry-rs/cast-linux-amd64/bin/cast';
const nodes: TestNode[] = [];
const dirs: string[] = [];
let alice: TestNode;
let bob: TestNode;
let aliceNet: string; // Bob's network id for Alice's devnet

async function start(name: string, chain: boolean): Promise<TestNode> {
  const dir = tempDir();
  dirs.push(dir);
  const n = await startTestNode(name, dir, {
    resourcesDir: chain ? RESOURCES_DIR : undefined,
    chain: chain ? { rpcPort: 0, intervalMs: 500 } : { enabled: false },
    wallet: { pollMs: 250 },
  });
  nodes.push(n);
  return n;
}

/** The BuError code a call fails with (base/test-support's `failure`). */
const code = async (p: Promise<unknown>): Promise<string> => (await failure(p)).code;

const paymentOf = async (n: TestNode, peer: string, id: string): Promise<MessageT['payment']> =>
  (await n.handlers['messages.list']({ address: peer })).find((m) => m.id === id)?.payment ?? null;

async function waitStatus(n: TestNode, peer: string, id: string, status: string): Promise<NonNullable<MessageT['payment']>> {
  let last: MessageT['payment'] = null;
  await waitFor(async () => (last = await paymentOf(n, peer, id))?.status === status, 30_000).catch(() => {
    throw new Error(`payment ${id} at ${n.name}: wanted ${status}, last ${JSON.stringify(last)}`);
  });
  return last!;
}

beforeAll(async () => {
  alice = await start('Alice', true);
  bob = await start('Bob', false);
  await befriend(alice, bob);
  const rpc = alice.core.chain.rpcUrl!;
  aliceNet = (await bob.handlers['wallet.addNetwork']({ name: "Alice's devnet", rpcUrl: rpc, symbol: 'BU' })).id;
});
afterAll(async () => {
  await stopAll(nodes.splice(0), dirs.splice(0));
});

describe('payments in a conversation', () => {
  it('friends know each other\'s wallet from the signed profile', async () => {
    const aWallet = (await alice.handlers['wallet.accounts']({}))[0]!.address;
    const bWallet = (await bob.handlers['wallet.accounts']({}))[0]!.address;
    await waitFor(async () => (await bob.handlers['contacts.list']({})).find((c) => c.address === alice.address)?.wallet === aWallet, 15_000);
    await waitFor(async () => (await alice.handlers['contacts.list']({})).find((c) => c.address === bob.address)?.wallet === bWallet, 15_000);
    expect(aWallet).not.toBe(alice.address); // the wallet is not the chat identity
  });

  it('a send goes pending → confirmed on both sides and the chain agrees', async () => {
    const q = await alice.handlers['wallet.quote']({ friend: bob.address, amount: '1.5' });
    expect(q.friend).toEqual({ address: bob.address, name: 'Bob' });
    const m = await alice.handlers['payments.send']({ address: bob.address, amount: '1.5', note: 'lunch', confirm: true });
    expect(m.payment).toMatchObject({ type: 'send', status: 'pending', note: 'lunch', amount: { amount: '1500000000000000000', formatted: '1.5 BU' } });
    expect(m.text).toBe('Sent 1.5 BU');
    const mine = await waitStatus(alice, bob.address, m.id, 'confirmed');
    expect(mine.detail).toMatch(/^Confirmed in block \d+$/);
    const theirs = await waitStatus(bob, alice.address, m.id, 'confirmed');
    expect(theirs).toMatchObject({ txHash: m.payment!.txHash, to: q.to, networkName: "Alice's devnet" }); // Bob's name for that chain
    expect(mine.networkName).toBe('BitUnicom devnet');
    const bWallet = (await bob.handlers['wallet.accounts']({}))[0]!.address;
    expect((await run(CAST, ['balance', bWallet, '--rpc-url', alice.core.chain.rpcUrl!])).stdout.trim()).toBe('1500000000000000000');
  });

  it('a request is paid with one confirm and ends paid on both sides', async () => {
    const req = await bob.handlers['payments.request']({ address: alice.address, amount: '2', networkId: aliceNet, note: 'tickets' });
    expect(req.payment).toMatchObject({ type: 'request', status: 'requested', txHash: null });
    await waitFor(async () => (await paymentOf(alice, bob.address, req.id))?.status === 'requested', 15_000);
    const paid = await alice.handlers['payments.pay']({ address: bob.address, id: req.id, confirm: true });
    expect(paid.payment).toMatchObject({ type: 'send', requestId: req.id, amount: { formatted: '2 BU' } });
    expect((await paymentOf(alice, bob.address, req.id))?.status).toBe('paid');
    await waitStatus(bob, alice.address, paid.id, 'confirmed');
    const atBob = await waitStatus(bob, alice.address, req.id, 'paid');
    expect(atBob.paidBy).toBe(paid.payment!.txHash);
    expect(atBob.detail).toMatch(/^Paid by Alice \(0x[0-9a-f]{8}…[0-9a-f]{4}\)$/);
    expect((await paymentOf(alice, bob.address, req.id))?.detail).toMatch(/^You paid it/);
    expect(await code(Promise.resolve().then(() => alice.handlers['payments.pay']({ address: bob.address, id: req.id, confirm: true })))).toBe('BAD_INPUT');
  });

  it('a request on a network the payer lacks is WRONG_NETWORK; a chain the receiver lacks is unverified', async () => {
    const bobDevnet = (await bob.handlers['wallet.networks']({})).find((n) => n.builtin)!;
    const req = await bob.handlers['payments.request']({ address: alice.address, amount: '1', networkId: bobDevnet.id });
    await waitFor(async () => (await paymentOf(alice, bob.address, req.id)) !== null, 15_000);
    // Bob's devnet does not run (no chain in his node), and Alice has no network with its chain id.
    expect(await code(Promise.resolve().then(() => alice.handlers['payments.pay']({ address: bob.address, id: req.id, confirm: true })))).toBe('WRONG_NETWORK');

    await bob.handlers['wallet.removeNetwork']({ id: aliceNet });
    const m = await alice.handlers['payments.send']({ address: bob.address, amount: '0.1', confirm: true });
    const seen = await waitStatus(bob, alice.address, m.id, 'unverified');
    expect(seen.detail).toMatch(/no network with chain id/);
    await waitStatus(alice, bob.address, m.id, 'confirmed');
  });
});
