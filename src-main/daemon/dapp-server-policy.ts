/**
 * @module daemon/dapp-server-policy
 * What every response of the headless dapp server carries, and the provider shim's place in
 * a dapp's HTML.
 *
 * - Content-Security-Policy (CSP Level 3): the dapp runs only its own scripts and styles, may
 *   show its own images, fonts and media (plus data:/blob: images), and reaches nothing —
 *   `connect-src 'none'` (no fetch, XHR, WebSocket, EventSource, beacons), no frames, workers,
 *   plugins, `<base>` or form posts; `frame-ancestors` lets only the BitUnicom UI frame it. The
 *   chain and friends are reached only through the host UI's provider (postMessage).
 * - Permissions-Policy denies the powerful features a dapp has no business asking for.
 * - nosniff (Fetch §X-Content-Type-Options), no-referrer, CORP same-origin (other origins cannot
 *   embed its files), no-store (an update replaces files under the same URLs).
 * - Clear-Site-Data ("cache", "cookies", "storage"; W3C Clear Site Data) answers
 *   `/__bitunicom/clear`: the shell loads it after an uninstall so the origin forgets its data.
 */
export const SHIM_PATH = '/__bitunicom/provider.js';
export const CLEAR_PATH = '/__bitunicom/clear';
export const SHIM_TAG = `<script src="${SHIM_PATH}"></script>`;

export const PERMISSIONS_POLICY = ['camera', 'microphone', 'geolocation', 'usb', 'serial', 'hid', 'bluetooth', 'payment', 'clipboard-read', 'display-capture']
  .map((f) => `${f}=()`)
  .join(', ');

/** The exact CSP of every dapp response; `ancestors` are the UI origins allowed to frame it. */
export function dappCsp(ancestors: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "media-src 'self' blob:",
    "connect-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`,
  ].join('; ');
}

export function securityHeaders(ancestors: readonly string[]): Record<string, string> {
  return {
    'Content-Security-Policy': dappCsp(ancestors),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': PERMISSIONS_POLICY,
    'Cache-Control': 'no-store',
  };
}

const HEAD_OPEN = /<head(?=[\s>/])[^>]*>/i;
const HTML_OPEN = /<html(?=[\s>/])[^>]*>/i;
const DOCTYPE = /^\uFEFF?\s*<!doctype[^>]*>/i;

/**
 * The HTML with the provider shim as the first element of `<head>` (HTML Living Standard tree
 * construction): right after `<head …>` when there is one; else right after `<html …>` or the
 * doctype, where the parser opens the implied head for it; else at the very start.
 */
export function injectShim(html: string): string {
  const at = (m: RegExpExecArray | null) => (m ? m.index + m[0].length : -1);
  let pos = at(HEAD_OPEN.exec(html));
  if (pos < 0) pos = at(HTML_OPEN.exec(html));
  if (pos < 0) pos = at(DOCTYPE.exec(html));
  if (pos < 0) pos = html.charCodeAt(0) === 0xfeff ? 1 : 0;
  return html.slice(0, pos) + SHIM_TAG + html.slice(pos);
}
