/**
 * @module renderer/features/calls/history-store.test
 * The Calls screen's history through a fake bridge serving `calls.history` over a list of
 * records: the first page, older pages by the `next` cursor (none twice, none asked while one
 * is being read, nothing past the end), a failing first read is an error, and live message
 * events add calls while the screen follows them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CallHistoryEntryT, MessageT } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import { bumpEpoch } from '../../lib/epoch';
import { HISTORY_PAGE, followHistory, loadHistory, loadMore, resetHistory, useHistoryStore } from './history-store';

const BOB = '0x1111111111111111111111111111111111111111';
const CAROL = '0x2222222222222222222222222222222222222222';
const mid = (n: number) => n.toString(16).padStart(32, '0');

const record = { id: 'f'.repeat(32), direction: 'incoming' as const, video: false, outcome: 'missed' as const, durationMs: 0 };
const entry = (n: number): CallHistoryEntryT => ({ id: mid(n), peer: n % 2 ? BOB : CAROL, peerName: '', at: n * 10, record });
const message = (id: string, peer: string, at: number, withCall: boolean): MessageT => ({
  id,
  peer,
  direction: 'in',
  text: withCall ? 'Missed voice call' : 'hi',
  state: 'received',
  sentAt: at,
  localAt: at,
  seq: at,
  payment: null,
  call: withCall ? { ...record, id: id.padEnd(32, 'f') } : null,
});

type Listener = (p: unknown) => void;
type Input = { before?: { at: number; id: string }; limit?: number };

/** A bridge whose calls.history pages `total` records (newest: the highest n), or fails. */
function install(total: number | 'fail') {
  const asked: Input[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const all = total === 'fail' ? [] : Array.from({ length: total }, (_, i) => entry(total - i));
  let hold: Promise<void> | null = null;
  installBridge({
    kind: 'test',
    onConnection: () => () => {},
    bridge: {
      invoke: (async (method: string, input: Input) => {
        if (method !== 'calls.history') throw new Error(`unexpected ${method}`);
        asked.push(input);
        if (hold) await hold;
        if (total === 'fail') throw Object.assign(new Error('down'), { code: 'LOCKED' });
        const start = input.before ? all.findIndex((e) => e.id === input.before!.id) + 1 : 0;
        const rows = all.slice(start, start + (input.limit ?? 50));
        const last = rows[rows.length - 1];
        return { entries: rows, next: start + rows.length < all.length && last ? { at: last.at, id: last.id } : null };
      }) as never,
      on: ((event: string, l: Listener) => {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(l);
        return () => listeners.get(event)!.delete(l);
      }) as never,
      media: { send: () => {}, on: () => () => {} },
    },
  });
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  const pause = () => {
    let release = () => {};
    hold = new Promise<void>((r) => (release = r));
    return () => {
      hold = null;
      release();
    };
  };
  return { asked, emit, pause };
}

afterEach(() => {
  resetHistory();
  installBridge(null);
});

describe('loadHistory / loadMore', () => {
  it('reads the newest page, then older pages by the cursor until the oldest call', async () => {
    const { asked } = install(HISTORY_PAGE * 2 + 7);
    await loadHistory();
    let s = useHistoryStore.getState();
    expect(s.status).toBe('ready');
    expect(s.entries).toHaveLength(HISTORY_PAGE);
    expect(s.entries[0]!.id).toBe(mid(HISTORY_PAGE * 2 + 7));
    expect(s.next).toEqual({ at: (HISTORY_PAGE + 8) * 10, id: mid(HISTORY_PAGE + 8) });
    expect(await loadMore()).toBe(true);
    expect(await loadMore()).toBe(true);
    s = useHistoryStore.getState();
    expect(s.entries).toHaveLength(HISTORY_PAGE * 2 + 7);
    expect(new Set(s.entries.map((e) => e.id)).size).toBe(s.entries.length);
    expect(s.entries.map((e) => e.at)).toEqual([...s.entries.map((e) => e.at)].sort((a, b) => b - a));
    expect(s.next).toBeNull();
    expect(await loadMore()).toBe(false); // past the end: nothing asked
    expect(asked).toEqual([
      { limit: HISTORY_PAGE },
      { before: { at: (HISTORY_PAGE + 8) * 10, id: mid(HISTORY_PAGE + 8) }, limit: HISTORY_PAGE },
      { before: { at: 80, id: mid(8) }, limit: HISTORY_PAGE },
    ]);
  });

  it('asks for one older page at a time', async () => {
    const { asked, pause } = install(HISTORY_PAGE * 3);
    await loadHistory();
    const release = pause();
    const first = loadMore();
    expect(useHistoryStore.getState().loadingMore).toBe(true);
    expect(await loadMore()).toBe(false);
    release();
    await first;
    expect(asked).toHaveLength(2);
    expect(useHistoryStore.getState()).toMatchObject({ loadingMore: false });
    expect(useHistoryStore.getState().entries).toHaveLength(HISTORY_PAGE * 2);
  });

  it('is an error when the first read fails, and drops a reply that comes after a lock', async () => {
    install('fail');
    await loadHistory();
    expect(useHistoryStore.getState()).toMatchObject({ status: 'error', entries: [], next: null });
    resetHistory();
    const { pause } = install(3);
    const release = pause();
    const pending = loadHistory();
    bumpEpoch();
    release();
    await pending;
    expect(useHistoryStore.getState().entries).toEqual([]);
  });

  it('is ready and empty without calls', async () => {
    install(0);
    await loadHistory();
    expect(useHistoryStore.getState()).toMatchObject({ status: 'ready', entries: [], next: null });
  });
});

describe('followHistory', () => {
  it('adds call messages from events until stopped', () => {
    const { emit } = install(0);
    const stop = followHistory();
    emit('message.added', message('x1', BOB, 5, true));
    emit('message.added', message('x2', BOB, 6, false));
    emit('message.updated', message('x1', BOB, 5, true));
    expect(useHistoryStore.getState().entries.map((e) => e.id)).toEqual(['x1']);
    stop();
    emit('message.added', message('x3', BOB, 7, true));
    expect(useHistoryStore.getState().entries).toHaveLength(1);
  });
});
