/**
 * @module electron/dapp-sandbox
 * Where and how the Electron shell runs dapps (issue 12 item 5), as data and pure functions
 * (no 'electron' import; main.ts and security.ts install them).
 *
 * Each installed dapp is served by the privileged custom scheme `bu-dapp://<40 hex app id>/`
 * (a "standard", "secure" scheme: WHATWG URL gives it a tuple origin per host, RFC 6454), so
 * every dapp has its own origin — its own localStorage, IndexedDB and cookies, never the UI's
 * (file://) nor another dapp's — and runs out of process from the UI (Chromium site isolation
 * puts a cross-origin subframe in its own renderer process). The UI shows it in the same
 * sandboxed `<iframe>` as the headless shell (one renderer code path, tested in Chromium):
 * no Node (every renderer is sandboxed, nodeIntegration off), no preload and so no bridge in
 * the frame, no popups and no top navigation (iframe sandbox flags), no <webview>
 * (security.ts), every permission denied (permissions.ts grants only the app document), the
 * dapp's own strict CSP on every response, and navigation only within its own origin.
 *
 * Why an iframe and not a WebContentsView with its own session partition: a partition would
 * separate the HTTP cache and permission handlers too, but it needs a second preload (the only
 * way a separate WebContents could reach the host's provider) and view geometry glued to the
 * React layout; the origin-keyed storage and the out-of-process frame give the same isolation
 * of data and code, and the provider stays a MessagePort between two frames.
 */

export const DAPP_SCHEME = 'bu-dapp';

/** For `protocol.registerSchemesAsPrivileged` (before app 'ready'). */
export const DAPP_SCHEME_PRIVILEGES = {
  scheme: DAPP_SCHEME,
  privileges: {
    /** Tuple origins and relative URLs like http(s). */
    standard: true,
    /** A secure context (as https:), so the dapp gets the same web APIs as on the web. */
    secure: true,
    /** No fetch()/XHR into the scheme from other origins; dapps' own connect-src is 'none'. */
    supportFetchAPI: false,
    corsEnabled: false,
    bypassCSP: false,
    allowServiceWorkers: false,
    stream: true,
    codeCache: false,
  },
} as const;

const HOST_RE = /^[0-9a-f]{40}$/;

/** `bu-dapp://<hex>` for an app id `0x<hex>`. */
export function dappOrigin(appId: string): string {
  const hex = appId.toLowerCase().replace(/^0x/, '');
  if (!HOST_RE.test(hex)) throw new Error(`not an app id: ${appId}`);
  return `${DAPP_SCHEME}://${hex}`;
}

/** The launch URL of an installed dapp's entry file. */
export function dappUrl(appId: string, entry: string): string {
  return `${dappOrigin(appId)}/${entry.split('/').map(encodeURIComponent).join('/')}`;
}

/** `{appId, path}` of a bu-dapp URL, or null for anything else (other schemes, bad hosts, credentials, ports). */
export function parseDappUrl(raw: unknown): { appId: string; path: string } | null {
  if (typeof raw !== 'string' || raw.length > 4096) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${DAPP_SCHEME}:` || !HOST_RE.test(url.hostname) || url.port !== '' || url.username !== '' || url.password !== '') return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  } catch {
    return null;
  }
  return { appId: `0x${url.hostname}`, path };
}

/**
 * The origin of a URL as Chromium computes it once the scheme is registered as standard (Node's
 * WHATWG URL gives every non-special scheme the opaque origin "null", so bu-dapp is done here).
 */
export function originOf(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const dapp = parseDappUrl(raw);
  if (dapp) return dappOrigin(dapp.appId);
  try {
    const o = new URL(raw).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}

/** What `will-frame-navigate` knows about a subframe navigation. */
export type SubframeNavigation = {
  /** Where the frame wants to go. */
  url: string;
  /** The frame's current URL ('' or about:blank before its first load). */
  frameUrl: string;
  /** The frame's parent is the window's main frame showing the app document. */
  parentIsApp: boolean;
  /** Who started it: the app document (the UI set the iframe's src) or the frame's own document. */
  initiator: 'app' | 'self' | 'other';
};

/**
 * May a subframe navigate to a dapp URL? Only a direct child of the app document, only to a
 * dapp the node has installed, and only when the UI opened it or the dapp moves within its own
 * origin — so a dapp cannot walk its frame to another dapp's origin (whose storage it would
 * then hold) nor to anything that is not a dapp.
 */
export function dappFrameNavigationAllowed(nav: SubframeNavigation, isInstalled: (appId: string) => boolean): boolean {
  const target = parseDappUrl(nav.url);
  if (!target || !nav.parentIsApp || !isInstalled(target.appId)) return false;
  if (nav.initiator === 'app') return true;
  if (nav.initiator !== 'self') return false;
  return originOf(nav.frameUrl) === dappOrigin(target.appId);
}

/** The UI's CSP must let it frame dapps: the frame-src source for this scheme. */
export const DAPP_FRAME_SOURCE = `${DAPP_SCHEME}:`;
