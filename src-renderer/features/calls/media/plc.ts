/**
 * @module calls/media/plc
 * Packet-loss concealment for the audio playout (pure). A missing 20 ms frame is replaced by
 * a pitch-synchronous copy of the last played audio: the pitch period is found by normalised
 * autocorrelation (2.5…20 ms, coarse at 12 kHz, refined at 48 kHz), the last period is
 * repeated with its end overlap-added into the samples before it (no click at the wrap), the
 * first 10 ms play at full level and the copy fades to silence by `FADE_MS`, with a faint
 * comfort noise at the history's quietest level. When real audio resumes it is cross-faded
 * in from the concealment's continuation. The same cross-fade merges around a frame the
 * playout drops to shrink its delay.
 */

export const FADE_START_MS = 10;
export const FADE_MS = 60;
const MIN_PITCH_MS = 2.5;
const MAX_PITCH_MS = 20;

export function rms(pcm: Float32Array): number {
  if (pcm.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < pcm.length; i++) s += pcm[i]! * pcm[i]!;
  return Math.sqrt(s / pcm.length);
}

function ncorr(x: Float32Array, end: number, win: number, lag: number, step: number): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = end - win; i < end; i += step) {
    const a = x[i]!;
    const b = x[i - lag]!;
    xy += a * b;
    xx += a * a;
    yy += b * b;
  }
  return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
}

/**
 * The pitch period of the end of `history`, in samples, and how periodic it is (0…1).
 * Needs at least 2 × 20 ms of history; with less, or no periodicity, returns the longest lag.
 */
export function estimatePitch(history: Float32Array, sampleRate: number): { period: number; strength: number } {
  const minLag = Math.round((MIN_PITCH_MS * sampleRate) / 1000);
  const maxLag = Math.round((MAX_PITCH_MS * sampleRate) / 1000);
  const win = maxLag;
  if (history.length < win + maxLag + 4) return { period: Math.min(maxLag, Math.max(1, history.length)), strength: 0 };
  const end = history.length;
  const step = Math.max(1, Math.round(sampleRate / 12000));
  let best = maxLag;
  let bestC = -1;
  for (let lag = minLag; lag <= maxLag; lag += step) {
    const c = ncorr(history, end, win, lag, step);
    if (c > bestC) {
      bestC = c;
      best = lag;
    }
  }
  const coarse = best;
  bestC = ncorr(history, end, win, coarse, 1);
  for (let lag = Math.max(minLag, coarse - step); lag <= Math.min(maxLag, coarse + step); lag++) {
    const c = ncorr(history, end, win, lag, 1);
    if (c > bestC) {
      bestC = c;
      best = lag;
    }
  }
  if (bestC < 0.3) return { period: maxLag, strength: Math.max(0, bestC) };
  return { period: best, strength: bestC };
}

/** Gain of the concealed sample `k` samples into the loss. */
export function concealGain(k: number, sampleRate: number): number {
  const start = (FADE_START_MS * sampleRate) / 1000;
  const end = (FADE_MS * sampleRate) / 1000;
  if (k <= start) return 1;
  if (k >= end) return 0;
  return 1 - (k - start) / (end - start);
}

/** `to` with its first `len` samples faded in from `from` (equal-gain linear cross-fade). */
export function crossfade(from: Float32Array, to: Float32Array, len: number): Float32Array {
  const out = Float32Array.from(to);
  const n = Math.min(len, from.length, to.length);
  for (let j = 0; j < n; j++) {
    const w = (j + 0.5) / n;
    out[j] = (1 - w) * from[j]! + w * to[j]!;
  }
  return out;
}

/** The quietest 10 ms block's RMS in `history` (comfort-noise level), capped. */
function noiseFloor(history: Float32Array, sampleRate: number): number {
  const block = Math.round(sampleRate / 100);
  let min = Infinity;
  for (let i = 0; i + block <= history.length; i += block) min = Math.min(min, rms(history.subarray(i, i + block)));
  return Number.isFinite(min) ? Math.min(min, 0.003) : 0;
}

/** Stateful wrapper: feed what was played, ask for concealment, hand back resumed audio. */
export class Concealer {
  private history: Float32Array;
  private template: Float32Array | null = null;
  private phase = 0;
  private concealed = 0;
  private noise = 0;
  private seed = 0x2545f491;
  private readonly olaLen: number;
  private startSmoothed = false;

  constructor(
    readonly sampleRate = 48000,
    private readonly historyMs = 60,
  ) {
    this.history = new Float32Array(0);
    this.olaLen = Math.round(sampleRate / 400); // 2.5 ms
  }

  /** True between a concealment and the next real audio. */
  get concealing(): boolean {
    return this.template !== null;
  }

  /** Real audio was played: remember it. */
  observe(pcm: Float32Array): void {
    const keep = Math.round((this.historyMs * this.sampleRate) / 1000);
    const joined = new Float32Array(Math.min(keep, this.history.length + pcm.length));
    const fromOld = joined.length - Math.min(pcm.length, joined.length);
    joined.set(this.history.subarray(this.history.length - fromOld), 0);
    joined.set(pcm.subarray(pcm.length - (joined.length - fromOld)), fromOld);
    this.history = joined;
  }

  /** `n` samples standing in for missing audio (consecutive calls continue the same loss). */
  conceal(n: number): Float32Array {
    if (!this.template) this.begin();
    const out = new Float32Array(n);
    const t = this.template!;
    for (let i = 0; i < n; i++) {
      const g = concealGain(this.concealed, this.sampleRate);
      const v = t.length > 0 ? t[this.phase]! : 0;
      out[i] = g * v + (1 - g) * this.noise * this.rand();
      this.phase = t.length > 0 ? (this.phase + 1) % t.length : 0;
      this.concealed++;
    }
    if (!this.startSmoothed && this.history.length > 0) {
      // the first samples of a loss start from the last real one, not from a period back
      const last = this.history[this.history.length - 1]!;
      const len = Math.min(this.olaLen, n);
      const held = new Float32Array(len).fill(last);
      out.set(crossfade(held, out.subarray(0, len), len), 0);
      this.startSmoothed = true;
    }
    return out;
  }

  /** Real audio after a loss: cross-faded in from the concealment's continuation. */
  resume(pcm: Float32Array): Float32Array {
    if (!this.template) return pcm;
    const tail = this.conceal(Math.min(this.olaLen, pcm.length));
    this.template = null;
    this.concealed = 0;
    return crossfade(tail, pcm, tail.length);
  }

  private begin(): void {
    const h = this.history;
    const { period } = estimatePitch(h, this.sampleRate);
    const p = Math.min(period, h.length);
    const t = Float32Array.from(h.subarray(h.length - p));
    // overlap-add the template's end into the samples just before it: a seamless wrap
    const l = Math.min(Math.floor(p / 4), h.length - p);
    for (let j = 0; j < l; j++) {
      const w = (j + 0.5) / l;
      t[p - l + j] = (1 - w) * h[h.length - l + j]! + w * h[h.length - p - l + j]!;
    }
    this.template = t;
    this.phase = 0;
    this.concealed = 0;
    this.startSmoothed = false;
    this.noise = noiseFloor(h, this.sampleRate);
  }

  /** Deterministic uniform noise in −1…1 (xorshift32). */
  private rand(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed / 0x80000000 - 1;
  }
}
