/**
 * Dapp channels through the whole stack, as the host UI drives them: two friend nodes, each
 * with its embedded devnet, install the Tic-Tac-Toe sample (the signed bundle every node
 * ships, verified against the genesis registry); then only bridge methods — 
 * `dapps.providerRequest` (bitunicom_requestChannel / channelFriends / send),
 * `dapps.providerDecide`, `dapps.connections`, `dapps.revoke` — and `dapps.providerEvent`
 * events. A dapp the friend does not have offers nobody; revoking closes the friend's side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PendingRequestT, ProviderEventT } from '../../src-preload/contract';
import { RESOURCES_DIR } from '../core/chain/testing';
import { befriend, startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';

const TTT = '0x02ae2aff9fd85a174518166a1a419dd8f24d0650';
const TODO = '0xe64aec80c7d695b10475996712ec1cf69f49c527';

let alice: TestNode;
let bob: TestNode;
const dirs: string[] = [];
const events = new Map<TestNode, ProviderEventT[]>();

type ChannelData = { kind: string; from: string; data?: unknown };
const channelEvents = (n: TestNode, appId = TTT) =>
  events
    .get(n)!
    .filter((e) => e.appId === appId && e.event === 'message' && (e.data as { type?: string }).type === 'bitunicom_channel')
    .map((e) => (e.data as { data: ChannelData }).data);
const request = (n: TestNode, method: string, params: unknown[] = [], appId = TTT) => n.handlers['dapps.providerRequest']({ appId, method, params });

async function start(name: string): Promise<TestNode> {
  const dir = tempDir();
  dirs.push(dir);
  const n = await startTestNode(name, dir, { resourcesDir: RESOURCES_DIR, chain: { rpcPort: 0, intervalMs: 500 } });
  events.set(n, []);
  n.events.on('dapps.providerEvent', (e) => events.get(n)!.push(e));
  return n;
}

async function install(n: TestNode, appId: string): Promise<void> {
  await waitFor(async () => (await n.handlers['dapps.catalog']({})).state === 'ok', 30_000, 100);
  await n.handlers['dapps.install']({ appId });
}

beforeAll(async () => {
  alice = await start('Alice');
  bob = await start('Bob');
  await befriend(alice, bob);
  await Promise.all([install(alice, TTT), install(bob, TTT), install(alice, TODO)]);
}, 120_000);

afterAll(() => stopAll([alice, bob], dirs));

describe('dapp channels over the bridge', () => {
  it('asks, grants on both sides, exchanges a move and lists the connection', async () => {
    const asked = await request(alice, 'bitunicom_requestChannel');
    expect(asked.kind).toBe('pending');
    const pending = (asked as { request: PendingRequestT }).request;
    expect(pending).toMatchObject({ kind: 'channel', appId: TTT, appName: 'Tic-Tac-Toe', friends: [{ address: bob.address, name: 'Bob', online: true }] });
    expect((await alice.handlers['dapps.pending']({})).map((p) => p.id)).toContain(pending.id);
    await expect(alice.handlers['dapps.providerDecide']({ id: pending.id, approve: true, friends: [bob.address] })).resolves.toEqual({ kind: 'result', result: { granted: [bob.address] } });

    await waitFor(() => channelEvents(bob).some((e) => e.kind === 'invite'), 10_000);
    const friends = await request(bob, 'bitunicom_channelFriends');
    expect(friends).toMatchObject({ kind: 'result', result: { friends: [], invitations: [{ address: alice.address, name: 'Alice', online: true }] } });
    const accept = (await request(bob, 'bitunicom_requestChannel', [{ friend: alice.address }])) as { request: PendingRequestT };
    await bob.handlers['dapps.providerDecide']({ id: accept.request.id, approve: true, friends: [alice.address] });
    await waitFor(() => channelEvents(alice).some((e) => e.kind === 'open') && channelEvents(bob).some((e) => e.kind === 'open'), 10_000);

    const move = { t: 'ttt', v: 1, round: 1, seed: 5, senderIs: 'X', moves: [4] };
    await expect(request(alice, 'bitunicom_send', [{ to: bob.address, data: move }])).resolves.toEqual({ kind: 'result', result: { delivered: true } });
    await waitFor(() => channelEvents(bob).some((e) => e.kind === 'data'), 10_000);
    expect(channelEvents(bob).find((e) => e.kind === 'data')).toEqual({ kind: 'data', from: alice.address, name: 'Alice', data: move });

    const conns = await alice.handlers['dapps.connections']({});
    expect(conns.find((c) => c.appId === TTT)?.channelFriends).toEqual([{ address: bob.address, name: 'Bob' }]);
  }, 60_000);

  it('offers nobody for a dapp the friend does not have', async () => {
    await expect(request(alice, 'bitunicom_requestChannel', [], TODO)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 30_000);

  it('revoking one friend closes the channel on both sides', async () => {
    const after = await alice.handlers['dapps.revoke']({ appId: TTT, what: 'channel', friend: bob.address });
    expect(after.channelFriends).toEqual([]);
    await waitFor(() => channelEvents(bob).some((e) => e.kind === 'close'), 10_000);
    await expect(request(alice, 'bitunicom_send', [{ to: bob.address, data: 1 }])).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(request(bob, 'bitunicom_send', [{ to: alice.address, data: 1 }])).resolves.toEqual({ kind: 'result', result: { delivered: false } });
  }, 30_000);
});
