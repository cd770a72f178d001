/**
 * @module calls/media/time-scale
 * Time compression of active audio (pure), the counterpart of NetEQ's "accelerate": when the
 * jitter buffer holds more than its target and the frame is not quiet enough to drop, one or
 * more whole pitch periods are cut out of the frame. The lag is the one (2.5…10 ms) at which
 * the frame is most self-similar (normalised autocorrelation over a fixed window); the cut
 * overlap-adds the segment before the lag into the one after it, so the waveform stays
 * continuous at both ends of the frame and no click is heard. A frame that is not periodic
 * enough (noise, transients) is left alone: cutting it would be audible.
 *
 * Without this a continuous voice (or the tests' steady tone) never lets the buffer shrink,
 * since only quiet frames were dropped: the clean-link delay sat ~50 ms above its target.
 */

const MIN_LAG_MS = 2.5;
const MAX_LAG_MS = 10;
/** Below this self-similarity a cut would be audible. */
export const MIN_PERIODICITY = 0.75;

function ncorr(x: Float32Array, lag: number, win: number): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < win; i++) {
    const a = x[i]!;
    const b = x[i + lag]!;
    xy += a * b;
    xx += a * a;
    yy += b * b;
  }
  return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
}

/** The lag (samples) at which `pcm` repeats best, and how well (0…1). */
export function bestLag(pcm: Float32Array, sampleRate: number): { lag: number; strength: number } {
  const minLag = Math.round((MIN_LAG_MS * sampleRate) / 1000);
  const maxLag = Math.min(Math.round((MAX_LAG_MS * sampleRate) / 1000), Math.floor(pcm.length / 2));
  if (maxLag < minLag) return { lag: 0, strength: 0 };
  const win = pcm.length - maxLag;
  const corr = new Float64Array(maxLag + 1);
  let best = 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    corr[lag] = ncorr(pcm, lag, win);
    if (corr[lag]! > best) best = corr[lag]!;
  }
  if (best <= 0) return { lag: 0, strength: 0 };
  // a steady voice repeats at every multiple of its period: cut the longest that is as good
  for (let lag = maxLag; lag >= minLag; lag--) if (corr[lag]! >= best - 0.005) return { lag, strength: corr[lag]! };
  return { lag: 0, strength: 0 };
}

/**
 * `pcm` shortened by a whole number of pitch periods, or null when it is not periodic enough
 * to cut unnoticed. The first and last samples are kept, so it joins its neighbours seamlessly.
 */
export function accelerate(pcm: Float32Array, sampleRate: number): Float32Array | null {
  const { lag, strength } = bestLag(pcm, sampleRate);
  if (lag === 0 || strength < MIN_PERIODICITY) return null;
  const out = new Float32Array(pcm.length - lag);
  for (let j = 0; j < lag; j++) {
    const w = (j + 0.5) / lag;
    out[j] = (1 - w) * pcm[j]! + w * pcm[j + lag]!;
  }
  out.set(pcm.subarray(2 * lag), lag);
  return out;
}
