/**
 * kill -9 mid-stream, on either side, then restart: every acknowledged (delivered) message and
 * every message whose send() returned is present on the receiver exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnChild, type ChildNode } from './child-process';
import { startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';

const N = 150;
const nodes: TestNode[] = [];
const children: ChildNode[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.proc.kill('SIGKILL');
  await stopAll(nodes.splice(0), dirs.splice(0));
});

async function befriendWithChild(local: TestNode, child: ChildNode): Promise<void> {
  const link = (await child.request({ cmd: 'invite' }, (l) => 'link' in l)).link as string;
  await local.handlers['contacts.add']({ invite: link });
  await waitFor(async () => {
    const r = (await child.request({ cmd: 'requests' }, (l) => 'requests' in l)) as { requests: Array<{ address: string }> };
    return r.requests.some((x) => x.address === local.address);
  });
  await child.request({ cmd: 'accept', address: local.address }, (l) => 'ok' in l || 'error' in l);
  await waitFor(async () => (await local.handlers['contacts.list']({})).some((c) => c.address === child.address && c.state === 'friend'));
}

async function childMessages(child: ChildNode, peer: string): Promise<Array<{ id: string; text: string }>> {
  const r = (await child.request({ cmd: 'list', address: peer }, (l) => 'messages' in l)) as { messages: Array<{ id: string; text: string }> };
  return r.messages;
}

describe('crash safety (kill -9)', () => {
  it('receiver killed mid-stream and restarted: every message arrives exactly once', async () => {
    const a = await startTestNode('Alice');
    nodes.push(a);
    dirs.push(a.dir);
    const bDir = tempDir();
    dirs.push(bDir);
    let b = await spawnChild(bDir, 'Bob');
    children.push(b);
    await befriendWithChild(a, b);

    const sending = (async () => {
      for (let i = 0; i < N; i++) await a.handlers['messages.send']({ address: b.address, text: `m${i}` });
    })();
    // Kill the receiver once part of the stream is acknowledged.
    await waitFor(async () => (await a.handlers['messages.list']({ address: b.address, limit: 500 })).filter((m) => m.state === 'delivered').length >= 20, 30_000, 5);
    const port = b.port;
    await b.kill9();
    children.splice(children.indexOf(b), 1);
    const ackedBeforeKill = (await a.handlers['messages.list']({ address: b.address, limit: 500 })).filter((m) => m.state === 'delivered').map((m) => m.text);
    expect(ackedBeforeKill.length).toBeGreaterThanOrEqual(20);
    await sending;

    b = await spawnChild(bDir, 'Bob', port);
    children.push(b);
    await waitFor(async () => (await a.handlers['messages.list']({ address: b.address, limit: 500 })).every((m) => m.state === 'delivered'), 60_000, 100);
    const got = await childMessages(b, a.address);
    const counts = new Map<string, number>();
    for (const m of got) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
    expect(got.length).toBe(N);
    for (let i = 0; i < N; i++) expect(counts.get(`m${i}`)).toBe(1);
    for (const t of ackedBeforeKill) expect(counts.get(t)).toBe(1);
  });

  it('sender killed mid-stream and restarted: every persisted message is delivered exactly once', async () => {
    const b = await startTestNode('Bob');
    nodes.push(b);
    dirs.push(b.dir);
    const aDir = tempDir();
    dirs.push(aDir);
    let a = await spawnChild(aDir, 'Alice');
    children.push(a);
    await befriendWithChild(b, a);

    a.send({ cmd: 'send', address: b.address, count: N, prefix: 's' });
    await waitFor(() => a.lines.filter((l) => 'sent' in l).length >= 40, 30_000, 5);
    const port = a.port;
    await a.kill9();
    children.splice(children.indexOf(a), 1);
    const persisted = a.lines.filter((l) => 'sent' in l).map((l) => `s${l.sent as number}`);

    a = await spawnChild(aDir, 'Alice', port);
    children.push(a);
    await waitFor(async () => {
      const got = await b.handlers['messages.list']({ address: a.address, limit: 500 });
      return persisted.every((t) => got.some((m) => m.text === t));
    }, 60_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    const got = await b.handlers['messages.list']({ address: a.address, limit: 500 });
    const texts = got.map((m) => m.text);
    expect(new Set(texts).size).toBe(texts.length); // no duplicates
    for (const t of persisted) expect(texts).toContain(t);
  });
});
