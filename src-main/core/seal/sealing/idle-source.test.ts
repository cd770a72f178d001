/**
 * The idle source: 60 s without input → idle (a timer fires the change, nobody polls); web-UI
 * activity and OS idle time both count as input; the headless override 'idle' holds until the
 * next input, 'active' until changed; battery changes are reported.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleSource, type IdleSnapshot } from './idle-source';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

function watch(src: IdleSource): IdleSnapshot[] {
  const seen: IdleSnapshot[] = [];
  src.events.on('change', (s) => seen.push(s));
  return seen;
}

describe('IdleSource', () => {
  it('turns idle idleAfterSec after the last input, by itself', () => {
    const src = new IdleSource({ idleAfterSec: 60 });
    const seen = watch(src);
    expect(src.snapshot().userIdle).toBe(false);
    vi.advanceTimersByTime(30_000);
    src.activity();
    vi.advanceTimersByTime(59_000);
    expect(seen).toHaveLength(0);
    vi.advanceTimersByTime(1_100);
    expect(seen.map((s) => s.userIdle)).toEqual([true]);
    src.activity();
    expect(seen.map((s) => s.userIdle)).toEqual([true, false]);
    src.close();
  });

  it('reads the OS idle time: a reset to 0 s is input', () => {
    const src = new IdleSource({ idleAfterSec: 60 });
    src.systemIdle(75);
    expect(src.snapshot()).toMatchObject({ userIdle: false }); // the app started < 60 s ago: that was input too
    vi.advanceTimersByTime(120_000);
    src.systemIdle(120);
    expect(src.snapshot().userIdle).toBe(true);
    src.systemIdle(0);
    expect(src.snapshot()).toMatchObject({ userIdle: false, idleForMs: 0 });
    src.systemIdle(-1);
    src.systemIdle(Number.NaN);
    expect(src.snapshot().userIdle).toBe(false);
    src.close();
  });

  it("'idle' holds until the next input, which brings back following input", () => {
    const src = new IdleSource({ idleAfterSec: 60 });
    const seen = watch(src);
    src.setOverride('idle');
    expect(src.snapshot()).toMatchObject({ userIdle: true, override: 'idle', idleForMs: Infinity });
    src.activity(Date.now() - 10); // older than the override: does not count
    expect(src.snapshot().userIdle).toBe(true);
    vi.advanceTimersByTime(5);
    src.activity();
    expect(src.snapshot()).toMatchObject({ userIdle: false, override: 'auto' });
    expect(seen.map((s) => [s.userIdle, s.override])).toEqual([
      [true, 'idle'],
      [false, 'auto'],
    ]);
    src.close();
  });

  it("'active' holds through any idle time until 'auto'", () => {
    const src = new IdleSource({ idleAfterSec: 1 });
    src.setOverride('active');
    vi.advanceTimersByTime(10_000);
    expect(src.snapshot().userIdle).toBe(false);
    src.setOverride('auto');
    expect(src.snapshot().userIdle).toBe(true);
    src.close();
  });

  it('reports battery changes', () => {
    const src = new IdleSource();
    const seen = watch(src);
    src.setBattery(true);
    src.setBattery(true);
    src.setBattery(false);
    src.setBattery(null);
    expect(seen.map((s) => s.onBattery)).toEqual([true, false, null]);
    src.close();
  });
});
