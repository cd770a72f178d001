import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { code, keyPair, msgId, tempStore, twoFriends, type TempStore } from './test-util';
import { openStore } from './store';

let t: TempStore;
let peer: string;
let other: string;
beforeEach(() => {
  t = tempStore();
  ({ peer, other } = twoFriends(t.store));
});
afterEach(() => t.cleanup());

const pay = (status: string, amount = '1500000000000000000') => ({ type: 'send', amount, status, token: null, note: 'lunch 🍜' });

describe('messages: payment rows (migration 0003)', () => {
  it('stores outgoing and incoming payments with their parsed JSON; text rows stay kind text', () => {
    const o = t.store.messages.insertOutgoing({ id: msgId(1), peer, text: 'Sent 1.5 BU', sentAt: 1, localAt: 1, kind: 'payment', payment: pay('pending') });
    expect(o).toMatchObject({ kind: 'payment', payment: pay('pending'), state: 'sending', direction: 'out' });
    const i = t.store.messages.insertIncoming({ id: msgId(2), peer, text: 'Requested 2 TT', sentAt: 2, localAt: 2, kind: 'payment', payment: pay('requested', '2') });
    expect(i.inserted).toBe(true);
    expect(i.row).toMatchObject({ kind: 'payment', payment: pay('requested', '2'), state: 'received' });
    // a retransmission is recognised, the stored JSON is not replaced
    const again = t.store.messages.insertIncoming({ id: msgId(2), peer, text: 'x', sentAt: 2, localAt: 3, kind: 'payment', payment: pay('confirmed') });
    expect(again).toMatchObject({ inserted: false, row: { payment: pay('requested', '2'), localAt: 2 } });
    const txt = t.store.messages.insertOutgoing({ id: msgId(3), peer, text: 'hi', sentAt: 3, localAt: 3 });
    expect(txt).toMatchObject({ kind: 'text', payment: null });
    expect(t.store.messages.get(peer, msgId(1))).toEqual(o);
    expect(t.store.messages.list(peer).map((r) => r.kind)).toEqual(['payment', 'payment', 'text']);
  });

  it('refuses a payment without JSON, JSON on a text, a non-object, an unknown kind', () => {
    const base = { peer, text: 't', sentAt: 1, localAt: 1 };
    expect(code(() => t.store.messages.insertOutgoing({ ...base, id: msgId(1), kind: 'payment' }))).toBe('BAD_INPUT');
    expect(code(() => t.store.messages.insertOutgoing({ ...base, id: msgId(2), payment: pay('pending') }))).toBe('BAD_INPUT');
    expect(code(() => t.store.messages.insertIncoming({ ...base, id: msgId(3), kind: 'payment', payment: [] as never }))).toBe('BAD_INPUT');
    expect(code(() => t.store.messages.insertIncoming({ ...base, id: msgId(4), kind: 'gift' as never, payment: pay('x') }))).toBe('BAD_INPUT');
    expect(code(() => t.store.messages.insertOutgoing({ ...base, id: msgId(5), kind: 'payment', payment: { big: 'x'.repeat(9000) } }))).toBe('BAD_INPUT');
    expect(t.store.messages.list(peer)).toEqual([]);
  });

  it('setPayment replaces the JSON of payment rows only and returns the row', () => {
    t.store.messages.insertOutgoing({ id: msgId(1), peer, text: 'Sent', sentAt: 1, localAt: 1, kind: 'payment', payment: pay('pending') });
    t.store.messages.insertOutgoing({ id: msgId(2), peer, text: 'hi', sentAt: 2, localAt: 2 });
    const r = t.store.messages.setPayment(peer.toLowerCase(), msgId(1), { ...pay('confirmed'), detail: 'Confirmed in block 7' });
    expect(r).toMatchObject({ id: msgId(1), payment: { status: 'confirmed', detail: 'Confirmed in block 7' }, state: 'sending' });
    expect(t.store.messages.get(peer, msgId(1))?.payment?.status).toBe('confirmed');
    expect(t.store.messages.setPayment(peer, msgId(2), pay('confirmed'))).toBeNull(); // a text message
    expect(t.store.messages.get(peer, msgId(2))?.payment).toBeNull();
    expect(t.store.messages.setPayment(peer, msgId(9), pay('confirmed'))).toBeNull();
    expect(t.store.messages.setPayment(other, msgId(1), pay('confirmed'))).toBeNull();
  });

  it('payments() lists payment rows of every peer oldest first, optionally by status', () => {
    t.store.messages.insertOutgoing({ id: msgId(1), peer, text: 'a', sentAt: 1, localAt: 1, kind: 'payment', payment: pay('pending') });
    t.store.messages.insertOutgoing({ id: msgId(2), peer, text: 'hi', sentAt: 2, localAt: 2 });
    t.store.messages.insertIncoming({ id: msgId(3), peer: other, text: 'b', sentAt: 3, localAt: 3, kind: 'payment', payment: pay('requested') });
    t.store.messages.insertIncoming({ id: msgId(4), peer: other, text: 'c', sentAt: 4, localAt: 4, kind: 'payment', payment: pay('confirmed') });
    expect(t.store.messages.payments().map((r) => r.id)).toEqual([msgId(1), msgId(3), msgId(4)]);
    expect(t.store.messages.payments(['pending', 'confirmed']).map((r) => r.id)).toEqual([msgId(1), msgId(4)]);
    expect(t.store.messages.payments([])).toEqual([]);
    expect(t.store.messages.payments(["pending') OR 1=1 --"])).toEqual([]); // a value, never SQL
    expect(code(() => t.store.messages.payments([1] as never))).toBe('BAD_INPUT');
  });

  it('payments and wallets survive closing and reopening the encrypted file', () => {
    const w = keyPair().address;
    t.store.contacts.setWallet(peer, w);
    t.store.messages.insertOutgoing({ id: msgId(1), peer, text: 'a', sentAt: 1, localAt: 1, kind: 'payment', payment: pay('pending') });
    t.store.close();
    const s = openStore(t.file, t.key);
    try {
      expect(s.messages.get(peer, msgId(1))?.payment).toEqual(pay('pending'));
      expect(s.contacts.get(peer)?.wallet).toBe(w);
    } finally {
      s.close();
    }
  });
});
