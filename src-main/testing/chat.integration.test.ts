/**
 * Two (or three) real cores on 127.0.0.1: real UDP, sessions, envelopes and encrypted stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { befriend, startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';
import type { MessageT } from '../../src-preload/contract';

const open: TestNode[] = [];
const dirs: string[] = [];
async function node(name: string, dir = tempDir(), port = 0): Promise<TestNode> {
  if (!dirs.includes(dir)) dirs.push(dir);
  const n = await startTestNode(name, dir, { listen: { host: '127.0.0.1', port } });
  open.push(n);
  return n;
}
afterEach(async () => {
  await stopAll(open.splice(0), dirs.splice(0));
});

const texts = (ms: MessageT[]) => ms.map((m) => m.text);
/** Handlers may throw synchronously; the dispatcher awaits them, so tests do too. */
const attempt = async <T>(fn: () => T | Promise<T>): Promise<T> => fn();

describe('two friends on loopback', () => {
  it('befriend through an invite, chat both ways, states reach delivered, unread counts', async () => {
    const a = await node('Alice');
    const b = await node('Bob');
    const events: string[] = [];
    b.events.on('message.added', (m) => m.direction === 'in' && events.push(`added:${m.text}`));
    await befriend(a, b);

    for (let i = 0; i < 5; i++) await a.handlers['messages.send']({ address: b.address, text: `a${i}` });
    await b.handlers['messages.send']({ address: a.address, text: 'hi Alice' });

    await waitFor(async () => (await b.handlers['messages.list']({ address: a.address })).length === 6);
    await waitFor(async () =>
      (await a.handlers['messages.list']({ address: b.address })).filter((m) => m.direction === 'out').every((m) => m.state === 'delivered'),
    );
    const atB = await b.handlers['messages.list']({ address: a.address });
    expect(texts(atB.filter((m) => m.direction === 'in'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(events).toEqual(['added:a0', 'added:a1', 'added:a2', 'added:a3', 'added:a4']);
    const contactAtB = (await b.handlers['contacts.list']({})).find((c) => c.address === a.address)!;
    expect(contactAtB.unread).toBe(5);
    expect(contactAtB.online).toBe(true);
    await b.handlers['messages.markRead']({ address: a.address });
    expect((await b.handlers['contacts.list']({})).find((c) => c.address === a.address)!.unread).toBe(0);

    await waitFor(async () => (await a.handlers['messages.list']({ address: b.address })).some((m) => m.direction === 'in'));
    const atA = await a.handlers['messages.list']({ address: b.address });
    expect(atA.find((m) => m.direction === 'in')!.text).toBe('hi Alice');
    // stable local order: seq strictly increasing
    expect(atA.map((m) => m.seq)).toEqual([...atA.map((m) => m.seq)].sort((x, y) => x - y));
    const status = await a.handlers['node.status']({});
    expect(status.peers.find((p) => p.address === b.address)?.link).toBe('direct');
  });

  it('refuses to message a non-friend and rejects bad invites', async () => {
    const a = await node('Alice');
    const b = await node('Bob');
    const { link } = await b.handlers['contacts.invite']({});
    await a.handlers['contacts.add']({ invite: link });
    await expect(attempt(() => a.handlers['messages.send']({ address: b.address, text: 'hi' }))).rejects.toMatchObject({ code: 'NOT_FRIEND' });
    await expect(attempt(() => a.handlers['contacts.add']({ invite: 'bitunicom://invite/garbage' }))).rejects.toMatchObject({ code: 'BAD_INVITE' });
    const own = await a.handlers['contacts.invite']({});
    await expect(attempt(() => a.handlers['contacts.add']({ invite: own.link }))).rejects.toMatchObject({ code: 'SELF_INVITE' });
  });

  it('queues while the friend is offline, delivers after it restarts, history intact', async () => {
    const a = await node('Alice');
    const bDir = tempDir();
    let b = await node('Bob', bDir);
    await befriend(a, b);
    await a.handlers['messages.send']({ address: b.address, text: 'before' });
    await waitFor(async () => (await b.handlers['messages.list']({ address: a.address })).length === 1);
    const bPort = (await b.handlers['node.status']({})).listen!.port;
    await b.close();
    open.splice(open.indexOf(b), 1);

    await a.handlers['messages.send']({ address: b.address, text: 'while-offline-1' });
    await a.handlers['messages.send']({ address: b.address, text: 'while-offline-2' });
    await new Promise((r) => setTimeout(r, 300));
    const pending = await a.handlers['messages.list']({ address: b.address });
    expect(pending.filter((m) => m.state === 'delivered').map((m) => m.text)).toEqual(['before']);

    b = await node('Bob', bDir, bPort);
    await waitFor(async () => (await b.handlers['messages.list']({ address: a.address })).length === 3, 20_000);
    expect(texts(await b.handlers['messages.list']({ address: a.address }))).toEqual(['before', 'while-offline-1', 'while-offline-2']);
    await waitFor(async () => (await a.handlers['messages.list']({ address: b.address })).every((m) => m.state === 'delivered'), 20_000);
  });

  it('a friend that comes back on a new port announces itself (PING updates the endpoint)', async () => {
    const a = await node('Alice');
    const bDir = tempDir();
    let b = await node('Bob', bDir);
    await befriend(a, b);
    await b.close();
    open.splice(open.indexOf(b), 1);
    b = await node('Bob', bDir); // new random port
    await waitFor(async () => (await a.handlers['contacts.list']({})).find((c) => c.address === b.address)?.online === true, 15_000);
    await a.handlers['messages.send']({ address: b.address, text: 'found you' });
    await waitFor(async () => (await b.handlers['messages.list']({ address: a.address })).some((m) => m.text === 'found you'), 15_000);
  });

  it('blocked peers are refused entirely; strangers only reach requests', async () => {
    const a = await node('Alice');
    const b = await node('Bob');
    const c = await node('Carol');
    await befriend(a, b);
    await a.handlers['contacts.block']({ address: b.address });
    await b.handlers['messages.send']({ address: a.address, text: 'can you hear me' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await a.handlers['messages.list']({ address: b.address })).toEqual([]);
    const sentByB = await b.handlers['messages.list']({ address: a.address });
    expect(sentByB[0]!.state).not.toBe('delivered');

    // Carol is a stranger to Alice: her session may open (request budget) but a TEXT is discarded.
    const { link } = await a.handlers['contacts.invite']({});
    await c.handlers['contacts.add']({ invite: link });
    await waitFor(async () => (await a.handlers['contacts.requests']({})).some((x) => x.address === c.address && x.state === 'pending_in'));
    const rt = c.core.runtime!;
    const { Kind } = await import('../core/chat');
    const { randomBytes } = await import('../core/crypto');
    rt.chat.transmit(a.address, { id: randomBytes(16), kind: Kind.TEXT, text: 'sneaky' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await a.handlers['messages.list']({ address: c.address })).toEqual([]);

    await a.handlers['contacts.unblock']({ address: b.address });
    await waitFor(async () => (await a.handlers['messages.list']({ address: b.address })).length === 1, 20_000);
  });

  it('a replayed envelope is stored once', async () => {
    const a = await node('Alice');
    const b = await node('Bob');
    await befriend(a, b);
    const { Kind } = await import('../core/chat');
    const { randomBytes } = await import('../core/crypto');
    const rt = a.core.runtime!;
    const id = randomBytes(16);
    const payload = { id, kind: Kind.TEXT, text: 'once', sentMs: Date.now() };
    const ts = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 5; i++) rt.chat.transmit(b.address, payload, ts);
    await waitFor(async () => (await b.handlers['messages.list']({ address: a.address })).length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(await b.handlers['messages.list']({ address: a.address }))).toEqual(['once']);
  });

  it('a friend who moves to a new machine (same recovery phrase) is asked to reconnect and gets what waited, once', async () => {
    const { createNode } = await import('../core/node');
    const { generateMnemonic } = await import('../core/account');
    const a = await node('Alice');
    const mnemonic = generateMnemonic();
    const bDir = tempDir();
    dirs.push(bDir);
    const b = await createNode({ dataDir: bDir, listen: { host: '127.0.0.1', port: 0 }, scryptN: 2 ** 10 });
    const st = await b.handlers['account.create']({ mnemonic, password: 'pw-12345678', name: 'Bob' });
    const bob = Object.assign(b, { name: 'Bob', address: st.address!, dir: bDir });
    open.push(bob);
    await befriend(a, bob);
    await a.handlers['messages.send']({ address: bob.address, text: 'first' });
    await waitFor(async () => (await a.handlers['messages.list']({ address: bob.address }))[0]!.state === 'delivered');
    const port = (await bob.handlers['node.status']({})).listen!.port;
    await bob.close();
    open.splice(open.indexOf(bob), 1);
    await a.handlers['messages.send']({ address: bob.address, text: 'while you moved' });

    // Same phrase, empty new machine, same port (so Alice's saved endpoint finds it).
    const b2Dir = tempDir();
    dirs.push(b2Dir);
    const b2 = await createNode({ dataDir: b2Dir, listen: { host: '127.0.0.1', port }, scryptN: 2 ** 10 });
    open.push(Object.assign(b2, { name: 'Bob', address: st.address!, dir: b2Dir }));
    await b2.handlers['account.importMnemonic']({ mnemonic, password: 'pw-12345678', name: 'Bob' });
    await waitFor(async () => (await b2.handlers['contacts.requests']({})).some((c) => c.address === a.address && c.state === 'pending_in'), 30_000);
    await b2.handlers['contacts.accept']({ address: a.address });
    await waitFor(async () => (await b2.handlers['messages.list']({ address: a.address })).length === 1, 30_000);
    await waitFor(async () => (await a.handlers['messages.list']({ address: bob.address })).every((m) => m.state === 'delivered'), 30_000);
    expect(texts(await b2.handlers['messages.list']({ address: a.address }))).toEqual(['while you moved']);
  });
});
