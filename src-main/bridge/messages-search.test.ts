/**
 * `messages.search` end to end below the transport: the real dispatcher (input validation,
 * output parsing) over the node's real search handler and a real encrypted store — results
 * with the friend's name and marked snippets, the per-friend filter, paging through `next`,
 * bad inputs refused in one line, and the fake node's refusal.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchHandlers } from '../core/node/search-handlers';
import type { NodeCore } from '../core/node/node';
import { MARK_CLOSE, MARK_OPEN } from '../core/store/search';
import { msgId, tempStore, twoFriends, type TempStore } from '../core/store/test-util';
import type { BridgeHandlers, CallResult } from '../../src-preload/contract';
import { SEARCH_MARK_CLOSE, SEARCH_MARK_OPEN, type SearchPageT } from '../../src-preload/contract/search';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { createFakeNode } from './fake-node';

let t: TempStore;
let d: Dispatcher;
let peer: string;
let other: string;

beforeEach(() => {
  t = tempStore();
  ({ peer, other } = twoFriends(t.store));
  t.store.contacts.rename(other, 'Carol');
  const node = { requireRuntime: () => ({ store: t.store }) } as unknown as NodeCore;
  const handlers: BridgeHandlers = { ...createFakeNode({ phase: 'unlocked' }).handlers, ...searchHandlers(node) };
  d = createDispatcher(handlers);
});
afterEach(() => t.cleanup());

function ok<T>(r: CallResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

describe('messages.search over the dispatcher', () => {
  it('returns matches with the friend, a marked snippet, and pages through next', async () => {
    for (let n = 1; n <= 5; n++) t.store.messages.insertIncoming({ id: msgId(n), peer: n % 2 ? peer : other, text: `lunch at noon ${n}`, sentAt: n, localAt: n * 10 });
    const first = ok<SearchPageT>(await d.call('messages.search', { query: 'LUNCH', limit: 2 }));
    expect(first.results).toHaveLength(2);
    expect(first.results[0]).toEqual({
      id: msgId(5),
      peer: expect.stringMatching(new RegExp(`^${peer}$`, 'i')),
      peerName: 'a',
      seq: expect.any(Number),
      at: 50,
      direction: 'in',
      snippet: `${SEARCH_MARK_OPEN}lunch${SEARCH_MARK_CLOSE} at noon 5`,
    });
    expect(first.next).toEqual(expect.any(String));
    const rest = ok<SearchPageT>(await d.call('messages.search', { query: 'lunch', limit: 100, before: first.next }));
    expect(rest.next).toBeNull();
    expect([...first.results, ...rest.results].map((r) => r.at)).toEqual([50, 40, 30, 20, 10]);
    const carol = ok<SearchPageT>(await d.call('messages.search', { query: 'noon', peer: other }));
    expect(carol.results.map((r) => [r.peerName, r.at])).toEqual([['Carol', 40], ['Carol', 20]]);
    expect(ok<SearchPageT>(await d.call('messages.search', { query: '  ' }))).toEqual({ results: [], next: null });
  });

  it('uses the same marker characters as the store', () => {
    expect([SEARCH_MARK_OPEN, SEARCH_MARK_CLOSE]).toEqual([MARK_OPEN, MARK_CLOSE]);
  });

  it('refuses bad inputs with BAD_INPUT naming the field', async () => {
    const bad = async (input: unknown) => {
      const r = await d.call('messages.search', input);
      return r.ok ? 'accepted' : `${r.error.code} ${r.error.message}`;
    };
    expect(await bad({})).toMatch(/^BAD_INPUT query: /);
    expect(await bad({ query: 'x', limit: 101 })).toBe('BAD_INPUT limit: Too big: expected number to be <=100');
    expect(await bad({ query: 'x', peer: 'bob' })).toMatch(/^BAD_INPUT peer: /);
    expect(await bad({ query: 'x', before: 'drop table' })).toBe('BAD_INPUT before: a search cursor is the `next` of a previous page');
    expect(await bad({ query: 'x', raw: true })).toBe('BAD_INPUT input: Unrecognized key: "raw"');
    expect(await bad({ query: 'x'.repeat(1001) })).toMatch(/^BAD_INPUT query: /);
  });

  it('the fake node has no search index', async () => {
    const fake = createDispatcher(createFakeNode({ phase: 'unlocked' }).handlers);
    const r = await fake.call('messages.search', { query: 'x' });
    expect(r.ok ? 'ok' : r.error.code).toBe('NOT_RUNNING');
  });
});
