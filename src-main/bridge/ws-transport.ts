/**
 * @module bridge/ws-transport
 * Serves the dispatcher over WebSocket (RFC 6455, the `ws` library) for the headless shell's
 * web UI and the CLI. Text frames only, JSON:
 *
 *   client → server  RequestFrame  `{id, method, input}`
 *   server → client  ResponseFrame `{id, ok: true, result}` | `{id, ok: false, error: {code, message}}`
 *   server → client  EventFrame    `{event, payload}` (every event, to every client)
 *
 * Binary frames are call media (src-preload/contract/media.ts): they go to the node's
 * `MediaPort` (which validates them), and media for the UI goes out as binary frames to every
 * client; media is never queued for a slow client (a frame is dropped when more than 1 MiB
 * waits). Without a media port a binary frame is answered with `BAD_INPUT`.
 *
 * A text frame that is not valid JSON, not an object, or lacks an integer `id` / string
 * `method` is answered with `BAD_INPUT` (id 0 when no usable id was sent; clients number
 * from 1). A text frame above 256 KiB is refused the same way; any frame above `maxPayload`
 * (a video keyframe's size) makes `ws` close the socket with 1009.
 * Nothing a client sends can throw out of this module: socket errors are logged and the
 * socket is dropped. Authentication is the HTTP server's job (see daemon/web-server): this
 * module is used with `noServer` and only sees upgrades that already passed the checks.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { silentLogger, type Logger } from '../core/base';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './event-hub';
import { MAX_VIDEO_FRAME, MEDIA_HEADER, type CallResult, type MediaPort, type ResponseFrame } from '../../src-preload/contract';

export const WS_MAX_TEXT = 256 * 1024;
export const WS_MAX_PAYLOAD = MEDIA_HEADER + MAX_VIDEO_FRAME;
/** Media is dropped for a client with this much output waiting (live media must not queue). */
const MAX_MEDIA_BUFFERED = 1024 * 1024;
/** A client that stops reading is dropped once this much output is queued for it. */
const MAX_BUFFERED = 8 * 1024 * 1024;
/** Calls one connection may have running at the same time. */
const MAX_IN_FLIGHT = 64;

export type WsBridgeOptions = {
  dispatcher: Dispatcher;
  events: EventHub;
  logger?: Logger;
  maxPayload?: number;
  maxClients?: number;
  /** Call media; without it binary frames are refused. */
  media?: MediaPort;
};

export type WsBridge = {
  /** Complete an upgrade that the HTTP layer has already authorised. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  clientCount(): number;
  close(): Promise<void>;
};

type ParsedFrame = { ok: true; id: number; method: string; input: unknown } | { ok: false; id: number; message: string };

/** Reads one client frame; never throws. */
export function parseRequestFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return { ok: false, id: 0, message: 'frames must be UTF-8 JSON text' };
  const text = rawToString(data);
  if (text.length > WS_MAX_TEXT) return { ok: false, id: 0, message: `a call frame may have at most ${WS_MAX_TEXT} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: 0, message: 'frame is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: 0, message: 'frame must be a JSON object {id, method, input}' };
  }
  const { id, method, input } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    return { ok: false, id: 0, message: 'frame.id must be a positive integer' };
  }
  if (typeof method !== 'string') return { ok: false, id, message: 'frame.method must be a string' };
  return { ok: true, id, method, input };
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function rawToBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function response(id: number, r: CallResult): ResponseFrame {
  return r.ok ? { id, ok: true, result: r.result } : { id, ok: false, error: r.error };
}

export function createWsBridge(opts: WsBridgeOptions): WsBridge {
  const logger = opts.logger ?? silentLogger;
  const maxClients = opts.maxClients ?? 32;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayload ?? WS_MAX_PAYLOAD,
    perMessageDeflate: false,
    clientTracking: true,
  });
  wss.on('error', (e) => logger.warn('websocket server error', { error: e.message }));

  function send(ws: WebSocket, frame: unknown): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      logger.warn('dropping a websocket client that does not read');
      ws.terminate();
      return;
    }
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (e) {
      logger.error('could not serialise a frame', { error: e instanceof Error ? e.message : String(e) });
      return;
    }
    ws.send(text, (err) => {
      if (err) logger.debug('websocket send failed', { error: err.message });
    });
  }

  const unsubscribe = opts.events.subscribe((frame) => {
    for (const ws of wss.clients) send(ws, frame);
  });
  const unsubscribeMedia =
    opts.media?.subscribe((frame) => {
      for (const ws of wss.clients) {
        if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > MAX_MEDIA_BUFFERED) continue;
        ws.send(frame, { binary: true }, (err) => {
          if (err) logger.debug('websocket media send failed', { error: err.message });
        });
      }
    }) ?? (() => {});

  wss.on('connection', (ws: WebSocket) => {
    let inFlight = 0;
    ws.on('error', (e) => logger.debug('websocket client error', { error: e.message }));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary && opts.media) {
        opts.media.fromUi(rawToBytes(data));
        return;
      }
      const frame = parseRequestFrame(data, isBinary);
      if (!frame.ok) {
        send(ws, { id: frame.id, ok: false, error: { code: 'BAD_INPUT', message: frame.message } });
        return;
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        send(ws, { id: frame.id, ok: false, error: { code: 'BAD_INPUT', message: 'too many calls in flight' } });
        return;
      }
      inFlight++;
      opts.dispatcher
        .call(frame.method, frame.input)
        .catch((): CallResult => ({ ok: false, error: { code: 'INTERNAL', message: 'dispatcher failed' } }))
        .then((r) => {
          inFlight--;
          send(ws, response(frame.id, r));
        });
    });
  });

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      if (wss.clients.size >= maxClients) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    clientCount: () => wss.clients.size,
    close() {
      unsubscribe();
      unsubscribeMedia();
      for (const ws of wss.clients) ws.close(1001, 'node shutting down');
      return new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000);
        t.unref();
        wss.close(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}
