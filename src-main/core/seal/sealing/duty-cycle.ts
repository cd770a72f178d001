/**
 * @module seal/sealing/duty-cycle
 * The worker's CPU governor: a token bucket of CPU milliseconds. Wall time refills it at the
 * allowed fraction of one core (5 % while the user is active, the cap when idle); the CPU the
 * thread used since the last checkpoint drains it. When the bucket is empty the worker sleeps
 * just long enough to pay the debt back, so over any few seconds its CPU time stays ≤ fraction ×
 * wall time plus one burst (BOINC's "use at most N % of CPU time" works the same way: run, then
 * sleep in proportion). The burst bounds how much unused allowance an idle stretch can bank.
 *
 * Pure: time and CPU come from the caller, so the arithmetic is unit-tested exactly.
 */

export const DEFAULT_BURST_MS = 20;

export class DutyCycle {
  private budget: number;
  private lastWall: number;
  private lastCpu: number;

  constructor(
    wallMs: number,
    cpuMs: number,
    private readonly burstMs = DEFAULT_BURST_MS,
  ) {
    this.lastWall = wallMs;
    this.lastCpu = cpuMs;
    this.budget = 0;
  }

  /**
   * Account for the time since the last call and return how long to sleep now (ms, ≥ 0) so
   * that CPU use stays within `fraction` (0 < fraction ≤ 1) of one core.
   */
  debt(wallMs: number, cpuMs: number, fraction: number): number {
    const f = Math.min(1, Math.max(1e-3, fraction));
    this.budget += Math.max(0, wallMs - this.lastWall) * f;
    this.budget -= Math.max(0, cpuMs - this.lastCpu);
    this.lastWall = wallMs;
    this.lastCpu = cpuMs;
    if (this.budget > this.burstMs) this.budget = this.burstMs;
    if (f >= 1) {
      this.budget = Math.max(0, this.budget); // a whole core: nothing to pay back
      return 0;
    }
    if (this.budget >= 0) return 0;
    // Sleeping s ms refills s·f: the debt is paid back exactly when the sleep ends.
    return -this.budget / f;
  }

  /** Forget the history (after a pause: a paused worker banks no allowance). */
  reset(wallMs: number, cpuMs: number): void {
    this.lastWall = wallMs;
    this.lastCpu = cpuMs;
    this.budget = Math.min(this.budget, 0);
  }
}
