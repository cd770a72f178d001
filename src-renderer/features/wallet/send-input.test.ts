/**
 * @module renderer/features/wallet/send-input.test
 * The Send form → SendInput: problems in words, friend vs address, token, gwei → wei fee.
 */
import { describe, expect, it } from 'vitest';
import { sendProblems, toSendInput, type SendForm } from './send-input';

const FROM = '0x1111111111111111111111111111111111111111';
const TO = '0x2222222222222222222222222222222222222222';
const TOKEN = '0x3333333333333333333333333333333333333333';
const base: SendForm = { mode: 'address', to: TO, friend: '', token: '', amount: '1.5', tier: 'normal', maxFeeGwei: '' };
const BU = { decimals: 18, symbol: 'BU' };

describe('send form', () => {
  it('has no problems when filled in', () => {
    expect(sendProblems(base, BU)).toEqual({});
  });
  it('names each problem', () => {
    expect(sendProblems({ ...base, to: '0x12', amount: '', maxFeeGwei: 'x' }, BU)).toEqual({
      to: 'An address is 0x followed by 40 hex digits.',
      amount: 'Enter an amount.',
      maxFee: 'Enter the max fee in gwei, like 1.5 (at most 9 decimals).',
    });
    expect(sendProblems({ ...base, mode: 'friend', to: '' }, BU)).toEqual({ friend: 'Choose a friend.' });
    expect(sendProblems({ ...base, amount: '0.001' }, { decimals: 2, symbol: 'X' }).amount).toBe('X has at most 2 decimals.');
  });
  it('builds the input for an address, native, by tier', () => {
    expect(toSendInput(base, FROM, 'devnet')).toEqual({ from: FROM, networkId: 'devnet', to: TO, amount: '1.5', tier: 'normal' });
  });
  it('builds the input for a friend and a token with a custom max fee in wei', () => {
    const input = toSendInput({ ...base, mode: 'friend', friend: TO, to: 'ignored', token: TOKEN, amount: ' 2 ', tier: 'fast', maxFeeGwei: '2.5' }, FROM, 'n1');
    expect(input).toEqual({ from: FROM, networkId: 'n1', friend: TO, token: TOKEN, amount: '2', tier: 'fast', maxFeePerGas: '2500000000' });
    expect(input.to).toBeUndefined();
  });
});
