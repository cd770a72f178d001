/**
 * @module renderer/features/chat/payments/payment-actions.test
 * What the payment dialogs send over the bridge (through a fake transport), and how the
 * returned messages land in the conversation store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bridge, MessageT, PaymentT } from '../../../../src-preload/contract';
import { installBridge } from '../../../bridge';
import { useContactsStore } from '../../contacts/contacts-store';
import { useChatStore } from '../chat-store';
import { payRequest, quotePayment, requestPayment, sendPayment } from './payment-actions';
import { isStalePayment } from './payment-labels';

const BOB = '0x52908400098527886E0F7030069857D2E4169EE7';
const TOKEN = '0x' + 'c'.repeat(40);
const calls: Array<{ method: string; input: unknown }> = [];
let reply: (method: string, input: unknown) => unknown = () => null;

function payment(status: PaymentT['status']): PaymentT {
  return {
    type: 'send',
    chainId: 7,
    networkName: 'Devnet',
    token: null,
    amount: { amount: '1500000000000000000', formatted: '1.5 BU', symbol: 'BU', decimals: 18 },
    to: '0x' + 'b'.repeat(40),
    from: '0x' + 'a'.repeat(40),
    txHash: '0x' + '1'.repeat(64),
    note: null,
    status,
    paidBy: null,
    requestId: null,
    detail: null,
  };
}

function message(id: string, status: PaymentT['status']): MessageT {
  return { id, peer: BOB, direction: 'out', text: 'You sent 1.5 BU', state: 'sent', sentAt: 1, localAt: 1, seq: 1, payment: payment(status) };
}

beforeEach(() => {
  calls.length = 0;
  const bridge = {
    invoke: (method: string, input: unknown) => {
      calls.push({ method, input });
      return Promise.resolve(reply(method, input));
    },
    on: () => () => {},
  } as unknown as Bridge;
  installBridge({ bridge, kind: 'test', onConnection: () => () => {} });
  useChatStore.getState().reset();
  useChatStore.getState().setPage(BOB, [], { older: false, hasMore: false });
});
afterEach(() => installBridge(null));

describe('payment calls', () => {
  it('prices a payment to the friend, native token omitted', async () => {
    reply = () => ({ ok: 'quote' });
    await quotePayment({ friend: BOB, networkId: 'devnet', token: null, amount: ' 1.5 ' }, 'fast');
    expect(calls).toEqual([{ method: 'wallet.quote', input: { friend: BOB, amount: '1.5', networkId: 'devnet', tier: 'fast' } }]);
  });

  it('sends with confirm, the token and a trimmed note, and merges the message', async () => {
    useContactsStore.getState().upsert({ address: BOB, name: 'Bob', state: 'friend', unread: 0, online: true, lastMessage: null, createdAt: 0, updatedAt: 0, wallet: '0x' + 'b'.repeat(40) });
    reply = () => message('p1', 'pending');
    const m = await sendPayment({ friend: BOB, networkId: 'devnet', token: TOKEN, amount: '2', note: '  lunch ' }, 'normal');
    expect(calls[0]).toEqual({ method: 'payments.send', input: { address: BOB, amount: '2', networkId: 'devnet', token: TOKEN, note: 'lunch', tier: 'normal', confirm: true } });
    expect(m.id).toBe('p1');
    expect(useChatStore.getState().threads[BOB.toLowerCase()]?.items.map((x) => x.id)).toEqual(['p1']);
    expect(useContactsStore.getState().byKey[BOB.toLowerCase()]?.lastMessage?.text).toBe('You sent 1.5 BU');
  });

  it('requests without a note when it is blank, and without confirm', async () => {
    reply = () => ({ ...message('r1', 'requested'), payment: { ...payment('requested'), type: 'request' } });
    await requestPayment({ friend: BOB, networkId: 'n2', token: null, amount: '2', note: '   ' });
    expect(calls[0]).toEqual({ method: 'payments.request', input: { address: BOB, amount: '2', networkId: 'n2' } });
  });

  it('pays a request by its id with one confirm', async () => {
    reply = () => message('p2', 'pending');
    await payRequest(BOB, 'req-9', 'normal');
    expect(calls[0]).toEqual({ method: 'payments.pay', input: { address: BOB, id: 'req-9', tier: 'normal', confirm: true } });
  });

  it('keeps a confirmation that arrived before the call’s own reply', async () => {
    useChatStore.getState().merge(message('p3', 'confirmed'));
    reply = () => message('p3', 'pending');
    const m = await sendPayment({ friend: BOB, networkId: 'devnet', token: null, amount: '1.5', note: '' }, 'normal');
    expect(m.payment?.status).toBe('confirmed');
    expect(useChatStore.getState().threads[BOB.toLowerCase()]?.items[0]?.payment?.status).toBe('confirmed');
  });

  it('turns a refusal into a UiError the dialog can show', async () => {
    const bridge = { invoke: () => Promise.reject(Object.assign(new Error('insufficient funds'), { code: 'BAD_INPUT' })), on: () => () => {} } as unknown as Bridge;
    installBridge({ bridge, kind: 'test', onConnection: () => () => {} });
    await expect(payRequest(BOB, 'x', 'normal')).rejects.toMatchObject({ name: 'UiError', code: 'BAD_INPUT' });
  });
});

describe('isStalePayment', () => {
  it('only refuses a move backwards', () => {
    expect(isStalePayment(message('a', 'confirmed'), message('a', 'pending'))).toBe(true);
    expect(isStalePayment(message('a', 'pending'), message('a', 'confirmed'))).toBe(false);
    expect(isStalePayment(message('a', 'pending'), message('a', 'failed'))).toBe(false);
    expect(isStalePayment(undefined, message('a', 'pending'))).toBe(false);
  });
});
