/**
 * @module electron/security
 * Installs the shell's security policy on a session and on every WebContents. Takes the
 * Electron objects as parameters (type-only import), so unit tests drive it with fakes; the
 * decisions themselves live in links.ts, permissions.ts and csp.ts.
 *
 * - navigation: a frame may only navigate to the app's own document; a blocked main-frame
 *   navigation to a valid external link opens it in the user's browser instead; a dapp frame
 *   (a direct child of the app document) may load its installed dapp when the UI opens it
 *   and move within that dapp's origin, nothing else (dapp-sandbox.ts);
 * - new windows: always denied; valid external links (https:, mailto:) go to the OS, at most
 *   `EXTERNAL_OPEN_BURST` per `EXTERNAL_OPEN_WINDOW_MS` so a page cannot spam browser tabs;
 * - <webview>: never attached;
 * - permissions: only those in permissions.ts, only for the app document; device access never;
 * - CSP header on every response (except the unpackaged dev server);
 * - IPC: only the app document's main frame may call the bridge.
 */
import type { Session, Shell, WebContents } from 'electron';
import type { Logger } from '../core/base';
import { CONTENT_SECURITY_POLICY, shouldApplyCsp, withCspHeader } from './csp';
import { isAppDocument, validateExternalLink, type AppLocation } from './links';
import { isPermissionAllowed } from './permissions';
import { dappFrameNavigationAllowed, parseDappUrl, type SubframeNavigation } from './dapp-sandbox';

export const EXTERNAL_OPEN_BURST = 3;
export const EXTERNAL_OPEN_WINDOW_MS = 10_000;

/** Sliding-window limiter: `take()` is true at most `burst` times per `windowMs`. */
export function createRateGate(burst: number, windowMs: number, now: () => number = Date.now): { take(): boolean } {
  const stamps: number[] = [];
  return {
    take() {
      const t = now();
      while (stamps.length && t - stamps[0]! >= windowMs) stamps.shift();
      if (stamps.length >= burst) return false;
      stamps.push(t);
      return true;
    },
  };
}

export type ExternalOpener = (raw: unknown) => boolean;

/** Validates, rate-limits and hands a link to the OS; returns whether it was opened. */
export function createExternalOpener(shell: Pick<Shell, 'openExternal'>, logger: Logger, gate = createRateGate(EXTERNAL_OPEN_BURST, EXTERNAL_OPEN_WINDOW_MS)): ExternalOpener {
  return (raw) => {
    const url = validateExternalLink(raw);
    if (!url) {
      logger.warn('refused to open a link outside the allow-list', { scheme: schemeOf(raw) });
      return false;
    }
    if (!gate.take()) {
      logger.warn('refused to open a link: too many in a short time');
      return false;
    }
    shell.openExternal(url).catch((e: unknown) => logger.warn('the OS could not open a link', { error: String(e) }));
    return true;
  };
}

function schemeOf(raw: unknown): string {
  if (typeof raw !== 'string') return typeof raw;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]{0,31}):/.exec(raw);
  return m ? m[1]!.toLowerCase() : 'none';
}

/** Which dapps the node has installed (their frames may load); absent: no dapp frames at all. */
export type DappFramePolicy = { isInstalled(appId: string): boolean };

type FrameLike = { url?: unknown; parent?: FrameLike | null; processId?: unknown; routingId?: unknown } | null | undefined;

/** The facts of a `will-frame-navigate` event the dapp rule decides on. */
export function describeSubframeNavigation(event: { url: string; frame?: FrameLike; initiator?: FrameLike }, app: AppLocation): SubframeNavigation {
  const frame = event.frame ?? null;
  const parent = frame?.parent ?? null;
  const parentIsApp = !!parent && (parent.parent ?? null) === null && isAppDocument(parent.url, app);
  const init = event.initiator ?? null;
  const same = (a: FrameLike, b: FrameLike) => !!a && !!b && a.processId === b.processId && a.routingId === b.routingId;
  let initiator: SubframeNavigation['initiator'] = 'other';
  if (init && (init.parent ?? null) === null && isAppDocument(init.url, app)) initiator = 'app';
  else if (same(init, frame)) initiator = 'self';
  return { url: event.url, frameUrl: typeof frame?.url === 'string' ? frame.url : '', parentIsApp, initiator };
}

/** Navigation, window-opening and <webview> rules for one WebContents. */
export function hardenWebContents(contents: WebContents, app: AppLocation, openExternal: ExternalOpener, dapps?: DappFramePolicy): void {
  contents.on('will-navigate', (event) => {
    if (isAppDocument(event.url, app)) return;
    event.preventDefault();
    openExternal(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (isAppDocument(event.url, app)) return;
    if (!event.isMainFrame && dapps && parseDappUrl(event.url)) {
      const nav = describeSubframeNavigation(event as unknown as { url: string; frame?: FrameLike; initiator?: FrameLike }, app);
      if (dappFrameNavigationAllowed(nav, (id) => dapps.isInstalled(id))) return;
    }
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppDocument(event.url, app)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

/** Permission handlers and the CSP header for a session. */
export function hardenSession(session: Session, app: AppLocation): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const types = 'mediaTypes' in details ? (details.mediaTypes as string[] | undefined) : undefined;
    callback(isPermissionAllowed(permission, details.requestingUrl, app, types));
  });
  session.setPermissionCheckHandler((wc, permission, _origin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? wc?.getURL(), app, details.mediaType ? [details.mediaType] : undefined),
  );
  session.setDevicePermissionHandler(() => false);
  const devOrigin = app.kind === 'dev' ? new URL(app.url).origin : null;
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!shouldApplyCsp(details.url, devOrigin)) return callback({});
    callback({ responseHeaders: withCspHeader(details.responseHeaders, CONTENT_SECURITY_POLICY) });
  });
}

/**
 * For `serveIpc`'s `isTrustedSender`: the call must come from a live main frame showing the
 * app document (not a subframe, not a page the window was somehow navigated to).
 */
export function isTrustedIpcSender(event: unknown, app: AppLocation): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const frame = (event as { senderFrame?: unknown }).senderFrame;
  if (typeof frame !== 'object' || frame === null) return false;
  const { url, parent } = frame as { url?: unknown; parent?: unknown };
  return parent === null && isAppDocument(url, app);
}
