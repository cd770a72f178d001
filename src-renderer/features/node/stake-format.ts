/**
 * @module renderer/features/node/stake-format
 * Plain words for the Sealing card's Stake row (issue 9, seed 003's pledge: a sealer locks a
 * stake in PoeStaking — see src-preload/contract/sealing.ts `StakeInfo`): the status line
 * ("Registered — 100 tokens staked"), the amount typed in the registration dialog read as wei
 * (BigInt only, so no digit is lost and no float rounding creeps in), why each button is
 * disabled, the time an unbonding delay takes at the chain's block time, and when a sent
 * transaction's effect has shown in the registration. Pure: locale is a parameter.
 */
import type { StakeInfoT } from '../../../src-preload/contract';
import { formatTokens } from './sealing-format';

const DECIMALS = 18;
const WEI_PER_TOKEN = 10n ** BigInt(DECIMALS);

/** The devnet's unbonding delay, used only when no StakeInfo is at hand (StakeInfo.unbondingBlocks is the contract's). */
export const UNBONDING_BLOCKS = 64;

/** How many blocks after sending we wait for a transaction's effect before calling it failed. */
export const PENDING_BLOCKS = 12;

export type StakeAction = 'register' | 'exit' | 'withdraw';
export type StakeStatus = StakeInfoT['status'];

/** The registration status each action leads to once its transaction is in a block. */
export const EFFECT: Record<StakeAction, StakeStatus> = { register: 'active', exit: 'exiting', withdraw: 'none' };

/** `100 tokens`, `1 token`, `150.5 tokens` (exact, rounded down to 4 decimals). */
export function tokensText(weiText: string, locale?: string): string {
  const n = formatTokens(weiText, locale);
  return `${n} ${/^\d+$/.test(weiText) && BigInt(weiText) === WEI_PER_TOKEN ? 'token' : 'tokens'}`;
}

/** A block number as the Node screen writes it, grouped: `1,234`. */
export function blockText(n: string, locale?: string): string {
  return /^\d+$/.test(n) ? new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(BigInt(n)) : n;
}

/** Blocks left until an exited stake can be withdrawn (0 once it can). */
export function blocksUntilWithdrawable(info: Pick<StakeInfoT, 'status' | 'withdrawableAt' | 'head'>): bigint {
  if (info.status !== 'exiting' || info.withdrawableAt === null) return 0n;
  const left = BigInt(info.withdrawableAt) - BigInt(info.head);
  return left > 0n ? left : 0n;
}

export function canWithdraw(info: Pick<StakeInfoT, 'status' | 'withdrawableAt' | 'head'>): boolean {
  return info.status === 'exiting' && info.withdrawableAt !== null && BigInt(info.head) >= BigInt(info.withdrawableAt);
}

/** The Stake row's line, e.g. "Leaving — withdrawable from block 130 (now 70)". */
export function stakeLine(info: StakeInfoT, locale?: string): { value: string; tone: 'ok' | 'warn' | 'none' } {
  switch (info.status) {
    case 'active':
      return { value: `Registered — ${tokensText(info.stakeWei, locale)} staked`, tone: 'ok' };
    case 'none':
      return { value: `Not registered — sealing earns nothing until you stake (minimum ${formatTokens(info.minStakeWei, locale)})`, tone: 'none' };
    case 'exiting':
      if (canWithdraw(info)) return { value: `Leaving — ${tokensText(info.stakeWei, locale)} can be withdrawn now`, tone: 'warn' };
      return { value: `Leaving — withdrawable from block ${blockText(info.withdrawableAt ?? '?', locale)} (now ${blockText(info.head, locale)})`, tone: 'warn' };
  }
}

/** "about 45 s", "about 3 min", "about 1 h 5 min": what `blocks` take at `secPerBlock`; null if unknown. */
export function durationText(blocks: number | bigint, secPerBlock: number | null | undefined): string | null {
  if (!secPerBlock || !(secPerBlock > 0)) return null;
  const s = Math.round(Number(blocks) * secPerBlock);
  if (s < 60) return `about ${Math.max(1, s)} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `about ${m} min`;
  return `about ${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** The unbonding delay in words: "about 64 blocks (about 1 min)". */
export function unbondingText(secPerBlock: number | null | undefined, blocks: number = UNBONDING_BLOCKS): string {
  const t = durationText(blocks, secPerBlock);
  return `about ${blocks} blocks${t ? ` (${t} at the current block time)` : ''}`;
}

function separators(locale?: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.5);
  return { decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.', group: parts.find((p) => p.type === 'group')?.value ?? ',' };
}

export type AmountCheck = { ok: true; wei: bigint } | { ok: false; error: string };

/**
 * The stake typed in the registration dialog, in tokens ("150", "150.5", "1,000" — the
 * locale's separators; "." is also taken as the decimal point where the locale groups with
 * something else), checked against the contract's minimum.
 */
export function parseStakeAmount(text: string, minStakeWei: string, locale?: string): AmountCheck {
  const min = /^\d+$/.test(minStakeWei) ? BigInt(minStakeWei) : 0n;
  const minText = tokensText(min.toString(), locale);
  let t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!t) return { ok: false, error: `Enter how many tokens to stake (at least ${minText}).` };
  const { decimal, group } = separators(locale);
  if (group !== '.' || decimal === '.') t = t.split(group).join('');
  else t = t.split('.').join('');
  if (decimal !== '.') t = t.replace(decimal, '.');
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (!m[1] && !m[2])) return { ok: false, error: 'Enter a number of tokens, like 100 or 150.5.' };
  const frac = m[2] ?? '';
  if (frac.length > DECIMALS) return { ok: false, error: `Use at most ${DECIMALS} decimals.` };
  const wei = BigInt(m[1] || '0') * WEI_PER_TOKEN + BigInt(frac.padEnd(DECIMALS, '0') || '0');
  if (wei < min) return { ok: false, error: `The minimum stake is ${minText}.` };
  return { ok: true, wei };
}

/** The amount field's starting text: the minimum, in tokens ("100"). */
export function minimumAmountText(minStakeWei: string, locale?: string): string {
  return formatTokens(minStakeWei, locale, DECIMALS);
}

export type StakeContext = {
  info: StakeInfoT | null;
  /** The account is unlocked (the wallet key signs the transaction). */
  unlocked: boolean;
  /** A transaction of ours whose effect has not shown yet. */
  pending: boolean;
  /** The chain's measured (or configured) seconds per block, for "about 30 s". */
  secPerBlock?: number | null;
  locale?: string;
};

/** The one button the row offers, whether it can be pressed, and if not, why (shown next to it). */
export function stakeButton(c: StakeContext): { action: StakeAction; label: string; disabledReason: string | null } | null {
  if (!c.info) return null;
  const action: StakeAction = c.info.status === 'none' ? 'register' : c.info.status === 'active' ? 'exit' : 'withdraw';
  const label = action === 'register' ? 'Register as a sealer' : action === 'exit' ? 'Stop sealing' : 'Withdraw stake';
  let reason: string | null = null;
  if (c.pending) reason = 'Waiting for your transaction to be in a block.';
  else if (!c.unlocked) reason = 'Unlock your account first: it signs the staking transaction.';
  else if (action === 'withdraw' && !canWithdraw(c.info)) {
    const left = blocksUntilWithdrawable(c.info);
    const t = durationText(left, c.secPerBlock);
    reason = `The stake unbonds until block ${blockText(c.info.withdrawableAt ?? '?', c.locale)}: ${left} more block${left === 1n ? '' : 's'}${t ? `, ${t}` : ''}.`;
  }
  return { action, label, disabledReason: reason };
}

/**
 * Where a sent transaction stands, judged from a fresh StakeInfo: `done` once the
 * registration shows its effect, `stale` if PENDING_BLOCKS blocks passed without it (the
 * transaction failed or was dropped), else `waiting`.
 */
export function pendingOutcome(p: { action: StakeAction; sentAtHead: string }, info: StakeInfoT): 'done' | 'stale' | 'waiting' {
  if (info.status === EFFECT[p.action]) return 'done';
  if (BigInt(info.head) >= BigInt(p.sentAtHead) + BigInt(PENDING_BLOCKS)) return 'stale';
  return 'waiting';
}

/** The toast once an action's effect shows. */
export function doneText(action: StakeAction, info: StakeInfoT, locale?: string): string {
  if (action === 'register') return `You are registered as a sealer with ${tokensText(info.stakeWei, locale)}.`;
  if (action === 'exit') return `You stopped sealing. The stake can be withdrawn from block ${blockText(info.withdrawableAt ?? '?', locale)}.`;
  return 'Your stake is back in your wallet.';
}
