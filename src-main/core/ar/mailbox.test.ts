import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailboxDelivery } from './ar-client';
import { makeIdentity, sleep, startClient, startRouter, waitFor, type ClientNode, type RouterNode } from './test-helpers';

const nodes: Array<ClientNode | RouterNode> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0).reverse()) await n.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function track<T extends ClientNode | RouterNode>(p: Promise<T>): Promise<T> {
  const n = await p;
  nodes.push(n);
  return n;
}

const blob = (i: number) => new Uint8Array(300 + i).fill(i);

function collect(c: ClientNode): MailboxDelivery['items'] {
  const items: MailboxDelivery['items'] = [];
  c.ar.on('mailbox', (d) => items.push(...d.items));
  return items;
}

describe('AR mailbox', () => {
  it('stores for an offline recipient and delivers exactly the stored items on REGISTER, also on a new machine', async () => {
    const r = await track(startRouter());
    const a = await track(startClient({ routers: () => [r.hint] }));
    await a.ar.start();
    const bob = makeIdentity();
    for (let i = 1; i <= 3; i++) expect(await a.ar.mailboxPut(bob.address, blob(i), [r.endpoint])).toBe(true);
    expect(r.server.mailboxCount(bob.address)).toBe(3);

    const b = await track(startClient({ identity: bob, routers: () => [r.hint] }));
    const got = collect(b);
    await b.ar.start();
    await waitFor(() => got.length === 3, 5000, 'items');
    expect(got.map((i) => [...i.blob])).toEqual([1, 2, 3].map((i) => [...blob(i)]));
    expect(new Set(got.map((i) => i.from))).toEqual(new Set([a.id.address]));
    expect(got.every((i) => /^[0-9a-f]{32}$/.test(i.id) && i.receivedAt > 0)).toBe(true);
    // acknowledging after the (simulated) commit deletes them at the router
    expect(b.ar.ackMailbox(r.id.address, [got[0]!.id, got[1]!.id])).toBe(true);
    await waitFor(() => r.server.mailboxCount(bob.address) === 1);
    await b.udp.close(); // the first machine vanishes without a word; the router still has its session

    // "new machine": a brand-new SessionManager + socket holding the same key
    const b2 = await track(startClient({ identity: bob, routers: () => [r.hint] }));
    const got2 = collect(b2);
    await b2.ar.start();
    await waitFor(() => got2.length === 1);
    expect(got2[0]!.id).toBe(got[2]!.id);
    b2.ar.ackMailbox(r.id.address, [got2[0]!.id]);
    await waitFor(() => r.server.mailboxCount(bob.address) === 0);
    await sleep(100);
    expect(got2).toHaveLength(1);
  });

  it('pushes at once to an online recipient and re-pushes unacknowledged items (at-least-once)', async () => {
    const r = await track(startRouter({ limits: { mailboxRetryMs: 200 } }));
    const a = await track(startClient({ routers: () => [r.hint] }));
    const b = await track(startClient({ routers: () => [r.hint] }));
    await Promise.all([a.ar.start(), b.ar.start()]);
    const got = collect(b);
    expect(await a.ar.mailboxPut(b.id.address, blob(9), [])).toBe(true); // no via: our own routers
    await waitFor(() => got.length === 1);
    await waitFor(() => got.length === 2, 2000, 'redelivery'); // not acked → pushed again
    expect(got[1]!.id).toBe(got[0]!.id);
    b.ar.ackMailbox(r.id.address, [got[0]!.id]);
    await waitFor(() => r.server.mailboxCount(b.id.address) === 0);
    const n = got.length;
    await sleep(400);
    expect(got.length).toBe(n);
  });

  it('drops expired items (TTL) and refuses over the per-recipient quota', async () => {
    let clock = Date.now();
    const r = await track(startRouter({ now: () => clock, limits: { mailboxTtlMs: 60_000, mailboxMaxItemsPerRecipient: 2 } }));
    const a = await track(startClient({ routers: () => [r.hint] }));
    await a.ar.start();
    const bob = makeIdentity();
    expect(await a.ar.mailboxPut(bob.address, blob(1), [r.endpoint])).toBe(true);
    expect(await a.ar.mailboxPut(bob.address, blob(2), [r.endpoint])).toBe(true);
    expect(await a.ar.mailboxPut(bob.address, blob(3), [r.endpoint])).toBe(false); // quota
    expect(r.server.stats().mailbox.refused).toBe(1);
    clock += 61_000;
    expect(r.server.mailboxCount(bob.address)).toBe(0);
    const b = await track(startClient({ identity: bob, routers: () => [r.hint] }));
    const got = collect(b);
    await b.ar.start();
    await sleep(300);
    expect(got).toEqual([]);
    expect(await a.ar.mailboxPut(bob.address, blob(4), [r.endpoint])).toBe(true); // quota free again
    await waitFor(() => got.length === 1);
    expect([...got[0]!.blob]).toEqual([...blob(4)]);
  });

  it('keeps the mailbox across a router restart (SQLite file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bu-ar-'));
    dirs.push(dir);
    const mailboxFile = join(dir, 'mailbox.db');
    const routerId = makeIdentity();
    const r1 = await startRouter({ identity: routerId, mailboxFile });
    const a = await track(startClient({ routers: () => [r1.hint] }));
    await a.ar.start();
    const bob = makeIdentity();
    expect(await a.ar.mailboxPut(bob.address, blob(5), [r1.endpoint])).toBe(true);
    await r1.close();

    const r2 = await track(startRouter({ identity: routerId, mailboxFile, port: r1.endpoint.port }));
    expect(r2.server.mailboxCount(bob.address)).toBe(1);
    const b = await track(startClient({ identity: bob, routers: () => [r2.hint] }));
    const got = collect(b);
    await b.ar.start();
    await waitFor(() => got.length === 1);
    expect([...got[0]!.blob]).toEqual([...blob(5)]);
  });
});
