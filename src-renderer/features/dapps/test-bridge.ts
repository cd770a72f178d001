/**
 * @module renderer/features/dapps/test-bridge
 * A fake bridge for the DApps stores' tests: each method answers from a handler (a missing
 * one is UNKNOWN_METHOD, as a node without the store would answer), every call is recorded,
 * and `emit` plays a bridge event to its subscribers.
 */
import { BridgeError } from '../../../src-preload/contract';
import type { Bridge } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';

type Handler = (input: never) => unknown;
type Listener = (payload: unknown) => void;

export function fakeBridge(handlers: Record<string, Handler>) {
  const calls: Array<{ method: string; input: unknown }> = [];
  const listeners = new Map<string, Set<Listener>>();
  const bridge: Bridge = {
    media: { send: () => {}, on: () => () => {} },
    invoke: (async (method: string, input: unknown) => {
      calls.push({ method, input });
      const h = handlers[method];
      if (!h) throw new BridgeError('UNKNOWN_METHOD', method);
      return h(input as never);
    }) as Bridge['invoke'],
    on: ((event: string, l: Listener) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => listeners.get(event)!.delete(l);
    }) as Bridge['on'],
  };
  const connection = new Set<(state: 'connecting' | 'open' | 'closed') => void>();
  installBridge({
    kind: 'test',
    bridge,
    onConnection: (cb) => {
      connection.add(cb);
      cb('open');
      return () => connection.delete(cb);
    },
  });
  return {
    calls,
    handlers,
    methods: () => calls.map((c) => c.method),
    emit: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
    listening: (event: string) => listeners.get(event)?.size ?? 0,
    /** The web bridge's connection going down or coming back. */
    connection: (state: 'connecting' | 'open' | 'closed') => connection.forEach((cb) => cb(state)),
  };
}

export const settle = () => new Promise((r) => setTimeout(r, 0));
