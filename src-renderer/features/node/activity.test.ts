import { describe, expect, it } from 'vitest';
import { ACTIVITY_EVENTS, startActivityReporter } from './activity';

function fakeTarget() {
  const listeners = new Map<string, Set<() => void>>();
  return {
    listeners,
    addEventListener: (t: string, fn: () => void) => void (listeners.get(t) ?? listeners.set(t, new Set()).get(t)!).add(fn),
    removeEventListener: (t: string, fn: () => void) => void listeners.get(t)?.delete(fn),
    fire: (t: string) => listeners.get(t)?.forEach((fn) => fn()),
  };
}

describe('activity reporter', () => {
  it('reports the first input at once, then at most once a second, and stops when asked', async () => {
    const target = fakeTarget();
    let now = 10_000;
    const sent: number[] = [];
    const stop = startActivityReporter(target, async () => void sent.push(now), () => now);
    expect([...target.listeners.keys()].sort()).toEqual([...ACTIVITY_EVENTS].sort());
    target.fire('pointermove');
    target.fire('keydown');
    now += 999;
    target.fire('wheel');
    expect(sent).toEqual([10_000]);
    now += 1;
    target.fire('touchstart');
    expect(sent).toEqual([10_000, 11_000]);
    stop();
    now += 5_000;
    target.fire('pointerdown');
    expect(sent).toHaveLength(2);
    expect([...target.listeners.values()].every((s) => s.size === 0)).toBe(true);
  });

  it('drops a failed report and tries again on later input', async () => {
    const target = fakeTarget();
    let now = 0;
    let calls = 0;
    startActivityReporter(target, () => (calls++, Promise.reject(new Error('offline'))), () => now);
    target.fire('keydown');
    now = 1500;
    target.fire('keydown');
    await Promise.resolve();
    expect(calls).toBe(2);
  });
});
