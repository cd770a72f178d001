import { describe, expect, it } from 'vitest';
import { MAX_COUNTER, ReplayWindow, WINDOW_SIZE } from './replay-window';

/** The obviously-correct model: a set of seen counters and the same acceptance rule. */
class ModelWindow {
  seen = new Set<number>();
  greatest = -1;
  accept(n: number): boolean {
    if (this.seen.has(n)) return false;
    if (this.greatest >= 0 && n + WINDOW_SIZE <= this.greatest) return false;
    this.seen.add(n);
    if (n > this.greatest) this.greatest = n;
    return true;
  }
}

const accept = (w: ReplayWindow, n: number) => w.check(n) && w.update(n);

describe('ReplayWindow (RFC 6479 bitmap, WireGuard window 8128)', () => {
  it('has the WireGuard window size', () => {
    expect(WINDOW_SIZE).toBe(8128);
  });

  it('accepts in-order counters starting at 0 and rejects their duplicates', () => {
    const w = new ReplayWindow();
    for (let n = 0; n < 20_000; n++) expect(accept(w, n)).toBe(true);
    for (let n = 19_990; n < 20_000; n++) expect(accept(w, n)).toBe(false);
    expect(w.highest).toBe(19_999);
  });

  it('accepts out-of-order counters within the window exactly once', () => {
    const w = new ReplayWindow();
    expect(accept(w, 1000)).toBe(true);
    for (const n of [999, 3, 0, 500, 998]) expect(accept(w, n)).toBe(true);
    for (const n of [999, 3, 0, 500, 998, 1000]) expect(accept(w, n)).toBe(false);
  });

  it('rejects counters that fell out of the window, at the exact boundary', () => {
    const w = new ReplayWindow();
    expect(accept(w, 10_000)).toBe(true);
    expect(accept(w, 10_000 - WINDOW_SIZE)).toBe(false); // too old
    expect(accept(w, 10_000 - WINDOW_SIZE + 1)).toBe(true); // oldest still inside
    expect(accept(w, 10_000 - WINDOW_SIZE + 1)).toBe(false);
    expect(accept(w, 0)).toBe(false);
  });

  it('check() does not change state, so a forged packet cannot advance the window', () => {
    const w = new ReplayWindow();
    accept(w, 5);
    expect(w.check(1_000_000)).toBe(true);
    expect(w.check(4)).toBe(true); // still inside: nothing moved
    expect(accept(w, 4)).toBe(true);
  });

  it('handles huge jumps: the whole bitmap is cleared and old counters are too old', () => {
    const w = new ReplayWindow();
    for (let n = 0; n < 9000; n++) accept(w, n);
    const far = 2 ** 40 + 17;
    expect(accept(w, far)).toBe(true);
    expect(accept(w, 8999)).toBe(false);
    expect(accept(w, far - 1)).toBe(true); // fresh slots after the clear
    expect(accept(w, far - WINDOW_SIZE + 1)).toBe(true);
    expect(accept(w, far - WINDOW_SIZE)).toBe(false);
    expect(accept(w, far)).toBe(false);
  });

  it('clears slots of skipped words when jumping less than a full window', () => {
    const w = new ReplayWindow();
    for (let n = 0; n < 8192; n++) accept(w, n); // the ring is full of ones
    expect(accept(w, 8192 + 4000)).toBe(true);
    // counters between the old greatest and the new one were never seen; their ring slots held
    // stale bits from 0..4000 and must have been cleared
    for (let n = 8192; n < 8192 + 4000; n += 97) expect(accept(w, n)).toBe(true);
    // and counters still inside the window that were seen stay rejected
    expect(accept(w, 8191)).toBe(false);
    expect(accept(w, 8192 + 4000 - WINDOW_SIZE + 1)).toBe(false);
  });

  it('rejects invalid counters', () => {
    const w = new ReplayWindow();
    for (const n of [-1, 1.5, NaN, Infinity, MAX_COUNTER + 2]) expect(w.check(n)).toBe(false);
    expect(accept(w, MAX_COUNTER)).toBe(true);
  });

  it('agrees with a set-based model on long random out-of-order sequences', () => {
    let seed = 42;
    const rnd = (m: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % m);
    for (let round = 0; round < 5; round++) {
      const w = new ReplayWindow();
      const model = new ModelWindow();
      let base = 0;
      for (let i = 0; i < 30_000; i++) {
        const r = rnd(100);
        let n: number;
        if (r < 60) n = base++; // in order
        else if (r < 85) n = Math.max(0, base - rnd(WINDOW_SIZE + 200)); // late / duplicate / too old
        else if (r < 98) n = base + rnd(300); // slightly ahead (reordering)
        else n = base += rnd(20_000); // big jump
        expect(accept(w, n), `step ${i} counter ${n}`).toBe(model.accept(n));
      }
    }
  });

  it('is fast enough for the packet path', () => {
    const w = new ReplayWindow();
    const t = performance.now();
    for (let n = 0; n < 2_000_000; n++) {
      const c = n ^ 7; // mild reordering
      if (w.check(c)) w.update(c);
    }
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
