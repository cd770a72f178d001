import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './store';
import { code, msgId, tempStore, twoFriends, type TempStore } from './test-util';

let t: TempStore;
let peer: string;
let other: string;
beforeEach(() => {
  t = tempStore();
  ({ peer, other } = twoFriends(t.store));
});
afterEach(() => t.cleanup());

const MISSED = ['missed', 'cancelled', 'no-answer', 'busy'];
const callId = (n: number) => n.toString(16).padStart(32, 'c');
type Opts = { peer?: string; at: number; direction?: 'in' | 'out'; outcome?: string };
function call(n: number, o: Opts) {
  const direction = o.direction ?? 'out';
  const record = { id: callId(n), direction: direction === 'in' ? 'incoming' : 'outgoing', video: n % 2 === 0, outcome: o.outcome ?? 'answered', durationMs: 0 };
  return t.store.messages.insertCall({ id: msgId(n), peer: o.peer ?? peer, direction, text: 'call', at: o.at, call: record }).row;
}
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('store.calls.page: call records across conversations, newest first', () => {
  it('mixes both conversations, leaves other messages out, and orders by time then message id', () => {
    t.store.messages.insertOutgoing({ id: msgId(100), peer, text: 'hi', sentAt: 500, localAt: 500 });
    call(1, { at: 100 });
    call(2, { at: 300, peer: other, direction: 'in', outcome: 'missed' });
    call(3, { at: 200 });
    call(5, { at: 300 }); // same millisecond as 2: the higher message id comes first
    const page = t.store.calls.page();
    expect(ids(page.rows)).toEqual([msgId(5), msgId(2), msgId(3), msgId(1)]);
    expect(page.rows.map((r) => r.peer.toLowerCase())).toEqual([peer, other, peer, peer].map((p) => p.toLowerCase()));
    expect(page.rows[1]!.call).toMatchObject({ id: callId(2), direction: 'incoming', outcome: 'missed' });
    expect(page.next).toBeNull();
  });

  it('pages with a cursor: no row twice, none skipped, even across equal times', () => {
    for (let n = 1; n <= 23; n++) call(n, { at: 1000 + Math.floor(n / 3), peer: n % 2 ? peer : other });
    const seen: string[] = [];
    let before: { at: number; id: string } | undefined;
    let pages = 0;
    for (;;) {
      const p = t.store.calls.page({ before, limit: 5 });
      pages++;
      expect(p.rows.length).toBeLessThanOrEqual(5);
      seen.push(...ids(p.rows));
      if (!p.next) break;
      expect(p.next).toEqual({ at: p.rows[4]!.localAt, id: p.rows[4]!.id });
      before = p.next;
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    const expected = Array.from({ length: 23 }, (_, i) => i + 1)
      .sort((a, b) => Math.floor(b / 3) - Math.floor(a / 3) || b - a)
      .map(msgId);
    expect(seen).toEqual(expected);
  });

  it('a page exactly full has next only when more rows follow', () => {
    for (let n = 1; n <= 4; n++) call(n, { at: n });
    expect(t.store.calls.page({ limit: 4 }).next).toBeNull();
    const first = t.store.calls.page({ limit: 3 });
    expect(first.next).toEqual({ at: 2, id: msgId(2) });
    const rest = t.store.calls.page({ before: first.next!, limit: 3 });
    expect(ids(rest.rows)).toEqual([msgId(1)]);
    expect(rest.next).toBeNull();
  });

  it('refuses a bad limit or cursor with BAD_INPUT', () => {
    expect(code(() => t.store.calls.page({ limit: 0 }))).toBe('BAD_INPUT');
    expect(code(() => t.store.calls.page({ limit: 201 }))).toBe('BAD_INPUT');
    expect(code(() => t.store.calls.page({ limit: 1.5 }))).toBe('BAD_INPUT');
    expect(code(() => t.store.calls.page({ before: { at: 1, id: 'xyz' } }))).toBe('BAD_INPUT');
    expect(code(() => t.store.calls.page({ before: { at: Number.NaN, id: msgId(1) } }))).toBe('BAD_INPUT');
    expect(code(() => t.store.calls.page({ limit: 200 }))).toBe('ok');
  });

  it('is served by the call-history index (no table scan, no sort)', () => {
    const plan = (sql: string) => (t.store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' | ');
    const page = plan("SELECT * FROM messages WHERE kind = 'call' AND (local_at, id) < (5, 'a') ORDER BY local_at DESC, id DESC LIMIT 10");
    expect(page).toMatch(/SEARCH messages USING INDEX messages_call_history/);
    expect(page).not.toMatch(/TEMP B-TREE/);
    const missed = plan("SELECT count(*) FROM messages WHERE kind = 'call' AND direction = 'in' AND seq > 3 AND json_extract(call, '$.outcome') = 'missed'");
    expect(missed).toMatch(/messages_calls_in/);
  });
});

describe('store.calls missed badge', () => {
  it('counts missed incoming calls only, until marked seen; new ones count again', () => {
    call(1, { at: 10, direction: 'in', outcome: 'missed' });
    call(2, { at: 20, direction: 'in', outcome: 'busy', peer: other });
    call(3, { at: 30, direction: 'in', outcome: 'answered' });
    call(4, { at: 40, direction: 'in', outcome: 'declined' });
    call(5, { at: 50, direction: 'out', outcome: 'no-answer' }); // ours: never "missed"
    expect(t.store.calls.missed(MISSED)).toBe(2);
    expect(t.store.calls.markSeen()).toBeGreaterThan(0);
    expect(t.store.calls.missed(MISSED)).toBe(0);
    // Recorded after the marker with an older time (it rang before the screen was opened): still new.
    call(6, { at: 5, direction: 'in', outcome: 'cancelled' });
    expect(t.store.calls.missed(MISSED)).toBe(1);
    expect(t.store.calls.missed(['answered'])).toBe(0);
    expect(code(() => t.store.calls.missed([1 as unknown as string]))).toBe('BAD_INPUT');
  });

  it('the marker and the count survive closing and reopening the encrypted store', () => {
    call(1, { at: 10, direction: 'in', outcome: 'missed' });
    t.store.calls.markSeen();
    call(2, { at: 20, direction: 'in', outcome: 'no-answer' });
    call(3, { at: 30, direction: 'in', outcome: 'missed', peer: other });
    const marker = t.store.calls.seenSeq();
    t.store.close();
    const again = openStore(t.file, t.key);
    try {
      expect(again.calls.seenSeq()).toBe(marker);
      expect(again.calls.missed(MISSED)).toBe(2);
      expect(ids(again.calls.page().rows)).toEqual([msgId(3), msgId(2), msgId(1)]);
      again.calls.markSeen();
    } finally {
      again.close();
    }
    const third = openStore(t.file, t.key);
    try {
      expect(third.calls.missed(MISSED)).toBe(0);
    } finally {
      third.close();
    }
  });

  it('markSeen with no calls keeps 0 and never moves the marker back', () => {
    expect(t.store.calls.markSeen()).toBe(0);
    call(1, { at: 1, direction: 'in', outcome: 'missed' });
    const m = t.store.calls.markSeen();
    t.store.settings.set('calls.missedSeenSeq', String(m + 10));
    expect(t.store.calls.markSeen()).toBe(m + 10);
  });
});
