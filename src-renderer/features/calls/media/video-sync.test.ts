import { describe, expect, it } from 'vitest';
import { FpsMeter, KeyframeGate, lipSync, REORDER_MS, VideoReorder } from './video-sync';

describe('lipSync', () => {
  it('holds frames ahead of the audio, shows due ones and drops those over 100 ms late', () => {
    expect(lipSync(1_050_000, 1_000_000)).toBe('hold');
    expect(lipSync(1_000_000, 1_000_000)).toBe('show');
    expect(lipSync(950_000, 1_000_000)).toBe('show');
    expect(lipSync(899_000, 1_000_000)).toBe('drop');
    expect(lipSync(5, null)).toBe('show');
  });
});

describe('KeyframeGate', () => {
  it('starts on a keyframe and after a gap waits for the next one', () => {
    const g = new KeyframeGate();
    expect(g.accept(0, false)).toBe(false);
    expect(g.accept(1, true)).toBe(true);
    expect(g.accept(2, false)).toBe(true);
    expect(g.accept(4, false)).toBe(false); // 3 missing
    expect(g.accept(5, false)).toBe(false);
    expect(g.refused).toBe(2);
    expect(g.accept(6, true)).toBe(true);
    expect(g.accept(7, false)).toBe(true);
    expect(g.accept(7, false)).toBe(false); // duplicate
  });

  it('after a decoder reset needs a keyframe even in order', () => {
    const g = new KeyframeGate();
    g.accept(10, true);
    g.reset();
    expect(g.accept(11, false)).toBe(false);
    expect(g.accept(12, true)).toBe(true);
  });
});

describe('FpsMeter', () => {
  it('counts frames of the last second', () => {
    const m = new FpsMeter();
    for (let t = 0; t < 2000; t += 40) m.tick(t);
    expect(m.fps(1999)).toBe(25);
    expect(m.fps(4000)).toBe(0);
  });
});

describe('VideoReorder', () => {
  const seqs = (xs: { seq: number }[]) => xs.map((x) => x.seq);

  it('puts a swapped pair back in order', () => {
    const r = new VideoReorder<{ seq: number }>();
    expect(seqs(r.push({ seq: 5 }, 0))).toEqual([5]);
    expect(seqs(r.push({ seq: 7 }, 1))).toEqual([]);
    expect(seqs(r.push({ seq: 6 }, 2))).toEqual([6, 7]);
    expect(seqs(r.push({ seq: 6 }, 3))).toEqual([]); // duplicate
  });

  it('gives up on a lost frame after the reorder window', () => {
    const r = new VideoReorder<{ seq: number }>();
    r.push({ seq: 1 }, 0);
    expect(seqs(r.push({ seq: 3 }, 10))).toEqual([]);
    expect(seqs(r.poll(10 + REORDER_MS - 1))).toEqual([]);
    expect(seqs(r.poll(10 + REORDER_MS))).toEqual([3]);
    expect(seqs(r.push({ seq: 2 }, 100))).toEqual([]); // too late now
    expect(seqs(r.push({ seq: 4 }, 101))).toEqual([4]);
  });
});
