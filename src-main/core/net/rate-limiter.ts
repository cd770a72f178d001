/**
 * @module net/rate-limiter
 * Token buckets per key (e.g. per source IP): each key earns `ratePerSec` tokens per second up to
 * `burst`; `take` spends one. Memory is bounded by `maxKeys`: the key map is kept in
 * least-recently-used order (a JS Map iterates in insertion order, and every touch re-inserts),
 * so the coldest key is evicted first. An evicted key simply starts again with a full bucket,
 * which is the usual trade-off (WireGuard's ratelimiter and nginx's limit_req zones do the
 * same); size `maxKeys` well above the number of concurrently active sources.
 */
import { BuError } from '../base';

type Bucket = { tokens: number; last: number };

export class RateLimiter {
  private readonly rate: number;
  private readonly burst: number;
  private readonly maxKeys: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(opts: { ratePerSec: number; burst: number; maxKeys?: number }) {
    if (!(opts.ratePerSec >= 0) || !(opts.burst >= 1)) throw new BuError('BAD_INPUT', 'rate limiter needs ratePerSec >= 0 and burst >= 1');
    this.rate = opts.ratePerSec / 1000;
    this.burst = opts.burst;
    this.maxKeys = Math.max(1, Math.floor(opts.maxKeys ?? 10_000));
  }

  /** Spend one token for `key` at time `now` (ms, any monotonic clock); false if none is left. */
  take(key: string, now: number = performance.now()): boolean {
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-inserted below: most recently used goes last
      if (now > b.last) {
        b.tokens = Math.min(this.burst, b.tokens + (now - b.last) * this.rate);
        b.last = now;
      }
    } else {
      b = { tokens: this.burst, last: now };
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
    }
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Number of keys currently tracked (≤ maxKeys). */
  get size(): number {
    return this.buckets.size;
  }

  clear(): void {
    this.buckets.clear();
  }
}
