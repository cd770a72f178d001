/**
 * Whole nodes plus a real application router on loopback: friends find each other through
 * the DHT when saved endpoints are stale, and a message for an offline friend waits in the
 * router's mailbox (Double Ratchet ciphertext) and is delivered exactly once when it returns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startRouter, type Router } from '../core/node';
import { befriend, startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';

const nodes: TestNode[] = [];
const routers: Router[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await stopAll(nodes.splice(0), []);
  await Promise.all(routers.splice(0).map((r) => r.close()));
  await stopAll([], dirs.splice(0));
});

async function router(): Promise<Router> {
  const dir = tempDir('bu-router-');
  dirs.push(dir);
  const r = await startRouter({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 } });
  routers.push(r);
  return r;
}

async function node(name: string, r: Router, dir = tempDir()): Promise<TestNode> {
  if (!dirs.includes(dir)) dirs.push(dir);
  const n = await startTestNode(name, dir, { bootstrap: [r.endpoint] });
  nodes.push(n);
  return n;
}

async function online(n: TestNode): Promise<void> {
  await waitFor(async () => {
    const s = await n.handlers['node.status']({});
    return s.routers.length > 0 && s.dhtNodes > 0;
  }, 20_000);
}

async function stop(n: TestNode): Promise<void> {
  await n.close();
  nodes.splice(nodes.indexOf(n), 1);
}

describe('network: DHT discovery and router mailbox', () => {
  it('finds a friend through its signed DHT record when both moved to new ports', async () => {
    const r = await router();
    const aDir = tempDir();
    const bDir = tempDir();
    let a = await node('Alice', r, aDir);
    let b = await node('Bob', r, bDir);
    await befriend(a, b);
    await stop(a);
    await stop(b);
    // New random ports on both sides: every saved endpoint is now stale.
    b = await node('Bob', r, bDir);
    a = await node('Alice', r, aDir);
    await online(b);
    await online(a);
    await a.handlers['messages.send']({ address: b.address, text: 'found you via the DHT' });
    await waitFor(async () => (await b.handlers['messages.list']({ address: a.address })).some((m) => m.text === 'found you via the DHT'), 30_000);
    const status = await a.handlers['node.status']({});
    expect(status.peers.find((p) => p.address === b.address)?.link).toMatch(/direct|punched/);
    expect(status.nat.type).not.toBe('symmetric');
  });

  it('holds a message for an offline friend in the router mailbox and delivers it once', async () => {
    const r = await router();
    const bDir = tempDir();
    const a = await node('Alice', r);
    let b = await node('Bob', r, bDir);
    await befriend(a, b);
    await online(a);
    await online(b);
    // Bob's record (endpoints, routers, prekey bundle) is in the DHT; now Bob goes away.
    await waitFor(async () => {
      const rec = await a.core.runtime!.network.discovery.lookup(b.address);
      return rec?.prekeys != null && rec.routers.length > 0;
    }, 20_000);
    await stop(b);

    const sent = await a.handlers['messages.send']({ address: b.address, text: 'waiting for you' });
    await waitFor(() => a.core.runtime!.store.messages.get(b.address, sent.id)?.mailboxedAt != null, 60_000, 100);
    expect(r.server.mailboxCount(b.address)).toBe(1);

    b = await node('Bob', r, bDir);
    await waitFor(async () => (await b.handlers['messages.list']({ address: a.address })).some((m) => m.text === 'waiting for you'), 30_000);
    await waitFor(() => r.server.mailboxCount(b.address) === 0, 20_000);
    await waitFor(async () => (await a.handlers['messages.list']({ address: b.address })).every((m) => m.state === 'delivered'), 60_000, 200);
    const got = await b.handlers['messages.list']({ address: a.address });
    expect(got.filter((m) => m.text === 'waiting for you')).toHaveLength(1);
  });
});
