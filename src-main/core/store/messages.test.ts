import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { code, keyPair, msgId, tempStore, twoFriends, type TempStore } from './test-util';

let t: TempStore;
let peer: string;
let other: string;
beforeEach(() => {
  t = tempStore();
  ({ peer, other } = twoFriends(t.store));
});
afterEach(() => t.cleanup());

const out = (n: number, localAt = n * 10, to = peer) =>
  t.store.messages.insertOutgoing({ id: msgId(n), peer: to, text: `out ${n}`, sentAt: n, localAt });
const inc = (n: number, from = peer) => t.store.messages.insertIncoming({ id: msgId(n), peer: from, text: `in ${n}`, sentAt: n, localAt: n * 10 });

describe('messages: inserting', () => {
  it('insertOutgoing stores a sending message due at localAt', () => {
    const row = t.store.messages.insertOutgoing({ id: msgId(1), peer: peer.toLowerCase(), text: 'hi', sentAt: 5, localAt: 7 });
    expect(row).toEqual({
      id: msgId(1),
      peer, // checksummed display form
      direction: 'out',
      text: 'hi',
      state: 'sending',
      sentAt: 5,
      localAt: 7,
      seq: row.seq,
      attempts: 0,
      nextAttemptAt: 7,
      mailboxedAt: null,
      kind: 'text',
      payment: null,
      call: null,
    });
    expect(Number.isInteger(row.seq)).toBe(true);
    expect(t.store.messages.get(peer, msgId(1))).toEqual(row);
    expect(code(() => out(1))).toBe('BAD_INPUT'); // duplicate id
  });

  it('insertIncoming is idempotent on (peer, id)', () => {
    const first = inc(1);
    expect(first.inserted).toBe(true);
    expect(first.row).toMatchObject({ direction: 'in', state: 'received', text: 'in 1', attempts: 0, peer });
    const dup = t.store.messages.insertIncoming({ id: msgId(1).toUpperCase(), peer: peer.toLowerCase(), text: 'changed', sentAt: 99, localAt: 99 });
    expect(dup).toEqual({ row: first.row, inserted: false });
    expect(t.store.messages.list(peer)).toHaveLength(1);
    // the same id from another peer is a different message
    expect(inc(1, other).inserted).toBe(true);
  });

  it('requires a known contact and well-formed fields', () => {
    const stranger = keyPair().address;
    expect(code(() => t.store.messages.insertIncoming({ id: msgId(1), peer: stranger, text: 'x', sentAt: 1, localAt: 1 }))).toBe('NOT_FOUND');
    expect(code(() => t.store.messages.insertOutgoing({ id: msgId(1), peer: stranger, text: 'x', sentAt: 1, localAt: 1 }))).toBe('NOT_FOUND');
    expect(code(() => t.store.messages.insertOutgoing({ id: 'abc', peer, text: 'x', sentAt: 1, localAt: 1 }))).toBe('BAD_INPUT');
    expect(code(() => t.store.messages.insertOutgoing({ id: msgId(1), peer: 'bob', text: 'x', sentAt: 1, localAt: 1 }))).toBe('BAD_INPUT');
    expect(code(() => t.store.messages.insertOutgoing({ id: msgId(1), peer, text: 'x', sentAt: 1.5, localAt: 1 }))).toBe('BAD_INPUT');
    expect(t.store.messages.pendingCount()).toBe(0);
  });

  it('get returns null for unknown messages', () => {
    expect(t.store.messages.get(peer, msgId(42))).toBeNull();
  });
});

describe('messages: reading', () => {
  it('list pages backwards by seq, each page ascending', () => {
    const seqs: number[] = [];
    for (let i = 1; i <= 7; i++) seqs.push(i % 2 ? out(i).seq : inc(i).row.seq);
    inc(100, other); // another conversation, never listed here
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    expect(t.store.messages.list(peer).map((m) => m.seq)).toEqual(seqs);
    const newest3 = t.store.messages.list(peer, { limit: 3 });
    expect(newest3.map((m) => m.seq)).toEqual(seqs.slice(4));
    const before = t.store.messages.list(peer, { beforeSeq: newest3[0]!.seq, limit: 3 });
    expect(before.map((m) => m.seq)).toEqual(seqs.slice(1, 4));
    const rest = t.store.messages.list(peer, { beforeSeq: before[0]!.seq, limit: 3 });
    expect(rest.map((m) => m.seq)).toEqual(seqs.slice(0, 1));
    expect(t.store.messages.list(peer, { beforeSeq: seqs[0]! })).toEqual([]);
    expect(t.store.messages.list(peer, { limit: 0 })).toEqual([]);
    expect(code(() => t.store.messages.list(peer, { limit: -1 }))).toBe('BAD_INPUT');
  });

  it('list defaults to the newest 100', () => {
    t.store.tx(() => {
      for (let i = 1; i <= 120; i++) inc(i);
    });
    const page = t.store.messages.list(peer);
    expect(page).toHaveLength(100);
    expect(page[0]!.text).toBe('in 21');
    expect(page.at(-1)!.text).toBe('in 120');
  });

  it('last returns the newest message of the conversation', () => {
    expect(t.store.messages.last(peer)).toBeNull();
    out(1);
    inc(2);
    inc(3, other);
    expect(t.store.messages.last(peer)?.id).toBe(msgId(2));
    expect(t.store.messages.last(other)?.id).toBe(msgId(3));
  });
});

describe('messages: delivery state and outbox', () => {
  it('setState updates and returns the row, null when missing', () => {
    out(1);
    expect(t.store.messages.setState(peer, msgId(1), 'sent')?.state).toBe('sent');
    expect(t.store.messages.get(peer, msgId(1))?.state).toBe('sent');
    expect(t.store.messages.setState(peer, msgId(9), 'sent')).toBeNull();
    expect(code(() => t.store.messages.setState(peer, msgId(1), 'lost' as 'sent'))).toBe('BAD_INPUT');
  });

  it('setState never moves a delivered message back to sending/sent', () => {
    out(1);
    t.store.messages.markDelivered(peer, [msgId(1)]);
    expect(t.store.messages.setState(peer, msgId(1), 'sent')?.state).toBe('delivered');
    expect(t.store.messages.setState(peer, msgId(1), 'sending')?.state).toBe('delivered');
    expect(t.store.messages.get(peer, msgId(1))?.state).toBe('delivered');
  });

  it('markDelivered returns only outgoing rows that changed', () => {
    out(1);
    out(2);
    out(3);
    inc(4);
    out(5, 50, other);
    t.store.messages.setState(peer, msgId(2), 'sent');
    const changed = t.store.messages.markDelivered(peer, [msgId(1), msgId(2), msgId(4), msgId(5), msgId(77), msgId(1)]);
    expect(changed.map((m) => [m.id, m.state])).toEqual([
      [msgId(1), 'delivered'],
      [msgId(2), 'delivered'],
    ]);
    // idempotent: a second receipt changes nothing
    expect(t.store.messages.markDelivered(peer, [msgId(1), msgId(2)])).toEqual([]);
    expect(t.store.messages.get(peer, msgId(3))?.state).toBe('sending');
    expect(t.store.messages.get(peer, msgId(4))?.state).toBe('received'); // incoming untouched
    expect(t.store.messages.get(other, msgId(5))?.state).toBe('sending'); // other peer untouched
    expect(t.store.messages.markDelivered(peer, [])).toEqual([]);
  });

  it('dueOutbox returns due outgoing sending/sent messages, oldest first, honouring limit', () => {
    const m1 = out(1, 100);
    const m2 = out(2, 300);
    const m3 = out(3, 200, other);
    const m4 = out(4, 50);
    out(5, 10);
    inc(6);
    t.store.messages.setState(peer, msgId(2), 'sent');
    t.store.messages.setState(peer, msgId(5), 'failed');
    t.store.messages.markDelivered(peer, [msgId(4)]);

    expect(t.store.messages.dueOutbox(99).map((m) => m.id)).toEqual([]);
    expect(t.store.messages.dueOutbox(250).map((m) => m.id)).toEqual([m1.id, m3.id]);
    expect(t.store.messages.dueOutbox(1000).map((m) => m.seq)).toEqual([m1.seq, m2.seq, m3.seq]);
    expect(t.store.messages.dueOutbox(1000, 2).map((m) => m.seq)).toEqual([m1.seq, m2.seq]);
    expect(m4.seq).toBeGreaterThan(m3.seq);
    // per peer: only that peer's due messages, same order and limit rules
    expect(t.store.messages.dueOutboxFor(peer, 1000).map((m) => m.id)).toEqual([m1.id, m2.id]);
    expect(t.store.messages.dueOutboxFor(other.toLowerCase(), 1000).map((m) => m.id)).toEqual([m3.id]);
    expect(t.store.messages.dueOutboxFor(peer, 150).map((m) => m.id)).toEqual([m1.id]);
  });

  it('scheduleRetry records attempts and postpones the message', () => {
    out(1, 100);
    t.store.messages.scheduleRetry(peer, msgId(1), 1, 5000);
    expect(t.store.messages.get(peer, msgId(1))).toMatchObject({ attempts: 1, nextAttemptAt: 5000 });
    expect(t.store.messages.dueOutbox(4999)).toEqual([]);
    expect(t.store.messages.dueOutbox(5000).map((m) => m.id)).toEqual([msgId(1)]);
    inc(2);
    t.store.messages.scheduleRetry(peer, msgId(2), 3, 1); // incoming: ignored
    expect(t.store.messages.get(peer, msgId(2))).toMatchObject({ attempts: 0 });
    t.store.messages.scheduleRetry(peer, msgId(99), 1, 1); // unknown: no-op
    expect(code(() => t.store.messages.scheduleRetry(peer, msgId(1), -1, 1))).toBe('BAD_INPUT');
  });

  it('pendingCount counts outgoing messages not yet delivered or failed', () => {
    expect(t.store.messages.pendingCount()).toBe(0);
    out(1);
    out(2);
    out(3);
    out(4, 40, other);
    inc(5);
    t.store.messages.setState(peer, msgId(2), 'sent');
    t.store.messages.setState(peer, msgId(3), 'failed');
    expect(t.store.messages.pendingCount()).toBe(3);
    t.store.messages.markDelivered(peer, [msgId(1), msgId(2)]);
    expect(t.store.messages.pendingCount()).toBe(1);
  });
});

describe('messages: foreign keys', () => {
  it('never reports a row as stored when its contact is missing (autocommit)', () => {
    const stranger = keyPair().address;
    expect(code(() => t.store.messages.insertIncoming({ id: msgId(1), peer: stranger, text: 'x', sentAt: 1, localAt: 1 }))).toBe('NOT_FOUND');
    expect(t.store.messages.get(stranger, msgId(1))).toBeNull();
    expect(t.store.db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
  });
});
