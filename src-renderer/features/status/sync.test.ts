import { afterEach, describe, expect, it } from 'vitest';
import type { AppStateT, Bridge, ContactT, EventName, EventPayload, MessageT } from '../../../src-preload/contract';
import { BridgeError } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import type { ConnectionState } from '../../bridge';
import { useChatStore } from '../chat/chat-store';
import { openConversation } from '../chat/open-conversation';
import { useContactsStore } from '../contacts/contacts-store';
import { useAppStore } from './app-store';
import { startSync } from './sync';

const ME = '0x1111111111111111111111111111111111111111';
const BOB = '0x2222222222222222222222222222222222222222';

function fakeNode(initial: AppStateT['phase']) {
  let state: AppStateT = { phase: initial, address: ME, name: 'Me', dataDir: '/tmp/x', version: '0.1.0' };
  const bob: ContactT = { address: BOB, name: 'Bob', state: 'friend', unread: 0, online: true, lastMessage: null, createdAt: 1, updatedAt: 1, wallet: null };
  const calls: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let connection: ((s: ConnectionState) => void) | null = null;
  const handlers: Record<string, (input: never) => unknown> = {
    'app.getState': () => state,
    'contacts.list': () => [bob],
    'contacts.requests': () => [],
    'node.status': () => ({ phase: state.phase, address: ME, name: 'Me', listen: null, peers: [], uptimeMs: 0, outboxPending: 0, nat: { type: 'unknown', mapped: null }, routers: [], dhtNodes: 0, version: '0.1.0' }),
    'messages.list': () => [],
    'account.unlock': (input: { password: string }) => {
      if (input.password !== 'right-password') throw new BridgeError('WRONG_PASSWORD', 'nope');
      state = { ...state, phase: 'unlocked' };
      return state;
    },
  };
  const bridge: Bridge = {
    media: { send: () => {}, on: () => () => {} },
    invoke: (async (method: string, input: unknown) => {
      calls.push(method);
      const h = handlers[method];
      if (!h) throw new BridgeError('UNKNOWN_METHOD', method);
      return h(input as never);
    }) as Bridge['invoke'],
    on: ((event: string, cb: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(cb);
      return () => set.delete(cb);
    }) as Bridge['on'],
  };
  return {
    calls,
    transport: {
      kind: 'test' as const,
      bridge,
      onConnection(cb: (s: ConnectionState) => void) {
        connection = cb;
        cb('open');
        return () => {
          connection = null;
        };
      },
    },
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const cb of listeners.get(event) ?? []) cb(payload);
    },
    setConnection: (s: ConnectionState) => connection?.(s),
    setState(next: Partial<AppStateT>) {
      state = { ...state, ...next };
      return state;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  installBridge(null);
});

describe('sync', () => {
  it('loads the app state, then account data once unlocked, and merges events', async () => {
    const node = fakeNode('locked');
    installBridge(node.transport);
    stop = startSync();
    await tick();
    expect(useAppStore.getState().app?.phase).toBe('locked');
    expect(node.calls).not.toContain('contacts.list');

    node.emit('app.state', node.setState({ phase: 'unlocked' }));
    await tick();
    expect(useContactsStore.getState().byKey[BOB]?.name).toBe('Bob');

    openConversation(BOB);
    await tick();
    const m: MessageT = { id: 'a1', peer: BOB, direction: 'in', text: 'hello', state: 'received', sentAt: 5, localAt: 6, seq: 1, payment: null };
    node.emit('message.added', m);
    node.emit('message.added', m);
    expect(useChatStore.getState().threads[BOB]?.items).toHaveLength(1);
    expect(useContactsStore.getState().byKey[BOB]?.lastMessage?.text).toBe('hello');

    node.emit('contact.updated', { ...useContactsStore.getState().byKey[BOB]!, unread: 3 });
    expect(useContactsStore.getState().byKey[BOB]?.unread).toBe(3);

    node.emit('app.state', node.setState({ phase: 'locked' }));
    expect(useContactsStore.getState().byKey).toEqual({});
    expect(useChatStore.getState().threads).toEqual({});
  });

  it('reloads after the connection comes back', async () => {
    const node = fakeNode('unlocked');
    installBridge(node.transport);
    stop = startSync();
    await tick();
    const before = node.calls.filter((c) => c === 'contacts.list').length;
    node.setConnection('closed');
    expect(useAppStore.getState().connection).toBe('closed');
    node.setConnection('open');
    await tick();
    await tick();
    expect(node.calls.filter((c) => c === 'contacts.list').length).toBe(before + 1);
  });
});
