import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../base';
import { decodeRecord, verifyRecord } from './record';
import { Publisher } from './publisher';
import { randomIdentity } from './testnet';

function harness(clock: { t: number }) {
  const puts: { to: number; seq: number; expiresAt: number; host: string }[] = [];
  const local: Uint8Array[] = [];
  const pub = new Publisher({
    now: () => clock.t,
    logger: silentLogger,
    storeLocal: (_key, bytes) => void local.push(bytes),
    closestWithTokens: async () => ({ nodes: [1, 2, 3].map((p) => ({ endpoint: { host: '10.0.0.1', port: p }, token: new Uint8Array(16) })), rounds: 1 }),
    put: async (to, _key, _token, bytes) => {
      const r = decodeRecord(bytes);
      expect(verifyRecord(r)).toBe(true);
      puts.push({ to: to.port, seq: r.seq, expiresAt: r.expiresAt, host: r.entries[0]!.host });
      return to.port === 3 ? 'RATE_LIMITED' : 'OK';
    },
  });
  return { pub, puts, local };
}

const entry = (host: string) => [{ host, port: 4000, appId: 1, agent: 'test' }];

afterEach(() => {
  vi.useRealTimers();
});

describe('publisher', () => {
  it('stores on the closest nodes, counts acceptances, and republishes at 3/4 of the TTL with a fresh seq and expiry', async () => {
    vi.useFakeTimers();
    const clock = { t: 1_800_000_000_000 };
    const { pub, puts, local } = harness(clock);
    const id = randomIdentity();
    const r = await pub.publish(id, 1, entry('192.0.2.1'), { ttlSec: 100 });
    expect(r.stored).toBe(2);
    expect(r.seq).toBe(clock.t);
    expect(r.expiresAt).toBe(clock.t / 1000 + 100);
    expect(local.length).toBe(1);
    expect(puts.length).toBe(3);

    clock.t += 74_000;
    await vi.advanceTimersByTimeAsync(74_000);
    expect(puts.length).toBe(3);
    clock.t += 1_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(puts.length).toBe(6);
    expect(puts[3]!.seq).toBeGreaterThan(r.seq);
    expect(puts[3]!.expiresAt).toBe(Math.floor(clock.t / 1000) + 100);
    pub.close();
    await vi.advanceTimersByTimeAsync(1_000_000);
    expect(puts.length).toBe(6);
  });

  it('a new publish replaces the schedule; seq = max(previous + 1, now) never goes backwards', async () => {
    vi.useFakeTimers();
    const clock = { t: 1_800_000_000_000 };
    const { pub, puts } = harness(clock);
    const id = randomIdentity();
    const a = await pub.publish(id, 1, entry('192.0.2.1'), { ttlSec: 100 });
    const b = await pub.publish(id, 1, entry('192.0.2.2'), { ttlSec: 100 }); // same millisecond
    expect(b.seq).toBe(a.seq + 1);
    clock.t -= 60_000; // the clock stepped back
    const c = await pub.publish(id, 1, entry('192.0.2.3'), { ttlSec: 100 });
    expect(c.seq).toBe(b.seq + 1);
    await vi.advanceTimersByTimeAsync(75_000);
    expect(puts.length).toBe(12); // one republish, of the latest entries only
    expect(puts.slice(9).every((p) => p.host === '192.0.2.3')).toBe(true);
    pub.close();
  });

  it('rejects bad TTLs, oversized extra and records above 1,000 bytes', async () => {
    const { pub } = harness({ t: 1_800_000_000_000 });
    const id = randomIdentity();
    await expect(pub.publish(id, 1, entry('192.0.2.1'), { ttlSec: 5 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(pub.publish(id, 1, entry('192.0.2.1'), { ttlSec: 90_000 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(pub.publish(id, 1, entry('192.0.2.1'), { extra: new Uint8Array(513) })).rejects.toMatchObject({ code: 'TOO_LONG' });
    const many = Array.from({ length: 16 }, (_, i) => ({ host: `h${i}.${'x'.repeat(40)}.example`, port: 1, appId: 1, agent: 'y'.repeat(20) }));
    await expect(pub.publish(id, 1, many)).rejects.toMatchObject({ code: 'TOO_LONG' });
    pub.close();
    await expect(pub.publish(id, 1, entry('192.0.2.1'))).rejects.toMatchObject({ code: 'NOT_RUNNING' });
  });
});
