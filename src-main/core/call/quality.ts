/**
 * @module call/quality
 * Estimated MOS from RTT, loss and jitter with the ITU-T G.107 E-model, simplified:
 *   one-way delay Ta = RTT/2 + 2·jitter (the jitter buffer) + 20 ms (Opus frame, codec);
 *   Idd = 0 for Ta ≤ 100 ms, else 25·((1 + X⁶)^⅙ − 3·(1 + (X/3)⁶)^⅙ + 2), X = log₂(Ta/100)
 *   (G.107 §7.4; Idte and Idle taken as 0 — no echo, default terminal);
 *   Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl/BurstR + Bpl) with Ie = 0, BurstR = 1, Bpl = 10 for Opus
 *   (Ppl is the loss the listener hears: after RED recovery);
 *   R = 93.2 − Idd − Ie,eff (default Ro − Is, A = 0);
 *   MOS = 1 for R < 0, 4.5 for R > 100, else 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶ (Annex B).
 * G.114 puts the one-way delay where users start to notice at about 150 ms.
 */

export const CODEC_DELAY_MS = 20;
export const OPUS_BPL = 10;
const R_DEFAULT = 93.2;

export type QualityInput = {
  rttMs: number;
  /** 0…100, the loss the listener hears. */
  lossPercent: number;
  jitterMs: number;
  bpl?: number;
};

export function oneWayDelayMs(rttMs: number, jitterMs: number): number {
  return Math.max(0, rttMs) / 2 + 2 * Math.max(0, jitterMs) + CODEC_DELAY_MS;
}

export function delayImpairment(ta: number): number {
  if (ta <= 100) return 0;
  const x = Math.log2(ta / 100);
  return 25 * (Math.pow(1 + x ** 6, 1 / 6) - 3 * Math.pow(1 + (x / 3) ** 6, 1 / 6) + 2);
}

export function lossImpairment(lossPercent: number, bpl = OPUS_BPL): number {
  const ppl = Math.min(100, Math.max(0, lossPercent));
  return (95 * ppl) / (ppl + bpl);
}

export function rToMos(r: number): number {
  if (r < 0) return 1;
  if (r > 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export function rFactor(q: QualityInput): number {
  return R_DEFAULT - delayImpairment(oneWayDelayMs(q.rttMs, q.jitterMs)) - lossImpairment(q.lossPercent, q.bpl);
}

/** Estimated MOS, 1…4.5, two decimals. */
export function estimateMos(q: QualityInput): number {
  return Math.round(Math.min(4.5, Math.max(1, rToMos(rFactor(q)))) * 100) / 100;
}
