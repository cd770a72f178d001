/**
 * @module daemon/commands/sealing
 *   bitunicom node sealing [--mode always|idle|never] [--cpu-cap N]
 *       show the sealing worker (what it does and why, CPU, seals made, rewards), after setting
 *       its mode and/or the CPU cap for idle sealing (10–100 % of one core) when given. Works
 *       without a running node too: the settings are kept in the profile for the next start.
 *   bitunicom node idle --state active|idle|auto
 *       the headless shell's idle source (tests, servers without a screen): count the user as
 *       at the computer, away (until the next input in the web UI), or follow input again.
 *       Needs the running node (`bitunicom serve`): it is the one whose worker obeys.
 * Both print the sealing status; --json prints `SealingStatus`.
 *   bitunicom node stake [--register [--stake TOKENS] | --exit | --withdraw]
 *       the sealer registration in the staking contract, and the transaction that changes it.
 */
import { SEALING_MODES, type SealingModeT, type SealingStatusT } from '../../../src-preload/contract';
import { intOption, UsageError, type CommandSpec } from '../args';
import { formatSealing, formatTokens } from '../format-sealing';
import { print, withDaemon, withDaemonOrLocal } from './common';

const IDLE_STATES = ['active', 'idle', 'auto'] as const;

export function parseMode(v: unknown): SealingModeT | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && (SEALING_MODES as readonly string[]).includes(v)) return v as SealingModeT;
  throw new UsageError(`--mode must be one of ${SEALING_MODES.join(', ')} (idle = only while you are away)`, 'node sealing');
}

export function parseIdleState(v: unknown): (typeof IDLE_STATES)[number] {
  if (typeof v === 'string' && (IDLE_STATES as readonly string[]).includes(v)) return v as (typeof IDLE_STATES)[number];
  throw new UsageError(`--state must be one of ${IDLE_STATES.join(', ')}`, 'node idle');
}

const IDLE_SAID = {
  active: 'The node now counts you as at the computer (until: bitunicom node idle --state auto).',
  idle: 'The node now counts you as away, until the next input in the web UI.',
  auto: 'The node follows input again (away after 60 s without any).',
} as const;

export const nodeSealingCommand: CommandSpec = {
  name: 'node sealing',
  group: 'Node',
  summary: 'Show the sealing worker; set its mode (always, idle, never) or CPU cap.',
  options: {
    mode: { type: 'string', value: 'MODE', description: 'always | idle (only while you are away; the default) | never' },
    'cpu-cap': { type: 'string', value: 'N', description: 'at most N% of one core when idle, 10–100 (default 50); 5% while you use the computer' },
  },
  details:
    'Without a running node the settings are saved in the profile for its next start.\n' +
    '--json prints the sealing status (mode, state, reason, cpuCapPercent, cpuPercent, sealsMade, rewardsWei, history).',
  async run(ctx) {
    const mode = parseMode(ctx.values.mode);
    const cap = intOption(ctx.values, 'cpu-cap', 10, 100);
    await withDaemonOrLocal(ctx, async (caller) => {
      let s: SealingStatusT | null | undefined;
      if (mode) s = await caller.call('sealing.setMode', { mode });
      if (cap !== undefined) s = await caller.call('sealing.setCpuCap', { percent: cap });
      s ??= (await caller.call('node.status', {})).sealing;
      if (!s) throw new UsageError('this node has no sealing worker');
      const st = s;
      print(ctx, st, () => formatSealing(st));
    });
  },
};

export const nodeIdleCommand: CommandSpec = {
  name: 'node idle',
  group: 'Node',
  summary: 'Tell the running node whether you are at the computer (active, idle, auto).',
  options: {
    state: { type: 'string', value: 'STATE', description: 'active | idle (away until the next input) | auto (follow input) (required)' },
  },
  details: 'The headless shell has no OS idle time: this and the web UI’s input are its idle source. Needs `bitunicom serve`.',
  async run(ctx) {
    if (ctx.values.state === undefined) throw new UsageError('--state active|idle|auto is required', 'node idle');
    const state = parseIdleState(ctx.values.state);
    await withDaemon(ctx, async (caller) => {
      const s = await caller.call('sealing.setIdle', { state });
      print(ctx, s, () => `${IDLE_SAID[state]}\n${formatSealing(s)}`);
    });
  },
};

/** "100", "100.5" tokens (18 decimals) → wei, exactly (no floats). */
export function parseTokenAmount(v: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(v.trim());
  if (!m) throw new UsageError('--stake is an amount of tokens, e.g. 100 or 150.5', 'node stake');
  return BigInt(m[1]!) * 10n ** 18n + BigInt((m[2] ?? '').padEnd(18, '0'));
}

const STAKE_STATUS = { none: 'not registered', active: 'registered as a sealer', exiting: 'leaving: the stake unbonds' } as const;

export const nodeStakeCommand: CommandSpec = {
  name: 'node stake',
  group: 'Node',
  summary: 'Show, make or end your sealer registration (tokens locked in the staking contract).',
  options: {
    register: { type: 'boolean', description: 'register as a sealer, locking --stake tokens (default: the minimum)' },
    stake: { type: 'string', value: 'TOKENS', description: 'tokens to lock with --register' },
    exit: { type: 'boolean', description: 'leave the sealers; the stake unbonds for a number of blocks' },
    withdraw: { type: 'boolean', description: 'take an unbonded stake back' },
  },
  details: 'Each action is a transaction from your wallet’s first account, signed by the running node (unlocked). --json prints the registration (and txHash).',
  async run(ctx) {
    const actions = (['register', 'exit', 'withdraw'] as const).filter((a) => ctx.values[a] === true);
    if (actions.length > 1) throw new UsageError('give one of --register, --exit, --withdraw', 'node stake');
    if (ctx.values.stake !== undefined && actions[0] !== 'register') throw new UsageError('--stake goes with --register', 'node stake');
    const stakeWei = typeof ctx.values.stake === 'string' ? parseTokenAmount(ctx.values.stake).toString() : undefined;
    await withDaemon(ctx, async (caller) => {
      const action = actions[0];
      const sent = action ? await caller.call('sealing.stake', { action, ...(stakeWei ? { stakeWei } : {}) }) : null;
      const info = await caller.call('sealing.stakeInfo', {});
      print(ctx, { ...info, ...(sent ? { txHash: sent.txHash } : {}) }, () =>
        [
          ...(sent ? [`Sent ${action}: ${sent.txHash} (it takes effect once the block with it is final).`] : []),
          `Sealer: ${STAKE_STATUS[info.status]}${info.status === 'none' ? '' : `, ${formatTokens(info.stakeWei)} tokens staked`}` +
            (info.withdrawableAt ? `, withdrawable from block ${info.withdrawableAt} (now ${info.head})` : ''),
          ...(info.status === 'none' ? [`Minimum stake: ${formatTokens(info.minStakeWei)} tokens.`] : []),
        ].join('\n'),
      );
    });
  },
};
