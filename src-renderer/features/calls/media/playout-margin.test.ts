import { describe, expect, it } from 'vitest';
import { PlayoutMargin } from './playout-margin';

describe('playout margin', () => {
  it('starts small, grows a quarter frame per underrun whatever its size, up to the cap', () => {
    const m = new PlayoutMargin({ frame: 960 });
    expect(m.samples).toBe(720);
    m.tick(0);
    m.underrun(128, 100);
    expect(m.samples).toBe(960);
    m.underrun(2400, 200);
    expect(m.samples).toBe(1200);
    for (let i = 0; i < 20; i++) m.underrun(960, 300 + i);
    expect(m.samples).toBe(2880);
    expect(m.grown).toBe(22);
  });

  it('ignores reports without a new underrun', () => {
    const m = new PlayoutMargin({ frame: 960 });
    m.underrun(0, 10);
    m.underrun(-5, 20);
    expect(m.samples).toBe(720);
    expect(m.grown).toBe(0);
  });

  it('gives an eighth of a frame back after each quiet spell, down to half a frame', () => {
    const m = new PlayoutMargin({ frame: 960, decayMs: 10_000 });
    m.tick(0);
    for (let i = 0; i < 4; i++) m.underrun(960, 0);
    expect(m.samples).toBe(1680);
    m.tick(9_999);
    expect(m.samples).toBe(1680);
    m.tick(10_000);
    expect(m.samples).toBe(1560);
    for (let t = 20_000; t <= 200_000; t += 10_000) m.tick(t);
    expect(m.samples).toBe(480);
  });
});
