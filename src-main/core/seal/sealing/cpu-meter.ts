/**
 * @module seal/sealing/cpu-meter
 * CPU time of the *calling thread* (the sealing worker measures itself to keep its duty cycle),
 * best source first:
 *
 *  1. `process.threadCpuUsage()` (Node ≥ 23.9; Electron's newer Node has it on every OS);
 *  2. Linux `/proc/thread-self/stat` fields 14–15 (utime, stime) in clock ticks
 *     (USER_HZ = 100 on every Linux ABI: 10 ms resolution; proc(5));
 *  3. elsewhere, the event loop's active time (`performance.eventLoopUtilization().active`):
 *     wall time spent running, never less than the CPU time, so a cap based on it stays a cap.
 *
 * `readThreadStat(tid)` reads another thread of this process (tests, status): CPU ticks and
 * the nice value (field 19), to prove the worker runs at nice 19.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export const USER_HZ = 100;

export type CpuMeter = {
  kind: 'thread-cpu-usage' | 'proc' | 'event-loop';
  /** Milliseconds of CPU used by this thread so far (monotonic). */
  now(): number;
};

type ThreadCpuUsage = () => { user: number; system: number };

/** Fields after the `(comm)` of a /proc stat line: index 0 is field 3 (state). */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
}

export type ThreadStat = { utimeTicks: number; stimeTicks: number; cpuMs: number; nice: number };

export function parseStat(text: string): ThreadStat {
  const f = statFields(text);
  const utimeTicks = Number(f[14 - 3]);
  const stimeTicks = Number(f[15 - 3]);
  const nice = Number(f[19 - 3]);
  if (!Number.isFinite(utimeTicks) || !Number.isFinite(stimeTicks) || !Number.isFinite(nice)) throw new Error('not a /proc stat line');
  return { utimeTicks, stimeTicks, cpuMs: ((utimeTicks + stimeTicks) * 1000) / USER_HZ, nice };
}

/** /proc/self/task/<tid>/stat of a thread of this process (Linux only). */
export function readThreadStat(tid: number): ThreadStat {
  return parseStat(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'));
}

/** This thread's kernel id on Linux (`/proc/thread-self` → `<pid>/task/<tid>`), else null. */
export function currentThreadId(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const m = /task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function createCpuMeter(): CpuMeter {
  const tcu = (process as unknown as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage;
  if (typeof tcu === 'function') {
    return {
      kind: 'thread-cpu-usage',
      now: () => {
        const u = tcu.call(process);
        return (u.user + u.system) / 1000;
      },
    };
  }
  if (process.platform === 'linux') {
    try {
      parseStat(readFileSync('/proc/thread-self/stat', 'utf8'));
      return { kind: 'proc', now: () => parseStat(readFileSync('/proc/thread-self/stat', 'utf8')).cpuMs };
    } catch {
      // no /proc (a container without it): fall through
    }
  }
  return { kind: 'event-loop', now: () => performance.eventLoopUtilization().active };
}
