/**
 * The thread CPU meter: /proc stat parsing (a command name with spaces and parentheses), this
 * thread's kernel id, and a meter that follows CPU burnt on this thread but not sleep.
 */
import { describe, expect, it } from 'vitest';
import { createCpuMeter, currentThreadId, parseStat, readThreadStat } from './cpu-meter';

describe('cpu-meter', () => {
  it('parses utime, stime and nice even when the command name has ") (" in it', () => {
    const line = '4242 (a) (b c) S 1 2 3 0 -1 4194304 100 0 0 0 250 75 0 0 39 19 1 0 2475596 3133440 382';
    expect(parseStat(line)).toEqual({ utimeTicks: 250, stimeTicks: 75, cpuMs: 3250, nice: 19 });
    expect(() => parseStat('garbage')).toThrow();
  });

  it.skipIf(process.platform !== 'linux')('finds this thread and reads its own stat', () => {
    const tid = currentThreadId();
    expect(tid).toBe(process.pid); // the main thread's tid is the pid
    expect(readThreadStat(tid!).cpuMs).toBeGreaterThan(0);
  });

  it('counts CPU burnt, not time asleep', async () => {
    const m = createCpuMeter();
    const a = m.now();
    await new Promise((r) => setTimeout(r, 300));
    const slept = m.now() - a;
    const t = performance.now();
    while (performance.now() - t < 300);
    const burnt = m.now() - a - slept;
    expect(slept).toBeLessThan(60);
    expect(burnt).toBeGreaterThan(150);
  });
});
