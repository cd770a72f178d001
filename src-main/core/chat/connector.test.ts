import { describe, expect, it } from 'vitest';
import { silentLogger } from '../base';
import type { Endpoint } from '../net';
import type { SessionManager } from '../session';
import { Connector, type Discovery, type Traversal } from './connector';

const key = (e: Endpoint) => `${e.host}:${e.port}`;
const RELAY: Endpoint = { host: 'abcd.relay.invalid', port: 7000 };

/** A session manager whose handshakes succeed only towards `reachable` endpoints. */
function fakeSessions(reachable: Set<string>) {
  let live: Endpoint | null = null;
  const calls: Array<{ endpoints: string[]; fresh: boolean }> = [];
  const sessions = {
    isConnected: () => live !== null,
    info: () => (live ? { endpoint: live, rttMs: 1, establishedAt: 0, lastReceivedAt: 0 } : null),
    async connect(_p: unknown, endpoints: Endpoint[], _t?: number, opts?: { fresh?: boolean }) {
      calls.push({ endpoints: endpoints.map(key), fresh: !!opts?.fresh });
      const ok = endpoints.find((e) => reachable.has(key(e)));
      if (!ok) throw new Error('timeout');
      live = ok;
      return {};
    },
  };
  return { sessions: sessions as unknown as SessionManager, calls, drop: () => (live = null) };
}

const peer = { address: '0x' + '11'.repeat(20), publicKey: new Uint8Array(33) };
const saved = [{ host: '192.168.1.5', port: 4000 }];
const dhtEp = { host: '198.51.100.7', port: 4000 };
const punched = { host: '198.51.100.7', port: 5555 };

function world(reachableList: string[], opts: { intro?: Endpoint[] | null; relay?: boolean } = {}) {
  const reachable = new Set(reachableList);
  const s = fakeSessions(reachable);
  const used: string[] = [];
  const discovery: Discovery = {
    lookup: async () => {
      used.push('dht');
      return { endpoints: [dhtEp], routers: [{ host: '203.0.113.1', port: 7000 }], prekeys: null };
    },
  };
  const traversal: Traversal = {
    introduce: async () => {
      used.push('intro');
      return opts.intro === null ? null : { endpoints: opts.intro ?? [punched] };
    },
    openRelay: async () => {
      used.push('relay');
      return opts.relay === false ? null : RELAY;
    },
    isRelayEndpoint: (e) => e.host.endsWith('.relay.invalid'),
  };
  let now = 1_000_000;
  const c = new Connector({ sessions: s.sessions, logger: silentLogger, discovery, traversal, now: () => now, upgradeEveryMs: 1000 });
  return { c, s, used, reachable, tick: (ms: number) => (now += ms) };
}

describe('traversal ladder', () => {
  it('uses saved endpoints first and asks nobody else when they work', async () => {
    const w = world([key(saved[0]!)]);
    expect(await w.c.ensure(peer, saved)).toBe(true);
    expect(w.used).toEqual([]);
    expect(w.c.linkOf(peer.address)).toBe('direct');
  });

  it('falls back to the DHT record, then a router rendezvous (punched)', async () => {
    const w1 = world([key(dhtEp)]);
    expect(await w1.c.ensure(peer, saved)).toBe(true);
    expect(w1.used).toEqual(['dht']);
    expect(w1.c.linkOf(peer.address)).toBe('direct');

    const w2 = world([key(punched)]);
    expect(await w2.c.ensure(peer, saved)).toBe(true);
    expect(w2.used).toEqual(['dht', 'intro']);
    expect(w2.c.linkOf(peer.address)).toBe('punched');
  });

  it('relays when punching fails, then upgrades once a rendezvous works', async () => {
    const w = world([key(RELAY)]);
    expect(await w.c.ensure(peer, saved)).toBe(true);
    expect(w.used).toEqual(['dht', 'intro', 'relay']);
    expect(w.c.linkOf(peer.address)).toBe('relayed');
    // The NAT situation changes: the punch target becomes reachable.
    w.reachable.add(key(punched));
    w.tick(2000);
    const before = w.s.calls.length;
    w.c.maybeUpgrade(peer);
    await new Promise((r) => setTimeout(r, 10));
    expect(w.used.filter((u) => u === 'intro')).toHaveLength(2);
    expect(w.s.calls.slice(before)).toEqual([{ endpoints: [key(punched)], fresh: true }]);
    expect(w.c.linkOf(peer.address)).toBe('punched');
  });

  it('gives up with backoff when nothing works, and retries after it', async () => {
    const w = world([], { intro: null, relay: false });
    expect(await w.c.ensure(peer, saved)).toBe(false);
    expect(w.c.failureCount(peer.address)).toBe(1);
    const attempts = w.s.calls.length;
    expect(await w.c.ensure(peer, saved)).toBe(false);
    expect(w.s.calls.length).toBe(attempts); // backing off: no new attempt
    w.tick(10_000);
    expect(await w.c.ensure(peer, saved)).toBe(false);
    expect(w.s.calls.length).toBeGreaterThan(attempts);
  });

  it('explains a relayed link: the rung that failed, in status words', async () => {
    const w = world([key(RELAY)]);
    expect(await w.c.ensure(peer, saved)).toBe(true);
    const r = w.c.report(peer.address)!;
    expect(r.steps.map((x) => [x.step, x.ok])).toEqual([
      ['saved', false],
      ['dht', false],
      ['punch', false],
      ['relay', true],
    ]);
    expect(r.steps[0]!.detail).toBe('no answer from 192.168.1.5:4000');
    expect(r.steps[1]!.detail).toBe('no answer from 198.51.100.7:4000');
    expect(w.c.reason(peer.address)).toMatch(/^punch: introduced, but no answer through the friend's mapping 198\.51\.100\.7:5555/);

    const offline = world([key(RELAY)], { intro: null });
    expect(await offline.c.ensure(peer, [])).toBe(true);
    expect(offline.c.report(peer.address)!.steps[0]!.detail).toBe('no saved endpoint');
    expect(offline.c.reason(peer.address)).toMatch(/^punch: no router introduced us/);

    const direct = world([key(punched)]);
    expect(await direct.c.ensure(peer, saved)).toBe(true);
    expect(direct.c.reason(peer.address)).toBeNull();
  });

  it('keeps trying to upgrade a relayed link, backing off while it fails, without touching the relayed session', async () => {
    const w = world([key(RELAY)]);
    expect(await w.c.ensure(peer, saved)).toBe(true);
    const intros = () => w.used.filter((u) => u === 'intro').length;
    const settle = () => new Promise((r) => setTimeout(r, 5));
    w.c.maybeUpgrade(peer); // too early: the punch just failed (its leftovers need time to expire)
    await settle();
    expect(intros()).toBe(1);
    const at: number[] = [];
    for (let t = 0; t < 30_000; t += 250) {
      w.tick(250);
      const before = intros();
      w.c.maybeUpgrade(peer);
      await settle();
      if (intros() > before) at.push(t + 250);
    }
    // 1 s, then 2 s, 4 s, 8 s, 8 s … apart (upgradeEveryMs = 1000 here, at most 8×)
    const gaps = at.slice(1).map((x, i) => x - at[i]!);
    expect(at[0]).toBe(1000);
    expect(gaps.slice(0, 4)).toEqual([2000, 4000, 8000, 8000]);
    expect(w.c.linkOf(peer.address)).toBe('relayed');
    expect(w.s.calls.slice(-1)[0]).toEqual({ endpoints: [key(punched)], fresh: true });
    expect(w.c.reason(peer.address)).toMatch(/^upgrade: introduced, but no answer/);
  });

  it('the rendezvous does not wait for every direct timeout: a punch wins while unroutable LAN endpoints time out', async () => {
    let live: Endpoint | null = null;
    const waiting: Array<() => void> = [];
    const sessions = {
      isConnected: () => live !== null,
      info: () => (live ? { endpoint: live, rttMs: 1, establishedAt: 0, lastReceivedAt: 0 } : null),
      connect(_p: unknown, endpoints: Endpoint[], timeoutMs = 2500) {
        if (endpoints.some((e) => key(e) === key(punched))) {
          live = punched;
          for (const w of waiting.splice(0)) w();
          return Promise.resolve({});
        }
        // like the real one: resolves once any session exists, else times out
        return new Promise((resolve, reject) => {
          const t = setTimeout(() => reject(new Error('timeout')), timeoutMs);
          waiting.push(() => (clearTimeout(t), resolve({})));
        });
      },
    } as unknown as SessionManager;
    const traversal: Traversal = { introduce: async () => ({ endpoints: [punched] }), openRelay: async () => null, isRelayEndpoint: () => false };
    const discovery: Discovery = { lookup: async () => ({ endpoints: [{ host: '10.0.0.8', port: 4000 }], routers: [], prekeys: null }) };
    const c = new Connector({ sessions, logger: silentLogger, discovery, traversal, directTimeoutMs: 10_000, headStartMs: 100 });
    const t0 = Date.now();
    expect(await c.ensure(peer, saved)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(c.linkOf(peer.address)).toBe('punched');
    expect(c.report(peer.address)!.steps.map((x) => x.step)).toEqual(['saved', 'dht', 'punch']);
  });
});
