/**
 * @module renderer/bridge
 * The renderer's only way to reach the node. In Electron the preload exposes
 * `window.bitunicom = { invoke, on }`; in a browser tab (headless daemon) the loopback
 * WebSocket client from `src-preload/web-client` provides the same `Bridge` type plus
 * connection events. `call()` wraps `invoke` so every failure becomes a `UiError` with a
 * stable code (see lib/errors). Tests can install a fake with `installBridge`.
 */
import type { Bridge, EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../src-preload/contract';
import { webBridgeFromLocation } from '../src-preload/web-client';
import { toUiError } from './lib/errors';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export type Transport = {
  bridge: Bridge;
  /** Calls back with every connection change; Electron IPC is always 'open'. */
  onConnection(cb: (state: ConnectionState) => void): () => void;
  kind: 'electron' | 'web' | 'test';
};

let transport: Transport | null = null;

function preloadBridge(): Bridge | null {
  if (typeof window === 'undefined') return null;
  const candidate = (window as unknown as { bitunicom?: unknown }).bitunicom;
  if (candidate && typeof candidate === 'object') {
    const b = candidate as Partial<Bridge>;
    if (typeof b.invoke === 'function' && typeof b.on === 'function') return b as Bridge;
  }
  return null;
}

function createTransport(): Transport {
  const electron = preloadBridge();
  if (electron) {
    return {
      kind: 'electron',
      bridge: electron,
      onConnection(cb) {
        cb('open');
        return () => {};
      },
    };
  }
  // Throws BridgeError('UNAUTHORIZED') when the page was opened without a token.
  const web = webBridgeFromLocation(window.location);
  return {
    kind: 'web',
    bridge: web,
    onConnection(cb) {
      cb(web.state());
      return web.onConnection(cb);
    },
  };
}

/** The transport, created on first use; throws a UiError if none can be made. */
export function getTransport(): Transport {
  try {
    transport ??= createTransport();
  } catch (error) {
    throw toUiError(error);
  }
  return transport;
}

/** Replace the transport (unit tests, storybook-like harnesses). */
export function installBridge(t: Transport | null): void {
  transport = t;
}

/** Invoke a bridge method; rejects with a `UiError` (code + human sentence). */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  try {
    return await getTransport().bridge.invoke(method, input);
  } catch (error) {
    throw toUiError(error);
  }
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return getTransport().bridge.on(event, listener);
}
