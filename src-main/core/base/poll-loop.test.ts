import { describe, expect, it } from 'vitest';
import { pollLoop, sleep } from './wait';

describe('pollLoop', () => {
  it('runs at once, never overlaps, passes errors on, and stop() waits for the run in progress', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const errors: unknown[] = [];
    const loop = pollLoop(
      async () => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(15);
        active--;
        if (runs === 2) throw new Error('boom');
      },
      1,
      (e) => errors.push(e),
    );
    expect(runs).toBe(1); // the first run starts synchronously
    await sleep(120);
    await loop.stop();
    const after = runs;
    expect(active).toBe(0);
    expect(maxActive).toBe(1);
    expect(after).toBeGreaterThanOrEqual(3); // kept going after the error
    expect(errors.map(String)).toEqual(['Error: boom']);
    await sleep(40);
    expect(runs).toBe(after); // nothing after stop()
  });
});
