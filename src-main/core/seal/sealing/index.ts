/**
 * @module seal/sealing
 * The home PC's sealing worker (issue 9 item 6): see README.md. `SealingController` on the
 * main thread, the worker thread behind it (worker-entry.ts), its policy and idle source.
 */
export { SealingController, type SealingControllerOptions, type SealingControllerEvents, type SealJobLike } from './controller';
export { IdleSource, DEFAULT_IDLE_AFTER_SEC, type IdleOverride, type IdleSnapshot, type IdleSourceOptions } from './idle-source';
export { decideSealing, type SealingDecision, type SealingSituation } from './policy';
export { readSettings, writeSettings, DEFAULT_SETTINGS, type SealingSettings } from './settings';
export { Tally, rewardsOf, BUCKET_MS, type BlockLike } from './tally';
export { sealingWorkerUrl } from './worker-host';
export { createCpuMeter, readThreadStat, currentThreadId, type CpuMeter, type ThreadStat } from './cpu-meter';
export type { RunnerRef, JobContext, JobRunner } from './protocol';
export type { SealerRunnerInit } from './sealer-runner';
