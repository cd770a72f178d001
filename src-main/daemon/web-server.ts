/**
 * @module daemon/web-server
 * The headless shell's loopback web server: serves the built renderer and the bridge
 * WebSocket (`/bridge`) to a browser on the same machine, and to the CLI.
 *
 * Defences (see README.md for the reasoning):
 * - binds 127.0.0.1 only; any other host is refused even if asked;
 * - a random 32-byte token per run; a page request needs `?token=` (which sets an HttpOnly,
 *   SameSite=Strict cookie scoped by port) or that cookie; the WebSocket upgrade needs the
 *   token in its query AND an Origin equal to this server's own origin (RFC 6455 §10.2);
 * - the Host header must be `127.0.0.1:PORT` or `localhost:PORT` (DNS rebinding);
 * - strict CSP, nosniff, no-referrer, no-store, frame-ancestors 'none';
 * - static files only from inside the renderer directory (no traversal, no symlink escape,
 *   no directory listings), GET/HEAD only.
 */
import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BuError, silentLogger, type Logger } from '../core/base';
import type { Dispatcher } from '../bridge/dispatcher';
import type { EventHub } from '../bridge/event-hub';
import { createWsBridge } from '../bridge/ws-transport';
import type { MediaPort } from '../../src-preload/contract';

export const LOOPBACK = '127.0.0.1';
export const BRIDGE_PATH = '/bridge';

export type WebServerOptions = {
  dispatcher: Dispatcher;
  events: EventHub;
  /** Call media for the web UI (binary WebSocket frames). */
  media?: MediaPort;
  logger?: Logger;
  /** Only '127.0.0.1' is accepted; anything else throws BAD_INPUT. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Built renderer directory; default: `<repo>/out/renderer` found from this file's location. */
  staticDir?: string | null;
  /** The dapp server's CSP source (`http://*.localhost:<port>`): the only frames the UI may show. */
  frameSource?: string;
};

export type WebServer = {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The page URL including the token: what `serve` prints. */
  url: string;
  token: string;
  staticDir: string | null;
  close(): Promise<void>;
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.webm': 'audio/webm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Finds `out/renderer` (with an index.html) above this module, for both `out/main/*.js` and tsx runs. */
export function defaultRendererDir(fromUrl: string = import.meta.url): string | null {
  let dir: string;
  try {
    dir = dirname(fileURLToPath(fromUrl));
  } catch {
    return null;
  }
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'out', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  // Compare digests so lengths always match and timing reveals nothing about the token.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function splitUrl(raw: string | undefined): { path: string; query: URLSearchParams } {
  const url = raw ?? '/';
  const q = url.indexOf('?');
  return { path: q >= 0 ? url.slice(0, q) : url, query: new URLSearchParams(q >= 0 ? url.slice(q + 1) : '') };
}

const NOT_BUILT_PAGE =
  '<!doctype html><meta charset="utf-8"><title>BitUnicom</title>' +
  '<p>The BitUnicom web UI has not been built. Run <code>npm run build</code>, then restart <code>bitunicom serve</code>.</p>';

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const logger = opts.logger ?? silentLogger;
  const host = opts.host ?? LOOPBACK;
  if (host !== LOOPBACK) {
    throw new BuError('BAD_INPUT', `the web UI listens on ${LOOPBACK} only (refused "${host}")`);
  }
  const wantedPort = opts.port ?? 0;
  if (!Number.isInteger(wantedPort) || wantedPort < 0 || wantedPort > 65535) {
    throw new BuError('BAD_INPUT', `--ui-port must be 0..65535 (got ${wantedPort})`);
  }
  const staticDir = opts.staticDir === undefined ? defaultRendererDir() : opts.staticDir;
  const staticRoot = staticDir ? await realpath(staticDir).catch(() => resolve(staticDir)) : null;
  const token = randomBytes(32).toString('base64url');
  const session = randomBytes(32).toString('base64url');
  const ws = createWsBridge({ dispatcher: opts.dispatcher, events: opts.events, media: opts.media, logger });

  let cookieName = '';
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let securityHeaders: Record<string, string> = {};

  function deny(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(`${text}\n`);
  }

  function hostOk(req: IncomingMessage): boolean {
    return allowedHosts.has(String(req.headers.host ?? '').toLowerCase());
  }

  async function resolveFile(urlPath: string): Promise<string | null> {
    if (!staticRoot) return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
    const segments = decoded.split('/');
    if (segments.some((s) => s === '..' || s === '.')) return null;
    let rel = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
    for (let round = 0; round < 2; round++) {
      const candidate = resolve(staticRoot, `.${rel}`);
      if (!candidate.startsWith(staticRoot + sep)) return null;
      try {
        const real = await realpath(candidate);
        if (!real.startsWith(staticRoot + sep)) return null; // symlink pointing outside
        if ((await stat(real)).isFile()) return real;
      } catch {
        // not found: fall through
      }
      // Client-side routes (no extension) get the app shell; missing assets are 404s.
      if (extname(rel) !== '') return null;
      rel = '/index.html';
    }
    return null;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) return deny(res, 403, 'Forbidden: unexpected Host header.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
    const { path, query } = splitUrl(req.url);
    const extra: Record<string, string> = {};
    const queryToken = query.get('token');
    if (queryToken !== null) {
      if (!sameSecret(queryToken, token)) return deny(res, 401, 'Unauthorized: that link is not valid for this run.');
      extra['Set-Cookie'] = `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`;
    } else if (!sameSecret(parseCookies(req.headers.cookie).get(cookieName), session)) {
      return deny(res, 401, 'Unauthorized: open the link printed by `bitunicom serve`.');
    }
    if (path === BRIDGE_PATH) return deny(res, 426, 'Upgrade required.', { ...extra, Upgrade: 'websocket' });
    if (!staticRoot || !existsSync(join(staticRoot, 'index.html'))) {
      res.writeHead(503, { ...securityHeaders, ...extra, 'Content-Type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
      return;
    }
    const file = await resolveFile(path);
    if (!file) return deny(res, 404, 'Not found.', extra);
    const info = await stat(file);
    res.writeHead(200, {
      ...securityHeaders,
      ...extra,
      'Content-Type': contentTypeOf(file),
      'Content-Length': String(info.size),
    });
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  function rejectUpgrade(socket: Duplex, status: string): void {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      logger.error('web request failed', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) deny(res, 500, 'Internal error.');
      else res.destroy();
    });
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const { path, query } = splitUrl(req.url);
    if (!hostOk(req)) return rejectUpgrade(socket, '403 Forbidden');
    if (path !== BRIDGE_PATH) return rejectUpgrade(socket, '404 Not Found');
    if (!sameSecret(query.get('token'), token)) return rejectUpgrade(socket, '401 Unauthorized');
    if (!allowedOrigins.has(String(req.headers.origin ?? ''))) return rejectUpgrade(socket, '403 Forbidden');
    ws.handleUpgrade(req, socket, head);
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    const onError = (e: NodeJS.ErrnoException) => {
      rejectListen(
        e.code === 'EADDRINUSE'
          ? new BuError('NETWORK', `port ${wantedPort} on ${LOOPBACK} is already in use (choose another --ui-port)`)
          : new BuError('NETWORK', `could not start the web UI: ${e.message}`),
      );
    };
    server.once('error', onError);
    server.listen(wantedPort, LOOPBACK, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
  server.on('error', (e) => logger.error('web server error', { error: e.message }));

  const port = (server.address() as AddressInfo).port;
  cookieName = `bu_session_${port}`; // cookies ignore ports: one name per server
  allowedHosts = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([`http://${LOOPBACK}:${port}`, `http://localhost:${port}`]);
  securityHeaders = {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src 'self' ws://${LOOPBACK}:${port} ws://localhost:${port}`,
      ...(opts.frameSource ? [`frame-src ${opts.frameSource}`] : []),
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  const origin = `http://${LOOPBACK}:${port}`;
  logger.info('web UI listening', { origin, staticDir: staticRoot });

  let closing: Promise<void> | null = null;
  return {
    port,
    origin,
    url: `${origin}/?token=${token}`,
    token,
    staticDir: staticRoot,
    close() {
      closing ??= (async () => {
        await ws.close();
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
