/**
 * @module renderer/features/wallet/wallet-format.test
 * The Wallet screen's pure helpers: gwei ↔ wei without floats, amount / fee / address checks,
 * status and network-state words, activity lines, the account the screen starts on.
 */
import { describe, expect, it } from 'vitest';
import type { ActivityItemT, WalletAccountT } from '../../../src-preload/contract';
import {
  accountKindLabel,
  activityStatusLabel,
  activityStatusTone,
  activityTitle,
  addressProblem,
  amountProblem,
  counterparty,
  decimalToUnits,
  gweiToWei,
  maxFeeProblem,
  networkStateLabel,
  networkStateTone,
  parseChainId,
  pickAccount,
  signedAmount,
  unitsToDecimal,
  urlProblem,
  weiToGwei,
} from './wallet-format';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';

describe('gwei and wei', () => {
  it('converts gwei text to a wei decimal string exactly', () => {
    expect(gweiToWei('1')).toBe('1000000000');
    expect(gweiToWei('1.5')).toBe('1500000000');
    expect(gweiToWei('0.000000001')).toBe('1');
    expect(gweiToWei(' 25 ')).toBe('25000000000');
    // Beyond float precision: 2^64 gwei stays exact.
    expect(gweiToWei('18446744073709551616.123456789')).toBe('18446744073709551616123456789');
  });
  it('refuses what is not a gwei amount', () => {
    expect(gweiToWei('0.0000000001')).toBeNull();
    expect(gweiToWei('1,5')).toBeNull();
    expect(gweiToWei('-1')).toBeNull();
    expect(gweiToWei('1e9')).toBeNull();
    expect(gweiToWei('')).toBeNull();
  });
  it('converts wei back to gwei text without trailing zeros', () => {
    expect(weiToGwei('1500000000')).toBe('1.5');
    expect(weiToGwei('1')).toBe('0.000000001');
    expect(weiToGwei('0')).toBe('0');
    expect(weiToGwei('30000000000')).toBe('30');
    expect(() => weiToGwei('1.5')).toThrow();
  });
  it('round-trips decimals of any token', () => {
    expect(decimalToUnits('1.5', 18)).toBe(1500000000000000000n);
    expect(unitsToDecimal('1500000000000000000', 18)).toBe('1.5');
    expect(unitsToDecimal('000123', 0)).toBe('123');
    expect(decimalToUnits('1.25', 1)).toBeNull();
    expect(decimalToUnits('1.50', 1)).toBe(15n);
  });
});

describe('form checks', () => {
  it('explains a bad amount', () => {
    expect(amountProblem('', 18, 'BU')).toBe('Enter an amount.');
    expect(amountProblem('1,5', 18, 'BU')).toBe('Use a dot for decimals, like 1.5.');
    expect(amountProblem('abc', 18, 'BU')).toBe('Enter a number like 1.5.');
    expect(amountProblem('0.001', 2, 'USDX')).toBe('USDX has at most 2 decimals.');
    expect(amountProblem('1.5', 0, 'NFT')).toBe('NFT has no decimals.');
    expect(amountProblem('0.000', 18, 'BU')).toBe('Enter an amount above zero.');
    expect(amountProblem('0.25', 18, 'BU')).toBeNull();
  });
  it('accepts an empty max fee (the tier decides) and refuses zero or junk', () => {
    expect(maxFeeProblem('')).toBeNull();
    expect(maxFeeProblem('2.5')).toBeNull();
    expect(maxFeeProblem('0')).toMatch(/above zero/);
    expect(maxFeeProblem('fast')).toMatch(/gwei/);
  });
  it('checks the shape of an address', () => {
    expect(addressProblem('')).toMatch(/Enter/);
    expect(addressProblem('0x123')).toMatch(/40 hex digits/);
    expect(addressProblem(A)).toBeNull();
  });
  it('parses a chain id in decimal or hex, or none', () => {
    expect(parseChainId('')).toEqual({ ok: true, value: undefined });
    expect(parseChainId('31337')).toEqual({ ok: true, value: 31337 });
    expect(parseChainId('0x7a69')).toEqual({ ok: true, value: 31337 });
    expect(parseChainId('0').ok).toBe(false);
    expect(parseChainId('1.5').ok).toBe(false);
  });
  it('wants http(s) URLs', () => {
    expect(urlProblem('http://127.0.0.1:8545', 'RPC URL')).toBeNull();
    expect(urlProblem('ws://x', 'RPC URL')).toBe('The RPC URL starts with http:// or https://.');
    expect(urlProblem(' ', 'RPC URL')).toBe('Enter the RPC URL.');
  });
});

const item = (o: Partial<ActivityItemT>): ActivityItemT => ({
  hash: `0x${'a'.repeat(64)}`,
  networkId: 'devnet',
  chainId: 1,
  account: A,
  direction: 'out',
  from: A,
  to: B,
  amount: { amount: '1500000000000000000', formatted: '1.5 BU', symbol: 'BU', decimals: 18 },
  token: null,
  nonce: '0',
  status: 'pending',
  blockNumber: null,
  at: 0,
  fee: null,
  explorerUrl: null,
  replacement: null,
  replaceable: true,
  ...o,
});

describe('activity words', () => {
  it('names every status with its tone', () => {
    expect(activityStatusLabel('pending')).toBe('Pending');
    expect(activityStatusTone('pending')).toBe('progress');
    expect(activityStatusLabel('confirmed')).toBe('Confirmed');
    expect(activityStatusTone('failed')).toBe('danger');
    expect(activityStatusLabel('replaced')).toBe('Replaced');
    expect(activityStatusTone('dropped')).toBe('warning');
  });
  it('titles, counterparties and signed amounts', () => {
    expect(activityTitle(item({}))).toBe('Sent');
    expect(activityTitle(item({ direction: 'in', token: { address: B, symbol: 'tBUT', name: 'T', decimals: 18 } }))).toBe('Received tBUT');
    expect(activityTitle(item({ replacement: 'cancel', direction: 'self' }))).toBe('Cancellation');
    expect(activityTitle(item({ replacement: 'speed-up' }))).toBe('Sent (sped up)');
    expect(counterparty(item({}))).toBe(B);
    expect(counterparty(item({ direction: 'in', from: B, to: A }))).toBe(B);
    expect(counterparty(item({ direction: 'self' }))).toBeNull();
    expect(signedAmount(item({}))).toBe('−1.5 BU');
    expect(signedAmount(item({ direction: 'in' }))).toBe('+1.5 BU');
    expect(signedAmount(item({ direction: 'self' }))).toBe('1.5 BU');
  });
  it('words for network states', () => {
    expect(networkStateLabel('unreachable')).toBe('Unreachable');
    expect(networkStateTone('ok')).toBe('success');
    expect(networkStateLabel('wrong-chain')).toBe('Wrong chain');
  });
});

const acct = (address: string, o: Partial<WalletAccountT> = {}): WalletAccountT => ({ address, name: 'x', kind: 'hd', index: 0, hidden: false, removable: false, ...o });

describe('accounts', () => {
  it('keeps the chosen account, else the first visible one', () => {
    const list = [acct(A, { hidden: true }), acct(B)];
    expect(pickAccount(list, B.toUpperCase().replace('0X', '0x'))?.address).toBe(B);
    expect(pickAccount(list, null)?.address).toBe(B);
    expect(pickAccount(list, '0x3333333333333333333333333333333333333333')?.address).toBe(B);
    expect(pickAccount([], null)).toBeNull();
  });
  it('labels the kind', () => {
    expect(accountKindLabel({ kind: 'hd', index: 1 })).toBe('HD #1');
    expect(accountKindLabel({ kind: 'imported', index: null })).toBe('Imported');
    expect(accountKindLabel({ kind: 'watch', index: null })).toBe('Watch-only');
  });
});
