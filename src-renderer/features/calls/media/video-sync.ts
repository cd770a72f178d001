/**
 * @module calls/media/video-sync
 * Pure scheduling for the received video: the keyframe gate (after a seq gap only a keyframe
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
