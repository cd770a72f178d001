/** @module call/quality.test */
import { describe, expect, it } from 'vitest';
import { delayImpairment, estimateMos, lossImpairment, rToMos } from './quality';

describe('E-model MOS', () => {
  it('is about 4.4 on a clean 20 ms path', () => {
    expect(estimateMos({ rttMs: 20, lossPercent: 0, jitterMs: 1 })).toBeCloseTo(4.41, 2);
  });

  it('drops clearly at 10 % loss', () => {
    const mos = estimateMos({ rttMs: 20, lossPercent: 10, jitterMs: 1 });
    expect(lossImpairment(10)).toBeCloseTo(47.5, 6);
    expect(mos).toBeLessThan(2.6);
    expect(mos).toBeGreaterThan(2);
  });

  it('drops with 400 ms one-way delay (G.107 Idd ≈ 24)', () => {
    expect(delayImpairment(100)).toBe(0);
    expect(delayImpairment(400)).toBeCloseTo(24.07, 1);
    const mos = estimateMos({ rttMs: 760, lossPercent: 0, jitterMs: 0 }); // Ta = 380 + 20
    expect(mos).toBeCloseTo(rToMos(93.2 - delayImpairment(400)), 2);
    expect(mos).toBeLessThan(3.7);
    expect(mos).toBeGreaterThan(3.3);
  });

  it('stays within 1…4.5', () => {
    expect(estimateMos({ rttMs: 5000, lossPercent: 100, jitterMs: 500 })).toBe(1);
    expect(rToMos(120)).toBe(4.5);
    expect(rToMos(-3)).toBe(1);
  });
});
