/**
 * @module calls/media/playout-clock
 * The audio playout clock (pure): which sender media time is being heard. The playout notes
 * each block it hands to the output ring (its first sample's index in the output and its
 * media time); the worklet reports how many samples it has played; between reports the
 * position is extrapolated from the wall clock. Video lip sync and the latency figure read it.
 */

type Mark = { sample: number; timestampUs: number; samples: number };

export class PlayoutClock {
  private marks: Mark[] = [];
  private played = 0;
  private playedAtMs = 0;

  constructor(readonly sampleRate = 48000) {}

  /** A block of `samples` starting at output sample `sample` carries media time `timestampUs`. */
  mark(sample: number, timestampUs: number, samples: number): void {
    this.marks.push({ sample, timestampUs, samples });
    if (this.marks.length > 256) this.marks.splice(0, this.marks.length - 256);
  }

  /** Silence handed on (no media time): the clock stops across it. */
  gap(sample: number, samples: number): void {
    this.marks.push({ sample, timestampUs: NaN, samples });
    if (this.marks.length > 256) this.marks.splice(0, this.marks.length - 256);
  }

  /** The worklet has played `played` samples as of `nowMs`. */
  report(played: number, nowMs: number): void {
    this.played = played;
    this.playedAtMs = nowMs;
  }

  /** Output samples played by `nowMs` (extrapolated, never past what was handed on). */
  position(nowMs: number): number {
    const ahead = Math.max(0, ((nowMs - this.playedAtMs) * this.sampleRate) / 1000);
    const last = this.marks[this.marks.length - 1];
    const handed = last ? last.sample + last.samples : this.played;
    return Math.min(this.played + ahead, Math.max(handed, this.played));
  }

  /** Media time (µs) heard at `nowMs`; null before audio or in a gap. */
  mediaUs(nowMs: number): number | null {
    const pos = this.position(nowMs);
    for (let i = this.marks.length - 1; i >= 0; i--) {
      const m = this.marks[i]!;
      if (m.sample <= pos) {
        if (Number.isNaN(m.timestampUs)) return null;
        const into = Math.min(pos - m.sample, m.samples);
        return m.timestampUs + (into * 1e6) / this.sampleRate;
      }
    }
    return null;
  }
}
