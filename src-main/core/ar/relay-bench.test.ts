import { describe, expect, it } from 'vitest';
import { relayBench } from './relay-bench';

describe('relayBench', () => {
  it('measures direct and relayed echo round trips and one-way throughput', async () => {
    const r = await relayBench({ echoIterations: 50, throughputCount: 2000, rounds: 1 });
    expect(r.directRttUs).toHaveLength(50);
    expect(r.relayedRttUs).toHaveLength(50);
    expect(Math.min(...r.directRttUs, ...r.relayedRttUs)).toBeGreaterThan(0);
    expect(r.directBps).toBeGreaterThan(1e6);
    // the relayed path really carried the payloads (far above zero even on a loaded machine)
    expect(r.relayedBps).toBeGreaterThan(1e6);
  });
});
