/**
 * @module chat/backoff
 * Retry delays for the outbox and for reconnect attempts: exponential from 1 s, capped at
 * 60 s, with ±20% jitter so many queued messages do not retry in lockstep.
 */
export function backoffMs(attempts: number, opts: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const base = opts.baseMs ?? 1000;
  const cap = opts.capMs ?? 60_000;
  const raw = Math.min(cap, base * 2 ** Math.max(0, Math.min(attempts, 20)));
  const jitter = 0.8 + 0.4 * (opts.random ?? Math.random)();
  return Math.round(raw * jitter);
}
