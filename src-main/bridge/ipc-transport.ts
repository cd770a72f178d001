/**
 * @module bridge/ipc-transport
 * Serves the dispatcher over Electron IPC without importing 'electron': the shell passes its
 * `ipcMain` (only `handle`/`removeHandler` are used) and a `send` function that posts an
 * `EventFrame` to the window on `IPC_EVENT_CHANNEL`.
 *
 * The invoke handler always resolves with a `CallResult` (it never throws), because Electron
 * flattens a thrown error into a string and the stable error code would be lost; the preload
 * turns `{ok:false}` into a `BridgeError`.
 *
 * Call media (optional): frames from the window arrive on `IPC_MEDIA_CHANNEL` via `ipcMain.on`
 * (fire-and-forget, structured-clone Uint8Array) and go to the node's MediaPort, which
 * validates them; frames for the window go out through `sendMedia`.
 */
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './event-hub';
import { IPC_INVOKE_CHANNEL, IPC_MEDIA_CHANNEL, errorSentence, type CallResult, type EventFrame, type MediaPort } from '../../src-preload/contract';

export type IpcMainLike = {
  handle(channel: string, fn: (e: unknown, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
};

export type IpcOptions = {
  /** Optional sender check (e.g. the event's frame URL / webContents id); false → UNAUTHORIZED. */
  isTrustedSender?: (event: unknown) => boolean;
  media?: {
    port: MediaPort;
    ipcMain: { on(channel: string, fn: (e: unknown, frame: unknown) => void): void; removeListener(channel: string, fn: (e: unknown, frame: unknown) => void): void };
    send(frame: Uint8Array): void;
  };
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
  const media = opts.media;
  const onMedia = (e: unknown, frame: unknown): void => {
    if (opts.isTrustedSender && !opts.isTrustedSender(e)) return;
    if (frame instanceof Uint8Array) media?.port.fromUi(frame);
  };
  media?.ipcMain.on(IPC_MEDIA_CHANNEL, onMedia);
  const unsubscribeMedia =
    media?.port.subscribe((frame) => {
      try {
        media.send(frame);
      } catch {
        // the window is gone
      }
    }) ?? (() => {});
  return () => {
    unsubscribe();
    unsubscribeMedia();
    media?.ipcMain.removeListener(IPC_MEDIA_CHANNEL, onMedia);
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
