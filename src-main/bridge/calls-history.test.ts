/**
 * The call-history bridge methods end to end below the transport: the real dispatcher (input
 * validation, output parsing) over the node's real `calls.*` history handlers and a real
 * encrypted store — paging through `next`, the friend's name on each entry, the badge and
 * `calls.markSeen` (with its `calls.missed` event), and bad inputs refused in one clear line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TypedEmitter } from '../core/base';
import { callHandlers } from '../core/node/call-handlers';
import type { NodeCore } from '../core/node/node';
import { msgId, tempStore, twoFriends, type TempStore } from '../core/store/test-util';
import type { BridgeHandlers, CallHistoryPageT, CallResult } from '../../src-preload/contract';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { createFakeNode } from './fake-node';

let t: TempStore;
let d: Dispatcher;
let peer: string;
let other: string;
let emitted: Array<{ count: number }>;

beforeEach(() => {
  t = tempStore();
  ({ peer, other } = twoFriends(t.store));
  t.store.contacts.rename(other, 'Carol');
  emitted = [];
  const events = new TypedEmitter<{ 'calls.missed': { count: number } }>();
  events.on('calls.missed', (e) => void emitted.push(e));
  const node = { requireRuntime: () => ({ store: t.store }), runtime: null, events } as unknown as NodeCore;
  const handlers: BridgeHandlers = { ...createFakeNode({ phase: 'unlocked' }).handlers, ...callHandlers(node) };
  d = createDispatcher(handlers);
});
afterEach(() => t.cleanup());

function record(n: number, o: { at: number; peer?: string; incoming?: boolean; outcome?: string }) {
  const call = { id: n.toString(16).padStart(32, 'e'), direction: o.incoming ? 'incoming' : 'outgoing', video: n === 2, outcome: o.outcome ?? 'answered', durationMs: o.outcome ? 0 : 61_000 };
  t.store.messages.insertCall({ id: msgId(n), peer: o.peer ?? peer, direction: o.incoming ? 'in' : 'out', text: 'call', at: o.at, call });
}

function ok<T>(r: CallResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

describe('calls.history over the dispatcher', () => {
  it('pages every conversation newest first; each entry has its friend and record', async () => {
    for (let n = 1; n <= 5; n++) record(n, { at: n * 10, peer: n % 2 ? peer : other });
    const first = ok<CallHistoryPageT>(await d.call('calls.history', { limit: 2 }));
    expect(first.entries.map((e) => e.id)).toEqual([msgId(5), msgId(4)]);
    expect(first.entries[1]).toEqual({
      id: msgId(4),
      peer: expect.stringMatching(new RegExp(`^${other}$`, 'i')),
      peerName: 'Carol',
      at: 40,
      record: { id: (4).toString(16).padStart(32, 'e'), direction: 'outgoing', video: false, outcome: 'answered', durationMs: 61_000 },
    });
    expect(first.next).toEqual({ at: 40, id: msgId(4) });
    const second = ok<CallHistoryPageT>(await d.call('calls.history', { before: first.next, limit: 2 }));
    const third = ok<CallHistoryPageT>(await d.call('calls.history', { before: second.next, limit: 2 }));
    expect([...second.entries, ...third.entries].map((e) => e.at)).toEqual([30, 20, 10]);
    expect(third.next).toBeNull();
    // No input at all: the default page.
    expect(ok<CallHistoryPageT>(await d.call('calls.history', undefined)).entries).toHaveLength(5);
  });

  it('refuses bad inputs with BAD_INPUT and a line naming the field', async () => {
    const bad = async (input: unknown) => {
      const r = await d.call('calls.history', input);
      return r.ok ? 'accepted' : `${r.error.code} ${r.error.message}`;
    };
    expect(await bad({ limit: 0 })).toBe('BAD_INPUT limit: Too small: expected number to be >=1');
    expect(await bad({ limit: 201 })).toBe('BAD_INPUT limit: Too big: expected number to be <=200');
    expect(await bad({ limit: 2.5 })).toMatch(/^BAD_INPUT limit: /);
    expect(await bad({ before: { at: 1, id: 'not-hex' } })).toBe('BAD_INPUT before.id: a message id is 32 lowercase hex digits');
    expect(await bad({ before: { id: msgId(1) } })).toMatch(/^BAD_INPUT before\.at: /);
    expect(await bad({ before: { at: 1, id: msgId(1), seq: 3 } })).toBe('BAD_INPUT before: Unrecognized key: "seq"');
    expect(await bad({ page: 2 })).toBe('BAD_INPUT input: Unrecognized key: "page"');
    expect(await bad({ limit: '10' })).toMatch(/^BAD_INPUT limit: /);
    expect(await bad({ limit: 200 })).toBe('accepted');
    const missed = await d.call('calls.missed', { all: true });
    expect(missed.ok ? 'accepted' : missed.error.code).toBe('BAD_INPUT');
    const seen = await d.call('calls.markSeen', { count: 0 });
    expect(seen.ok ? 'accepted' : seen.error.code).toBe('BAD_INPUT');
  });
});

describe('calls.missed / calls.markSeen over the dispatcher', () => {
  it('counts missed incoming calls, clears on markSeen (emitting calls.missed), counts new ones again', async () => {
    record(1, { at: 1, incoming: true, outcome: 'missed' });
    record(2, { at: 2, incoming: true, outcome: 'no-answer', peer: other });
    record(3, { at: 3, incoming: true }); // answered
    record(4, { at: 4, outcome: 'no-answer' }); // ours
    expect(ok(await d.call('calls.missed', {}))).toEqual({ count: 2 });
    expect(ok(await d.call('calls.markSeen', {}))).toEqual({ count: 0 });
    expect(emitted).toEqual([{ count: 0 }]);
    expect(ok(await d.call('calls.missed', {}))).toEqual({ count: 0 });
    record(5, { at: 5, incoming: true, outcome: 'busy' });
    expect(ok(await d.call('calls.missed', {}))).toEqual({ count: 1 });
  });
});
