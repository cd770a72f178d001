/**
 * @module daemon/dapp-frame-guard
 * Which document loads the headless dapp server serves (issue 12 item 5: "no navigation out").
 *
 * The UI's CSP (`frame-src http://*.localhost:<dapp port>`) already keeps a dapp frame from
 * navigating to the UI, the RPC or the internet — but every dapp origin matches that source, so
 * a hostile dapp could walk its own frame to another dapp's origin and run there with the other
 * dapp's storage in reach of… the other dapp's own code, which the UI would then talk to as if
 * the user had opened it. The Electron shell stops that in `will-frame-navigate`; a plain
 * browser has no such hook, so the server decides, from Fetch Metadata (W3C Fetch Metadata
 * Request Headers: `Sec-Fetch-Mode`, `Sec-Fetch-Site`, `Sec-Fetch-Dest`):
 *
 * - a navigation the dapp makes within its own origin (`Sec-Fetch-Site: same-origin`) is
 *   served — links, reloads, history;
 * - any other navigation (from the UI, from another dapp, typed in an address bar) must carry
 *   a launch token: 128 random bits bound to one app id, issued by `dapps.launch` to the UI
 *   only, valid for one use within `LAUNCH_TTL_MS`; without one the server answers 403;
 * - subresources (scripts, styles, images of the document) are not navigations and are left
 *   to the dapp's CSP (`'self'` only).
 *
 * SameSite cookies cannot do this job: in a frame under a cross-site top level every request
 * counts as cross-site, so a Strict cookie would never be sent.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const LAUNCH_PARAM = '__bu_launch';
export const LAUNCH_TTL_MS = 60_000;
const MAX_TOKENS = 256;

export type FrameDecision = { allow: true } | { allow: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

function header(h: Headers, name: string): string {
  const v = h[name];
  return ((Array.isArray(v) ? v[0] : v) ?? '').toLowerCase();
}

/** True for a request that loads a document (a frame or window navigation). */
export function isNavigation(h: Headers): boolean {
  const mode = header(h, 'sec-fetch-mode');
  const dest = header(h, 'sec-fetch-dest');
  // Browsers without Fetch Metadata are treated as navigations: fail closed.
  return mode === 'navigate' || dest === 'iframe' || dest === 'document' || dest === 'frame' || mode === '';
}

export class DappFrameGuard {
  private readonly tokens = new Map<string, { appId: string; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A one-use launch token for `appId` (lowercase 0x hex). */
  issue(appId: string): string {
    this.sweep();
    if (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value as string);
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, { appId: appId.toLowerCase(), expires: this.now() + LAUNCH_TTL_MS });
    return token;
  }

  /** Decide on one request for `appId`'s origin; a valid token is consumed. */
  check(appId: string, url: URL, h: Headers): FrameDecision {
    if (!isNavigation(h)) return { allow: true };
    if (header(h, 'sec-fetch-site') === 'same-origin' && !url.searchParams.has(LAUNCH_PARAM)) return { allow: true };
    const given = url.searchParams.get(LAUNCH_PARAM);
    if (!given) return { allow: false, reason: 'a dapp opens only from the BitUnicom app (no launch token)' };
    this.sweep();
    for (const [token, entry] of this.tokens) {
      if (token.length !== given.length || !timingSafeEqual(Buffer.from(token), Buffer.from(given))) continue;
      this.tokens.delete(token);
      if (entry.appId !== appId.toLowerCase()) return { allow: false, reason: 'that launch token belongs to another dapp' };
      return { allow: true };
    }
    return { allow: false, reason: 'the launch token is unknown, used or expired' };
  }

  private sweep(): void {
    const t = this.now();
    for (const [token, entry] of this.tokens) if (entry.expires <= t) this.tokens.delete(token);
  }
}
