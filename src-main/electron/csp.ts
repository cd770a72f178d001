/**
 * @module electron/csp
 * The renderer's Content Security Policy (W3C CSP Level 3) for the file:// UI, as data.
 *
 * Delivered twice, because each channel has a gap the other covers:
 *   1. as a response header, added by `session.webRequest.onHeadersReceived` (security.ts);
 *      Electron's own docs long said this cannot work for file://, newer releases do call the
 *      hook for file: loads — either way it is harmless when it applies;
 *   2. as a `<meta http-equiv>` tag in `out/renderer/electron.html`, a copy of the built
 *      index.html that electron.vite.config.ts emits for the Electron shell only (the headless
 *      web UI serves index.html with its own header, e.g. a `connect-src` for its WebSocket).
 * `frame-ancestors` is ignored in a meta tag (CSP3 §6.4.2), so the meta variant omits it.
 *
 * No 'unsafe-eval', no 'unsafe-inline' scripts, no wildcards: the UI is a static bundle and
 * talks to the node only through the preload's IPC bridge (connect-src 'self' is for assets).
 * 'unsafe-inline' styles are allowed because React sets style attributes.
 */
import { DAPP_FRAME_SOURCE, DAPP_SCHEME } from './dapp-sandbox';

export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['default-src', ["'none'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:']],
  ['font-src', ["'self'"]],
  ['connect-src', ["'self'"]],
  /** Installed dapps only, each in its own bu-dapp:// origin (dapp-sandbox.ts); no other frames. */
  ['frame-src', [DAPP_FRAME_SOURCE]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
  ['object-src', ["'none'"]],
];

/** Directives a `<meta>` policy cannot carry (CSP3: frame-ancestors, report-uri, sandbox). */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

function serialize(directives: ReadonlyArray<readonly [string, readonly string[]]>): string {
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** The policy as an HTTP header value. */
export const CONTENT_SECURITY_POLICY = serialize(CSP_DIRECTIVES);

/** The policy for a `<meta http-equiv="Content-Security-Policy">` tag. */
export const CONTENT_SECURITY_POLICY_META = serialize(CSP_DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name)));

/**
 * Response headers with our policy replacing any CSP the response already had (header names
 * are case-insensitive, so every spelling is removed first).
 */
export function withCspHeader(
  headers: Record<string, string[] | string> | undefined,
  policy: string = CONTENT_SECURITY_POLICY,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [policy];
  return out;
}

/**
 * Whether the UI's header goes on this response: everything except the unpackaged dev server
 * and dapp documents (bu-dapp:), which carry their own, stricter policy from the handler.
 */
export function shouldApplyCsp(url: string, devOrigin: string | null): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === `${DAPP_SCHEME}:`) return false;
    return !devOrigin || u.origin !== devOrigin;
  } catch {
    return true;
  }
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Inserts the meta policy as the first element of <head>, before any script or stylesheet, so
 * it governs everything the page loads. Throws if the document has no <head> tag.
 */
export function injectCspMeta(html: string, policy: string = CONTENT_SECURITY_POLICY_META): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) throw new Error('injectCspMeta: the document has no <head>');
  const at = head.index + head[0].length;
  const tag = `\n    <meta http-equiv="Content-Security-Policy" content="${escapeAttr(policy)}" />`;
  return html.slice(0, at) + tag + html.slice(at);
}
