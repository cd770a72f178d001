/**
 * The duty cycle's arithmetic with a simulated thread: whatever the slice length, CPU time over
 * a long run stays at the allowed fraction of wall time (plus one burst), and sleeping pays the
 * debt back exactly.
 */
import { describe, expect, it } from 'vitest';
import { DutyCycle } from './duty-cycle';

/** A thread that burns `sliceMs`, then checkpoints and sleeps what the duty cycle says. */
function simulate(fraction: number, sliceMs: number, wallMs: number): number {
  let wall = 0;
  let cpu = 0;
  const d = new DutyCycle(wall, cpu);
  while (wall < wallMs) {
    wall += sliceMs;
    cpu += sliceMs;
    wall += d.debt(wall, cpu, fraction);
  }
  return cpu / wall;
}

describe('DutyCycle', () => {
  it('holds CPU at the fraction for short and long slices', () => {
    for (const f of [0.05, 0.1, 0.5, 0.9]) {
      for (const slice of [1, 2, 10, 250]) {
        expect(simulate(f, slice, 60_000), `f=${f} slice=${slice}`).toBeCloseTo(f, 2);
      }
    }
  });

  it('asks for exactly the sleep that pays the debt, and none at a whole core', () => {
    const d = new DutyCycle(0, 0, 0);
    expect(d.debt(10, 10, 0.05)).toBeCloseTo((10 - 0.5) / 0.05); // 10 ms used, 0.5 ms earned
    expect(d.debt(10 + 190, 10, 0.05)).toBe(0);
    expect(d.debt(300, 300, 1)).toBe(0);
  });

  it('banks at most one burst while the thread has nothing to do', () => {
    const d = new DutyCycle(0, 0, 20);
    expect(d.debt(60_000, 0, 0.5)).toBe(0); // a minute idle
    // then 100 ms of work: only 20 ms of it was banked
    expect(d.debt(60_100, 100, 0.5)).toBeCloseTo((100 - 20 - 50) / 0.5);
  });

  it('after a pause starts from no credit', () => {
    const d = new DutyCycle(0, 0, 20);
    d.debt(1000, 0, 0.5);
    d.reset(5000, 0);
    expect(d.debt(5000, 10, 0.5)).toBeCloseTo(10 / 0.5); // without reset the banked 20 ms would cover it
  });
});
