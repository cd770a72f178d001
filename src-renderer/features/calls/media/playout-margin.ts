/**
 * @module calls/media/playout-margin
 * How far ahead of the audio clock the main thread keeps the worklet's ring (pure; the caller
 * passes the time). Every sample in that ring is delay the listener hears, so it starts small
 * (~15 ms) and grows only when the ring actually ran dry while real audio played — the main
 * thread was late (a render, a GC pause) — by a quarter frame per underrun, not by the size of
 * the stall: one long pause says little about the next, while stalls that keep coming grow it
 * step by step until they are covered. After `decayMs` without an underrun it gives back an
 * eighth of a frame, down to the floor. This is the same learn-from-underruns policy audio stacks use for their
 * output buffers, applied to the one buffer the jitter buffer does not control.
 */

export type MarginOptions = { frame?: number; minSamples?: number; maxSamples?: number; startSamples?: number; decayMs?: number };

export class PlayoutMargin {
  readonly min: number;
  readonly max: number;
  private readonly step: number;
  private readonly decayMs: number;
  private value: number;
  private lastChangeMs: number | null = null;
  /** Times the margin grew (stats). */
  grown = 0;

  constructor(o: MarginOptions = {}) {
    const frame = o.frame ?? 960;
    this.min = o.minSamples ?? frame / 2;
    this.max = o.maxSamples ?? 3 * frame;
    this.step = Math.round(frame / 4);
    this.decayMs = o.decayMs ?? 4_000;
    this.value = Math.min(this.max, Math.max(this.min, o.startSamples ?? this.min + this.step));
  }

  /** Samples to keep queued ahead of the worklet. */
  get samples(): number {
    return this.value;
  }

  /** The worklet reported `missed` more samples of underrun while real audio played. */
  underrun(missed: number, nowMs: number): void {
    if (missed <= 0) return;
    this.value = Math.min(this.max, this.value + this.step);
    this.lastChangeMs = nowMs;
    this.grown++;
  }

  /** Called on every report: shrinks after a quiet spell. */
  tick(nowMs: number): void {
    if (this.lastChangeMs === null) {
      this.lastChangeMs = nowMs;
      return;
    }
    if (nowMs - this.lastChangeMs < this.decayMs || this.value <= this.min) return;
    this.value = Math.max(this.min, this.value - Math.round(this.step / 2));
    this.lastChangeMs = nowMs;
  }
}
