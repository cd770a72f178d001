import { describe, expect, it } from 'vitest';
import { accelerate, bestLag } from './time-scale';

const SR = 48000;
const tone = (hz: number, n: number, phase = 0): Float32Array => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(phase + (2 * Math.PI * hz * i) / SR));

/** Largest sample-to-sample step: a click shows up as a jump far above the tone's slope. */
function maxStep(x: Float32Array): number {
  let m = 0;
  for (let i = 1; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m;
}

describe('time-scale accelerate', () => {
  it('finds a whole number of periods of a steady tone, the longest within 10 ms', () => {
    const { lag, strength } = bestLag(tone(440, 960), SR);
    const period = SR / 440;
    expect(strength).toBeGreaterThan(0.99);
    expect(lag).toBeLessThanOrEqual(480);
    expect(lag).toBeGreaterThan(480 - period - 1);
    const periods = lag / period;
    expect(Math.abs(periods - Math.round(periods))).toBeLessThan(0.05);
  });

  it('shortens a voiced frame by that lag without a click and keeps both ends', () => {
    const frame = tone(1000, 960, 0.3);
    const out = accelerate(frame, SR)!;
    expect(out).not.toBeNull();
    expect(out.length).toBeLessThan(960 - 100);
    expect(out[0]).toBeCloseTo(frame[0]!, 2);
    expect(out[out.length - 1]).toBe(frame[959]);
    // the slope of a 0.5-amplitude 1 kHz tone is at most 2π·1000/48000·0.5 ≈ 0.065 per sample
    expect(maxStep(out)).toBeLessThan(0.07);
    // still the same tone: the cut frame continues the next one's phase (played after it)
    const next = tone(1000, 960, 0.3 + (2 * Math.PI * 1000 * 960) / SR);
    expect(Math.abs(next[0]! - out[out.length - 1]!)).toBeLessThan(0.07);
  });

  it('leaves noise alone: cutting it would be heard', () => {
    let seed = 12345;
    const noise = Float32Array.from({ length: 960 }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 31 - 1;
    });
    expect(accelerate(noise, SR)).toBeNull();
  });

  it('does nothing with silence or a frame too short to hold two periods', () => {
    expect(accelerate(new Float32Array(960), SR)).toBeNull();
    expect(accelerate(tone(440, 200), SR)).toBeNull();
  });
});
