import { describe, expect, it } from 'vitest';
import { JitterBuffer, quantile, seqDiff, type JitterFrame, type PullResult } from './jitter-buffer';

const frame = (seq: number, tsIndex = seq): JitterFrame => ({
  seq,
  timestampUs: tsIndex * 20_000,
  durationUs: 20_000,
  captureMs: tsIndex * 20,
  data: new Uint8Array([seq & 0xff]),
});

/** What each pull played: a seq, 'C' (concealed) or '-' (silence). */
const label = (r: PullResult) => (r.kind === 'frame' ? r.frame.seq : r.kind === 'conceal' ? 'C' : '-');

/** Deterministic pseudo-random 0…1. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

describe('helpers', () => {
  it('seqDiff wraps around uint32 and quantile takes the nearest rank', () => {
    expect(seqDiff(1, 0xffffffff)).toBe(2);
    expect(seqDiff(0xffffffff, 1)).toBe(-2);
    expect(quantile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(quantile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(quantile([], 0.95)).toBe(0);
  });
});

describe('JitterBuffer', () => {
  it('prefetches to the target, then plays frames in seq order whatever their arrival order', () => {
    const jb = new JitterBuffer({ minMs: 40 });
    expect(label(jb.pull(0))).toBe('-');
    const order = [0, 2, 1, 3, 5, 4, 6, 7];
    order.forEach((s, i) => jb.push(frame(s), i * 20));
    expect(jb.bufferMs).toBe(160);
    // arrivals stop here, so the buffer may stretch as it drains; nothing is skipped
    const played = Array.from({ length: 12 }, (_, i) => jb.pull(200 + i * 20));
    expect(played.flatMap((r) => (r.kind === 'frame' ? [r.frame.seq] : []))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(played.every((r) => r.kind !== 'conceal' || !r.lost)).toBe(true);
  });

  it('follows seq across the uint32 wrap', () => {
    const jb = new JitterBuffer({ minMs: 20 });
    const seqs = [0xfffffffe, 0xffffffff, 0, 1];
    seqs.forEach((s, i) => jb.push(frame(s, i), i * 20));
    expect(seqs.map((_, i) => label(jb.pull(100 + i * 20)))).toEqual(seqs);
  });

  it('conceals a lost frame at its playout time and reports the straggler as late', () => {
    const jb = new JitterBuffer({ minMs: 20 });
    [0, 1, 3, 4].forEach((s) => jb.push(frame(s), s * 20));
    const played = [0, 1, 2, 3, 4].map((i) => label(jb.pull(100 + i * 20)));
    expect(played).toEqual([0, 1, 'C', 3, 4]);
    expect(jb.stats.lost).toBe(1);
    expect(jb.push(frame(2), 200)).toBe('late');
    expect(jb.stats.late).toBe(1);
    expect(jb.push(frame(5), 210)).toBe('queued');
    expect(jb.push(frame(5), 211)).toBe('duplicate');
  });

  it('conceals an underrun without skipping the missing frame, then goes idle', () => {
    const jb = new JitterBuffer({ minMs: 20, idleAfterMs: 100 });
    jb.push(frame(0), 0);
    jb.push(frame(1), 20);
    expect(label(jb.pull(20))).toBe(0);
    expect(label(jb.pull(40))).toBe(1);
    const r = jb.pull(60);
    expect(r).toMatchObject({ kind: 'conceal', lost: false, stretch: false, timestampUs: 40_000 });
    jb.push(frame(2), 60); // arrived late but before anything after it: still played
    // (the late arrival raised the target: a stretch may come first)
    const next = [jb.pull(80), jb.pull(100)];
    expect(next.map(label)).toContain(2);
    expect(jb.stats.lost).toBe(0);
    const later = Array.from({ length: 8 }, (_, i) => label(jb.pull(120 + i * 20)));
    expect(later.slice(0, 3)).toEqual(['C', 'C', 'C']);
    expect(later.slice(-3)).toEqual(['-', '-', '-']);
    expect(jb.playing).toBe(false);
    // frames come back: prefetch again and play on
    jb.push(frame(9, 15), 300); // the sender was muted from media time 60 to 300 ms
    jb.push(frame(10, 16), 320);
    expect(label(jb.pull(330))).toBe(9);
  });

  it('grows the target with arrival jitter and shrinks it back slowly when the jitter stops', () => {
    const jb = new JitterBuffer({ windowMs: 3000, shrinkMsPerSec: 40 });
    const rand = rng(7);
    let seq = 0;
    const run = (fromMs: number, toMs: number, jitterMs: number) => {
      for (let t = fromMs; t < toMs; t += 20) {
        jb.push(frame(seq), t + rand() * jitterMs);
        seq++;
        jb.pull(t + 10);
      }
    };
    run(0, 2000, 0);
    expect(jb.targetMs).toBeLessThanOrEqual(30);
    run(2000, 5000, 150);
    const grown = jb.targetMs;
    expect(grown).toBeGreaterThan(120);
    expect(grown).toBeLessThanOrEqual(300);
    run(5000, 8500, 0); // the jitter has just left the 3 s window
    expect(jb.targetMs).toBeLessThan(grown);
    expect(jb.targetMs).toBeGreaterThan(60); // not at once
    run(8500, 15000, 0);
    expect(jb.targetMs).toBeLessThanOrEqual(30);
  });

  it('never targets more than maxMs', () => {
    const jb = new JitterBuffer({ maxMs: 300 });
    for (let s = 0; s < 100; s++) jb.push(frame(s), s * 20 + (s % 2) * 900);
    expect(jb.targetMs).toBe(300);
  });

  it('asks the playout to drop frames while the buffer is above the target', () => {
    const jb = new JitterBuffer({ minMs: 20 });
    // steady arrivals (no jitter) but nobody pulled for 200 ms
    for (let s = 0; s < 10; s++) jb.push(frame(s), s * 20);
    expect(jb.targetMs).toBeLessThanOrEqual(40);
    const first = jb.pull(200);
    expect(first).toMatchObject({ kind: 'frame', compress: 'force' });
    const modes: string[] = [];
    for (let i = 1; i < 10; i++) {
      const r = jb.pull(200 + i * 20);
      if (r.kind === 'frame') modes.push(r.compress);
    }
    expect(modes).toContain('if-quiet');
    expect(modes[modes.length - 1]).toBe('none');
  });

  it('flushes a burst far beyond the maximum down to the target', () => {
    const jb = new JitterBuffer({ minMs: 20, maxMs: 300 });
    jb.push(frame(0), 0);
    jb.pull(10);
    for (let s = 1; s < 40; s++) jb.push(frame(s), 20); // 780 ms at once after a stall
    expect(jb.stats.flushed).toBeGreaterThan(0);
    expect(jb.bufferMs).toBeLessThanOrEqual(jb.maxMs + 200);
    const r = jb.pull(30);
    expect(r.kind).toBe('frame');
  });

  it('starts over when the sender restarts its seq far away', () => {
    const jb = new JitterBuffer({ minMs: 20 });
    jb.push(frame(0), 0);
    jb.push(frame(1), 20);
    expect(label(jb.pull(25))).toBe(0);
    jb.push(frame(100_000), 30);
    jb.push(frame(100_001), 50);
    expect(label(jb.pull(40))).toBe(100_000);
  });

  it('stretches towards a target that grew, so late frames stop being lost', () => {
    const jb = new JitterBuffer({ minMs: 20 });
    // every other frame is 150 ms late; pulls run at the sender's pace
    const arrivals = Array.from({ length: 150 }, (_, s) => ({ s, at: s * 20 + (s % 2) * 150 })).sort((a, b) => a.at - b.at);
    const pulls: PullResult[] = [];
    let lostAtHalf = 0;
    for (let t = 0, k = 0; t < 3000; t += 20) {
      while (k < arrivals.length && arrivals[k]!.at <= t) jb.push(frame(arrivals[k]!.s), arrivals[k++]!.at);
      pulls.push(jb.pull(t + 1));
      if (t === 1500) lostAtHalf = jb.stats.lost + jb.stats.late;
    }
    const stretchIdx = pulls.flatMap((r, i) => (r.kind === 'conceal' && r.stretch ? [i] : []));
    expect(stretchIdx.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < stretchIdx.length; i++) expect(stretchIdx[i]! - stretchIdx[i - 1]!).toBeGreaterThanOrEqual(3);
    expect(jb.stats.stretched).toBe(stretchIdx.length);
    expect(jb.targetMs).toBeGreaterThan(150);
    expect(jb.stats.lost + jb.stats.late).toBe(lostAtHalf); // none in the second half
  });
});
