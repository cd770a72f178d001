/**
 * @module electron-preload
 * The sandboxed preload of the Electron window. Exposes exactly
 * `window.bitunicom = { invoke(method, input), on(event, listener), media: { send, on } }` through contextBridge and
 * nothing else — never ipcRenderer, never a generic send. Names are checked against the
 * contract before anything crosses IPC; the logic lives in preload-core.ts (unit-tested).
 *
 * Built by electron-vite to out/preload/index.cjs as one self-contained CommonJS file: a
 * sandboxed preload can `require` only 'electron' and a few built-ins, so zod and the contract
 * are bundled in.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_MEDIA_CHANNEL, PRELOAD_GLOBAL } from './contract';
import { createPreloadApi } from './preload-core';

const api = createPreloadApi(
  {
    invoke: (method, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input),
    subscribe(listener) {
      const handler = (_event: IpcRendererEvent, frame: unknown): void => listener(frame);
      ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
      return () => {
        ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
      };
    },
    sendMedia: (frame) => ipcRenderer.send(IPC_MEDIA_CHANNEL, frame),
    subscribeMedia(listener) {
      const handler = (_event: IpcRendererEvent, frame: unknown): void => listener(frame);
      ipcRenderer.on(IPC_MEDIA_CHANNEL, handler);
      return () => {
        ipcRenderer.removeListener(IPC_MEDIA_CHANNEL, handler);
      };
    },
  },
  (e) => console.error('bitunicom: an event listener threw', e),
);

// Wrap so only these functions cross the bridge, whatever else `api` grows.
contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, {
  invoke: (method: unknown, input?: unknown) => api.invoke(method, input),
  on: (event: unknown, listener: unknown) => api.on(event, listener),
  media: {
    send: (frame: unknown) => api.media.send(frame),
    on: (listener: unknown) => api.media.on(listener),
  },
});
