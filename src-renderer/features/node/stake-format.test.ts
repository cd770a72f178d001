import { describe, expect, it } from 'vitest';
import type { StakeInfoT } from '../../../src-preload/contract';
import {
  PENDING_BLOCKS,
  blocksUntilWithdrawable,
  canWithdraw,
  doneText,
  durationText,
  minimumAmountText,
  parseStakeAmount,
  pendingOutcome,
  stakeButton,
  stakeLine,
  tokensText,
  unbondingText,
} from './stake-format';

const EN = 'en-US';
const TOKEN = 10n ** 18n;
const MIN = (100n * TOKEN).toString();

const info = (over: Partial<StakeInfoT> = {}): StakeInfoT => ({ status: 'active', stakeWei: MIN, minStakeWei: MIN, withdrawableAt: null, head: '10', unbondingBlocks: 64, ...over });

describe('stake-format', () => {
  it('says the registration in one line, with amounts from wei', () => {
    expect(stakeLine(info(), EN)).toEqual({ value: 'Registered — 100 tokens staked', tone: 'ok' });
    expect(stakeLine(info({ stakeWei: (150n * TOKEN + TOKEN / 2n).toString() }), EN).value).toBe('Registered — 150.5 tokens staked');
    expect(stakeLine(info({ status: 'none', stakeWei: '0' }), EN)).toEqual({ value: 'Not registered — sealing earns nothing until you stake (minimum 100)', tone: 'none' });
    expect(stakeLine(info({ status: 'exiting', withdrawableAt: '1074', head: '1010' }), EN)).toEqual({ value: 'Leaving — withdrawable from block 1,074 (now 1,010)', tone: 'warn' });
    expect(stakeLine(info({ status: 'exiting', withdrawableAt: '74', head: '74' }), EN).value).toBe('Leaving — 100 tokens can be withdrawn now');
    expect(tokensText(TOKEN.toString(), EN)).toBe('1 token');
    expect(tokensText((1234n * TOKEN).toString(), EN)).toBe('1,234 tokens');
  });

  it('reads the typed stake as exact wei, in the locale, against the minimum', () => {
    expect(parseStakeAmount('150', MIN, EN)).toEqual({ ok: true, wei: 150n * TOKEN });
    expect(parseStakeAmount(' 1,000.25 ', MIN, EN)).toEqual({ ok: true, wei: 1000n * TOKEN + TOKEN / 4n });
    expect(parseStakeAmount('100.000000000000000001', MIN, EN)).toEqual({ ok: true, wei: 100n * TOKEN + 1n });
    // 10^30 tokens: far beyond a float's 53 bits, still exact
    expect(parseStakeAmount('1000000000000000000000000000000', MIN, EN)).toEqual({ ok: true, wei: 10n ** 48n });
    expect(parseStakeAmount('1.000,5', MIN, 'de-DE')).toEqual({ ok: true, wei: 1000n * TOKEN + TOKEN / 2n });
    expect(parseStakeAmount('99,5', MIN, 'de-DE')).toEqual({ ok: false, error: 'The minimum stake is 100 tokens.' });
    expect(parseStakeAmount('250,5', MIN, 'de-DE')).toEqual({ ok: true, wei: 250n * TOKEN + TOKEN / 2n });
    expect(parseStakeAmount('99.99', MIN, EN)).toEqual({ ok: false, error: 'The minimum stake is 100 tokens.' });
    expect(parseStakeAmount('', MIN, EN)).toEqual({ ok: false, error: 'Enter how many tokens to stake (at least 100 tokens).' });
    expect(parseStakeAmount('12abc', MIN, EN)).toEqual({ ok: false, error: 'Enter a number of tokens, like 100 or 150.5.' });
    expect(parseStakeAmount('-150', MIN, EN).ok).toBe(false);
    expect(parseStakeAmount('1e3', MIN, EN).ok).toBe(false);
    expect(parseStakeAmount('.', MIN, EN).ok).toBe(false);
    expect(parseStakeAmount('150.0000000000000000001', MIN, EN)).toEqual({ ok: false, error: 'Use at most 18 decimals.' });
    expect(minimumAmountText(MIN, EN)).toBe('100');
    expect(minimumAmountText((1000n * TOKEN + TOKEN / 2n).toString(), EN)).toBe('1,000.5');
    // the prefilled minimum is itself a valid amount
    expect(parseStakeAmount(minimumAmountText((1000n * TOKEN + TOKEN / 2n).toString(), EN), (1000n * TOKEN + TOKEN / 2n).toString(), EN).ok).toBe(true);
  });

  it('knows when an exited stake can be withdrawn', () => {
    const exiting = info({ status: 'exiting', withdrawableAt: '74', head: '70' });
    expect(blocksUntilWithdrawable(exiting)).toBe(4n);
    expect(canWithdraw(exiting)).toBe(false);
    expect(canWithdraw({ ...exiting, head: '74' })).toBe(true);
    expect(canWithdraw({ ...exiting, head: '90' })).toBe(true);
    expect(blocksUntilWithdrawable({ ...exiting, head: '90' })).toBe(0n);
    expect(canWithdraw(info())).toBe(false);
  });

  it('puts a delay in blocks into time at the chain’s block time', () => {
    expect(durationText(45, 1)).toBe('about 45 s');
    expect(durationText(64, 1)).toBe('about 1 min');
    expect(durationText(64, 5)).toBe('about 5 min');
    expect(durationText(1000, 5)).toBe('about 1 h 23 min');
    expect(durationText(720, 5)).toBe('about 1 h');
    expect(durationText(0, 1)).toBe('about 1 s');
    expect(durationText(64, null)).toBeNull();
    expect(unbondingText(5)).toBe('about 64 blocks (about 5 min at the current block time)');
    expect(unbondingText(null)).toBe('about 64 blocks');
  });

  it('offers the action that fits the registration, and says why it cannot be pressed', () => {
    const base = { unlocked: true, pending: false, secPerBlock: 1, locale: EN };
    expect(stakeButton({ ...base, info: null })).toBeNull();
    expect(stakeButton({ ...base, info: info({ status: 'none' }) })).toEqual({ action: 'register', label: 'Register as a sealer', disabledReason: null });
    expect(stakeButton({ ...base, info: info() })).toEqual({ action: 'exit', label: 'Stop sealing', disabledReason: null });
    const exiting = info({ status: 'exiting', withdrawableAt: '74', head: '70' });
    expect(stakeButton({ ...base, info: exiting })).toEqual({ action: 'withdraw', label: 'Withdraw stake', disabledReason: 'The stake unbonds until block 74: 4 more blocks, about 4 s.' });
    expect(stakeButton({ ...base, info: { ...exiting, head: '73' }, secPerBlock: null })?.disabledReason).toBe('The stake unbonds until block 74: 1 more block.');
    expect(stakeButton({ ...base, info: { ...exiting, head: '74' } })?.disabledReason).toBeNull();
    expect(stakeButton({ ...base, info: info(), unlocked: false })?.disabledReason).toBe('Unlock your account first: it signs the staking transaction.');
    expect(stakeButton({ ...base, info: info(), pending: true })?.disabledReason).toBe('Waiting for your transaction to be in a block.');
  });

  it('sees a sent transaction’s effect, or gives up after PENDING_BLOCKS blocks', () => {
    const sent = { action: 'exit' as const, sentAtHead: '10' };
    expect(pendingOutcome(sent, info({ head: '11' }))).toBe('waiting');
    expect(pendingOutcome(sent, info({ status: 'exiting', withdrawableAt: '75', head: '11' }))).toBe('done');
    expect(pendingOutcome(sent, info({ head: String(10 + PENDING_BLOCKS - 1) }))).toBe('waiting');
    expect(pendingOutcome(sent, info({ head: String(10 + PENDING_BLOCKS) }))).toBe('stale');
    expect(pendingOutcome({ action: 'register', sentAtHead: '5' }, info({ head: '6' }))).toBe('done');
    expect(pendingOutcome({ action: 'withdraw', sentAtHead: '80' }, info({ status: 'none', stakeWei: '0', head: '81' }))).toBe('done');
    expect(doneText('register', info({ stakeWei: (150n * TOKEN).toString() }), EN)).toBe('You are registered as a sealer with 150 tokens.');
    expect(doneText('exit', info({ status: 'exiting', withdrawableAt: '75' }), EN)).toBe('You stopped sealing. The stake can be withdrawn from block 75.');
  });
});
