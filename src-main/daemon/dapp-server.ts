/**
 * @module daemon/dapp-server
 * The headless shell's dapp sandbox: a second loopback HTTP server, apart from the UI's, that
 * serves each installed dapp from its own origin `http://<app id hex>.localhost:<port>`
 * (RFC 6454: scheme, host and port make the origin, so every app id is its own origin, with
 * its own storage, and none is the UI's). Browsers resolve `*.localhost` to loopback by
 * themselves (RFC 6761 §6.3; Chromium, Firefox), so no DNS is involved.
 *
 * Defences (README.md "Dapp server"):
 * - binds 127.0.0.1 only; a request from any other address is refused;
 * - the Host header picks the app and must be exactly `<40 hex>.localhost:<port>` (400
 *   otherwise), so a DNS-rebinding page or the UI's own host never gets a dapp file;
 * - a document load must be the dapp's own navigation or carry a one-use launch token from
 *   `urlOf` (dapp-frame-guard: Fetch Metadata), so a dapp cannot walk its frame into another
 *   dapp's origin; subresources are left to the CSP;
 * - GET/HEAD only; the path is percent-decoded once and handed to the library's resolver,
 *   whose allow-list is the installed bundle's own file list (404 for anything else);
 * - every response has the strict CSP and headers of dapp-server-policy (also 4xx ones);
 *   HTML gets the provider shim as the first element of `<head>`;
 * - `/__bitunicom/provider.js` is the shim (resources/dapp-runtime/provider.js; 404 if absent),
 *   `/__bitunicom/clear` answers Clear-Site-Data for any app host (used after an uninstall).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BuError, silentLogger, type Logger } from '../core/base';
import { DappFrameGuard, LAUNCH_PARAM } from './dapp-frame-guard';
import { CLEAR_PATH, SHIM_PATH, injectShim, securityHeaders } from './dapp-server-policy';

export const LOOPBACK = '127.0.0.1';

export type DappFile = { bytes: Uint8Array; mime: string };

export type DappServerOptions = {
  /** A file of the installed version of `appId` (0x-prefixed, lower case), or null. `path` '' is the entry. */
  resolve(appId: string, path: string): Promise<DappFile | null>;
  /** The origins allowed to frame dapps (the UI's), read on every response. */
  frameAncestors: () => readonly string[];
  /** resources/dapp-runtime/provider.js (null: none; then its path is 404). */
  shimFile?: string | null;
  /** Only '127.0.0.1'; anything else throws BAD_INPUT. */
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  /** Launch tokens and Fetch Metadata for document loads (default: a new guard). */
  guard?: DappFrameGuard;
  logger?: Logger;
};

export type DappServer = {
  port: number;
  /** `http://*.localhost:<port>`: what the UI's CSP lets it frame. */
  frameSource: string;
  /** The URL (with a fresh one-use launch token) and origin a dapp's page is served at. */
  urlOf(appId: string, entry: string): { url: string; origin: string };
  close(): Promise<void>;
};

const HOST_RE = /^([0-9a-f]{40})\.localhost:(\d{1,5})$/;

/** Whether a peer address is loopback (127.0.0.0/8, its IPv4-mapped form, ::1). */
export function isLoopbackPeer(address: string | undefined): boolean {
  const a = address ?? '';
  return a === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

export function dappOrigin(appId: string, port: number): string {
  const hex = appId.toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{40}$/.test(hex)) throw new BuError('BAD_INPUT', `"${appId}" is not an app id.`);
  return `http://${hex}.localhost:${port}`;
}

/** The URL path of a bundle path: each segment percent-encoded (RFC 3986 §3.3). */
export function entryPath(entry: string): string {
  return `/${entry.split('/').map(encodeURIComponent).join('/')}`;
}

export async function startDappServer(o: DappServerOptions): Promise<DappServer> {
  const logger = o.logger ?? silentLogger;
  const host = o.host ?? LOOPBACK;
  if (host !== LOOPBACK) throw new BuError('BAD_INPUT', `the dapp server listens on ${LOOPBACK} only (refused "${host}")`);
  const wantedPort = o.port ?? 0;
  if (!Number.isInteger(wantedPort) || wantedPort < 0 || wantedPort > 65535) throw new BuError('BAD_INPUT', `the dapp server port must be 0..65535 (got ${wantedPort})`);
  let port = 0;
  const guard = o.guard ?? new DappFrameGuard();

  const headers = () => securityHeaders(o.frameAncestors());

  function send(req: IncomingMessage, res: ServerResponse, status: number, body: Uint8Array | string, type: string, extra: Record<string, string> = {}): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, { ...headers(), 'Content-Type': type, 'Content-Length': String(bytes.length), ...extra });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }
  const text = (req: IncomingMessage, res: ServerResponse, status: number, msg: string, extra?: Record<string, string>) =>
    send(req, res, status, `${msg}\n`, 'text/plain; charset=utf-8', extra);

  /** The app id the Host header names, or null. */
  function appOf(req: IncomingMessage): string | null {
    const m = HOST_RE.exec(String(req.headers.host ?? '').toLowerCase());
    return m && Number(m[2]) === port ? `0x${m[1]}` : null;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopbackPeer(req.socket.remoteAddress)) return text(req, res, 403, 'Forbidden.');
    const appId = appOf(req);
    if (!appId) return text(req, res, 400, 'Bad request: the host must be <app id>.localhost:<port>.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(req, res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
    const raw = (req.url ?? '/').split(/[?#]/, 1)[0]!;
    let path: string;
    try {
      path = decodeURIComponent(raw);
    } catch {
      return text(req, res, 400, 'Bad request: the path is not valid percent-encoding.');
    }
    if (!path.startsWith('/') || path.includes('\0') || path.includes('\\') || path.split('/').some((seg) => seg === '.' || seg === '..')) {
      return text(req, res, 404, 'Not found.');
    }
    if (path !== CLEAR_PATH) {
      const decision = guard.check(appId, new URL(req.url ?? '/', `http://${appId.slice(2)}.localhost:${port}`), req.headers);
      if (!decision.allow) return text(req, res, 403, `Forbidden: ${decision.reason}.`);
    }
    if (path === CLEAR_PATH) return text(req, res, 200, 'Cleared.', { 'Clear-Site-Data': '"cache", "cookies", "storage"' });
    if (path === SHIM_PATH) {
      const shim = o.shimFile ? await readFile(o.shimFile).catch(() => null) : null;
      return shim ? send(req, res, 200, shim, 'text/javascript; charset=utf-8') : text(req, res, 404, 'Not found.');
    }
    if (path.startsWith('/__bitunicom/')) return text(req, res, 404, 'Not found.');
    const file = await o.resolve(appId, path.slice(1));
    if (!file) return text(req, res, 404, 'Not found.');
    if (file.mime.startsWith('text/html')) {
      const html = injectShim(Buffer.from(file.bytes).toString('utf8'));
      return send(req, res, 200, html, file.mime);
    }
    return send(req, res, 200, file.bytes, file.mime);
  }

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      logger.error('dapp request failed', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) text(req, res, 500, 'Internal error.');
      else res.destroy();
    });
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  // no WebSocket or other upgrades: connect-src 'none' says the same
  server.on('upgrade', (_req, socket) => socket.destroy());

  await new Promise<void>((resolveListen, rejectListen) => {
    const onError = (e: NodeJS.ErrnoException) =>
      rejectListen(new BuError('NETWORK', e.code === 'EADDRINUSE' ? `port ${wantedPort} on ${LOOPBACK} is already in use (dapp server)` : `could not start the dapp server: ${e.message}`));
    server.once('error', onError);
    server.listen(wantedPort, LOOPBACK, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
  server.on('error', (e) => logger.error('dapp server error', { error: e.message }));
  port = (server.address() as AddressInfo).port;
  logger.info('dapp server listening', { frameSource: `http://*.localhost:${port}` });

  let closing: Promise<void> | null = null;
  return {
    port,
    frameSource: `http://*.localhost:${port}`,
    urlOf(appId, entry) {
      const origin = dappOrigin(appId, port);
      return { url: `${origin}${entryPath(entry)}?${LAUNCH_PARAM}=${guard.issue(appId)}`, origin };
    },
    close() {
      closing ??= new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
