import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from '../crypto';
import { PacketType } from './constants';
import { Proxy, sleep, startNode, waitFor, type TestNode } from './test-helpers';

const nodes: TestNode[] = [];
const closers: (() => unknown)[] = [];
async function node(opts: Parameters<typeof startNode>[0] = {}): Promise<TestNode> {
  const n = await startNode(opts);
  nodes.push(n);
  return n;
}
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  for (const c of closers.splice(0)) await c();
});

/** Send `count` numbered messages each way, `perTick` every few ms, and check every one arrives. */
async function traffic(a: TestNode, b: TestNode, count: number, perTick = 4, bothWays = true): Promise<void> {
  const tag = (from: number, i: number) => Uint8Array.of(from, i >> 8, i & 255);
  const a0 = a.received.length;
  const b0 = b.received.length;
  for (let i = 0; i < count; i++) {
    expect(a.mgr.send(b.id.address, () => tag(1, i))).toBe(true);
    if (bothWays) expect(b.mgr.send(a.id.address, () => tag(2, i))).toBe(true);
    if (i % perTick === perTick - 1) await sleep(3);
  }
  await waitFor(() => b.received.length - b0 === count && a.received.length - a0 === (bothWays ? count : 0), 5000, 'all messages');
  const atB = b.received.slice(b0).map((m) => (m.data[1]! << 8) | m.data[2]!);
  expect(new Set(atB).size).toBe(count);
  if (bothWays) expect(new Set(a.received.slice(a0).map((m) => (m.data[1]! << 8) | m.data[2]!)).size).toBe(count);
}

function sameSession(a: TestNode, b: TestNode): boolean {
  const x = a.mgr.sessionSummary(b.id.address);
  const y = b.mgr.sessionSummary(a.id.address);
  return !!x && !!y && x.localSid === y.remoteSid && x.remoteSid === y.localSid && x.epoch === y.epoch;
}

describe('SessionManager: rekeying', () => {
  it('rekeys by time, repeatedly, without losing a message or re-announcing the peer', async () => {
    const a = await node({ rekeyAfterMs: 120 });
    const b = await node({ rekeyAfterMs: 120 });
    const events: string[] = [];
    for (const n of [a, b]) {
      n.mgr.on('established', () => events.push('established'));
      n.mgr.on('closed', () => events.push('closed'));
    }
    await a.mgr.connect({ address: b.id.address }, [b.endpoint]);
    const epoch0 = a.mgr.sessionSummary(b.id.address)!.epoch;
    await traffic(a, b, 600, 4);
    const rekeys = a.mgr.stats().rekeys + b.mgr.stats().rekeys;
    expect(rekeys).toBeGreaterThanOrEqual(3);
    expect(a.mgr.sessionSummary(b.id.address)!.epoch).toBeGreaterThanOrEqual(epoch0 + 3);
    await waitFor(() => sameSession(a, b), 2000, 'agreement');
    expect(events).toEqual(['established', 'established']);
    expect(a.authorized.length).toBeGreaterThanOrEqual(3); // every handshake re-authorizes the peer
  });

  it('rekeys by message count, initiated by the responder, and fragmented payloads survive it', async () => {
    const a = await node();
    const b = await node({ rekeyAfterMessages: 40 });
    await a.mgr.connect({ address: b.id.address }, [b.endpoint]);
    const a0 = a.received.length;
    const big: Uint8Array[] = [];
    for (let i = 0; i < 300; i++) {
      if (i % 50 === 25) {
        const p = randomBytes(20_000 + i);
        big.push(p);
        b.mgr.send(a.id.address, () => p);
      } else b.mgr.send(a.id.address, () => Uint8Array.of(i & 255));
      if (i % 5 === 4) await sleep(3);
    }
    await waitFor(() => a.received.length - a0 === 300, 5000, 'all messages');
    expect(b.mgr.stats().rekeys).toBeGreaterThanOrEqual(4);
    expect(a.mgr.stats().rekeys).toBe(0);
    const gotBig = a.received.filter((m) => m.data.length >= 20_000).map((m) => Buffer.from(m.data).toString('hex'));
    expect(gotBig.sort()).toEqual(big.map((p) => Buffer.from(p).toString('hex')).sort());
    await waitFor(() => sameSession(a, b), 2000, 'agreement');
  });

  it('delivers a packet still in flight on the old session during the grace period, and not after it', async () => {
    const b = await node({ rekeyGraceMs: 400 });
    const proxy = await Proxy.start(b.endpoint);
    closers.push(() => proxy.close());
    const a = await node({ rekeyAfterMessages: 3, rekeyGraceMs: 400 });
    await a.mgr.connect({ address: b.id.address }, [proxy.endpoint]);
    const held: Buffer[] = [];
    proxy.filter = (d, dir) => {
      if (dir === 'toServer' && d[0] === PacketType.TRANSPORT && d.length > 40 && held.length < 2) {
        held.push(d); // delay two data packets of the first session
        return null;
      }
      return d;
    };
    const first = a.mgr.sessionSummary(b.id.address)!;
    for (let i = 0; i < 6; i++) a.mgr.send(b.id.address, () => new Uint8Array(30).fill(i));
    await waitFor(() => a.mgr.sessionSummary(b.id.address)!.epoch > first.epoch, 3000, 'rekey');
    expect(held).toHaveLength(2);
    await proxy.inject(held[0]!); // late, but within the grace period
    await waitFor(() => b.received.some((m) => m.data[0] === 0), 1000, 'late packet');
    await sleep(600); // grace over: the old keys are erased
    const dropped = b.mgr.stats().dropped;
    await proxy.inject(held[1]!);
    await sleep(100);
    expect(b.received.some((m) => m.data[0] === 1)).toBe(false);
    expect(b.mgr.stats().dropped).toBe(dropped + 1);
  });
});

describe('SessionManager: crossed handshakes', () => {
  it('simultaneous connect from both sides converges to one usable session', async () => {
    for (let round = 0; round < 4; round++) {
      const a = await node();
      const b = await node();
      const [pa, pb] = await Promise.all([a.mgr.connect({ address: b.id.address }, [b.endpoint]), b.mgr.connect({ address: a.id.address }, [a.endpoint])]);
      expect(pa.address).toBe(b.id.address);
      expect(pb.address).toBe(a.id.address);
      await waitFor(() => sameSession(a, b) && a.mgr.stats().handshakesCompleted === 2 && b.mgr.stats().handshakesCompleted === 2, 3000, 'convergence');
      await traffic(a, b, 50);
      expect(sameSession(a, b)).toBe(true);
      const established = [a, b].map((n) => n.mgr.sessionSummary(n === a ? b.id.address : a.id.address)!.sessions);
      expect(Math.max(...established)).toBeLessThanOrEqual(2); // the loser only lingers for the grace period
      await Promise.all(nodes.splice(0).map((n) => n.close()));
    }
  });

  it('crossed rekeys (both sides hit the message limit) still converge and lose nothing', async () => {
    const a = await node({ rekeyAfterMessages: 25 });
    const b = await node({ rekeyAfterMessages: 25 });
    await a.mgr.connect({ address: b.id.address }, [b.endpoint]);
    await traffic(a, b, 400, 10);
    expect(a.mgr.stats().rekeys).toBeGreaterThan(0);
    expect(b.mgr.stats().rekeys).toBeGreaterThan(0);
    await sleep(50);
    await waitFor(() => sameSession(a, b), 3000, 'agreement');
    await traffic(a, b, 20, 20);
  });
});
