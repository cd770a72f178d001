import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst, then refills at the configured rate', () => {
    const rl = new RateLimiter({ ratePerSec: 10, burst: 3 });
    expect([rl.take('a', 0), rl.take('a', 0), rl.take('a', 0), rl.take('a', 0)]).toEqual([true, true, true, false]);
    expect(rl.take('a', 50)).toBe(false); // half a token
    expect(rl.take('a', 100)).toBe(true); // one token after 100 ms at 10/s
    expect(rl.take('a', 100)).toBe(false);
    expect([rl.take('a', 10_000), rl.take('a', 10_000), rl.take('a', 10_000), rl.take('a', 10_000)]).toEqual([true, true, true, false]); // capped at burst
  });

  it('keeps keys independent', () => {
    const rl = new RateLimiter({ ratePerSec: 1, burst: 1 });
    expect(rl.take('a', 0)).toBe(true);
    expect(rl.take('a', 0)).toBe(false);
    expect(rl.take('b', 0)).toBe(true);
  });

  it('never lets a clock going backwards mint tokens', () => {
    const rl = new RateLimiter({ ratePerSec: 1000, burst: 1 });
    expect(rl.take('a', 1000)).toBe(true);
    expect(rl.take('a', 0)).toBe(false);
    expect(rl.take('a', 500)).toBe(false);
  });

  it('bounds memory and evicts the least recently used key first', () => {
    const rl = new RateLimiter({ ratePerSec: 0, burst: 1, maxKeys: 3 });
    expect(rl.take('a', 0)).toBe(true);
    expect(rl.take('b', 0)).toBe(true);
    expect(rl.take('c', 0)).toBe(true);
    expect(rl.take('a', 1)).toBe(false); // touch a: now b is the coldest
    expect(rl.take('d', 2)).toBe(true); // evicts b
    expect(rl.size).toBe(3);
    expect(rl.take('a', 3)).toBe(false); // a survived (still empty)
    expect(rl.take('c', 3)).toBe(false); // c survived
    expect(rl.take('b', 4)).toBe(true); // b was evicted, starts fresh (evicting d)
    for (let i = 0; i < 10_000; i++) rl.take(`k${i}`, 5);
    expect(rl.size).toBe(3);
  });

  it('handles a flood of distinct keys quickly', () => {
    const rl = new RateLimiter({ ratePerSec: 5, burst: 5, maxKeys: 1000 });
    const t = performance.now();
    for (let i = 0; i < 200_000; i++) rl.take(`10.0.${(i >> 8) & 255}.${i & 255}`, i);
    expect(rl.size).toBe(1000);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
