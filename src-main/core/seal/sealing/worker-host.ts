/**
 * @module seal/sealing/worker-host
 * The main thread's handle on the sealing worker thread: spawns it (worker-entry.ts; the built
 * app's `sealing-worker.js` beside the bundle, or worker-boot.mjs under tsx/vitest), owns the
 * shared control buffer (run/pause, CPU allowance, abort mark; protocol.ts), forwards its
 * messages, and can stop it hard (`terminate()`: V8 stops the thread's JavaScript at once —
 * the fallback when a job ignores a pause for longer than the grace period).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TypedEmitter, type Logger } from '../../base';
import { CTL, CTL_SLOTS, type FromWorker, type RunnerRef, type ToWorker, type WorkerData } from './protocol';

export const NICENESS = 19;

/** Where the worker's entry is, for this build (source under tsx/vitest, or the bundle). */
export function sealingWorkerUrl(base: string = import.meta.url): URL {
  if (/\.ts$/.test(new URL(base).pathname)) return new URL('./worker-boot.mjs', base);
  for (const rel of ['./sealing-worker.js', '../sealing-worker.js']) {
    const u = new URL(rel, base);
    if (existsSync(fileURLToPath(u))) return u;
  }
  return new URL('./sealing-worker.js', base);
}

export type WorkerHostEvents = {
  message: FromWorker;
  /** The thread ended (stopped, terminated or crashed). */
  exit: { code: number; expected: boolean };
};

export class WorkerHost {
  readonly events = new TypedEmitter<WorkerHostEvents>();
  readonly control = new Int32Array(new SharedArrayBuffer(CTL_SLOTS * 4));
  private worker: Worker | null = null;
  private expectExit = false;
  /** Kernel thread id and nice value the worker reported (Linux), once ready. */
  info: { tid: number | null; nice: number | null; meter: string } | null = null;

  constructor(
    private readonly runner: RunnerRef,
    private readonly logger: Logger,
    private readonly url: URL = sealingWorkerUrl(),
  ) {}

  get alive(): boolean {
    return this.worker !== null;
  }

  set(slot: number, value: number): void {
    if (Atomics.load(this.control, slot) === value) return;
    Atomics.store(this.control, slot, value);
    Atomics.add(this.control, CTL.VERSION, 1);
    Atomics.notify(this.control, CTL.VERSION);
  }

  get(slot: number): number {
    return Atomics.load(this.control, slot);
  }

  ensure(): void {
    if (this.worker) return;
    const data: WorkerData = { control: this.control.buffer as SharedArrayBuffer, runner: this.runner, niceness: NICENESS };
    const w = new Worker(this.url, { workerData: data, name: 'bitunicom-sealer' });
    this.worker = w;
    this.expectExit = false;
    this.info = null;
    w.on('message', (m: FromWorker) => {
      if (m.type === 'ready') this.info = { tid: m.tid, nice: m.nice, meter: m.meter };
      this.events.emit('message', m);
    });
    w.on('error', (e) => this.logger.warn('the sealing worker failed', { error: String(e) }));
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = null;
      this.events.emit('exit', { code, expected: this.expectExit });
    });
  }

  post(m: ToWorker): void {
    this.ensure();
    this.worker!.postMessage(m);
  }

  /** Stop the thread now (its current job dies with it). */
  async terminate(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.expectExit = true;
    this.worker = null;
    await w.terminate();
  }
}
