/**
 * @module renderer/features/calls/missed-store.test
 * The rail badge through a fake bridge: it shows the node's `calls.missed` count, asks again
 * when a missed call arrives, follows `calls.missed` events, is marked seen at once on the
 * Calls screen, and `markCallsSeen` clears it here and asks the node to remember.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageT } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import { useNavStore } from '../../layout/nav-store';
import { followMissed, markCallsSeen, useMissedStore } from './missed-store';

type Listener = (p: unknown) => void;
const tick = () => new Promise((r) => setTimeout(r, 0));

function install(node: { missed: number }) {
  const asked: string[] = [];
  const listeners = new Map<string, Set<Listener>>();
  installBridge({
    kind: 'test',
    onConnection: () => () => {},
    bridge: {
      invoke: (async (method: string) => {
        asked.push(method);
        if (method === 'calls.missed') return { count: node.missed };
        if (method === 'calls.markSeen') {
          node.missed = 0;
          return { count: 0 };
        }
        throw new Error(`unexpected ${method}`);
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

const callMessage = (outcome: 'missed' | 'answered', direction: 'incoming' | 'outgoing' = 'incoming'): MessageT => ({
  id: 'a'.repeat(32),
  peer: '0x' + '1'.repeat(40),
  direction: direction === 'incoming' ? 'in' : 'out',
  text: 'call',
  state: 'received',
  sentAt: 1,
  localAt: 1,
  seq: 1,
  payment: null,
  call: { id: 'b'.repeat(32), direction, video: false, outcome, durationMs: 0 },
});

afterEach(() => {
  useNavStore.setState({ view: 'chats' });
  installBridge(null);
});

describe('missed-calls badge', () => {
  it('starts from the node count and asks again only when a missed call arrives', async () => {
    const node = { missed: 3 };
    const { asked, emit } = install(node);
    const stop = followMissed();
    await tick();
    expect(useMissedStore.getState().count).toBe(3);
    node.missed = 4;
    emit('message.added', callMessage('answered'));
    emit('message.added', { ...callMessage('missed'), call: null });
    await tick();
    expect(asked).toEqual(['calls.missed']);
    emit('message.added', callMessage('missed'));
    await tick();
    expect(useMissedStore.getState().count).toBe(4);
    // Another window marked them seen.
    emit('calls.missed', { count: 0 });
    expect(useMissedStore.getState().count).toBe(0);
    stop();
    emit('calls.missed', { count: 9 });
    expect(useMissedStore.getState().count).toBe(0);
  });

  it('on the Calls screen a new missed call is marked seen at once', async () => {
    const node = { missed: 0 };
    const { asked, emit } = install(node);
    const stop = followMissed();
    await tick();
    useNavStore.setState({ view: 'calls' });
    node.missed = 1;
    emit('message.added', callMessage('missed'));
    await tick();
    expect(asked).toEqual(['calls.missed', 'calls.markSeen']);
    expect(useMissedStore.getState().count).toBe(0);
    expect(node.missed).toBe(0);
    stop();
  });

  it('markCallsSeen clears the badge and tells the node', async () => {
    const node = { missed: 2 };
    const { asked } = install(node);
    useMissedStore.setState({ count: 2 });
    await markCallsSeen();
    expect(useMissedStore.getState().count).toBe(0);
    expect(asked).toEqual(['calls.markSeen']);
    expect(node.missed).toBe(0);
  });
});
