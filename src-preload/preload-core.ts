/**
 * @module preload-core
 * The Electron preload's logic without Electron, so a unit test can import it: which names
 * may cross, how a `CallResult` becomes a value or a rejection, how events fan out.
 *
 * Errors: contextBridge copies an `Error` by its message only (custom properties such as
 * `code` are dropped, and class identity never survives), so a failed call rejects with a
 * plain object `{ name: 'BridgeError', code, message }` — plain objects are copied intact.
 * The renderer maps it with `toUiError` (src-renderer/lib/errors), which reads `code`.
 */
import { MAX_VIDEO_FRAME, MEDIA_HEADER, isErrorCode, isEventName, isMethodName, type CallResult, type EventFrame } from './contract';

export type RendererError = { name: 'BridgeError'; code: string; message: string };

/** What the preload needs from ipcRenderer, in two functions. */
export type PreloadTransport = {
  /** ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input) */
  invoke(method: string, input: unknown): Promise<unknown>;
  /** Listen on IPC_EVENT_CHANNEL; returns the function that stops listening. */
  subscribe(listener: (frame: unknown) => void): () => void;
  /** ipcRenderer.send(IPC_MEDIA_CHANNEL, frame) */
  sendMedia(frame: Uint8Array): void;
  /** Listen on IPC_MEDIA_CHANNEL. */
  subscribeMedia(listener: (frame: unknown) => void): () => void;
};

export type PreloadApi = {
  invoke(method: unknown, input?: unknown): Promise<unknown>;
  on(event: unknown, listener: unknown): () => void;
  /** Call media, binary (contract/media.ts). */
  media: { send(frame: unknown): void; on(listener: unknown): () => void };
};

const MAX_MESSAGE = 1000;

export function rendererError(code: string, message: string): RendererError {
  return {
    name: 'BridgeError',
    code: isErrorCode(code) ? code : 'INTERNAL',
    message: String(message).slice(0, MAX_MESSAGE),
  };
}

function isCallResult(v: unknown): v is CallResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { ok?: unknown; error?: unknown };
  if (r.ok === true) return 'result' in r;
  if (r.ok !== false || typeof r.error !== 'object' || r.error === null) return false;
  const e = r.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

/** `{ok:true,result}` → result; `{ok:false,error}` → throws a RendererError; anything else → INTERNAL. */
export function unwrapCallResult(v: unknown): unknown {
  if (!isCallResult(v)) throw rendererError('INTERNAL', 'the node sent a malformed reply');
  if (v.ok) return v.result;
  throw rendererError(v.error.code, v.error.message);
}

/** A rejection from ipcRenderer.invoke itself (the main process had no handler or threw). */
export function transportError(e: unknown): RendererError {
  const message = e instanceof Error ? e.message : String(e);
  // Before the node is up (or after it shut down) there is no handler for the channel.
  if (/no handler registered/i.test(message)) return rendererError('NOT_RUNNING', 'the node is not running yet');
  return rendererError('INTERNAL', 'the call to the node failed');
}

function isEventFrame(v: unknown): v is EventFrame {
  return typeof v === 'object' && v !== null && typeof (v as { event?: unknown }).event === 'string' && 'payload' in v;
}

export function createPreloadApi(t: PreloadTransport, reportError: (e: unknown) => void = () => {}): PreloadApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let stop: (() => void) | null = null;

  function dispatch(frame: unknown): void {
    if (!isEventFrame(frame) || !isEventName(frame.event)) return;
    for (const l of [...(listeners.get(frame.event) ?? [])]) {
      try {
        l(frame.payload);
      } catch (e) {
        reportError(e); // one broken UI listener must not starve the others
      }
    }
  }

  async function invoke(method: unknown, input?: unknown): Promise<unknown> {
    if (!isMethodName(method)) {
      const shown = typeof method === 'string' ? `"${method.slice(0, 80)}"` : typeof method;
      throw rendererError('UNKNOWN_METHOD', `unknown method ${shown}`);
    }
    let reply: unknown;
    try {
      reply = await t.invoke(method, input === undefined ? {} : input);
    } catch (e) {
      throw transportError(e);
    }
    return unwrapCallResult(reply);
  }

  function on(event: unknown, listener: unknown): () => void {
    if (!isEventName(event)) {
      const shown = typeof event === 'string' ? `"${event.slice(0, 80)}"` : typeof event;
      throw rendererError('BAD_INPUT', `unknown event ${shown}`);
    }
    if (typeof listener !== 'function') throw rendererError('BAD_INPUT', 'an event listener must be a function');
    const fn = listener as (payload: unknown) => void;
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(fn);
    stop ??= t.subscribe(dispatch); // one IPC listener however many UI subscribers
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(fn);
      if (set.size === 0) listeners.delete(event);
      if (listeners.size === 0 && stop) {
        stop();
        stop = null;
      }
    };
  }

  const mediaListeners = new Set<(frame: Uint8Array) => void>();
  let stopMedia: (() => void) | null = null;
  const media = {
    send(frame: unknown): void {
      if (!(frame instanceof Uint8Array) || frame.length <= MEDIA_HEADER || frame.length > MEDIA_HEADER + MAX_VIDEO_FRAME) {
        throw rendererError('BAD_INPUT', 'a media frame is a Uint8Array of a header and 1 byte to 512 KiB');
      }
      t.sendMedia(frame);
    },
    on(listener: unknown): () => void {
      if (typeof listener !== 'function') throw rendererError('BAD_INPUT', 'a media listener must be a function');
      const fn = listener as (frame: Uint8Array) => void;
      mediaListeners.add(fn);
      stopMedia ??= t.subscribeMedia((frame) => {
        if (!(frame instanceof Uint8Array)) return;
        for (const l of [...mediaListeners]) {
          try {
            l(frame);
          } catch (e) {
            reportError(e);
          }
        }
      });
      return () => {
        mediaListeners.delete(fn);
        if (mediaListeners.size === 0 && stopMedia) {
          stopMedia();
          stopMedia = null;
        }
      };
    },
  };

  return { invoke, on, media };
}
