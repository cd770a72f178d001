/**
 * @module electron/dapp-protocol
 * The `bu-dapp://` handler of the Electron shell (for `protocol.handle`; Fetch Standard
 * Request → Response): the same files, headers and provider shim as the headless dapp server
 * (daemon/dapp-server-policy.ts), so a dapp behaves the same in both shells.
 *
 * - GET/HEAD only; the host names the installed dapp, the path one file of its bundle (the
 *   node's resolver serves only files of the installed version: no traversal, no listing);
 * - every response carries the dapp CSP (frame-ancestors: the app document's origin — `file:`
 *   for the packaged UI, the dev server's origin unpackaged), nosniff, no-referrer, CORP,
 *   Permissions-Policy and no-store;
 * - HTML gets the provider shim as the first element of <head>, served from the dapp's own
 *   origin at `/__bitunicom/provider.js`;
 * - no launch tokens: in Electron, `will-frame-navigate` (security.ts, dapp-sandbox.ts) decides
 *   which frame may load which dapp, before any request is made; storage is cleared after an
 *   uninstall with `session.clearStorageData({ origin })` rather than Clear-Site-Data.
 */
import { readFile } from 'node:fs/promises';
import { SHIM_PATH, injectShim, securityHeaders } from '../daemon/dapp-server-policy';
import { parseDappUrl } from './dapp-sandbox';
import type { AppLocation } from './links';

export type DappFile = { bytes: Uint8Array; mime: string };

export type DappProtocolOptions = {
  /** An installed dapp's file (null: not installed / not in its bundle / locked). */
  resolve(appId: string, path: string): Promise<DappFile | null>;
  /** resources/dapp-runtime/provider.js (null: no shim, the dapp gets no provider). */
  shimFile: string | null;
  app: AppLocation;
};

/** Who may frame a dapp: the app document's origin (file: URLs have an opaque origin, so the scheme). */
export function frameAncestorsFor(app: AppLocation): string[] {
  return app.kind === 'dev' ? [new URL(app.url).origin] : ['file:'];
}

export function createDappProtocolHandler(o: DappProtocolOptions): (request: Request) => Promise<Response> {
  const headers = securityHeaders(frameAncestorsFor(o.app));
  const reply = (status: number, body: Uint8Array | string, type: string, extra: Record<string, string> = {}, head = false) =>
    new Response(head ? null : typeof body === 'string' ? body : Buffer.from(body), { status, headers: { ...headers, 'Content-Type': type, ...extra } });
  const text = (status: number, msg: string, head: boolean) => reply(status, `${msg}\n`, 'text/plain; charset=utf-8', {}, head);

  return async (request) => {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) return reply(405, 'Method not allowed.\n', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
    const target = parseDappUrl(request.url);
    if (!target) return text(400, 'Bad request: not a dapp URL.', head);
    const path = `/${target.path}`;
    if (path.includes('\0') || path.includes('\\') || path.split('/').some((seg) => seg === '.' || seg === '..')) return text(404, 'Not found.', head);
    if (path === SHIM_PATH) {
      const shim = o.shimFile ? await readFile(o.shimFile).catch(() => null) : null;
      return shim ? reply(200, shim, 'text/javascript; charset=utf-8', {}, head) : text(404, 'Not found.', head);
    }
    if (path.startsWith('/__bitunicom/')) return text(404, 'Not found.', head);
    const file = await o.resolve(target.appId, target.path);
    if (!file) return text(404, 'Not found.', head);
    if (file.mime.startsWith('text/html')) return reply(200, injectShim(Buffer.from(file.bytes).toString('utf8')), file.mime, {}, head);
    return reply(200, file.bytes, file.mime, {}, head);
  };
}
