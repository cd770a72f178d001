/**
 * @module web-client
 * The bridge for the headless shell's web UI: the same `Bridge` type the Electron preload
 * exposes, carried over the loopback WebSocket (`ws://127.0.0.1:PORT/bridge?token=…`) served
 * by `src-main/daemon/web-server`. Browser-safe: no Node imports.
 *
 * - Calls made while (re)connecting are queued and sent once the socket opens.
 * - A call already sent when the socket drops is rejected with `NETWORK` (it may or may not
 *   have run: never resent, because e.g. `messages.send` is not idempotent).
 * - Reconnects with exponential backoff (250 ms doubling to 10 s, ±20 % jitter), reset on open.
 * - Failures reject with `BridgeError(code, message)` using the contract's stable codes.
 *
 * Frames: see `RequestFrame` / `ResponseFrame` / `EventFrame` in `./contract`. Call media
 * travels as binary WebSocket messages (`./contract/media`): `media.send` drops a frame while
 * the socket is not open (live media is never queued), `media.on` gets every binary message.
 */
import { BridgeError, isEventName, type Bridge, type EventFrame, type ResponseFrame } from './contract';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export type WebBridge = Bridge & {
  onConnection(cb: (state: ConnectionState) => void): () => void;
  close(): void;
  /** The current connection state. */
  state(): ConnectionState;
};

export type WebBridgeOptions = {
  url: string;
  token: string;
  WebSocketImpl?: typeof WebSocket;
  /** A call without an answer after this long rejects with NETWORK (default 120 s). */
  callTimeoutMs?: number;
  /** Most calls that may wait for a connection (default 1000). */
  maxQueued?: number;
  backoff?: { initialMs?: number; maxMs?: number };
};

type Pending = { resolve(v: unknown): void; reject(e: BridgeError): void; timer: ReturnType<typeof setTimeout> | null };
type Queued = { id: number; text: string };

const OPEN = 1;

export function createWebBridge(opts: WebBridgeOptions): WebBridge {
  const Impl = opts.WebSocketImpl ?? globalThis.WebSocket;
  if (!Impl) throw new BridgeError('INTERNAL', 'WebSocket is not available in this environment');
  const target = new URL(opts.url);
  target.searchParams.set('token', opts.token);
  const callTimeoutMs = opts.callTimeoutMs ?? 120_000;
  const maxQueued = opts.maxQueued ?? 1000;
  const initialMs = opts.backoff?.initialMs ?? 250;
  const maxMs = opts.backoff?.maxMs ?? 10_000;

  let ws: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let closedByUser = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  const queue: Queued[] = [];
  const pending = new Map<number, Pending>();
  const sent = new Set<number>();
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const mediaListeners = new Set<(frame: Uint8Array) => void>();

  function setState(s: ConnectionState): void {
    if (s === state) return;
    state = s;
    for (const cb of [...stateListeners]) {
      try {
        cb(s);
      } catch {
        // a listener's bug must not break the connection logic
      }
    }
  }

  function settle(id: number, fn: (p: Pending) => void): void {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    sent.delete(id);
    if (p.timer) clearTimeout(p.timer);
    fn(p);
  }

  function onMedia(data: ArrayBuffer): void {
    const frame = new Uint8Array(data);
    for (const l of [...mediaListeners]) {
      try {
        l(frame);
      } catch {
        // isolate listener errors
      }
    }
  }

  function onMessage(data: unknown): void {
    if (data instanceof ArrayBuffer) return onMedia(data);
    if (typeof data !== 'string') return;
    let frame: Partial<ResponseFrame & EventFrame>;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    if (typeof frame.event === 'string') {
      if (!isEventName(frame.event)) return;
      for (const l of [...(listeners.get(frame.event) ?? [])]) {
        try {
          (l as (p: unknown) => void)(frame.payload);
        } catch {
          // isolate listener errors
        }
      }
      return;
    }
    if (typeof frame.id !== 'number') return;
    const r = frame as ResponseFrame;
    if (r.ok === true) settle(r.id, (p) => p.resolve(r.result));
    else if (r.ok === false) {
      settle(r.id, (p) => p.reject(new BridgeError(String(r.error?.code ?? 'INTERNAL'), String(r.error?.message ?? ''))));
    }
  }

  function flush(): void {
    while (ws && ws.readyState === OPEN && queue.length) {
      const q = queue.shift()!;
      if (!pending.has(q.id)) continue; // timed out while queued
      sent.add(q.id);
      ws.send(q.text);
    }
  }

  function connect(): void {
    retryTimer = null;
    if (closedByUser) return;
    setState('connecting');
    let sock: WebSocket;
    try {
      sock = new Impl(target.toString());
    } catch {
      scheduleRetry();
      return;
    }
    ws = sock;
    sock.binaryType = 'arraybuffer';
    sock.onopen = () => {
      attempt = 0;
      setState('open');
      flush();
    };
    sock.onmessage = (ev: MessageEvent) => onMessage(ev.data);
    sock.onerror = () => {
      // 'close' follows; nothing to do here
    };
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      for (const id of [...sent]) {
        settle(id, (p) => p.reject(new BridgeError('NETWORK', 'The connection to the node was lost before it answered.')));
      }
      setState('closed');
      scheduleRetry();
    };
  }

  function scheduleRetry(): void {
    if (closedByUser || retryTimer) return;
    const base = Math.min(maxMs, initialMs * 2 ** attempt);
    attempt = Math.min(attempt + 1, 30);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    retryTimer = setTimeout(connect, delay);
  }

  function invoke(method: string, input: unknown): Promise<unknown> {
    if (closedByUser) return Promise.reject(new BridgeError('NOT_RUNNING', 'The bridge has been closed.'));
    if (queue.length >= maxQueued) {
      return Promise.reject(new BridgeError('NETWORK', 'Too many calls are waiting for the connection to the node.'));
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer =
        callTimeoutMs > 0
          ? setTimeout(() => settle(id, (p) => p.reject(new BridgeError('NETWORK', `No answer from the node to ${method}.`))), callTimeoutMs)
          : null;
      pending.set(id, { resolve, reject, timer });
      queue.push({ id, text: JSON.stringify({ id, method, input: input ?? {} }) });
      flush();
    });
  }

  connect();

  return {
    invoke: invoke as Bridge['invoke'],
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => void set.delete(listener as (payload: never) => void);
    },
    media: {
      send(frame) {
        if (ws && ws.readyState === OPEN) ws.send(frame);
      },
      on(listener) {
        mediaListeners.add(listener);
        return () => void mediaListeners.delete(listener);
      },
    },
    onConnection(cb) {
      stateListeners.add(cb);
      return () => void stateListeners.delete(cb);
    },
    state: () => state,
    close() {
      if (closedByUser) return;
      closedByUser = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const sock = ws;
      ws = null;
      queue.length = 0;
      for (const id of [...pending.keys()]) {
        settle(id, (p) => p.reject(new BridgeError('NOT_RUNNING', 'The bridge has been closed.')));
      }
      try {
        sock?.close(1000);
      } catch {
        // already closing
      }
      setState('closed');
    },
  };
}

/** Where the page keeps the token across reloads of the same tab. */
export const TOKEN_STORAGE_KEY = 'bitunicom.token';

// Structural stand-ins for the DOM's Location / History / Storage, so this file also
// type-checks under the Node config (where the DOM lib is absent) and tests can pass fakes.
export type LocationLike = { protocol: string; host: string; pathname: string; search: string; hash: string };
export type HistoryLike = { readonly state: unknown; replaceState(data: unknown, unused: string, url?: string | null): void };
export type StorageLike = { getItem(key: string): string | null; setItem(key: string, value: string): void };
type PageGlobals = { sessionStorage?: StorageLike; history?: HistoryLike };

export type FromLocationDeps = {
  history?: HistoryLike;
  storage?: StorageLike;
  WebSocketImpl?: typeof WebSocket;
};

/**
 * Builds the bridge for a page served by `bitunicom serve`: takes `?token=` from the page URL,
 * keeps it in sessionStorage (so a reload works), removes it from the address bar (so it does
 * not end up in history, screenshots or shared links) and connects to `ws://<host>/bridge`.
 * Throws `BridgeError('UNAUTHORIZED')` if no token is known.
 */
export function webBridgeFromLocation(loc: LocationLike, deps: FromLocationDeps = {}): WebBridge {
  const page = globalThis as PageGlobals;
  const storage = deps.storage ?? page.sessionStorage;
  const history = deps.history ?? page.history;
  const params = new URLSearchParams(loc.search);
  let token = params.get('token');
  if (token) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // storage may be disabled; the page still works until reloaded
    }
    params.delete('token');
    const search = params.toString();
    history?.replaceState(history.state ?? null, '', `${loc.pathname}${search ? `?${search}` : ''}${loc.hash}`);
  } else {
    try {
      token = storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
    } catch {
      token = null;
    }
  }
  if (!token) {
    throw new BridgeError('UNAUTHORIZED', 'No access token: open the link printed by `bitunicom serve`.');
  }
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWebBridge({ url: `${scheme}//${loc.host}/bridge`, token, WebSocketImpl: deps.WebSocketImpl });
}
