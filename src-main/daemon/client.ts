/**
 * @module daemon/client
 * How CLI commands reach a node. `connectDaemon` opens the running `bitunicom serve` for a
 * profile through `<DATA>/daemon.json` and the loopback WebSocket (token in the query, the
 * server's own Origin, exactly like the web UI). `openLocal` opens the profile in-process
 * (for `init`/`import` when nothing is serving). Both give a `Caller` that throws
 * `BridgeError(code, message)` on failure.
 */
import { WebSocket } from 'ws';
import {
  BridgeError,
  errorSentence,
  type MethodInput,
  type MethodName,
  type EventFrame,
  type MethodOutput,
  type ResponseFrame,
} from '../../src-preload/contract';
import type { Dispatcher } from '../bridge/dispatcher';
import { findDaemon, readDaemonInfo, type DaemonInfo } from './daemon-file';
import { shellQuote } from './format';

export type Caller = {
  via: 'daemon' | 'local';
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  callRaw(method: string, input: unknown): Promise<unknown>;
  /** The node's events (daemon callers only); returns the unsubscribe function. */
  onEvent?(listener: (frame: EventFrame) => void): () => void;
  close(): Promise<void>;
};

export function notRunning(dataDir: string, why?: string): BridgeError {
  const hint = `Start it with: bitunicom serve --data ${shellQuote(dataDir)}`;
  return new BridgeError('NOT_RUNNING', why ? `${why}. ${hint}` : hint);
}

/** A Caller over a dispatcher in this process. */
export function dispatcherCaller(dispatcher: Dispatcher, close: () => Promise<void>): Caller {
  const callRaw = async (method: string, input: unknown): Promise<unknown> => {
    const r = await dispatcher.call(method, input);
    if (!r.ok) throw new BridgeError(r.error.code, r.error.message);
    return r.result;
  };
  return {
    via: 'local',
    callRaw,
    call: callRaw as Caller['call'],
    close,
  };
}

export type ConnectOptions = { callTimeoutMs?: number; connectTimeoutMs?: number };

export async function connectDaemon(dataDir: string, opts: ConnectOptions = {}): Promise<Caller & { info: DaemonInfo }> {
  const info = findDaemon(dataDir);
  if (!info) {
    const stale = readDaemonInfo(dataDir);
    throw notRunning(dataDir, stale ? `The node that was serving this profile (pid ${stale.pid}) is no longer running` : undefined);
  }
  const origin = `http://127.0.0.1:${info.uiPort}`;
  const ws = new WebSocket(`ws://127.0.0.1:${info.uiPort}/bridge?token=${encodeURIComponent(info.token)}`, {
    origin,
    handshakeTimeout: opts.connectTimeoutMs ?? 5000,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      reject(
        res.statusCode === 401 || res.statusCode === 403
          ? new BridgeError('UNAUTHORIZED', `the node on port ${info.uiPort} refused this profile's token (is another program using that port?)`)
          : notRunning(dataDir, `Unexpected answer ${res.statusCode} from port ${info.uiPort}`),
      );
    });
    ws.once('error', (e) => reject(notRunning(dataDir, `Could not reach the node on port ${info.uiPort} (${e.message})`)));
  });

  const callTimeoutMs = opts.callTimeoutMs ?? 120_000;
  let nextId = 1;
  const eventListeners = new Set<(frame: EventFrame) => void>();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; timer: NodeJS.Timeout }>();
  const failAll = (e: BridgeError) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(e);
    }
  };
  ws.on('error', () => {});
  ws.on('close', () => failAll(new BridgeError('NETWORK', 'the connection to the node closed before it answered')));
  ws.on('message', (data) => {
    let frame: ResponseFrame;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return;
    }
    const ev = frame as unknown as Partial<EventFrame> | null;
    if (typeof ev?.event === 'string') {
      for (const l of [...eventListeners]) l({ event: ev.event, payload: ev.payload });
      return;
    }
    const p = typeof frame?.id === 'number' ? pending.get(frame.id) : undefined;
    if (!p) return; // unknown ids
    pending.delete(frame.id);
    clearTimeout(p.timer);
    if (frame.ok) p.resolve(frame.result);
    else p.reject(new BridgeError(String(frame.error?.code ?? 'INTERNAL'), String(frame.error?.message ?? errorSentence('INTERNAL'))));
  });

  const callRaw = (method: string, input: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (ws.readyState !== WebSocket.OPEN) return reject(new BridgeError('NETWORK', 'the connection to the node is closed'));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new BridgeError('NETWORK', `no answer from the node to ${method}`));
      }, callTimeoutMs);
      pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, method, input }));
    });

  return {
    via: 'daemon',
    info,
    callRaw,
    onEvent: (listener) => {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    call: callRaw as Caller['call'],
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        const t = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000);
        ws.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        ws.close(1000);
      }),
  };
}
