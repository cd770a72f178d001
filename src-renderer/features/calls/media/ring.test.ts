import { describe, expect, it } from 'vitest';
import { SampleRing, WindowedMedian } from './ring';

const seq = (from: number, n: number) => Float32Array.from({ length: n }, (_, i) => from + i);

describe('SampleRing', () => {
  it('returns the newest samples in order across the wrap', () => {
    const r = new SampleRing(5);
    r.push(seq(0, 3));
    r.push(seq(3, 4)); // 0..6, keeps 2..6
    expect(r.length).toBe(5);
    expect(Array.from(r.latest(5))).toEqual([2, 3, 4, 5, 6]);
    expect(Array.from(r.latest(2))).toEqual([5, 6]);
  });

  it('leaves out samples not played yet and never returns more than it holds', () => {
    const r = new SampleRing(10);
    r.push(seq(0, 6));
    expect(Array.from(r.latest(3, 2))).toEqual([1, 2, 3]);
    expect(Array.from(r.latest(100))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.latest(4, 10).length).toBe(0);
  });

  it('keeps the tail of a push longer than its capacity', () => {
    const r = new SampleRing(4);
    r.push(seq(0, 9));
    expect(Array.from(r.latest(4))).toEqual([5, 6, 7, 8]);
  });
});

describe('WindowedMedian', () => {
  it('is the median of the window only', () => {
    const m = new WindowedMedian(5000);
    expect(m.median(0)).toBeNull();
    m.add(0, 100);
    m.add(1000, 10);
    m.add(2000, 30);
    expect(m.median(2000)).toBe(30);
    m.add(3000, 50);
    expect(m.median(3000)).toBe(40);
    expect(m.median(5500)).toBe(30); // the 100 at t=0 aged out
  });
});
