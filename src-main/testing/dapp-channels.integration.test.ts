/**
 * Dapp channels between two whole nodes on loopback (real UDP, friend sessions, encrypted
 * stores), driven through the provider extension exactly as the dapp provider calls it
 * (node/dapp-channel-host wireChannels): Alice's dapp asks for a channel, the pending request
 * lists Bob (he has the dapp), Alice approves; Bob sees the invitation and accepts; messages
 * flow both ways for the same app id and arrive as `dapps.providerEvent`-shaped events; app Y
 * on Bob's side hears nothing; after the session is torn down and rebuilt both sides get
 * 'open' again and the channel works; revoking stops delivery; a node that is not a friend
 * reaches nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PendingRequestT, ProviderEventT } from '../../src-preload/contract';
import type { ChannelExtension, ChannelRequestContext } from '../core/dapps';
import { wireChannels } from '../core/node/dapp-channel-host';
import { befriend, startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';

const X = `0x${'a1'.repeat(20)}`;
const Y = `0x${'b2'.repeat(20)}`;

type Side = { node: TestNode; ext: ChannelExtension; events: ProviderEventT[]; approvals: ((d: { friends?: string[] }) => Promise<unknown>)[] };

const nodes: TestNode[] = [];
const dirs: string[] = [];
let alice: Side;
let bob: Side;
let carol: Side;

async function side(name: string, installed: string[]): Promise<Side> {
  const dir = tempDir();
  dirs.push(dir);
  const node = await startTestNode(name, dir, { chain: { enabled: false } });
  nodes.push(node);
  const events: ProviderEventT[] = [];
  let ext: ChannelExtension | null = null;
  wireChannels(node.core.runtime!.channels, {
    library: { get: (appId) => (installed.includes(appId) ? { appId } : null), on: () => () => {} },
    provider: { addExtension: (e) => void (ext = e) },
    emitProviderEvent: (e) => events.push(e),
    emitConnectionsChanged: () => {},
  });
  return { node, ext: ext!, events, approvals: [] };
}

function ctx(s: Side, appId: string): ChannelRequestContext {
  return {
    appId,
    info: { name: 'Tic-Tac-Toe' },
    pend: (draft, approve) => {
      s.approvals.push(approve);
      return { id: 'f'.repeat(32), kind: draft.kind, friends: draft.friends ?? [] } as PendingRequestT;
    },
  };
}

const call = async (s: Side, method: string, params: unknown, appId = X) => s.ext.methods[method]!.handle(ctx(s, appId), params);
const kinds = (s: Side, appId = X) => s.events.filter((e) => e.appId === appId).map((e) => (e.data as { data: { kind: string } }).data.kind);
const received = (s: Side, appId = X) =>
  s.events.filter((e) => e.appId === appId && (e.data as { data: { kind: string } }).data.kind === 'data').map((e) => (e.data as { data: { data: unknown } }).data.data);

beforeAll(async () => {
  alice = await side('Alice', [X, Y]);
  bob = await side('Bob', [X, Y]);
  carol = await side('Carol', [X]);
  await befriend(alice.node, bob.node);
}, 60_000);

afterAll(() => stopAll(nodes, dirs));

describe('dapp channels between two nodes', () => {
  it('grants through a channel request on both sides, then exchanges messages for the same app id', async () => {
    const answer = await call(alice, 'bitunicom_requestChannel', []);
    expect(answer.kind).toBe('pending');
    const request = (answer as { request: PendingRequestT }).request;
    expect(request.kind).toBe('channel');
    expect(request.friends).toEqual([{ address: bob.node.address, name: 'Bob', online: true }]);
    await expect(alice.approvals[0]!({ friends: [bob.node.address] })).resolves.toEqual({ granted: [bob.node.address] });

    await waitFor(() => kinds(bob).includes('invite'), 10_000);
    const invited = await call(bob, 'bitunicom_channelFriends', []);
    expect((invited as { result: { invitations: { address: string }[] } }).result.invitations.map((i) => i.address)).toEqual([alice.node.address]);
    await call(bob, 'bitunicom_requestChannel', [{ friend: alice.node.address }]);
    await bob.approvals[0]!({});
    await waitFor(() => kinds(alice).includes('open') && kinds(bob).includes('open'), 10_000);

    await expect(call(alice, 'bitunicom_send', [{ to: bob.node.address, data: { move: 4, turn: 1 } }])).resolves.toEqual({ kind: 'result', result: { delivered: true } });
    await expect(call(bob, 'bitunicom_send', [{ to: alice.node.address, data: { move: 0, turn: 2 } }])).resolves.toEqual({ kind: 'result', result: { delivered: true } });
    const many = await Promise.all(Array.from({ length: 40 }, (_, i) => call(alice, 'bitunicom_send', [{ to: bob.node.address, data: { i, pad: 'x'.repeat(4000) } }])));
    expect(many.every((r) => (r as { result: { delivered: boolean } }).result.delivered)).toBe(true);
    await waitFor(() => received(bob).length === 41, 10_000);
    expect(received(bob)[0]).toEqual({ move: 4, turn: 1 });
    expect(received(bob).slice(1).map((d) => (d as { i: number }).i)).toEqual([...Array(40).keys()]);
    expect(received(alice)).toEqual([{ move: 0, turn: 2 }]);
    // the event is what the dapp's frame gets: EIP-1193 message {type, data}
    expect(bob.events.find((e) => e.appId === X && (e.data as { data: { kind: string } }).data.kind === 'data')).toMatchObject({
      appId: X,
      event: 'message',
      data: { type: 'bitunicom_channel', data: { kind: 'data', from: alice.node.address, name: 'Alice' } },
    });
    // app Y, installed on both sides but never granted, heard nothing
    expect(bob.events.filter((e) => e.appId === Y)).toEqual([]);
    await expect(call(alice, 'bitunicom_send', [{ to: bob.node.address, data: 'y' }], Y)).rejects.toThrow(/no channel grant/);
  }, 60_000);

  it('opens again after the session is rebuilt', async () => {
    const rtA = alice.node.core.runtime!;
    alice.events.length = 0;
    bob.events.length = 0;
    rtA.sessions.disconnect(bob.node.address);
    await waitFor(() => kinds(alice).includes('offline'), 10_000);
    await rtA.chat.ensureLink(bob.node.address);
    await waitFor(() => kinds(alice).includes('open') && kinds(bob).includes('open'), 15_000);
    await expect(call(bob, 'bitunicom_send', [{ to: alice.node.address, data: 'after reconnect' }])).resolves.toEqual({ kind: 'result', result: { delivered: true } });
    await waitFor(() => received(alice).includes('after reconnect'), 10_000);
  }, 60_000);

  it('stops delivery when a side revokes, and a stranger reaches nothing', async () => {
    bob.ext.revokeChannel(X, alice.node.address);
    await waitFor(() => kinds(alice).includes('close'), 10_000);
    await expect(call(alice, 'bitunicom_send', [{ to: bob.node.address, data: 'after revoke' }])).resolves.toEqual({ kind: 'result', result: { delivered: false } });
    await expect(call(carol, 'bitunicom_send', [{ to: alice.node.address, data: 'hi' }])).rejects.toThrow(/not a friend/);
    expect(received(bob)).not.toContain('after revoke');
  }, 30_000);
});
