import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate';
import { m0001Initial } from './migrations/0001-initial';
import { m0002Mailbox } from './migrations/0002-mailbox';
import { m0003Payments } from './migrations/0003-payments';
import { MIGRATIONS } from './migrations';
import { openDatabase } from './db';
import { openStore } from './store';
import { code, keyPair, msgId, tempStore, twoFriends, type TempStore } from './test-util';

let t: TempStore;
let peer: string;
let other: string;
beforeEach(() => {
  t = tempStore();
  ({ peer, other } = twoFriends(t.store));
});
afterEach(() => t.cleanup());

const CALL = 'c'.repeat(32);
const rec = (over: Record<string, unknown> = {}) => ({ id: CALL, direction: 'outgoing', video: false, outcome: 'answered', durationMs: 201_000, ...over });
const call = (n: number, over: { direction?: 'in' | 'out'; call?: Record<string, unknown>; at?: number; peer?: string } = {}) =>
  t.store.messages.insertCall({ id: msgId(n), peer: over.peer ?? peer, direction: over.direction ?? 'out', text: 'Voice call · 3:21', at: over.at ?? 50, call: (over.call ?? rec()) as never });

describe('messages: call records (migration 0004)', () => {
  it('stores ours as sent and theirs as received, with the record parsed back, in conversation order', () => {
    t.store.messages.insertOutgoing({ id: msgId(1), peer, text: 'calling you', sentAt: 10, localAt: 10 });
    const out = call(2);
    expect(out).toMatchObject({ inserted: true, row: { kind: 'call', direction: 'out', state: 'sent', text: 'Voice call · 3:21', sentAt: 50, localAt: 50, payment: null, call: rec() } });
    const theirs = call(3, { direction: 'in', call: rec({ id: 'd'.repeat(32), direction: 'incoming', outcome: 'missed', durationMs: 0 }) });
    expect(theirs.row).toMatchObject({ state: 'received', direction: 'in', call: { outcome: 'missed' } });
    expect(t.store.messages.get(peer, msgId(2))).toEqual(out.row);
    expect(t.store.messages.list(peer).map((r) => [r.kind, r.state])).toEqual([
      ['text', 'sending'],
      ['call', 'sent'],
      ['call', 'received'],
    ]);
    expect(t.store.messages.last(peer)?.id).toBe(msgId(3));
    expect(t.store.messages.insertOutgoing({ id: msgId(4), peer, text: 'x', sentAt: 1, localAt: 1 }).call).toBeNull();
  });

  it('records one call once per peer: a repeat returns the stored row, another peer gets its own', () => {
    const first = call(1);
    const again = call(2, { call: rec({ outcome: 'failed' }), at: 99 });
    expect(again).toEqual({ inserted: false, row: first.row });
    expect(call(3, { peer: other }).inserted).toBe(true);
    expect(t.store.messages.list(peer)).toHaveLength(1);
    // a message id already used by something else is not silently taken as that call
    t.store.messages.insertOutgoing({ id: msgId(7), peer, text: 'hi', sentAt: 1, localAt: 1 });
    expect(code(() => call(7, { call: rec({ id: 'f'.repeat(32) }) }))).toBe('BAD_INPUT');
  });

  it('is never in the outbox, never counted pending, never delivered by an ACK, its state fixed', () => {
    call(1);
    call(2, { direction: 'in', call: rec({ id: 'd'.repeat(32) }) });
    expect(t.store.messages.dueOutbox(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(t.store.messages.dueOutboxFor(peer, Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(t.store.messages.pendingCount()).toBe(0);
    expect(t.store.messages.markDelivered(peer, [msgId(1)])).toEqual([]);
    expect(t.store.messages.setState(peer, msgId(1), 'failed')?.state).toBe('sent');
    expect(t.store.messages.setState(peer, msgId(2), 'delivered')?.state).toBe('received');
    // a text next to it still flows as before
    t.store.messages.insertOutgoing({ id: msgId(3), peer, text: 'hi', sentAt: 3, localAt: 3 });
    expect(t.store.messages.dueOutbox(Number.MAX_SAFE_INTEGER).map((r) => r.id)).toEqual([msgId(3)]);
    expect(t.store.messages.pendingCount()).toBe(1);
  });

  it('refuses a call through the send paths, a record without an id or too large, a bad direction, an unknown peer', () => {
    const base = { peer, text: 't', sentAt: 1, localAt: 1 };
    expect(code(() => t.store.messages.insertOutgoing({ ...base, id: msgId(1), kind: 'call' }))).toBe('BAD_INPUT');
    expect(code(() => t.store.messages.insertIncoming({ ...base, id: msgId(2), kind: 'call' }))).toBe('BAD_INPUT');
    expect(code(() => call(3, { call: { outcome: 'missed' } }))).toBe('BAD_INPUT');
    expect(code(() => call(4, { call: [] as never }))).toBe('BAD_INPUT');
    expect(code(() => call(5, { call: rec({ pad: 'x'.repeat(3000) }) }))).toBe('BAD_INPUT');
    expect(code(() => call(6, { direction: 'sideways' as never }))).toBe('BAD_INPUT');
    expect(code(() => call(8, { at: 1.5 }))).toBe('BAD_INPUT');
    expect(code(() => call(9, { peer: keyPair().address }))).toBe('NOT_FOUND');
    expect(t.store.messages.list(peer)).toEqual([]);
  });

  it('an encrypted version-3 profile opens migrated, its messages kept, and takes call records', () => {
    t.store.close();
    const db = openDatabase(t.file, t.key);
    db.pragma('user_version = 0');
    db.exec('DROP VIEW messages_search; DROP TABLE messages_fts'); // the search index (migration 0006) refers to messages
    db.exec('DROP TABLE messages; DROP TABLE ratchets; DROP TABLE prekeys; DROP TABLE contacts; DROP TABLE endpoints; DROP TABLE seen; DROP TABLE settings');
    migrate(db, [m0001Initial, m0002Mailbox, m0003Payments]);
    const a = keyPair();
    db.prepare("INSERT INTO contacts (address_key, address, public_key, name, state, created_at, updated_at) VALUES (?, ?, ?, 'a', 'friend', 1, 1)").run(a.address.toLowerCase(), a.address, Buffer.from(a.publicKey));
    db.prepare("INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at) VALUES (?, ?, ?, 'out', 'old', 'sending', 1, 1)").run(a.address.toLowerCase(), a.address, msgId(1));
    db.close();
    const s = openStore(t.file, t.key);
    try {
      expect(s.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(s.messages.list(a.address).map((r) => [r.text, r.kind, r.call])).toEqual([['old', 'text', null]]);
      expect(s.messages.insertCall({ id: msgId(2), peer: a.address, direction: 'in', text: 'Missed voice call', at: 5, call: rec() as never }).inserted).toBe(true);
      expect(s.messages.dueOutbox(Number.MAX_SAFE_INTEGER).map((r) => r.id)).toEqual([msgId(1)]);
    } finally {
      s.close();
    }
  });
});
