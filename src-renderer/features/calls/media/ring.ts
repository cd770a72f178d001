/**
 * @module calls/media/ring
 * A fixed-capacity Float32 history ring: append samples, read the newest N back in order.
 * Keeps the last 10 s of played-out audio for `recentAudio()` and the PLC's history.
 */

export class SampleRing {
  private readonly buf: Float32Array;
  private writePos = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new Error('A sample ring needs a positive whole capacity.');
    this.buf = new Float32Array(capacity);
  }

  /** Samples held (≤ capacity). */
  get length(): number {
    return this.filled;
  }

  push(samples: Float32Array): void {
    let src = samples;
    if (src.length >= this.capacity) src = src.subarray(src.length - this.capacity);
    const first = Math.min(src.length, this.capacity - this.writePos);
    this.buf.set(src.subarray(0, first), this.writePos);
    if (first < src.length) this.buf.set(src.subarray(first), 0);
    this.writePos = (this.writePos + src.length) % this.capacity;
    this.filled = Math.min(this.capacity, this.filled + src.length);
  }

  /**
   * The newest `count` samples, oldest first, leaving out the newest `skipNewest`
   * (samples handed on but not played yet). Shorter when the ring holds less.
   */
  latest(count: number, skipNewest = 0): Float32Array {
    const skip = Math.max(0, Math.min(this.filled, Math.floor(skipNewest)));
    const n = Math.max(0, Math.min(Math.floor(count), this.filled - skip));
    const out = new Float32Array(n);
    let start = (this.writePos - skip - n) % this.capacity;
    if (start < 0) start += this.capacity;
    const first = Math.min(n, this.capacity - start);
    out.set(this.buf.subarray(start, start + first), 0);
    if (first < n) out.set(this.buf.subarray(0, n - first), first);
    return out;
  }
}

/** Median of the values seen in the last `windowMs` (latency figures). */
export class WindowedMedian {
  private items: { t: number; v: number }[] = [];
  constructor(private readonly windowMs: number) {}

  add(nowMs: number, value: number): void {
    this.items.push({ t: nowMs, v: value });
    this.trim(nowMs);
  }

  median(nowMs: number): number | null {
    this.trim(nowMs);
    if (this.items.length === 0) return null;
    const sorted = this.items.map((i) => i.v).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  private trim(nowMs: number): void {
    const cut = nowMs - this.windowMs;
    let i = 0;
    while (i < this.items.length && this.items[i]!.t < cut) i++;
    if (i > 0) this.items.splice(0, i);
  }
}
