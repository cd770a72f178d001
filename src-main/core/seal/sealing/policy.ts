/**
 * @module seal/sealing/policy
 * When the home PC's sealing worker may run, and how hard (issue 9 item 6; BOINC's computing
 * preferences: "suspend while the computer is in use", "suspend on batteries", "use at most N%
 * of CPU time"). A pure function of the situation, so the whole table is unit-tested:
 *
 *   mode never                      → off     "Sealing is off"
 *   account locked (no sealing key) → paused  "Locked"
 *   not a registered sealer         → paused  "Not registered as a sealer"
 *   the chain is still syncing      → paused  "Syncing"
 *   on battery (where known)        → paused  "On battery"           (in both other modes)
 *   mode idle, user active          → paused  "You are using the computer"
 *   mode always, user active        → sealing, at most ACTIVE_CPU_PERCENT (5 %) of one core
 *   user idle (mode idle or always) → sealing, at most the CPU cap (default 50 %)
 *
 * The order is the order of the checks: the first that applies is the reason shown.
 */
import { ACTIVE_CPU_PERCENT, SEALING_REASONS, type SealingModeT } from '../../../../src-preload/contract';

export type SealingSituation = {
  mode: SealingModeT;
  /** No user input for at least idleAfterSec (OS idle time, or the headless shell's source). */
  userIdle: boolean;
  /** true on battery, false on mains, null where the platform does not say. */
  onBattery: boolean | null;
  /** The account is locked: the sealer's key is not in memory. */
  locked: boolean;
  /** Registered as a sealer in the staking contract. */
  registered: boolean;
  /** The chain is catching up with its peers (sealing a stale head helps nobody). */
  syncing: boolean;
  /** The configured cap for idle sealing, percent of one core. */
  cpuCapPercent: number;
};

export type SealingDecision =
  | { state: 'sealing'; reason: null; /** Percent of one core the worker may use. */ cpuPercent: number }
  | { state: 'paused' | 'off'; reason: string; cpuPercent: 0 };

const paused = (reason: string): SealingDecision => ({ state: 'paused', reason, cpuPercent: 0 });

export function decideSealing(s: SealingSituation): SealingDecision {
  if (s.mode === 'never') return { state: 'off', reason: SEALING_REASONS.off, cpuPercent: 0 };
  if (s.locked) return paused(SEALING_REASONS.locked);
  if (!s.registered) return paused(SEALING_REASONS.unregistered);
  if (s.syncing) return paused(SEALING_REASONS.syncing);
  if (s.onBattery === true) return paused(SEALING_REASONS.battery);
  if (!s.userIdle) {
    if (s.mode === 'idle') return paused(SEALING_REASONS.active);
    return { state: 'sealing', reason: null, cpuPercent: Math.min(ACTIVE_CPU_PERCENT, s.cpuCapPercent) };
  }
  return { state: 'sealing', reason: null, cpuPercent: s.cpuCapPercent };
}
