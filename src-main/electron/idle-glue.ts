/**
 * @module electron/idle-glue
 * The Electron shell's idle source for the sealing worker (issue 9 item 6): the OS idle time
 * (`powerMonitor.getSystemIdleTime()`, whole seconds since the last key or pointer input
 * anywhere on the system) polled every 250 ms, so input stops the worker well within a second; and
 * the power source (`isOnBatteryPower()` at start, then the 'on-battery' / 'on-ac' events).
 * Waking from sleep or unlocking the screen counts as input (someone is there).
 *
 * Pure glue: the power monitor and the sink are parameters (types only from 'electron'), and
 * what each event means is data (POWER_EVENTS), so the mapping is unit-tested without Electron.
 */
import type { PowerMonitor } from 'electron';

export const IDLE_POLL_MS = 250;

export type IdleSink = {
  systemIdle(sec: number): void;
  setBattery(onBattery: boolean | null): void;
  activity(): void;
};

export type PowerMonitorLike = Pick<PowerMonitor, 'getSystemIdleTime'> & {
  isOnBatteryPower?: () => boolean;
  on(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
};

export type PowerSignal = { battery: boolean } | { input: true };

/** powerMonitor event → what it tells the idle source. */
export const POWER_EVENTS: Record<string, PowerSignal> = {
  'on-battery': { battery: true },
  'on-ac': { battery: false },
  resume: { input: true },
  'unlock-screen': { input: true },
};

export function applySignal(sink: IdleSink, s: PowerSignal): void {
  if ('battery' in s) sink.setBattery(s.battery);
  else sink.activity();
}

export function startIdleGlue(pm: PowerMonitorLike, sink: IdleSink, timers: { setInterval: typeof setInterval; clearInterval: typeof clearInterval } = globalThis): () => void {
  const poll = () => {
    try {
      sink.systemIdle(pm.getSystemIdleTime());
    } catch {
      // not available on this desktop (some Wayland sessions): web-UI input still counts
    }
  };
  sink.setBattery(typeof pm.isOnBatteryPower === 'function' ? pm.isOnBatteryPower() : null);
  poll();
  const timer = timers.setInterval(poll, IDLE_POLL_MS);
  const listeners = Object.entries(POWER_EVENTS).map(([event, signal]) => {
    const fn = () => applySignal(sink, signal);
    pm.on(event, fn);
    return [event, fn] as const;
  });
  return () => {
    timers.clearInterval(timer);
    for (const [event, fn] of listeners) pm.removeListener(event, fn);
  };
}
