import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_POLL_MS, POWER_EVENTS, startIdleGlue, type IdleSink, type PowerMonitorLike } from './idle-glue';

function fakeMonitor(idle: { sec: number }, battery?: boolean) {
  const listeners = new Map<string, Set<() => void>>();
  const pm: PowerMonitorLike & { emit(e: string): void; listeners: typeof listeners } = {
    listeners,
    getSystemIdleTime: () => idle.sec,
    ...(battery === undefined ? {} : { isOnBatteryPower: () => battery }),
    on: (e, fn) => (listeners.get(e) ?? listeners.set(e, new Set()).get(e)!).add(fn),
    removeListener: (e, fn) => listeners.get(e)?.delete(fn),
    emit: (e) => listeners.get(e)?.forEach((fn) => fn()),
  };
  return pm;
}

function recordingSink() {
  const calls: Array<[string, unknown]> = [];
  const sink: IdleSink = {
    systemIdle: (s) => void calls.push(['systemIdle', s]),
    setBattery: (b) => void calls.push(['setBattery', b]),
    activity: () => void calls.push(['activity', null]),
  };
  return { sink, calls };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Electron idle glue', () => {
  it('maps each power event as the brief says', () => {
    expect(POWER_EVENTS).toEqual({
      'on-battery': { battery: true },
      'on-ac': { battery: false },
      resume: { input: true },
      'unlock-screen': { input: true },
    });
  });

  it('polls the OS idle time every 250 ms and reports power, then stops cleanly', () => {
    const idle = { sec: 0 };
    const pm = fakeMonitor(idle, false);
    const { sink, calls } = recordingSink();
    const stop = startIdleGlue(pm, sink);
    expect(calls).toEqual([
      ['setBattery', false],
      ['systemIdle', 0],
    ]);
    idle.sec = 61;
    vi.advanceTimersByTime(IDLE_POLL_MS);
    idle.sec = 0; // a key press
    vi.advanceTimersByTime(IDLE_POLL_MS);
    expect(calls.slice(2)).toEqual([
      ['systemIdle', 61],
      ['systemIdle', 0],
    ]);
    pm.emit('on-battery');
    pm.emit('on-ac');
    pm.emit('unlock-screen');
    pm.emit('resume');
    expect(calls.slice(4)).toEqual([
      ['setBattery', true],
      ['setBattery', false],
      ['activity', null],
      ['activity', null],
    ]);
    stop();
    vi.advanceTimersByTime(10 * IDLE_POLL_MS);
    pm.emit('on-battery');
    expect(calls).toHaveLength(8);
    expect([...pm.listeners.values()].every((s) => s.size === 0)).toBe(true);
  });

  it('reports unknown power where the platform cannot tell, and survives a failing idle query', () => {
    const pm = fakeMonitor({ sec: 0 });
    pm.getSystemIdleTime = () => {
      throw new Error('no idle time here');
    };
    const { sink, calls } = recordingSink();
    const stop = startIdleGlue(pm, sink);
    vi.advanceTimersByTime(IDLE_POLL_MS * 3);
    expect(calls).toEqual([['setBattery', null]]);
    stop();
  });
});
