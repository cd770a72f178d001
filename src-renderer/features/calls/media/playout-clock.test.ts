import { describe, expect, it } from 'vitest';
import { PlayoutClock } from './playout-clock';

describe('PlayoutClock', () => {
  it('maps played samples to the media time of the block being heard', () => {
    const c = new PlayoutClock(48000);
    expect(c.mediaUs(0)).toBeNull();
    c.mark(0, 1_000_000, 960);
    c.mark(960, 1_020_000, 960);
    c.report(480, 100);
    expect(c.mediaUs(100)).toBe(1_010_000);
    // 10 ms later, extrapolated from the wall clock
    expect(c.mediaUs(110)).toBe(1_020_000);
    c.report(1440, 120);
    expect(c.mediaUs(120)).toBe(1_030_000);
  });

  it('does not run past what was handed on and stops across silence', () => {
    const c = new PlayoutClock(48000);
    c.mark(0, 0, 960);
    c.report(0, 0);
    expect(c.position(1000)).toBe(960);
    c.gap(960, 960);
    c.report(1000, 1000);
    expect(c.mediaUs(1000)).toBeNull();
  });
});
