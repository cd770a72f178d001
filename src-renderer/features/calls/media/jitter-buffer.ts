/**
 * @module calls/media/jitter-buffer
 * The adaptive audio jitter buffer (pure, no timers: the caller passes the time). Frames are
 * pushed as they arrive and pulled by the playout clock, one per frame duration (NetEQ style):
 *
 * - reorders by `seq` (uint32, wrap-safe); duplicates are dropped; a frame whose playout
 *   time has passed is `late` and dropped;
 * - the target delay follows the 95th percentile of the arrival-delay variation over the last
 *   `windowMs` (relative to the fastest frame of the window), clamped `minMs`…`maxMs`; it grows
 *   at once and shrinks by at most `shrinkMsPerSec`;
 * - well below the target (it just grew) it inserts a concealed frame, at most one in three,
 *   so the delay grows before underruns force it to;
 * - more than half a frame above the target it asks the playout to time-compress (drop a
 *   quiet frame, shorten an active one by pitch periods, or drop any frame when far above); a frame missing at its playout time is concealed (`lost` when later
 *   frames are already here, an underrun when the buffer is empty);
 * - after `idleAfterMs` with nothing to play (the far side muted or stalled) it goes idle:
 *   silence, no concealment counted, and prefetches again when frames come back.
 */

export type JitterFrame = {
  seq: number;
  timestampUs: number;
  durationUs: number;
  captureMs: number;
  data: Uint8Array;
};

/**
 * 'if-quiet': shrink the delay with this frame — drop it when near silence, else shorten it by
 * whole pitch periods if it is periodic enough (time-scale); 'force': drop it anyway.
 */
export type Compress = 'none' | 'if-quiet' | 'force';

export type PullResult =
  | { kind: 'frame'; frame: JitterFrame; compress: Compress }
  /** lost: the frame is missing with later ones here; stretch: inserted to grow the delay (nothing skipped). */
  | { kind: 'conceal'; lost: boolean; stretch: boolean; timestampUs: number; durationUs: number }
  | { kind: 'silence' };

export type JitterOptions = {
  minMs?: number;
  maxMs?: number;
  windowMs?: number;
  frameMs?: number;
  shrinkMsPerSec?: number;
  idleAfterMs?: number;
};

export type JitterStats = {
  received: number;
  late: number;
  lost: number;
  duplicates: number;
  underruns: number;
  flushed: number;
  compressed: number;
  stretched: number;
};

/** a − b on the uint32 seq circle, in −2³¹…2³¹. */
export function seqDiff(a: number, b: number): number {
  return ((((a - b) >>> 0) + 0x80000000) >>> 0) - 0x80000000;
}

/** The p-quantile (0…1) of `values` (nearest rank); 0 for none. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

export class JitterBuffer {
  readonly minMs: number;
  readonly maxMs: number;
  private readonly windowMs: number;
  private readonly frameMs: number;
  private readonly shrinkMsPerSec: number;
  private readonly idleAfterMs: number;

  private frames = new Map<number, JitterFrame>();
  private started = false;
  private everStarted = false;
  private nextSeq = 0;
  /** Media time (µs) the next pull plays. */
  private nextTsUs = 0;
  private emptyMs = 0;
  private sinceStretch = 3;
  private transits: { t: number; transit: number }[] = [];
  private target: number;
  private lastTargetAt: number | null = null;
  readonly stats: JitterStats = { received: 0, late: 0, lost: 0, duplicates: 0, underruns: 0, flushed: 0, compressed: 0, stretched: 0 };

  constructor(o: JitterOptions = {}) {
    this.minMs = o.minMs ?? 20;
    this.maxMs = o.maxMs ?? 300;
    this.windowMs = o.windowMs ?? 3000;
    this.frameMs = o.frameMs ?? 20;
    this.shrinkMsPerSec = o.shrinkMsPerSec ?? 40;
    this.idleAfterMs = o.idleAfterMs ?? 240;
    this.target = this.minMs;
  }

  /** The current target delay, ms. */
  get targetMs(): number {
    return this.target;
  }

  /** Audio waiting to be played, ms of media time (gaps included: they are concealed). */
  get bufferMs(): number {
    if (this.frames.size === 0) return 0;
    let newest: JitterFrame | null = null;
    let oldest: JitterFrame | null = null;
    for (const f of this.frames.values()) {
      if (!newest || seqDiff(f.seq, newest.seq) > 0) newest = f;
      if (!oldest || seqDiff(f.seq, oldest.seq) < 0) oldest = f;
    }
    const from = this.started ? this.nextTsUs : oldest!.timestampUs;
    return Math.max(0, (newest!.timestampUs + newest!.durationUs - from) / 1000);
  }

  /** True while playing (not prefetching or idle). */
  get playing(): boolean {
    return this.started;
  }

  push(f: JitterFrame, arrivalMs: number): 'queued' | 'late' | 'duplicate' {
    if (this.everStarted && Math.abs(seqDiff(f.seq, this.nextSeq)) > 3000) this.reset();
    this.recordTransit(arrivalMs, arrivalMs - f.timestampUs / 1000);
    if (this.everStarted && seqDiff(f.seq, this.nextSeq) < 0) {
      this.stats.late++;
      return 'late';
    }
    if (this.frames.has(f.seq)) {
      this.stats.duplicates++;
      return 'duplicate';
    }
    this.frames.set(f.seq, f);
    this.stats.received++;
    this.flushIfOverfull();
    return 'queued';
  }

  /** One frame duration of playout: what to play now. */
  pull(nowMs: number): PullResult {
    this.updateTarget(nowMs, null);
    if (!this.started) {
      if (this.frames.size === 0 || this.bufferMs < this.target) return { kind: 'silence' };
      const first = this.oldest()!;
      this.started = true;
      this.everStarted = true;
      this.nextSeq = first.seq;
      this.nextTsUs = first.timestampUs;
      this.emptyMs = 0;
    }
    const level = this.bufferMs;
    const f = this.frames.get(this.nextSeq);
    if (this.frames.size > 0 && level < this.target - this.frameMs / 2 && this.sinceStretch >= 3) {
      // well below a target that just grew: play 20 ms of concealment in front of the frame
      this.sinceStretch = 0;
      this.stats.stretched++;
      return { kind: 'conceal', lost: false, stretch: true, timestampUs: this.nextTsUs, durationUs: this.frameMs * 1000 };
    }
    this.sinceStretch++;
    if (f) {
      this.frames.delete(f.seq);
      this.advance();
      this.nextTsUs = f.timestampUs + f.durationUs;
      this.emptyMs = 0;
      const after = level - f.durationUs / 1000;
      const compress: Compress =
        after >= this.target + 3 * this.frameMs ? 'force' : after >= this.target + this.frameMs / 2 ? 'if-quiet' : 'none';
      return { kind: 'frame', frame: f, compress };
    }
    const durationUs = this.frameMs * 1000;
    const timestampUs = this.nextTsUs;
    if (this.frames.size > 0) {
      this.stats.lost++;
      this.advance();
      this.nextTsUs += durationUs;
      this.emptyMs = 0;
      return { kind: 'conceal', lost: true, stretch: false, timestampUs, durationUs };
    }
    this.emptyMs += this.frameMs;
    if (this.emptyMs > this.idleAfterMs) {
      this.started = false;
      return { kind: 'silence' };
    }
    this.stats.underruns++;
    return { kind: 'conceal', lost: false, stretch: false, timestampUs, durationUs };
  }

  /** The playout dropped a frame to shrink the delay. */
  noteCompressed(): void {
    this.stats.compressed++;
  }

  private advance(): void {
    this.nextSeq = (this.nextSeq + 1) >>> 0;
  }

  private oldest(): JitterFrame | null {
    let o: JitterFrame | null = null;
    for (const f of this.frames.values()) if (!o || seqDiff(f.seq, o.seq) < 0) o = f;
    return o;
  }

  private reset(): void {
    this.frames.clear();
    this.started = false;
    this.everStarted = false;
    this.transits = [];
  }

  /** A burst far beyond the maximum (after a stall): drop the oldest down to the target. */
  private flushIfOverfull(): void {
    if (this.bufferMs <= this.maxMs + 200) return;
    while (this.frames.size > 1 && this.bufferMs > this.target) {
      const o = this.oldest()!;
      this.frames.delete(o.seq);
      this.stats.flushed++;
      if (this.started) {
        this.nextSeq = (o.seq + 1) >>> 0;
        this.nextTsUs = o.timestampUs + o.durationUs;
      }
    }
  }

  private recordTransit(nowMs: number, transit: number): void {
    this.transits.push({ t: nowMs, transit });
    const cut = nowMs - this.windowMs;
    let i = 0;
    while (i < this.transits.length && this.transits[i]!.t < cut) i++;
    if (i > 0) this.transits.splice(0, i);
    let min = Infinity;
    for (const x of this.transits) min = Math.min(min, x.transit);
    const p95 = quantile(
      this.transits.map((x) => x.transit - min),
      0.95,
    );
    this.updateTarget(nowMs, p95 + this.frameMs);
  }

  private updateTarget(nowMs: number, wanted: number | null): void {
    const dt = this.lastTargetAt === null ? 0 : Math.max(0, nowMs - this.lastTargetAt);
    this.lastTargetAt = nowMs;
    if (wanted === null) {
      // between arrivals the window still ages: recompute from what is left
      const cut = nowMs - this.windowMs;
      const live = this.transits.filter((x) => x.t >= cut);
      if (live.length === 0) return;
      let min = Infinity;
      for (const x of live) min = Math.min(min, x.transit);
      wanted = quantile(
        live.map((x) => x.transit - min),
        0.95,
      ) + this.frameMs;
    }
    const clamped = Math.min(this.maxMs, Math.max(this.minMs, wanted));
    if (clamped >= this.target) this.target = clamped;
    else this.target = Math.max(clamped, this.target - (this.shrinkMsPerSec * dt) / 1000);
  }
}
