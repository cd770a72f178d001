/**
 * @module renderer/features/calls/history-store.test
 * Loading the call history from each friend's conversation through a fake bridge: only call
 * messages are kept, a friend whose conversation fails is counted, all failing is an error,
 * and live message events add calls while the screen follows them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ContactT, MessageT } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import { followHistory, loadHistory, resetHistory, useHistoryStore } from './history-store';

const BOB = '0x1111111111111111111111111111111111111111';
const CAROL = '0x2222222222222222222222222222222222222222';
const DAVE = '0x3333333333333333333333333333333333333333';

const contact = (address: string): ContactT => ({ address, name: address.slice(2, 6), state: 'friend', unread: 0, online: true, lastMessage: null, createdAt: 1, updatedAt: 1, wallet: null });
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
  call: withCall ? { id: id.padEnd(32, 'f'), direction: 'incoming', video: false, outcome: 'missed', durationMs: 0 } : null,
});

type Listener = (p: unknown) => void;

function install(pages: Record<string, MessageT[] | 'fail'>) {
  const asked: Array<{ address: string; limit?: number }> = [];
  const listeners = new Map<string, Set<Listener>>();
  installBridge({
    kind: 'test',
    onConnection: () => () => {},
    bridge: {
      invoke: (async (method: string, input: { address: string; limit?: number }) => {
        if (method !== 'messages.list') throw new Error(`unexpected ${method}`);
        asked.push(input);
        const page = pages[input.address];
        if (page === 'fail' || !page) throw Object.assign(new Error('down'), { code: 'NETWORK' });
        return page;
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
  return { asked, emit };
}

afterEach(() => {
  resetHistory();
  installBridge(null);
});

describe('loadHistory', () => {
  it('reads each friend once and keeps only call messages, newest first', async () => {
    const { asked } = install({
      [BOB]: [message('b1', BOB, 10, true), message('b2', BOB, 20, false)],
      [CAROL]: [message('c1', CAROL, 30, true)],
    });
    await loadHistory([contact(BOB), contact(CAROL)]);
    expect(asked.map((a) => a.address).sort()).toEqual([BOB, CAROL]);
    expect(asked.every((a) => a.limit === 500)).toBe(true);
    const s = useHistoryStore.getState();
    expect(s.status).toBe('ready');
    expect(s.failed).toBe(0);
    expect(s.entries.map((e) => e.id)).toEqual(['c1', 'b1']);
  });

  it('counts friends whose conversation failed, and is an error only when all fail', async () => {
    install({ [BOB]: [message('b1', BOB, 10, true)], [CAROL]: 'fail', [DAVE]: 'fail' });
    await loadHistory([contact(BOB), contact(CAROL), contact(DAVE)]);
    expect(useHistoryStore.getState()).toMatchObject({ status: 'ready', failed: 2 });
    resetHistory();
    install({ [BOB]: 'fail' });
    await loadHistory([contact(BOB)]);
    expect(useHistoryStore.getState()).toMatchObject({ status: 'error', failed: 1, entries: [] });
  });

  it('is ready at once without friends', async () => {
    install({});
    await loadHistory([]);
    expect(useHistoryStore.getState().status).toBe('ready');
  });
});

describe('followHistory', () => {
  it('adds call messages from events until stopped', () => {
    const { emit } = install({});
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
