/**
 * @module seal/sealing/worker-entry
 * The sealing worker thread. First it lowers its own priority: on Linux nice is per thread
 * (setpriority(PRIO_PROCESS, 0) acts on the calling thread; sched(7), setpriority(2) BUGS), so
 * `os.setPriority(0, 19)` here makes only this thread nice 19 and the UI and networking keep
 * theirs. Elsewhere the same call would lower the whole app (Windows' SetPriorityClass, macOS'
 * process priority), so there the duty cycle alone keeps it polite.
 *
 * Then it runs one job at a time. The job awaits `checkpoint()` often; each checkpoint
 *  - throws JobAbandoned when the main thread marked the job stale (ABORT_UPTO ≥ its id);
 *  - waits, using no CPU, while RUN = 0 (Atomics.waitAsync on the control buffer, so a resume
 *    wakes it at once);
 *  - sleeps as long as the duty cycle says (duty-cycle.ts) for the allowed CPU (PERMILLE).
 * It reports its thread CPU clock about twice a second, for the status' cpuPercent.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createCpuMeter, currentThreadId, readThreadStat } from './cpu-meter';
import { DutyCycle } from './duty-cycle';
import { CTL, JobAbandoned, type FromWorker, type JobRunner, type RunnerModule, type ToWorker, type WorkerData } from './protocol';

const data = workerData as WorkerData;
const port = parentPort!;
const ctl = new Int32Array(data.control);
const meter = createCpuMeter();
const duty = new DutyCycle(Date.now(), meter.now());
const post = (m: FromWorker) => port.postMessage(m);

/** Nice 19 for this thread (Linux); returns the nice value the kernel now reports, or null. */
function lowerPriority(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    setPriority(0, data.niceness);
  } catch {
    // not allowed (a sandbox): the duty cycle still applies
  }
  const tid = currentThreadId();
  try {
    return tid === null ? null : readThreadStat(tid).nice;
  } catch {
    return null;
  }
}

let lastReport = 0;
function reportCpu(force = false): void {
  const at = Date.now();
  if (!force && at - lastReport < 500) return;
  lastReport = at;
  post({ type: 'cpu', cpuMs: meter.now(), at });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type AtomicsWaitAsync = {
  waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: false; value: string } | { async: true; value: Promise<string> };
};

/** Wait (no CPU) until the control buffer changes or `ms` passes. */
async function waitChange(ms: number): Promise<void> {
  const v = Atomics.load(ctl, CTL.VERSION);
  const w = (Atomics as unknown as AtomicsWaitAsync).waitAsync(ctl, CTL.VERSION, v, ms);
  if (w.async) await w.value;
}

async function checkpoint(id: number): Promise<void> {
  if (Atomics.load(ctl, CTL.ABORT_UPTO) >= id) throw new JobAbandoned();
  if (Atomics.load(ctl, CTL.RUN) === 0) {
    post({ type: 'paused', paused: true, at: Date.now() });
    reportCpu(true);
    while (Atomics.load(ctl, CTL.RUN) === 0) {
      if (Atomics.load(ctl, CTL.ABORT_UPTO) >= id) throw new JobAbandoned();
      await waitChange(1000);
    }
    duty.reset(Date.now(), meter.now());
    post({ type: 'paused', paused: false, at: Date.now() });
  }
  for (;;) {
    const fraction = Atomics.load(ctl, CTL.PERMILLE) / 1000;
    const owe = duty.debt(Date.now(), meter.now(), fraction);
    reportCpu();
    if (owe <= 0) return;
    // Sleep in slices so a pause, an abort or a new cap takes effect promptly.
    await Promise.race([sleep(Math.min(owe, 100)), waitChange(Math.min(owe, 100))]);
    if (Atomics.load(ctl, CTL.ABORT_UPTO) >= id) throw new JobAbandoned();
    if (Atomics.load(ctl, CTL.RUN) === 0) return checkpoint(id);
  }
}

async function loadRunner(): Promise<JobRunner> {
  const ref = data.runner;
  const mod = (ref.kind === 'sealer' ? await import('./sealer-runner') : await import(ref.url)) as RunnerModule;
  return mod.createRunner(ref.init);
}

const queue: Array<{ id: number; job: unknown }> = [];
let running = false;
let runner: JobRunner | null = null;

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  try {
    runner ??= await loadRunner();
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { id, job } = next;
      const ac = new AbortController();
      try {
        await checkpoint(id);
        const seals = await runner(job, {
          checkpoint: async () => {
            try {
              await checkpoint(id);
            } catch (e) {
              ac.abort();
              throw e;
            }
          },
          signal: ac.signal,
        });
        if (Atomics.load(ctl, CTL.ABORT_UPTO) >= id) post({ type: 'aborted', id });
        else post({ type: 'done', id, seals });
      } catch (e) {
        if (e instanceof JobAbandoned) post({ type: 'aborted', id });
        else post({ type: 'failed', id, error: e instanceof Error ? e.message : String(e) });
      }
      reportCpu(true);
    }
  } finally {
    running = false;
  }
}

const nice = lowerPriority();
const timer = setInterval(() => reportCpu(), 500);
port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') {
    clearInterval(timer);
    port.close();
    return;
  }
  queue.push({ id: m.id, job: m.job });
  drain().catch((e: unknown) => post({ type: 'failed', id: m.id, error: e instanceof Error ? e.message : String(e) }));
});
post({ type: 'ready', tid: currentThreadId(), nice, meter: meter.kind });
