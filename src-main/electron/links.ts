/**
 * @module electron/links
 * URL policies for the Electron shell, as pure functions (no 'electron' import):
 *
 * - `validateExternalLink`: may this URL be handed to the OS (`shell.openExternal`)? Only
 *   `https:` and `mailto:`, no embedded credentials, no control characters or whitespace, at
 *   most `MAX_EXTERNAL_URL_LENGTH` characters. `openExternal` passes the URL to the desktop's
 *   URL handler, so anything else (file:, smb:, custom schemes, javascript:) is refused — the
 *   classic Electron RCE path (Electron security checklist, "Do not use shell.openExternal with
 *   untrusted content"). URL parsing follows the WHATWG URL Standard.
 * - `isAppDocument`: is this the app's own page (the only thing a window may navigate to)?
 */

export const MAX_EXTERNAL_URL_LENGTH = 2048;
export const EXTERNAL_PROTOCOLS: readonly string[] = ['https:', 'mailto:'];

/** C0 controls, space, DEL and the C1 range: the WHATWG parser silently strips some of these. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0020\u007f-\u009f]/;

/** Returns the normalised URL to open, or null when it must not leave the app. */
export function validateExternalLink(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_EXTERNAL_URL_LENGTH) return null;
  if (UNSAFE_CHARS.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!EXTERNAL_PROTOCOLS.includes(url.protocol)) return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.protocol === 'https:') {
    if (url.hostname === '') return null;
  } else {
    // mailto:someone@example.org[?subject=…] — a recipient is required, nothing host-like.
    if (url.host !== '' || url.pathname === '' || !url.pathname.includes('@')) return null;
  }
  const href = url.href;
  return href.length <= MAX_EXTERNAL_URL_LENGTH ? href : null;
}

/**
 * Where the app's own UI lives: the built `index` page as a file: URL, or (unpackaged
 * development only) the electron-vite dev server's origin.
 */
export type AppLocation = { kind: 'file'; url: string } | { kind: 'dev'; url: string };

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * True if `raw` is the app's own document: for a file: app the same path (any query or
 * fragment, so reloads and hash routes work); for the dev server the same origin.
 */
export function isAppDocument(raw: unknown, app: AppLocation): boolean {
  if (typeof raw !== 'string' || UNSAFE_CHARS.test(raw)) return false;
  const url = parse(raw);
  const base = parse(app.url);
  if (!url || !base) return false;
  if (app.kind === 'dev') return url.origin === base.origin && base.origin !== 'null';
  return url.protocol === 'file:' && base.protocol === 'file:' && url.host === base.host && url.pathname === base.pathname;
}
