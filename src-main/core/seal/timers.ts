/**
 * @module seal/timers
 * The engine's timers: named ones that live for one round (cleared when a round or height
 * starts), marks ("done this round"), and repeating ones for the node's lifetime.
 */
export class Timers {
  private readonly roundTimers = new Map<string, NodeJS.Timeout | null>();
  private readonly repeating: NodeJS.Timeout[] = [];

  round(name: string, ms: number, fn: () => unknown): void {
    const old = this.roundTimers.get(name);
    if (old) clearTimeout(old);
    const t = setTimeout(() => {
      this.roundTimers.set(name, null);
      fn();
    }, Math.max(0, ms));
    t.unref?.();
    this.roundTimers.set(name, t);
  }

  /** Remember that something happened this round (no timer). */
  mark(name: string): void {
    this.roundTimers.set(name, null);
  }

  has(name: string): boolean {
    return this.roundTimers.has(name);
  }

  clearRound(): void {
    for (const t of this.roundTimers.values()) if (t) clearTimeout(t);
    this.roundTimers.clear();
  }

  every(ms: number, fn: () => unknown): void {
    const t = setInterval(fn, ms);
    t.unref?.();
    this.repeating.push(t);
  }

  clear(): void {
    this.clearRound();
    for (const t of this.repeating.splice(0)) clearInterval(t);
  }
}
