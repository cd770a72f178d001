/**
 * @module calls/media/video-sync
 * Pure scheduling for the received video: a short reorder stage (frames out of order wait up
 * to `REORDER_MS` / `REORDER_FRAMES` for the missing one), the keyframe gate (after a seq gap only a keyframe
 * can be decoded), lip sync against the audio playout clock (hold a frame until the audio
 * reaches its media time, drop it when it is more than `LATE_MS` behind) and an fps meter.
 */

export const LATE_MS = 100;

export type VideoDecision = 'hold' | 'show' | 'drop';

/**
 * What to do with a decoded frame of media time `frameUs` when the audio being heard is at
 * `audioUs` (null: no audio clock, e.g. the far side is muted — show at once).
 */
export function lipSync(frameUs: number, audioUs: number | null, lateMs = LATE_MS): VideoDecision {
  if (audioUs === null) return 'show';
  if (frameUs < audioUs - lateMs * 1000) return 'drop';
  return frameUs <= audioUs ? 'show' : 'hold';
}

/** Passes frames to the decoder in order; after a gap, only from the next keyframe on. */
export class KeyframeGate {
  private lastSeq: number | null = null;
  private waiting = true;
  /** Frames refused since the last keyframe (a caller may ask the sender for one). */
  refused = 0;

  accept(seq: number, keyframe: boolean): boolean {
    const inOrder = this.lastSeq !== null && ((seq - this.lastSeq) >>> 0) === 1;
    if (this.lastSeq !== null && ((seq - this.lastSeq) | 0) <= 0) return false; // old or duplicate
    this.lastSeq = seq >>> 0;
    if (!inOrder) this.waiting = true;
    if (this.waiting && !keyframe) {
      this.refused++;
      return false;
    }
    this.waiting = false;
    this.refused = 0;
    return true;
  }

  /** The decoder failed: wait for the next keyframe. */
  reset(): void {
    this.waiting = true;
  }
}

/** Frames shown in the last second. */
export class FpsMeter {
  private times: number[] = [];

  tick(nowMs: number): void {
    this.times.push(nowMs);
    this.trim(nowMs);
  }

  fps(nowMs: number): number {
    this.trim(nowMs);
    return this.times.length;
  }

  private trim(nowMs: number): void {
    while (this.times.length > 0 && this.times[0]! <= nowMs - 1000) this.times.shift();
  }
}

export const REORDER_MS = 60;
export const REORDER_FRAMES = 6;

/** Puts frames back in seq order; a gap older than `REORDER_MS` is given up on (the gate then waits for a keyframe). */
export class VideoReorder<T extends { seq: number }> {
  private next: number | null = null;
  private waiting = new Map<number, { f: T; at: number }>();

  /** Frames now due in order (the arriving one, perhaps with others it unblocked). */
  push(f: T, nowMs: number): T[] {
    if (this.next !== null && ((f.seq - this.next) | 0) < 0) return []; // given up on, or a duplicate
    this.waiting.set(f.seq >>> 0, { f, at: nowMs });
    this.next ??= f.seq >>> 0;
    return this.release(nowMs);
  }

  /** Frames released by time alone (call it on a timer). */
  poll(nowMs: number): T[] {
    return this.release(nowMs);
  }

  private release(nowMs: number): T[] {
    const out: T[] = [];
    for (;;) {
      if (this.next === null || this.waiting.size === 0) return out;
      const hit = this.waiting.get(this.next);
      if (hit) {
        this.waiting.delete(this.next);
        out.push(hit.f);
        this.next = (this.next + 1) >>> 0;
        continue;
      }
      let oldest = Infinity;
      let lowest: number | null = null;
      for (const [seq, w] of this.waiting) {
        oldest = Math.min(oldest, w.at);
        if (lowest === null || ((seq - lowest) | 0) < 0) lowest = seq;
      }
      if (nowMs - oldest < REORDER_MS && this.waiting.size < REORDER_FRAMES) return out;
      this.next = lowest; // skip the gap
    }
  }
}
