/**
 * @module base/wait
 * Polling helpers for tests, benches and the testnet: `sleep`, and `waitFor` a condition
 * (sync or async) with a timeout that names what was awaited.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition', stepMs = 5): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

/** Polls `f` until it returns something other than undefined, and returns that; throws naming `what` after `timeoutMs`. */
export async function waitForValue<T>(f: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string, stepMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

/**
 * Runs `step` now and then `everyMs` after each run ends (runs never overlap; the timer does
 * not keep the process alive). `stop()` resolves once a run in progress has finished.
 * A step must handle its own errors; one that throws is passed to `onError`.
 */
export function pollLoop(step: () => Promise<void>, everyMs: number, onError: (e: unknown) => void = () => {}): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const run = () => {
    if (stopped) return;
    running = step()
      .catch(onError)
      .finally(() => {
        running = null;
        if (!stopped) (timer = setTimeout(run, everyMs)).unref?.();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
