/**
 * @module renderer/features/chat/payments/payment-labels.test
 * The payment wording and amount arithmetic the bubble and dialogs rely on.
 */
import { describe, expect, it } from 'vitest';
import type { MessageT, PaymentT, WalletNetworkT } from '../../../../src-preload/contract';
import {
  amountError,
  amountText,
  baseToDecimal,
  canPay,
  decimalToBase,
  defaultNetwork,
  directionLabel,
  networkForChain,
  paymentSentence,
  shortHash,
  statusDetail,
  statusLabel,
  statusTone,
  tokenNetworkText,
} from './payment-labels';

const BU = { amount: '1500000000000000000', formatted: '1.5 BU', symbol: 'BU', decimals: 18 };

function payment(over: Partial<PaymentT> = {}): PaymentT {
  return {
    type: 'send',
    chainId: 1698100001,
    networkName: 'Devnet',
    token: null,
    amount: BU,
    to: '0x' + 'b'.repeat(40),
    from: '0x' + 'a'.repeat(40),
    txHash: '0x' + '1234abcd'.repeat(8),
    note: null,
    status: 'pending',
    paidBy: null,
    requestId: null,
    detail: null,
    ...over,
  };
}

function network(id: string, chainId: number, selected = false): WalletNetworkT {
  return { id, chainId, name: id, symbol: 'BU', currencyName: 'BU', decimals: 18, rpcUrl: 'http://127.0.0.1:1', explorerUrl: null, builtin: false, selected };
}

describe('directionLabel', () => {
  it('names who paid or asked, from our side', () => {
    expect(directionLabel('send', 'out', 'Bob')).toBe('You sent');
    expect(directionLabel('send', 'in', 'Alice')).toBe('Alice sent you');
    expect(directionLabel('request', 'out', 'Bob')).toBe('You requested');
    expect(directionLabel('request', 'in', 'Alice')).toBe('Alice requests');
    expect(directionLabel('send', 'in', '  ')).toBe('Your friend sent you');
  });
  it('makes the sentence tests and screen readers read', () => {
    expect(paymentSentence(payment(), 'in', 'Alice')).toBe('Alice sent you 1.5 BU');
    expect(paymentSentence(payment({ type: 'request', amount: { ...BU, amount: '2000000000000000000', formatted: '2 BU' } }), 'out', 'Bob')).toBe('You requested 2 BU');
  });
});

describe('status', () => {
  it('has words and a tone for every status', () => {
    expect(statusLabel('pending')).toBe('Pending');
    expect(statusLabel('paid')).toBe('Paid');
    expect(statusTone('confirmed')).toBe('success');
    expect(statusTone('failed')).toBe('danger');
    expect(statusTone('unverified')).toBe('warning');
    expect(statusTone('pending')).toBe('progress');
  });
  it('prefers the node’s detail sentence, else explains the status', () => {
    expect(statusDetail(payment({ status: 'confirmed', detail: 'Confirmed in block 42' }))).toBe('Confirmed in block 42');
    expect(statusDetail(payment({ status: 'pending', detail: '  ' }))).toBe('Waiting for the transaction to be mined');
    expect(statusDetail(payment({ type: 'request', status: 'requested' }))).toBe('Not paid yet');
    expect(statusDetail(payment({ type: 'request', status: 'paid', detail: 'Paid' }))).toBe('This request has been paid');
    expect(statusDetail(payment({ type: 'request', status: 'paid', detail: 'Paid by you' }))).toBe('Paid by you');
  });
});

describe('shortHash', () => {
  it('keeps the start and the end', () => {
    expect(shortHash('0x' + '1234abcd'.repeat(8))).toBe('0x1234ab…abcd');
    expect(shortHash(null)).toBe('');
    expect(shortHash('0x12')).toBe('0x12');
  });
});

describe('amounts in base units', () => {
  it('converts base units to decimal text without floats', () => {
    expect(baseToDecimal('1500000000000000000', 18)).toBe('1.5');
    expect(baseToDecimal('1', 18)).toBe('0.000000000000000001');
    expect(baseToDecimal('2000000000000000000', 18)).toBe('2');
    expect(baseToDecimal('0', 18)).toBe('0');
    expect(baseToDecimal('0042', 0)).toBe('42');
    expect(baseToDecimal('123456789012345678901234567890', 6)).toBe('123456789012345678901234.56789');
    expect(() => baseToDecimal('1.5', 18)).toThrow();
  });
  it('converts decimal text to base units, refusing extra decimals', () => {
    expect(decimalToBase('1.5', 18)).toBe(1_500_000_000_000_000_000n);
    expect(decimalToBase('0.000000000000000001', 18)).toBe(1n);
    expect(decimalToBase('1.50', 1)).toBe(15n);
    expect(decimalToBase('1.25', 1)).toBeNull();
    expect(decimalToBase('abc', 18)).toBeNull();
    expect(decimalToBase('1e3', 18)).toBeNull();
  });
  it('round-trips', () => {
    for (const t of ['1', '0.1', '123.456', '99999999999999999999.000000000000000001']) expect(baseToDecimal(String(decimalToBase(t, 18)), 18)).toBe(t);
  });
  it('explains what is wrong with a typed amount', () => {
    expect(amountError('', 18, 'BU')).toBe('Enter an amount');
    expect(amountError('1,5', 18, 'BU')).toBe('Use a dot for decimals, like 1.5');
    expect(amountError('-1', 18, 'BU')).toBe('Enter a number like 1.5');
    expect(amountError('0', 18, 'BU')).toBe('Enter an amount above zero');
    expect(amountError('0.001', 2, 'USDx')).toBe('USDx has at most 2 decimals');
    expect(amountError('1.5', 0, 'NFT')).toBe('NFT has no decimals');
    expect(amountError(' 1.5 ', 18, 'BU')).toBeNull();
  });
  it('shows the node’s formatted amount, or builds one', () => {
    expect(amountText(payment())).toBe('1.5 BU');
    expect(amountText(payment({ amount: { ...BU, formatted: '' } }))).toBe('1.5 BU');
    expect(tokenNetworkText(payment())).toBe('BU on Devnet');
    expect(tokenNetworkText(payment({ token: { address: '0x' + 'c'.repeat(40), symbol: 'tBUT', name: 'Test', decimals: 18 } }))).toBe('tBUT on Devnet');
  });
});

describe('networks', () => {
  const nets = [network('devnet', 10, true), network('alice', 20), network('alice-2', 20)];
  it('maps a payment’s chain to one of our networks', () => {
    expect(networkForChain(nets, 20)?.id).toBe('alice');
    expect(networkForChain([network('a', 20), network('b', 20, true)], 20)?.id).toBe('b');
    expect(networkForChain(nets, 30)).toBeNull();
  });
  it('starts pickers on the selected network', () => {
    expect(defaultNetwork(nets)?.id).toBe('devnet');
    expect(defaultNetwork([network('x', 1), network('y', 2)])?.id).toBe('x');
    expect(defaultNetwork([])).toBeNull();
  });
});

describe('canPay', () => {
  const base = { direction: 'in' as MessageT['direction'], payment: payment({ type: 'request', status: 'requested', txHash: null, from: null }) };
  it('offers Pay only on an open request we received', () => {
    expect(canPay(base)).toBe(true);
    expect(canPay({ ...base, direction: 'out' })).toBe(false);
    expect(canPay({ ...base, payment: { ...base.payment, status: 'paid' } })).toBe(false);
    expect(canPay({ ...base, payment: payment() })).toBe(false);
    expect(canPay({ direction: 'in', payment: null })).toBe(false);
  });
});
