/**
 * @module contract/sealing
 * The POE consensus and the home PC's sealing worker on the bridge (issue 9 items 4–6): the
 * `poe` and `sealing` blocks of `NodeStatus` (the shapes of the POE brief), and the methods that
 * set the sealing mode and CPU cap, the headless shell's idle override and the web UI's activity
 * ping. `reason` is a human sentence the UI shows as is ("Paused — You are using the computer").
 */
import { z } from 'zod';

export const SEALING_MODES = ['always', 'idle', 'never'] as const;
export const SealingMode = z.enum(SEALING_MODES);

/** Why the worker does not seal right now (the sentences the UI shows after "Paused — "). */
export const SEALING_REASONS = {
  active: 'You are using the computer',
  battery: 'On battery',
  locked: 'Locked',
  unregistered: 'Not registered as a sealer',
  off: 'Sealing is off',
  syncing: 'Syncing',
} as const;

/** CPU cap bounds (percent of one core) for "idle" sealing; while the user is active it is 5%. */
export const CPU_CAP_MIN = 10;
export const CPU_CAP_MAX = 100;
export const CPU_CAP_DEFAULT = 50;
export const ACTIVE_CPU_PERCENT = 5;

const DecimalWei = z.string().regex(/^\d+$/, 'an amount in wei is a decimal integer');

export const PoeStatus = z.object({
  role: z.enum(['authority', 'primary', 'sealer', 'observer']),
  height: z.string(),
  round: z.number().int().nonnegative(),
  finalized: z.string(),
  finalityP50Ms: z.number().nullable(),
  primaries: z.number().int().nonnegative(),
  sealers: z.number().int().nonnegative(),
  sync: z.object({
    state: z.enum(['synced', 'syncing', 'offline']),
    height: z.string(),
    target: z.string(),
    peers: z.number().int().nonnegative(),
  }),
});

export const SealingHistoryBucket = z.object({
  /** Start of the bucket, ms since the epoch. */
  t: z.number(),
  seals: z.number().int().nonnegative(),
  rewardsWei: DecimalWei,
});

export const SealingStatus = z.object({
  mode: SealingMode,
  state: z.enum(['sealing', 'paused', 'off']),
  /** One of SEALING_REASONS' sentences while paused or off; null while sealing. */
  reason: z.string().nullable(),
  /** The cap for idle sealing, percent of one core (10–100). */
  cpuCapPercent: z.number().min(0).max(100),
  /** The worker thread's CPU use over the last seconds, percent of one core. */
  cpuPercent: z.number().min(0),
  sealsMade: z.number().int().nonnegative(),
  rewardsWei: DecimalWei,
  /** Seals and rewards per time bucket, oldest first (only buckets with something in them). */
  history: z.array(SealingHistoryBucket),
});

/** The line the UI and the CLI show: "Sealing", "Paused — On battery", "Sealing is off". */
export function sealingHeadline(s: { state: 'sealing' | 'paused' | 'off'; reason: string | null }): string {
  if (s.state === 'sealing') return 'Sealing';
  if (s.state === 'off') return SEALING_REASONS.off;
  return s.reason ? `Paused — ${s.reason}` : 'Paused';
}

const Empty = z.strictObject({});

/** The user's registration in the staking contract (seed 003 pledge). */
export const StakeInfo = z.object({
  status: z.enum(['none', 'active', 'exiting']),
  stakeWei: DecimalWei,
  minStakeWei: DecimalWei,
  /** Block from which an exited stake can be withdrawn (null unless exiting). */
  withdrawableAt: z.string().regex(/^\d+$/).nullable(),
  head: z.string().regex(/^\d+$/),
  /** Blocks an exited stake stays locked (the contract's unbonding delay). */
  unbondingBlocks: z.number().int().nonnegative(),
});

export const SEALING_METHODS = {
  /** always / when idle (default) / never. */
  'sealing.setMode': { input: z.strictObject({ mode: SealingMode }), output: SealingStatus },
  /** The cap for idle sealing, 10–100 % of one core. */
  'sealing.setCpuCap': {
    input: z.strictObject({ percent: z.number().int().min(CPU_CAP_MIN).max(CPU_CAP_MAX) }),
    output: SealingStatus,
  },
  /** The headless shell's pluggable idle source: pretend the user is active / idle, or follow input again. */
  'sealing.setIdle': { input: z.strictObject({ state: z.enum(['active', 'idle', 'auto']) }), output: SealingStatus },
  /** Our registration as a sealer in the staking contract. */
  'sealing.stakeInfo': { input: Empty, output: StakeInfo },
  /** Register as a sealer (locks `stakeWei`, default the minimum), leave (the stake unbonds), or withdraw an unbonded stake: a transaction from the wallet's first account. */
  'sealing.stake': {
    input: z.strictObject({ action: z.enum(['register', 'exit', 'withdraw']), stakeWei: DecimalWei.optional() }),
    output: z.object({ txHash: z.string().regex(/^0x[0-9a-f]{64}$/) }),
  },
  /** The web UI saw user input (sent at most once a second). */
  'sealing.activity': { input: Empty, output: z.object({ ok: z.literal(true) }) },
} as const;

export type PoeStatusT = z.infer<typeof PoeStatus>;
export type StakeInfoT = z.infer<typeof StakeInfo>;
export type SealingStatusT = z.infer<typeof SealingStatus>;
export type SealingModeT = z.infer<typeof SealingMode>;
export type SealingHistoryBucketT = z.infer<typeof SealingHistoryBucket>;
export type IdleOverrideT = z.infer<(typeof SEALING_METHODS)['sealing.setIdle']['input']>['state'];
