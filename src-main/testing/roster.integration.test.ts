/**
 * Issue 7 (items 6–7): an account restored from its recovery phrase on a new machine gets its
 * contact list back from its router's vault — nobody accepts anything again — and what its
 * friends sent meanwhile arrives exactly once (the mailbox copies were sealed to the old
 * machine's prekeys: the senders re-send them live once both are online).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ContactT } from '../../src-preload/contract';
import { generateMnemonic } from '../core/account';
import { createNode, startRouter, type Router } from '../core/node';
import { befriend, startTestNode, stopAll, tempDir, waitFor, TEST_PASSWORD, type TestNode } from '../core/testnet';

const nodes: TestNode[] = [];
const routers: Router[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await stopAll(nodes.splice(0), []);
  await Promise.all(routers.splice(0).map((r) => r.close()));
  await stopAll([], dirs.splice(0));
});

function dir(prefix?: string): string {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
}

async function router(): Promise<Router> {
  const r = await startRouter({ dataDir: dir('bu-router-'), listen: { host: '127.0.0.1', port: 0 } });
  routers.push(r);
  return r;
}

async function node(name: string, r: Router, d = dir()): Promise<TestNode> {
  const n = await startTestNode(name, d, { bootstrap: [r.endpoint] });
  nodes.push(n);
  return n;
}

/** A profile from a recovery phrase: `create` for the first machine, `importMnemonic` for a new one. */
async function fromPhrase(how: 'account.create' | 'account.importMnemonic', mnemonic: string, r: Router, seen?: ContactT[], port = 0): Promise<TestNode> {
  const d = dir();
  const n = await createNode({ dataDir: d, listen: { host: '127.0.0.1', port }, scryptN: 2 ** 10, bootstrap: [r.endpoint] });
  if (seen) n.events.on('contact.updated', (c) => seen.push(c));
  const st = await n.handlers[how]({ mnemonic, password: TEST_PASSWORD, name: 'Bob' });
  const t = Object.assign(n, { name: 'Bob', address: st.address!, dir: d });
  nodes.push(t);
  return t;
}

async function stop(n: TestNode): Promise<void> {
  await n.close();
  nodes.splice(nodes.indexOf(n), 1);
}

async function online(n: TestNode): Promise<void> {
  await waitFor(async () => {
    const s = await n.handlers['node.status']({});
    return s.routers.length > 0 && s.dhtNodes > 0;
  }, 20_000);
}

/** Alice and Bob friends, Bob's roster (with Alice) at the router, Bob's record (prekeys) in the DHT. */
async function friendsWithBackup(r: Router) {
  const mnemonic = generateMnemonic();
  const a = await node('Alice', r);
  const b = await fromPhrase('account.create', mnemonic, r);
  await online(a);
  await online(b);
  const since = Date.now();
  await befriend(a, b);
  await waitFor(async () => {
    const s = (await b.handlers['node.status']({})).roster;
    return !!s && s.routers > 0 && (s.uploadedAt ?? 0) >= since && b.core.runtime!.store.contacts.get(a.address)?.state === 'friend';
  }, 20_000);
  // the backup holds Alice as a friend (what a new machine will get)
  const held = (await b.handlers['node.status']({})).roster!;
  expect(held.version).toBeGreaterThan(0);
  await waitFor(async () => {
    const rec = await a.core.runtime!.network.discovery.lookup(b.address);
    return rec?.prekeys != null && rec.routers.length > 0; // what a mailbox deposit needs
  }, 20_000);
  return { a, b, mnemonic };
}

async function sendWhileAway(a: TestNode, to: string, r: Router, texts: string[]): Promise<void> {
  for (const text of texts) await a.handlers['messages.send']({ address: to, text });
  // they go to Bob's router mailbox, sealed to the OLD machine's prekeys
  await waitFor(() => a.core.runtime!.store.messages.list(to, {}).filter((m) => texts.includes(m.text) && m.mailboxedAt != null).length === texts.length, 60_000, 100);
  expect(r.server.mailboxCount(to)).toBe(texts.length);
}

async function expectDeliveredOnce(a: TestNode, b: TestNode, texts: string[]): Promise<void> {
  await waitFor(async () => texts.every((t) => a.core.runtime!.store.messages.list(b.address, {}).find((m) => m.text === t)?.state === 'delivered'), 45_000, 100);
  await new Promise((res) => setTimeout(res, 1500)); // let any duplicate arrive if it were to
  const got = (await b.handlers['messages.list']({ address: a.address })).filter((m) => m.direction === 'in').map((m) => m.text);
  expect(got.filter((t) => texts.includes(t)).sort()).toEqual([...texts].sort());
}

async function chatBothWays(a: TestNode, b: TestNode): Promise<void> {
  await b.handlers['messages.send']({ address: a.address, text: 'hello from the new machine' });
  await a.handlers['messages.send']({ address: b.address, text: 'welcome back' });
  await waitFor(async () => (await a.handlers['messages.list']({ address: b.address })).some((m) => m.text === 'hello from the new machine'), 30_000);
  await waitFor(async () => (await b.handlers['messages.list']({ address: a.address })).some((m) => m.text === 'welcome back'), 30_000);
}

function neverAskedAgain(seen: ContactT[], address: string): void {
  const mine = seen.filter((c) => c.address === address);
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.map((c) => c.state)).not.toContain('pending_in');
}

describe('restoring an account on a new machine', () => {
  it('lists its friends without any accept, gets the 3 messages that waited exactly once, and chats both ways', async () => {
    const r = await router();
    const { a, b, mnemonic } = await friendsWithBackup(r);
    await stop(b);
    const texts = ['one', 'two', 'three'];
    await sendWhileAway(a, b.address, r, texts);

    const seen: ContactT[] = [];
    const b2 = await fromPhrase('account.importMnemonic', mnemonic, r, seen);
    await waitFor(async () => (await b2.handlers['contacts.list']({})).some((c) => c.address === a.address && c.state === 'friend'), 30_000);
    expect(await b2.handlers['contacts.requests']({})).toEqual([]);
    const st = (await b2.handlers['node.status']({})).roster!;
    expect(st.restoredAt).not.toBeNull();
    expect(st.contacts).toBe(1);
    expect(st.restoring).toBe(false);
    // the fresh profile looked up its own previous DHT record (before publishing over it)
    expect(await b2.core.runtime!.network.roster.previousRouters()).toEqual([r.endpoint]);

    await expectDeliveredOnce(a, b2, texts);
    // the copies it could not open were acknowledged, so the router does not push them forever
    await waitFor(() => r.server.mailboxCount(b.address) === 0, 20_000);
    await chatBothWays(a, b2);
    neverAskedAgain(seen, a.address);
    expect((await a.handlers['contacts.list']({})).find((c) => c.address === b.address)?.state).toBe('friend');
  }, 180_000);

  it('also when the friend is offline while the new machine starts and comes back later', async () => {
    const r = await router();
    const { a, b, mnemonic } = await friendsWithBackup(r);
    const aDir = a.dir;
    await stop(b);
    const texts = ['while', 'you', 'moved'];
    await sendWhileAway(a, b.address, r, texts);
    await stop(a);

    const seen: ContactT[] = [];
    const b2 = await fromPhrase('account.importMnemonic', mnemonic, r, seen);
    await waitFor(async () => (await b2.handlers['contacts.list']({})).some((c) => c.address === a.address && c.state === 'friend'), 30_000);
    await online(b2);

    const a2 = await node('Alice', r, aDir);
    await expectDeliveredOnce(a2, b2, texts);
    await chatBothWays(a2, b2);
    neverAskedAgain(seen, a2.address);
  }, 180_000);

  it('after the move, what the friend leaves in the mailbox opens on the new machine (a fresh X3DH from its new prekeys)', async () => {
    const r = await router();
    const { a, b, mnemonic } = await friendsWithBackup(r);
    const oldBundle = (await a.core.runtime!.network.discovery.lookup(b.address))!.prekeys!;
    const aDir = a.dir;
    await stop(b);
    await sendWhileAway(a, b.address, r, ['before']); // Alice's ratchet session now starts from the OLD prekeys
    const b2 = await fromPhrase('account.importMnemonic', mnemonic, r);
    await expectDeliveredOnce(a, b2, ['before']);
    await waitFor(async () => {
      const rec = await a.core.runtime!.network.discovery.lookup(b.address);
      return !!rec?.prekeys && Buffer.compare(rec.prekeys, oldBundle) !== 0;
    }, 30_000, 200);
    const b2Dir = b2.dir;
    await stop(b2);
    await sendWhileAway(a, b.address, r, ['after']);
    await stop(a); // only the mailbox can deliver it now
    const back = await node('Bob', r, b2Dir);
    await waitFor(async () => (await back.handlers['messages.list']({ address: a.address })).some((m) => m.text === 'after'), 30_000);
    await waitFor(() => r.server.mailboxCount(b.address) === 0, 20_000);
    const a2 = await node('Alice', r, aDir);
    await expectDeliveredOnce(a2, back, ['before', 'after']);
  }, 180_000);

  it('falls back to asking again (UNKNOWN → REQUEST → accept) when its routers hold no backup', async () => {
    const r = await router();
    const { a, b, mnemonic } = await friendsWithBackup(r);
    const port = (await b.handlers['node.status']({})).listen!.port;
    await stop(b);
    await a.handlers['messages.send']({ address: b.address, text: 'still there?' });

    // the new machine uses another router (a separate network: no backup there, no old record),
    // on the old port so that Alice's saved endpoint finds it
    const other = await router();
    const b2 = await fromPhrase('account.importMnemonic', mnemonic, other, undefined, port);
    await waitFor(async () => (await b2.handlers['contacts.requests']({})).some((c) => c.address === a.address && c.state === 'pending_in'), 30_000);
    expect((await b2.handlers['node.status']({})).roster?.restoredAt).toBeNull();
    await b2.handlers['contacts.accept']({ address: a.address });
    await expectDeliveredOnce(a, b2, ['still there?']);
    // and the new machine backs up its (new) contact list at its own router
    await waitFor(async () => ((await b2.handlers['node.status']({})).roster?.routers ?? 0) > 0, 20_000);
  }, 120_000);
});
