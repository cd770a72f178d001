import { describe, expect, it } from 'vitest';
import type { PoeStatusT } from '../../../src-preload/contract';
import { CHART_H, CHART_W, chartModel, cpuText, formatTokens, lastDay, roleText, syncText } from './sealing-format';

const EN = 'en-US';
const MIN5 = 5 * 60_000;
const HOUR = 3_600_000;
const NOW = 1_700_000_000_000 - (1_700_000_000_000 % MIN5) + 60_000;

const poe = (over: Partial<PoeStatusT> = {}): PoeStatusT => ({
  role: 'sealer',
  height: '42',
  round: 0,
  finalized: '41',
  finalityP50Ms: 2000,
  primaries: 4,
  sealers: 32,
  sync: { state: 'synced', height: '41', target: '41', peers: 3 },
  ...over,
});

describe('sealing-format', () => {
  it('shows tokens exactly up to four decimals, rounding down, never as zero when there is something', () => {
    expect(formatTokens('0', EN)).toBe('0');
    expect(formatTokens('250000000000000000', EN)).toBe('0.25');
    expect(formatTokens('2350000000000000000000', EN)).toBe('2,350');
    expect(formatTokens('1999999999999999999', EN)).toBe('1.9999');
    expect(formatTokens('7', EN)).toBe('< 0.0001');
    expect(formatTokens('x', EN)).toBe('Unknown');
  });

  it('names the role and the sync state in words', () => {
    expect(roleText(poe()).value).toBe('Sealer');
    expect(roleText(poe({ role: 'observer' })).sub).toMatch(/Register as a sealer/);
    expect(roleText(null).value).toBe('Not taking part');
    expect(syncText(poe())).toEqual({ value: 'Up to date', sub: 'At block #41, 3 peers' });
    expect(syncText(poe({ sync: { state: 'syncing', height: '10', target: '41', peers: 1 } }))).toEqual({ value: 'Catching up', sub: 'Block #10 of #41, 1 peer' });
    expect(syncText(poe({ sync: { state: 'offline', height: '0', target: '0', peers: 0 } })).value).toBe('Offline');
  });

  it('describes CPU use against the limits', () => {
    expect(cpuText({ cpuPercent: 4.6, cpuCapPercent: 50, state: 'sealing', reason: null, mode: 'always' })).toEqual({
      value: '5% of a core',
      sub: 'Up to 50% when idle, 5% while you use the computer',
    });
    expect(cpuText({ cpuPercent: 0, cpuCapPercent: 30, state: 'paused', reason: 'On battery', mode: 'idle' }).sub).toBe('Up to 30% of a core when idle');
  });

  it('charts at least the last hour, bars per bucket scaled to the busiest, rewards as a rising step line', () => {
    const empty = chartModel([], NOW);
    expect(empty.end - empty.start).toBe(HOUR);
    expect([empty.bars, empty.line, empty.totalSealsShown]).toEqual([[], [], 0]);

    const t0 = NOW - 60_000 - 2 * MIN5;
    const m = chartModel(
      [
        { t: t0, seals: 2, rewardsWei: '0' },
        { t: t0 + MIN5, seals: 4, rewardsWei: '500000000000000000' },
        { t: t0 + 2 * MIN5, seals: 0, rewardsWei: '500000000000000000' },
      ],
      NOW,
    );
    expect(m.end - m.start).toBe(HOUR);
    expect(m.maxSeals).toBe(4);
    expect(m.bars.map((b) => b.seals)).toEqual([2, 4]);
    expect(m.bars[1]!.h).toBeCloseTo(CHART_H - 8);
    expect(m.bars[0]!.h).toBeCloseTo((CHART_H - 8) / 2);
    expect(m.bars[1]!.x).toBeGreaterThan(m.bars[0]!.x);
    expect(m.bars.every((b) => b.x >= 0 && b.x + b.w <= CHART_W + 1)).toBe(true);
    expect([m.totalSealsShown, m.totalRewardsWei]).toEqual([6, '1000000000000000000']);
    const ys = m.line.map((p) => p.y);
    expect(ys[0]).toBeCloseTo(CHART_H - 4); // starts at zero
    expect(Math.min(...ys)).toBeCloseTo(8); // reaches the top
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeLessThanOrEqual(ys[i - 1]!); // never falls
    expect(m.line.at(-1)!.x).toBe(CHART_W);

    // The bucket still filling: its bar stays inside the chart and its rewards step is visible.
    const live = chartModel([{ t: NOW - 60_000, seals: 1, rewardsWei: '250000000000000000' }], NOW);
    expect(live.bars[0]!.x + live.bars[0]!.w).toBeCloseTo(CHART_W); // a full-width bar ending now
    expect(live.bars[0]!.w).toBeCloseTo((MIN5 / HOUR) * CHART_W - 1);
    const rise = live.line.findIndex((p, i) => i > 0 && p.y < live.line[i - 1]!.y);
    expect(live.line[rise]!.x).toBeLessThan(CHART_W);

    // A bucket that opened after the component's last clock tick (it ticks every 30 s) is shown.
    const fresh = chartModel([{ t: NOW - MIN5, seals: 2, rewardsWei: '0' }, { t: NOW + 10_000, seals: 1, rewardsWei: '0' }], NOW);
    expect(fresh.totalSealsShown).toBe(3);
    expect(fresh.bars).toHaveLength(2);
    expect(Math.max(...fresh.bars.map((b) => b.x + b.w))).toBeLessThanOrEqual(CHART_W + 1e-9);

    // A day of history: 24 h span, older buckets left out.
    expect(lastDay([{ t: NOW - 30 * HOUR, seals: 9, rewardsWei: '1' }, { t: NOW - 2 * HOUR, seals: 1, rewardsWei: '5' }], NOW)).toEqual({ seals: 1, rewardsWei: '5' });
    const day = chartModel([{ t: NOW - 30 * HOUR, seals: 9, rewardsWei: '1' }, { t: NOW - 2 * HOUR, seals: 1, rewardsWei: '0' }], NOW);
    expect(day.end - day.start).toBe(24 * HOUR);
    expect(day.totalSealsShown).toBe(1);
  });
});
