import { describe, expect, it } from 'vitest';
import protobuf from 'protobufjs';
import { getAddress } from 'ethers';
import { randomBytes } from '../crypto';
import { checkPaymentBody, decodePaymentBody, encodePaymentBody, paymentSummary, type PaymentBody } from './payment-body';
import { Kind, decodePayload, encodePayload } from './payload';

const TO = getAddress('0x' + 'ab'.repeat(20));
const FROM = getAddress('0x' + 'cd'.repeat(20));
const TOKEN = getAddress('0x' + '12'.repeat(20));
const HASH = '0x' + 'ef'.repeat(32);

const send: PaymentBody = {
  type: 'send',
  chainId: 1698100042,
  networkName: 'BitUnicom devnet',
  token: null,
  symbol: 'BU',
  decimals: 18,
  amount: '1500000000000000000',
  to: TO,
  from: FROM,
  txHash: HASH,
  note: 'lunch 🍜\nthanks',
  requestId: 'a'.repeat(32),
};
const request: PaymentBody = {
  type: 'request',
  chainId: 31337,
  networkName: 'Anvil',
  token: { address: TOKEN, symbol: 'TT', name: 'Test Token', decimals: 6 },
  symbol: 'TT',
  decimals: 6,
  amount: '2000000',
  to: TO,
  from: null,
  txHash: null,
  note: null,
  requestId: null,
};

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  }
};
const roundTrip = (b: PaymentBody) => decodePaymentBody(encodePaymentBody(b));
/** Encoding skips local validation, so a malformed body reaches the decoder as a peer would send it. */
const wire = (patch: Partial<PaymentBody>) => () => roundTrip({ ...send, ...patch });

describe('payment body codec', () => {
  it('round-trips a native send and a token request exactly', () => {
    expect(roundTrip(send)).toEqual(send);
    expect(roundTrip(request)).toEqual(request);
    const max = { ...send, amount: '9'.repeat(78), chainId: Number.MAX_SAFE_INTEGER, decimals: 77 };
    expect(roundTrip(max)).toEqual(max);
  });

  it('normalises addresses to EIP-55 and the hash to lowercase; an empty note is none', () => {
    const b = roundTrip({ ...send, to: TO.toLowerCase(), from: FROM.toUpperCase().replace('0X', '0x'), txHash: HASH.toUpperCase().replace('0X', '0x'), note: '' });
    expect(b).toMatchObject({ to: TO, from: FROM, txHash: HASH, note: null });
  });

  it('travels inside a PAYMENT chat payload and only there', () => {
    const id = randomBytes(16);
    const p = decodePayload(encodePayload({ id, kind: Kind.PAYMENT, payment: request, sentMs: 5 }));
    expect(p).toMatchObject({ kind: Kind.PAYMENT, payment: request, sentMs: 5 });
    expect(decodePayload(encodePayload({ id, kind: Kind.TEXT, text: 'hi' })).payment).toBeNull();
    expect(codeOf(() => decodePayload(encodePayload({ id, kind: Kind.PAYMENT })))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => decodePayload(encodePayload({ id, kind: Kind.TEXT, payment: send })))).toBe('BAD_ENVELOPE');
  });

  it.each([
    ['address too short', { to: '0x1234' }],
    ['address not hex', { to: '0x' + 'zz'.repeat(20) }],
    ['from not hex', { from: '0x' + 'g'.repeat(40) }],
    ['amount with a point', { amount: '1.5' }],
    ['amount negative', { amount: '-1' }],
    ['amount empty', { amount: '' }],
    ['amount 79 digits', { amount: '1'.repeat(79) }],
    ['chainId zero', { chainId: 0 }],
    ['chainId fractional', { chainId: 1.5 }],
    ['chainId unsafe', { chainId: 2 ** 53 }],
    ['decimals 78', { decimals: 78 }],
    ['decimals negative', { decimals: -1 }],
    ['symbol 12 chars', { symbol: 'ABCDEFGHIJKL' }],
    ['symbol empty', { symbol: '' }],
    ['symbol with a control char', { symbol: 'B\u0007U' }],
    ['networkName empty', { networkName: '' }],
    ['note 201 chars', { note: 'x'.repeat(201) }],
    ['note with NUL', { note: 'a\u0000b' }],
    ['send without txHash', { txHash: null }],
    ['txHash short', { txHash: '0x' + 'ef'.repeat(31) }],
    ['request with txHash', { type: 'request' as const, requestId: null }],
    ['request paying a request', { type: 'request' as const, txHash: null }],
    ['request naming a payer', { type: 'request' as const, txHash: null, requestId: null }],
    ['requestId not an id', { requestId: 'xyz' }],
    ['requestId upper case', { requestId: 'A'.repeat(32) }],
    ['token symbol differs', { token: { address: TOKEN, symbol: 'XX', name: 'T', decimals: 18 } }],
    ['token decimals differ', { token: { address: TOKEN, symbol: 'BU', name: 'T', decimals: 6 } }],
    ['token address bad', { token: { address: '0x12', symbol: 'BU', name: 'T', decimals: 18 } }],
    ['token name too long', { token: { address: TOKEN, symbol: 'BU', name: 'n'.repeat(65), decimals: 18 } }],
  ])('rejects %s with BAD_ENVELOPE (and locally with BAD_INPUT)', (_what, patch) => {
    expect(codeOf(wire(patch as Partial<PaymentBody>))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => checkPaymentBody({ ...send, ...(patch as Partial<PaymentBody>) }))).toBe('BAD_INPUT');
  });

  it('rejects an unknown type and garbage bytes with BAD_ENVELOPE', () => {
    const T = protobuf.Type.fromJSON('X', { fields: { type: { id: 1, type: 'int32' } } });
    expect(codeOf(() => decodePaymentBody(T.encode({ type: 3 }).finish()))).toBe('BAD_ENVELOPE');
    for (let i = 0; i < 200; i++) expect(codeOf(() => decodePaymentBody(randomBytes(1 + (i % 60))))).toBe('BAD_ENVELOPE');
  });

  it('summarises in one line, exact and grouped', () => {
    expect(paymentSummary(send, 'out')).toBe('Sent 1.5 BU');
    expect(paymentSummary(send, 'in')).toBe('Received 1.5 BU');
    expect(paymentSummary(request, 'out')).toBe('Requested 2 TT');
    expect(paymentSummary({ ...send, amount: '1234500000000000000000' }, 'out')).toBe('Sent 1\u202f234.5 BU');
    expect(paymentSummary({ ...send, amount: '1' }, 'out')).toBe('Sent 0.000000000000000001 BU');
  });
});
