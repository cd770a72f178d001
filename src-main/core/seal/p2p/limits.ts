/**
 * @module seal/p2p/limits
 * Small bounded structures of the transport: an LRU set of message ids (gossip dedup, the
 * "seen" cache of gossipsub / Bitcoin's inventory filter, bounded instead of time-based), a
 * byte-and-time bounded cache of large messages (answers IWANT), and per-key token buckets
 * whose cost can exceed one (bytes per second per peer).
 */
import type { Rate } from './constants';

/** Insertion-ordered set with a capacity: adding beyond it forgets the oldest id. */
export class SeenSet {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }
  get size(): number {
    return this.ids.size;
  }
}

/** Values with an age and a byte bound; oldest evicted first. */
export class ByteCache<V extends { length: number }> {
  private readonly items = new Map<string, { v: V; at: number }>();
  private bytes = 0;
  constructor(private readonly maxBytes: number, private readonly maxAgeMs: number) {}
  get(key: string, now: number): V | null {
    const it = this.items.get(key);
    if (!it) return null;
    if (now - it.at > this.maxAgeMs) {
      this.delete(key);
      return null;
    }
    return it.v;
  }
  set(key: string, v: V, now: number): void {
    this.delete(key);
    if (v.length > this.maxBytes) return;
    this.items.set(key, { v, at: now });
    this.bytes += v.length;
    this.expire(now);
  }
  delete(key: string): void {
    const it = this.items.get(key);
    if (!it) return;
    this.items.delete(key);
    this.bytes -= it.v.length;
  }
  expire(now: number): void {
    for (const [k, it] of this.items) {
      if (this.bytes <= this.maxBytes && now - it.at <= this.maxAgeMs) break;
      this.delete(k);
    }
  }
  held(): number {
    return this.bytes;
  }
  clear(): void {
    this.items.clear();
    this.bytes = 0;
  }
}

type Bucket = { tokens: number; last: number };

/** Token buckets per key with arbitrary cost (tokens per second = `rate.ratePerSec`). */
export class CostBuckets {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly rate: Rate, private readonly maxKeys = 4096) {}
  take(key: string, cost: number, now: number): boolean {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.rate.burst, last: now };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      this.buckets.set(key, b);
    } else if (now > b.last) {
      b.tokens = Math.min(this.rate.burst, b.tokens + ((now - b.last) * this.rate.ratePerSec) / 1000);
      b.last = now;
    }
    if (b.tokens < cost) return false;
    b.tokens -= cost;
    return true;
  }
  forget(key: string): void {
    this.buckets.delete(key);
  }
}
