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
