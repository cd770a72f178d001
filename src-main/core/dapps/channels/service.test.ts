/**
 * ChannelService between in-memory friends (test-support.ts): the grant handshake and
 * invitations, delivery only when both sides granted, revocation, app-id scoping (a message
 * for app X never reaches app Y), non-friends and uninstalled apps dropped and counted,
 * reliable in-order delivery under loss, resync after a reconnect, persistence, rate limits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getAddress } from 'ethers';
import { FrameKind, encodeData, encodeFrame } from './codec';
import { ChannelService } from './service';
import { Net, settle, until, type Peer } from './test-support';

const X = `0x${'11'.repeat(20)}`;
const Y = `0x${'22'.repeat(20)}`;
const Z = `0x${'33'.repeat(20)}`;
const ALICE = getAddress('0xa11ce00000000000000000000000000000000001');
const BOB = getAddress('0xb0b0000000000000000000000000000000000002');
const CAROL = getAddress('0xca40100000000000000000000000000000000003');

let net: Net;
afterEach(() => net?.stop());

const kinds = (p: Peer, appId?: string) => p.events.filter((e) => !appId || e.appId === appId).map((e) => e.event.kind);
const data = (p: Peer, appId?: string) => p.events.filter((e) => e.event.kind === 'data' && (!appId || e.appId === appId)).map((e) => (e.event as { data: unknown }).data);

/** Alice and Bob, friends, online, both with X and Y installed, granted each other for X. */
async function pair(): Promise<{ a: Peer; b: Peer }> {
  net = new Net();
  const a = net.add(ALICE, 'Alice', { installed: [X, Y] });
  const b = net.add(BOB, 'Bob', { installed: [X, Y] });
  net.befriend(a, b);
  net.connect(a, b);
  a.service.grant(X, [BOB]);
  b.service.grant(X, [ALICE]);
  await until(() => kinds(a).includes('open') && kinds(b).includes('open'));
  return { a, b };
}

describe('ChannelService grants', () => {
  it('probes for friends who have the app, invites, and opens once both granted', async () => {
    net = new Net();
    const a = net.add(ALICE, 'Alice', { installed: [X] });
    const b = net.add(BOB, 'Bob', { installed: [X] });
    const c = net.add(CAROL, 'Carol', { installed: [] }); // a friend without the app
    net.befriend(a, b);
    net.befriend(a, c);
    net.connect(a, b);
    net.connect(a, c);
    const found = await a.service.candidates(X);
    expect(found).toEqual([{ address: BOB, name: 'Bob', online: true }]);

    a.service.grant(X, [BOB]);
    await until(() => kinds(b).includes('invite'));
    expect(b.service.friendsOf(X)).toEqual({ friends: [], invitations: [{ address: ALICE, name: 'Alice', online: true, at: expect.any(Number) }] });
    expect(a.service.friendsOf(X).friends).toEqual([{ address: BOB, name: 'Bob', online: true, granted: true, grantedByThem: false, open: false }]);
    // Bob has not granted: Alice's message does not go out
    await expect(a.service.send(X, BOB, 'hi')).resolves.toEqual({ delivered: false });

    b.service.grant(X, [ALICE]);
    await until(() => kinds(a).includes('open') && kinds(b).includes('open'));
    expect(a.service.friendsOf(X).friends[0]).toMatchObject({ grantedByThem: true, open: true });
    expect(b.service.friendsOf(X)).toMatchObject({ invitations: [], friends: [{ address: ALICE, open: true }] });
    await expect(a.service.send(X, BOB, { hello: 'Bob' })).resolves.toEqual({ delivered: true });
    expect(data(b, X)).toEqual([{ hello: 'Bob' }]);
    expect(a.service.grantedFriends(X)).toEqual([{ address: BOB, name: 'Bob' }]);
    // granting a non-friend is refused
    expect(() => a.service.grant(X, ['0x4444444444444444444444444444444444444444'])).toThrow(/not a friend/);
  });

  it('drops DATA from a friend we did not grant, silently, and counts it', async () => {
    net = new Net();
    const a = net.add(ALICE, 'Alice', { installed: [X] });
    const b = net.add(BOB, 'Bob', { installed: [X] });
    net.befriend(a, b);
    net.connect(a, b);
    // Alice pretends to be granted: a hand-made DATA frame to Bob
    b.service.onPayload(ALICE, encodeFrame({ kind: FrameKind.DATA, appId: X, stream: 1, seq: 0, body: encodeData('sneaky') }));
    await settle();
    expect(data(b)).toEqual([]);
    expect(b.service.stats()['not-granted']).toBe(1);
    await expect(b.service.send(X, ALICE, 'x')).rejects.toThrow(/no channel grant/);
  });

  it('stops delivery when either side revokes', async () => {
    const { a, b } = await pair();
    await expect(a.service.send(X, BOB, 1)).resolves.toEqual({ delivered: true });
    b.service.revoke(X, ALICE);
    await until(() => kinds(a).includes('close'));
    expect(a.events.at(-1)!.event).toMatchObject({ kind: 'close', from: BOB, reason: 'revoked' });
    await expect(a.service.send(X, BOB, 2)).resolves.toEqual({ delivered: false });
    // a frame sent anyway (stale state on Alice's side) is dropped by Bob
    b.service.onPayload(ALICE, encodeFrame({ kind: FrameKind.DATA, appId: X, stream: 9, seq: 0, body: encodeData(3) }));
    await settle();
    expect(data(b)).toEqual([1]);
    expect(b.service.stats()['not-granted']).toBe(1);
    expect(b.service.grantedFriends(X)).toEqual([]);
    // Alice still grants Bob: from Bob's side that is now an invitation
    expect(b.service.friendsOf(X).invitations.map((i) => i.address)).toEqual([ALICE]);
  });

  it('scopes every message to its app id: X never reaches Y, uninstalled apps get nothing', async () => {
    const { a, b } = await pair();
    await a.service.send(X, BOB, 'for X');
    await expect(a.service.send(Y, BOB, 'for Y')).rejects.toThrow(/no channel grant/);
    b.service.onPayload(ALICE, encodeFrame({ kind: FrameKind.DATA, appId: Y, stream: 1, seq: 0, body: encodeData('forged Y') }));
    b.service.onPayload(ALICE, encodeFrame({ kind: FrameKind.DATA, appId: Z, stream: 1, seq: 0, body: encodeData('Z is not installed') }));
    await settle();
    expect(b.events.filter((e) => e.appId !== X)).toEqual([]);
    expect(data(b, X)).toEqual(['for X']);
    expect(b.service.stats()).toMatchObject({ 'not-granted': 1, 'not-installed': 1 });
  });

  it('drops frames from non-friends and malformed ones', async () => {
    const { b } = await pair();
    b.service.onPayload(CAROL, encodeFrame({ kind: FrameKind.OPEN, appId: X }));
    b.service.onPayload(ALICE, Uint8Array.of(0xc1, 1, 3));
    await settle();
    expect(b.service.stats()).toMatchObject({ 'not-friend': 1, malformed: 1 });
    expect(b.service.friendsOf(X).invitations).toEqual([]);
  });
});

describe('ChannelService delivery', () => {
  it('delivers in order, exactly once, through 30 % loss', async () => {
    const { a, b } = await pair();
    net.loss = 0.3;
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => a.service.send(X, BOB, { i })));
    net.loss = 0;
    expect(results.filter((r) => r.delivered).length).toBeGreaterThanOrEqual(55); // the rest ran out of their 3 s deadline
    const got = data(b, X).map((d) => (d as { i: number }).i);
    expect(got).toEqual([...got].sort((p, q) => p - q)); // in order
    expect(new Set(got).size).toBe(got.length); // once
    // everything reported delivered did arrive
    results.forEach((r, i) => r.delivered && expect(got).toContain(i));
    // the stream carries on (a timed-out message restarts it under a new id)
    await expect(a.service.send(X, BOB, { i: 'after' })).resolves.toEqual({ delivered: true });
    expect(data(b, X).at(-1)).toEqual({ i: 'after' });
  });

  it('fails waiting sends when the session ends and reopens on reconnect', async () => {
    const { a, b } = await pair();
    net.disconnect(a, b);
    expect(kinds(a).at(-1)).toBe('offline');
    expect(kinds(b).at(-1)).toBe('offline');
    await expect(a.service.send(X, BOB, 'while offline')).resolves.toEqual({ delivered: false });
    a.events.length = 0;
    b.events.length = 0;
    net.connect(a, b);
    await until(() => kinds(a).includes('open') && kinds(b).includes('open'));
    await expect(b.service.send(X, ALICE, 'back')).resolves.toEqual({ delivered: true });
    expect(data(a, X)).toEqual(['back']);
  });

  it('survives the friend restarting without the session noticing: its "expect 0" restarts our stream', async () => {
    const { a, b } = await pair();
    await expect(a.service.send(X, BOB, 'before')).resolves.toEqual({ delivered: true });
    // Bob's node restarts (same store); Alice's session to him never closed
    b.service.stop();
    const b2 = net.add(BOB, 'Bob', { installed: [X, Y], kv: b.kv });
    net.befriend(a, b2);
    const started = Date.now();
    await expect(a.service.send(X, BOB, 'after restart')).resolves.toEqual({ delivered: true });
    expect(Date.now() - started).toBeLessThan(1000); // not the 3 s deadline
    expect(data(b2, X)).toEqual(['after restart']);
  });

  it('resyncs both dapps when the friend reopens a channel we still think is open', async () => {
    const { a, b } = await pair();
    a.events.length = 0;
    b.service.onSessionUp(ALICE); // Bob's side saw a new session, Alice's did not
    await until(() => kinds(a).includes('open') && kinds(b).includes('open'));
    await expect(a.service.send(X, BOB, 'still fine')).resolves.toEqual({ delivered: true });
  });

  it('keeps grants across restarts (store.settings) and resyncs them on the next session', async () => {
    const { a, b } = await pair();
    net.disconnect(a, b);
    a.service.stop();
    const again = new ChannelService({
      kv: { get: (k) => a.kv.get(k) ?? null, set: (k, v) => void a.kv.set(k, v) },
      transport: { send: () => false, isConnected: () => false },
      friend: (x) => (x.toLowerCase() === BOB.toLowerCase() ? { address: BOB, name: 'Bob' } : null),
      friends: () => [{ address: BOB, name: 'Bob' }],
      installed: () => true,
      logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
    });
    expect(again.grants.get(X, BOB)).toMatchObject({ me: true, them: true });
    expect([...a.kv.keys()].every((k) => k.startsWith('dapps.channels.'))).toBe(true);
    expect(again.grantedFriends(X)).toEqual([{ address: BOB, name: 'Bob' }]);
  });

  it('uninstalling closes the channel on the friend side and forgets the grants', async () => {
    const { a, b } = await pair();
    a.installed.delete(X);
    a.service.forgetApp(X);
    await until(() => kinds(b).includes('close'));
    expect(b.events.at(-1)!.event).toMatchObject({ kind: 'close', reason: 'uninstalled' });
    expect(b.service.grants.get(X, ALICE)).toMatchObject({ them: false, hasAppAt: null }); // not offered any more
    expect(a.service.grantedFriends(X)).toEqual([]);
    expect(a.service.grants.apps()).not.toContain(X);
  });

  it('rate-limits a dapp sending to one friend', async () => {
    const { a } = await pair();
    const sends = Array.from({ length: 260 }, (_, i) => a.service.send(X, BOB, i).then(() => 'ok', (e: Error) => e.message));
    const busy = (await Promise.all(sends)).filter((r) => /slow down/.test(r)).length;
    expect(busy).toBeGreaterThan(0);
  });
});
