/**
 * @module seal/sealing/protocol
 * What the main thread and the sealing worker share. Jobs and results travel as messages
 * (structured clone: bigint and Uint8Array survive). The run/pause switch, the CPU allowance
 * and the abort mark live in a SharedArrayBuffer instead, so the worker sees a pause at its
 * very next checkpoint (and wakes from `Atomics.waitAsync` at once) even while the main
 * thread is busy, and no message queue stands between user input and the worker stopping.
 */

/** Int32 slots of the control buffer. */
export const CTL = {
  /** 1 = may run, 0 = paused. */
  RUN: 0,
  /** Allowed CPU, per mille of one core (50 = 5 %, 500 = 50 %). */
  PERMILLE: 1,
  /** Jobs with an id ≤ this are abandoned (stale round, or shutdown). */
  ABORT_UPTO: 2,
  /** Bumped on every change, for Atomics.wait/notify. */
  VERSION: 3,
} as const;
export const CTL_SLOTS = 4;

export type RunnerRef =
  /** The production runner: the lead's Sealer over a read-only ledger (sealer-runner.ts). */
  | { kind: 'sealer'; init: unknown }
  /** Any module exporting `createRunner(init)` (tests and the bench: burn-runner.ts). */
  | { kind: 'module'; url: string; init: unknown };

export type WorkerData = { control: SharedArrayBuffer; runner: RunnerRef; niceness: number };

export type ToWorker = { type: 'job'; id: number; job: unknown } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; tid: number | null; nice: number | null; meter: string }
  | { type: 'done'; id: number; seals: Uint8Array[] }
  | { type: 'aborted'; id: number }
  | { type: 'failed'; id: number; error: string }
  /** The worker's own CPU clock (ms) at wall time `at` (ms since the epoch). */
  | { type: 'cpu'; cpuMs: number; at: number }
  /** The worker entered (true) or left (false) the paused wait. */
  | { type: 'paused'; paused: boolean; at: number };

/** What a job gets from the worker: a place to yield, and whether it was abandoned. */
export type JobContext = {
  /** Await often (every few ms of CPU): pauses, throttles, or throws JobAbandoned. */
  checkpoint(): Promise<void>;
  readonly signal: AbortSignal;
};

export type JobRunner = (job: unknown, ctx: JobContext) => Promise<Uint8Array[]>;

export type RunnerModule = { createRunner(init: unknown): JobRunner | Promise<JobRunner> };

export class JobAbandoned extends Error {
  constructor() {
    super('the job was abandoned (stale round or shutdown)');
    this.name = 'JobAbandoned';
  }
}
