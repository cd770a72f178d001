import { describe, expect, it } from 'vitest';
import { Concealer, concealGain, crossfade, estimatePitch, rms } from './plc';

const SR = 48000;
const sine = (hz: number, from: number, n: number, amp = 0.5) =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * (from + i)) / SR));

function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('estimatePitch', () => {
  it('finds the period of a voiced tone', () => {
    const { period, strength } = estimatePitch(sine(200, 0, 2880), SR);
    expect(period).toBeGreaterThanOrEqual(239);
    expect(period).toBeLessThanOrEqual(241);
    expect(strength).toBeGreaterThan(0.95);
  });

  it('reports no periodicity for noise and copes with short history', () => {
    let x = 12345;
    const noise = Float32Array.from({ length: 2880 }, () => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x / 0x80000000 - 1;
    });
    expect(estimatePitch(noise, SR).strength).toBeLessThan(0.5);
    expect(estimatePitch(new Float32Array(10), SR).strength).toBe(0);
  });
});

describe('Concealer', () => {
  it('continues a tone in phase, then fades to silence by 60 ms', () => {
    const c = new Concealer(SR);
    c.observe(sine(200, 0, 2880));
    const frames = [0, 1, 2, 3].map(() => c.conceal(960));
    frames.forEach((f) => expect(f.length).toBe(960));
    // the first 10 ms (after the 2.5 ms start smoothing) follow the real continuation
    const truth = sine(200, 2880, 480);
    expect(correlation(frames[0]!.subarray(120, 480), truth.subarray(120, 480))).toBeGreaterThan(0.95);
    expect(rms(frames[0]!.subarray(0, 480))).toBeGreaterThan(0.3);
    expect(rms(frames[1]!)).toBeLessThan(rms(frames[0]!));
    expect(rms(frames[2]!)).toBeLessThan(rms(frames[1]!));
    expect(rms(frames[3]!)).toBeLessThan(0.004); // only comfort noise left
  });

  it('never yields NaN, with no history, silence or a single sample', () => {
    for (const h of [new Float32Array(0), new Float32Array(2880), new Float32Array([0.7])]) {
      const c = new Concealer(SR);
      c.observe(h);
      const out = c.conceal(960);
      expect(out.length).toBe(960);
      expect(out.every((v) => Number.isFinite(v))).toBe(true);
      expect(Math.max(...out.map(Math.abs))).toBeLessThanOrEqual(1);
    }
  });

  it('cross-fades real audio back in after a loss and passes it through otherwise', () => {
    const c = new Concealer(SR);
    const next = sine(200, 2880 + 960, 960);
    expect(c.resume(next)).toBe(next);
    c.observe(sine(200, 0, 2880));
    c.conceal(960);
    expect(c.concealing).toBe(true);
    const out = c.resume(next);
    expect(c.concealing).toBe(false);
    expect(out.length).toBe(960);
    expect(Array.from(out.subarray(120))).toEqual(Array.from(next.subarray(120)));
    expect(out[0]).not.toBe(next[0]);
  });
});

describe('helpers', () => {
  it('concealGain is 1 for 10 ms and 0 from 60 ms', () => {
    expect(concealGain(0, SR)).toBe(1);
    expect(concealGain(480, SR)).toBe(1);
    expect(concealGain(1680, SR)).toBeCloseTo(0.5, 5);
    expect(concealGain(2880, SR)).toBe(0);
  });

  it('crossfade blends only the head and keeps the length', () => {
    const out = crossfade(new Float32Array(4).fill(1), new Float32Array(8), 4);
    expect(Array.from(out)).toEqual([0.875, 0.625, 0.375, 0.125, 0, 0, 0, 0]);
  });
});
