/**
 * The sealing policy's whole table (issue 9 item 6): every mode × user idle/active × battery
 * (on / mains / unknown) × locked × registered × syncing, against the rules written out once
 * more here in their priority order, plus the reason sentences the UI shows.
 */
import { describe, expect, it } from 'vitest';
import { SEALING_REASONS, sealingHeadline, type SealingModeT } from '../../../../src-preload/contract';
import { decideSealing, type SealingSituation } from './policy';

const MODES: SealingModeT[] = ['always', 'idle', 'never'];
const BOOL = [false, true];
const BATTERY = [true, false, null];

function expected(s: SealingSituation): { state: string; reason: string | null; cpuPercent: number } {
  if (s.mode === 'never') return { state: 'off', reason: 'Sealing is off', cpuPercent: 0 };
  if (s.locked) return { state: 'paused', reason: 'Locked', cpuPercent: 0 };
  if (!s.registered) return { state: 'paused', reason: 'Not registered as a sealer', cpuPercent: 0 };
  if (s.syncing) return { state: 'paused', reason: 'Syncing', cpuPercent: 0 };
  if (s.onBattery === true) return { state: 'paused', reason: 'On battery', cpuPercent: 0 };
  if (!s.userIdle && s.mode === 'idle') return { state: 'paused', reason: 'You are using the computer', cpuPercent: 0 };
  if (!s.userIdle) return { state: 'sealing', reason: null, cpuPercent: 5 };
  return { state: 'sealing', reason: null, cpuPercent: s.cpuCapPercent };
}

describe('decideSealing', () => {
  it('follows the table for all 144 situations', () => {
    let n = 0;
    for (const mode of MODES)
      for (const userIdle of BOOL)
        for (const onBattery of BATTERY)
          for (const locked of BOOL)
            for (const registered of BOOL)
              for (const syncing of BOOL) {
                const s: SealingSituation = { mode, userIdle, onBattery, locked, registered, syncing, cpuCapPercent: 40 };
                expect(decideSealing(s), JSON.stringify(s)).toEqual(expected(s));
                n++;
              }
    expect(n).toBe(144);
  });

  it('seals at the cap when idle, at 5 % while active in mode always (never above a lower cap)', () => {
    const base: SealingSituation = { mode: 'always', userIdle: true, onBattery: false, locked: false, registered: true, syncing: false, cpuCapPercent: 50 };
    expect(decideSealing(base)).toEqual({ state: 'sealing', reason: null, cpuPercent: 50 });
    expect(decideSealing({ ...base, cpuCapPercent: 100 })).toMatchObject({ cpuPercent: 100 });
    expect(decideSealing({ ...base, userIdle: false })).toMatchObject({ state: 'sealing', cpuPercent: 5 });
    expect(decideSealing({ ...base, userIdle: false, cpuCapPercent: 3 })).toMatchObject({ cpuPercent: 3 });
    // Unknown power (a desktop, the headless shell) does not pause.
    expect(decideSealing({ ...base, onBattery: null, mode: 'idle' })).toMatchObject({ state: 'sealing' });
  });

  it('gives the sentences of the brief, and the headline the UI and CLI print', () => {
    expect(Object.values(SEALING_REASONS).sort()).toEqual(
      ['Locked', 'Not registered as a sealer', 'On battery', 'Sealing is off', 'Syncing', 'You are using the computer'].sort(),
    );
    expect(sealingHeadline({ state: 'sealing', reason: null })).toBe('Sealing');
    expect(sealingHeadline({ state: 'paused', reason: SEALING_REASONS.active })).toBe('Paused — You are using the computer');
    expect(sealingHeadline({ state: 'paused', reason: SEALING_REASONS.battery })).toBe('Paused — On battery');
    expect(sealingHeadline({ state: 'off', reason: SEALING_REASONS.off })).toBe('Sealing is off');
  });
});
