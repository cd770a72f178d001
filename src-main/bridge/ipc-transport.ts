/**
 * @module bridge/ipc-transport
 * Serves the dispatcher over Electron IPC without importing 'electron': the shell passes its
 * `ipcMain` (only `handle`/`removeHandler` are used) and a `send` function that posts an
 * `EventFrame` to the window on `IPC_EVENT_CHANNEL`.
 *
 * The invoke handler always resolves with a `CallResult` (it never throws), because Electron
 * flattens a thrown error into a string and the stable error code would be lost; the preload
 * turns `{ok:false}` into a `BridgeError`.
 */
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './event-hub';
import { IPC_INVOKE_CHANNEL, errorSentence, type CallResult, type EventFrame } from '../../src-preload/contract';

export type IpcMainLike = {
  handle(channel: string, fn: (e: unknown, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
};

export type IpcOptions = {
  /** Optional sender check (e.g. the event's frame URL / webContents id); false → UNAUTHORIZED. */
  isTrustedSender?: (event: unknown) => boolean;
};

/** Starts serving; returns the function that stops it (removes the handler, unsubscribes). */
export function serveIpc(
  ipcMain: IpcMainLike,
  dispatcher: Dispatcher,
  events: EventHub,
  send: (frame: EventFrame) => void,
  opts: IpcOptions = {},
): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (e: unknown, method: unknown, input: unknown): Promise<CallResult> => {
    if (opts.isTrustedSender && !opts.isTrustedSender(e)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: errorSentence('UNAUTHORIZED') } };
    }
    return dispatcher.call(method, input);
  });
  const unsubscribe = events.subscribe((frame) => {
    try {
      send(frame);
    } catch {
      // A destroyed window must not break event delivery to the other subscribers.
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
