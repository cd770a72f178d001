/**
 * @module seal/sealing/burn-runner
 * A job runner that only burns CPU (SHA-256 over a counter), for the tests that measure the
 * worker's CPU limits and its 1-second suspension on a real thread, and for the bench's
 * "sealer CPU while active vs idle". Loaded by worker-entry through `{ kind: 'module' }`.
 *
 * A job `{ busyMs, sliceMs?, cooperative? }` runs busy loops of `sliceMs` (default 2 ms) until
 * `busyMs` of busy time is done (Infinity: until abandoned). Cooperative jobs await the
 * checkpoint between slices, as the sealer does between its steps; `cooperative: false`
 * burns all of it in one synchronous stretch, like a long block execution that never yields.
 * The result is one 32-byte "seal": the last digest.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { JobContext, JobRunner } from './protocol';

export type BurnJob = { busyMs: number; sliceMs?: number; cooperative?: boolean; tag?: number };

function burn(ms: number, state: Buffer): Buffer {
  const until = performance.now() + ms;
  let h: Buffer = state;
  while (performance.now() < until) {
    for (let i = 0; i < 64; i++) h = createHash('sha256').update(h).digest();
  }
  return h;
}

export function createRunner(): JobRunner {
  return async (raw: unknown, ctx: JobContext) => {
    const job = raw as BurnJob;
    const slice = job.sliceMs ?? 2;
    let state: Buffer = Buffer.alloc(32, job.tag ?? 0);
    if (job.cooperative === false) {
      state = burn(job.busyMs, state);
      return [new Uint8Array(state)];
    }
    for (let done = 0; done < job.busyMs; done += slice) {
      await ctx.checkpoint();
      state = burn(Math.min(slice, job.busyMs - done), state);
    }
    return [new Uint8Array(state)];
  };
}
