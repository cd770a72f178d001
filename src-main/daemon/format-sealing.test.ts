import { describe, expect, it } from 'vitest';
import type { PoeStatusT, SealingStatusT } from '../../src-preload/contract';
import { formatConsensus, formatSealing, formatTokens } from './format-sealing';

const sealing = (over: Partial<SealingStatusT> = {}): SealingStatusT => ({
  mode: 'idle',
  state: 'paused',
  reason: 'You are using the computer',
  cpuCapPercent: 50,
  cpuPercent: 0,
  sealsMade: 12,
  rewardsWei: '3250000000000000000',
  history: [],
  ...over,
});

const poe: PoeStatusT = {
  role: 'sealer',
  height: '120',
  round: 0,
  finalized: '119',
  finalityP50Ms: 2150,
  primaries: 4,
  sealers: 32,
  sync: { state: 'synced', height: '119', target: '119', peers: 5 },
};

describe('format-sealing', () => {
  it('prints token amounts exactly', () => {
    expect(formatTokens('0')).toBe('0');
    expect(formatTokens('250000000000000000')).toBe('0.25');
    expect(formatTokens('2000000000000000001')).toBe('2.000000000000000001');
    expect(formatTokens('123000000000000000000000')).toBe('123000');
    expect(formatTokens('nope')).toBe('nope wei');
  });

  it('says what the worker does and why, its CPU and limits, seals and rewards', () => {
    expect(formatSealing(sealing()).split('\n')).toEqual([
      'Sealing:     Paused — You are using the computer (mode: when idle)',
      'CPU:         0% of a core now; at most 50% of a core when idle, 5% while you use the computer',
      'Seals made:  12',
      'Rewards:     3.25 tokens (3250000000000000000 wei)',
    ]);
    const on = formatSealing(sealing({ mode: 'always', state: 'sealing', reason: null, cpuPercent: 4.96, rewardsWei: '0', sealsMade: 0 }));
    expect(on).toContain('Sealing:     Sealing (mode: always)');
    expect(on).toContain('CPU:         5% of a core now;');
    expect(on.split('\n')).toContain('Rewards:     0 tokens');
    expect(formatSealing(sealing({ mode: 'never', state: 'off', reason: 'Sealing is off' }))).toContain('Sealing:     Sealing is off (mode: never)');
  });

  it('adds the POE role, sync and consensus lines when the node takes part', () => {
    const lines = formatConsensus({ poe, sealing: sealing() }).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Role:        sealer (checks and seals blocks)',
      'Sync:        synced at #119, 5 peers',
      'Consensus:   height #120 round 0, finalized #119, finality p50 2.15s; 4 primaries, 32 sealers',
    ]);
    expect(formatConsensus({ poe: { ...poe, sync: { state: 'syncing', height: '10', target: '119', peers: 1 } } })).toContain('Sync:        syncing #10 of #119, 1 peer');
    expect(formatConsensus({ poe: null, sealing: null })).toBe('');
  });
});
