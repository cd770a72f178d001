/**
 * @module renderer/features/dapps/dapp-format
 * Words for the DApps screen, as pure functions (unit-tested without a DOM): what each
 * manifest permission lets a dapp do (one sentence each), sizes, the install progress
 * (`dapps.progress` phases), ratings as stars, version dates, peers holding a bundle, the
 * catalog's state, and the checks a launch must pass before its frame is shown.
 *
 * The launch check is the sandbox's keystone: the frame gets `allow-scripts allow-same-origin`
 * (HTML Living Standard §7.4 "sandboxing"), which is safe only because the dapp's origin is
 * never the UI's own — with the UI's origin those two flags together would let the dapp's
 * script reach into the host page and remove its own sandbox.
 */
import type { DappCatalogT, DappLaunchT, DappPermissionT, DappProgressT } from '../../../src-preload/contract';

type Phase = DappProgressT['phase'];

export const PERMISSION_TEXT: Record<DappPermissionT, { title: string; sentence: string }> = {
  accounts: { title: 'See the accounts you connect', sentence: 'It can ask for the addresses of the accounts you choose to connect; it never gets their keys.' },
  sign: { title: 'Ask for signatures', sentence: 'It can ask you to sign messages or typed data; nothing is signed until you approve it.' },
  transact: { title: 'Propose transactions', sentence: 'It can propose transactions from a connected account; each one shows its amount and fee and waits for your approval.' },
  'p2p-channel': { title: 'Talk to friends through BitUnicom', sentence: 'It can ask to exchange messages with friends who also have it; you pick which friends, and can revoke them in Settings.' },
  storage: { title: 'Keep data on this computer', sentence: 'It can keep its own data in its own storage, separate from BitUnicom’s; uninstalling it deletes that data.' },
  notifications: { title: 'Show notifications', sentence: 'It can show you notifications while it is open.' },
};

export function permissionTitle(p: DappPermissionT): string {
  return PERMISSION_TEXT[p]?.title ?? p;
}

export function permissionSentence(p: DappPermissionT): string {
  return PERMISSION_TEXT[p]?.sentence ?? 'A permission this version of BitUnicom does not describe yet.';
}

const CAPABILITIES: Record<string, string> = {
  eth_accounts: 'See the connected accounts',
  bitunicom_channel: 'Message chosen friends',
};

/** An EIP-2255 `parentCapability` in words, with the method name for the curious. */
export function capabilityLabel(capability: string): string {
  const words = CAPABILITIES[capability];
  return words ? `${words} (${capability})` : capability;
}

/** `512 B`, `12.3 KB`, `4.5 MB` (decimal units, as download sizes are usually shown). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return 'unknown size';
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

const ACTIVE: ReadonlySet<Phase> = new Set(['finding-peers', 'downloading', 'verifying', 'installing']);

/** A download / install is running (the Install button becomes a progress bar with Cancel). */
export function isActive(p: DappProgressT | null | undefined): p is DappProgressT {
  return !!p && ACTIVE.has(p.phase);
}

/** The line under the progress bar. */
export function progressLabel(p: DappProgressT): string {
  switch (p.phase) {
    case 'finding-peers':
      return p.peers > 0 ? `Finding peers… ${p.peers} found` : 'Finding peers that hold it…';
    case 'downloading':
      return p.totalBytes ? `Downloading ${formatBytes(p.receivedBytes)} of ${formatBytes(p.totalBytes)}` : `Downloading ${formatBytes(p.receivedBytes)}`;
    case 'verifying':
      return 'Verifying the package and its signature…';
    case 'installing':
      return 'Installing…';
    case 'done':
      return 'Installed.';
    case 'cancelled':
      return 'Download cancelled. What was fetched is kept for next time.';
    case 'failed':
      return p.message && isProse(p.message) ? `Install failed: ${p.message}` : 'Install failed.';
  }
}

/** 0…1 while the size is known; null for an indeterminate bar. */
export function progressFraction(p: DappProgressT): number | null {
  if (p.phase === 'verifying' || p.phase === 'installing' || p.phase === 'done') return 1;
  if (p.phase !== 'downloading' || !p.totalBytes) return null;
  return Math.max(0, Math.min(1, p.receivedBytes / p.totalBytes));
}

/** Short single-line prose only: a node message with JSON or a stack is never shown. */
export function isProse(text: string): boolean {
  return text.length > 0 && text.length <= 160 && !/[\n{}[\]<>]/.test(text);
}

export type StarFill = 'full' | 'half' | 'empty';

/** Five stars for an average (rounded to the nearest half). */
export function starFills(average: number | null): StarFill[] {
  const v = average === null ? 0 : Math.round(Math.max(0, Math.min(5, average)) * 2) / 2;
  return [1, 2, 3, 4, 5].map((i) => (v >= i ? 'full' : v >= i - 0.5 ? 'half' : 'empty'));
}

export function ratingLabel(r: { average: number | null; count: number }): string {
  if (r.count === 0 || r.average === null) return 'No ratings yet';
  return `${r.average.toFixed(1)} out of 5 · ${r.count === 1 ? '1 rating' : `${r.count} ratings`}`;
}

export function holdersLabel(n: number): string {
  if (n <= 0) return 'No peer holding it is online right now';
  return n === 1 ? 'Held by 1 peer online' : `Held by ${n} peers online`;
}

export function versionDate(publishedAt: number | null): string {
  if (publishedAt === null) return 'Sample listing';
  return new Date(publishedAt).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

export const REPORT_REASONS = [
  { key: 'malware', label: 'Malware', sentence: 'It tries to harm this computer or steal data.' },
  { key: 'scam', label: 'Scam', sentence: 'It tricks people into sending money or signing away tokens.' },
  { key: 'broken', label: 'Broken', sentence: 'It does not work or does not do what it says.' },
  { key: 'illegal', label: 'Illegal content', sentence: 'It shows or spreads content that is against the law.' },
  { key: 'other', label: 'Something else', sentence: 'Another reason other people should know about.' },
] as const;

export type ReportReason = (typeof REPORT_REASONS)[number]['key'];

export function reasonLabel(reason: string): string {
  return REPORT_REASONS.find((r) => r.key === reason)?.label ?? reason;
}

export function reportsLabel(n: number): string {
  if (n === 0) return 'No reports';
  return n === 1 ? '1 report' : `${n} reports`;
}

/** What the catalog's state means for the user (null when all is well). */
export function catalogNotice(c: Pick<DappCatalogT, 'state' | 'message'>): string | null {
  const m = c.message?.trim() ?? '';
  const extra = m && isProse(m) ? ` ${m.charAt(0).toUpperCase()}${m.slice(1).replace(/[.!?]?$/, '.')}` : '';
  if (c.state === 'syncing') return `Reading the store from the chain; more dapps may appear in a moment.${extra}`;
  if (c.state === 'unavailable') return `The store’s registry on the chain cannot be read right now, so the list may be out of date.${extra}`;
  return null;
}

/** Why a launch must not be shown in a frame, or null when it is safe to load. */
export function launchProblem(launch: Pick<DappLaunchT, 'url' | 'origin'>, uiOrigin: string): string | null {
  let url: URL;
  try {
    url = new URL(launch.url);
  } catch {
    return 'The node gave an address for this dapp that is not valid.';
  }
  if (!/^(?:https?|bu-dapp):$/.test(url.protocol)) return 'The node gave an address for this dapp that is not a web page.';
  // URL.origin is "null" for non-special schemes such as bu-dapp: compare scheme + host instead.
  const origin = `${url.protocol}//${url.host}`;
  if (origin !== launch.origin) return 'This dapp’s address does not match its own origin, so it is not opened.';
  if (url.username || url.password) return 'The node gave an address for this dapp with a user name in it, so it is not opened.';
  if (launch.origin === uiOrigin || url.host === '') return 'This dapp would share BitUnicom’s own origin, so it is not opened.';
  return null;
}

/** `0x0fae…f219` for app ids, like addresses. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

/** A data: image URL that may be used as an `<img src>` (anything else is ignored). */
export function safeImage(src: string | null | undefined): string | null {
  return src && /^data:image\/(?:png|jpeg|gif|webp|svg\+xml)[;,]/i.test(src) ? src : null;
}
