/**
 * @module chain/rpc/server
 * The HTTP transport of the JSON-RPC (geth's rpc/http.go behaviour, which tools expect):
 *   - binds 127.0.0.1 by default (port 0 = any free port);
 *   - POST with Content-Type application/json (also application/json-rpc and
 *     application/jsonrequest, as geth): else 415; body at most 5 MiB: else 413
 *     "content length too large"; other methods 405; GET/HEAD with no body is 200 with an
 *     empty body (geth's health probe);
 *   - the Host header must name localhost or be an IP literal (or be absent), else 403
 *     "invalid host specified": the defence against DNS rebinding that geth's
 *     --http.vhosts=localhost gives, since a rebound name would otherwise reach loopback;
 *   - no CORS headers at all, so a web page cannot read answers (browser dapps go through the
 *     app's own provider).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { RpcContext } from './context';
import { createRpcHandler } from './handler';

export const BODY_LIMIT = 5 * 1024 * 1024;
const JSON_TYPES = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest']);

export type RpcServerOptions = RpcContext & { host?: string; port?: number };
export type RpcServer = { url: string; port: number; close(): Promise<void> };

/** True when a Host header value is acceptable (geth's virtual-host check with vhosts=localhost). */
export function allowedHost(host: string | undefined): boolean {
  if (!host) return true;
  let name = host.trim().toLowerCase();
  if (name.startsWith('[')) name = name.slice(1, name.indexOf(']') < 0 ? undefined : name.indexOf(']'));
  else if (name.includes(':') && name.indexOf(':') === name.lastIndexOf(':')) name = name.slice(0, name.indexOf(':'));
  return name === 'localhost' || isIP(name) !== 0;
}

function reply(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startRpcServer(opts: RpcServerOptions): Promise<RpcServer> {
  const handler = createRpcHandler(opts);
  const logger = opts.logger;

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHost(req.headers.host)) return reply(res, 403, 'invalid host specified\n');
    const length = Number(req.headers['content-length'] ?? 0);
    if ((req.method === 'GET' || req.method === 'HEAD') && !length) return reply(res, 200, '');
    if (req.method !== 'POST') return reply(res, 405, 'method not allowed\n');
    if (length > BODY_LIMIT) {
      res.setHeader('connection', 'close');
      return reply(res, 413, `content length too large (${length}>${BODY_LIMIT})\n`);
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_TYPES.has(type)) return reply(res, 415, 'invalid content type, only application/json is supported\n');

    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (c: Buffer) => {
      if (aborted) return;
      size += c.length;
      if (size > BODY_LIMIT) {
        aborted = true;
        res.setHeader('connection', 'close');
        reply(res, 413, `content length too large (${size}>${BODY_LIMIT})\n`);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (aborted) return;
      handler
        .handle(Buffer.concat(chunks).toString('utf8'))
        .then((out) => reply(res, 200, out === undefined ? '' : JSON.stringify(out) + '\n', 'application/json'))
        .catch((err: unknown) => {
          logger?.error('rpc request failed', { error: String(err) });
          reply(res, 500, 'internal error\n');
        });
    });
    req.on('error', () => undefined);
  };

  const server = createServer({ keepAliveTimeout: 30_000 }, onRequest);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  logger?.info('rpc listening', { url: `http://${shownHost}:${port}` });
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        handler.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
