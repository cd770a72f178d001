/**
 * The provider extension (methods.ts) over two in-memory friends: requestChannel becomes a
 * 'channel' pending request listing the friends who have the dapp, approval grants only
 * friends listed, channelFriends / send / revokeChannel, parameter checks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getAddress } from 'ethers';
import type { PendingRequestT } from '../../../../src-preload/contract';
import { channelExtension, type ChannelRequestContext } from './methods';
import { Net, until, type Peer } from './test-support';

const X = `0x${'11'.repeat(20)}`;
const ALICE = getAddress('0xa11ce00000000000000000000000000000000001');
const BOB = getAddress('0xb0b0000000000000000000000000000000000002');

let net: Net;
afterEach(() => net?.stop());

/** A RequestContext whose `pend` keeps the draft and its approval for the test to decide. */
function context(appId: string) {
  type Draft = Parameters<ChannelRequestContext['pend']>[0];
  type Approve = Parameters<ChannelRequestContext['pend']>[1];
  const pending: { draft: Draft; approve: Approve }[] = [];
  const ctx = {
    appId,
    info: { name: 'Tic-Tac-Toe' },
    pend(draft: Draft, approve: Approve) {
      pending.push({ draft, approve });
      return { id: '0'.repeat(32), kind: draft.kind } as PendingRequestT;
    },
  } satisfies ChannelRequestContext;
  return { ctx, pending };
}

function setup(): { a: Peer; b: Peer } {
  net = new Net();
  const a = net.add(ALICE, 'Alice', { installed: [X] });
  const b = net.add(BOB, 'Bob', { installed: [X] });
  net.befriend(a, b);
  net.connect(a, b);
  return { a, b };
}

describe('channel provider extension', () => {
  it('asks the user with a channel request listing friends who have the dapp, then grants', async () => {
    const { a, b } = setup();
    const ext = channelExtension(a.service);
    expect(Object.keys(ext.methods).sort()).toEqual(['bitunicom_channelFriends', 'bitunicom_requestChannel', 'bitunicom_send']);
    expect(Object.values(ext.methods).every((m) => m.permission === 'p2p-channel')).toBe(true);
    const { ctx, pending } = context(X);
    const answer = await ext.methods.bitunicom_requestChannel!.handle(ctx, []);
    expect(answer.kind).toBe('pending');
    expect(pending[0]!.draft).toMatchObject({ kind: 'channel', account: null, friends: [{ address: BOB, name: 'Bob', online: true }] });
    await expect(pending[0]!.approve({ friends: ['0x4444444444444444444444444444444444444444'] })).rejects.toThrow(/listed in the request/);
    await expect(pending[0]!.approve({ friends: [BOB] })).resolves.toEqual({ granted: [BOB] });
    expect(ext.channelFriends!(X)).toEqual([{ address: BOB, name: 'Bob' }]);
    expect(ext.channelApps()).toEqual([X]);
    // asking again for a granted friend answers at once
    await expect(ext.methods.bitunicom_requestChannel!.handle(ctx, [{ friend: BOB.toLowerCase() }])).resolves.toEqual({ kind: 'result', result: { granted: [BOB] } });

    // Bob accepts the invitation through his own extension, then they talk
    const bobExt = channelExtension(b.service);
    const bob = context(X);
    const friends = (await bobExt.methods.bitunicom_channelFriends!.handle(bob.ctx, [])) as { result: { invitations: { address: string }[] } };
    expect(friends.result.invitations.map((i) => i.address)).toEqual([ALICE]);
    await bobExt.methods.bitunicom_requestChannel!.handle(bob.ctx, [{ friend: ALICE }]);
    await bob.pending[0]!.approve({});
    await until(() => a.events.some((e) => e.event.kind === 'open'));
    await expect(ext.methods.bitunicom_send!.handle(ctx, [{ to: BOB, data: { move: 4 } }])).resolves.toEqual({ kind: 'result', result: { delivered: true } });
    expect(b.events.filter((e) => e.event.kind === 'data').map((e) => e.event)).toEqual([{ kind: 'data', from: ALICE, name: 'Alice', data: { move: 4 } }]);

    ext.revokeChannel!(X, BOB);
    expect(ext.channelFriends!(X)).toEqual([]);
    expect(ext.channelApps()).toEqual([]);
    await expect(ext.methods.bitunicom_send!.handle(ctx, [{ to: BOB, data: 1 }])).rejects.toThrow(/no channel grant/);
  });

  it('checks parameters', async () => {
    const { a } = setup();
    const ext = channelExtension(a.service);
    const { ctx } = context(X);
    await expect(ext.methods.bitunicom_send!.handle(ctx, [{ to: 'bob', data: 1 }])).rejects.toThrow(/must be an address/);
    await expect(ext.methods.bitunicom_send!.handle(ctx, [{ to: BOB }])).rejects.toThrow(/needs data/);
    await expect(ext.methods.bitunicom_send!.handle(ctx, [{ to: BOB, data: 1, extra: 2 }])).rejects.toThrow(/does not know the field 'extra'/);
    await expect(ext.methods.bitunicom_send!.handle(ctx, [{ to: BOB, data: 'x'.repeat(20000) }])).rejects.toThrow(/no channel grant|limit/);
    await expect(ext.methods.bitunicom_requestChannel!.handle(ctx, [1, 2])).rejects.toThrow(/at most one parameter/);
    await expect(ext.methods.bitunicom_channelFriends!.handle(ctx, ['x'])).rejects.toThrow(/object parameter/);
    const lonely = context(`0x${'99'.repeat(20)}`);
    await expect(ext.methods.bitunicom_requestChannel!.handle(lonely.ctx, [])).rejects.toThrow(/None of your friends/);
  });
});
