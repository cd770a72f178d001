/**
 * @module renderer/features/calls/ringtone.test
 * The ring cadences: on-intervals of a repeated on/off pattern.
 */
import { describe, expect, it } from 'vitest';
import { cycleLength, RING, RINGBACK, toneSchedule } from './ringtone';

describe('toneSchedule', () => {
  it('gives the double ring: 0.4 on, 0.2 off, 0.4 on, 2 off', () => {
    const s = toneSchedule(RING.cadence, 2, 10);
    expect(s.length).toBe(4);
    const rounded = s.map(([a, b]) => [Number(a.toFixed(3)), Number(b.toFixed(3))]);
    expect(rounded).toEqual([
      [10, 10.4],
      [10.6, 11],
      [13, 13.4],
      [13.6, 14],
    ]);
    expect(cycleLength(RING.cadence)).toBeCloseTo(3);
  });

  it('gives the ringback: 2 s on every 6 s', () => {
    expect(toneSchedule(RINGBACK.cadence, 3)).toEqual([
      [0, 2],
      [6, 8],
      [12, 14],
    ]);
  });

  it('skips zero-length tones and is empty without cycles', () => {
    expect(toneSchedule([0, 1, 0.5, 1], 1)).toEqual([[1, 1.5]]);
    expect(toneSchedule(RING.cadence, 0)).toEqual([]);
  });

  it('uses two tones for both sounds', () => {
    expect(RING.freqs).toEqual([400, 450]);
    expect(RINGBACK.freqs).toEqual([440, 480]);
  });
});
