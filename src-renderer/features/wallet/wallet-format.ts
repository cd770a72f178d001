/**
 * @module renderer/features/wallet/wallet-format
 * Pure helpers of the Wallet screen: gwei ↔ wei as decimal strings (bigint, never floats),
 * amount checks against a token's decimals, words and tones for activity statuses and
 * network states, the direction line of an activity item, and which account the screen
 * starts on. No DOM, no bridge: unit-tested directly.
 */
import type { ActivityItemT, NetworkStateT, WalletAccountT, WalletBalancesT } from '../../../src-preload/contract';

const GWEI_DECIMALS = 9;

/** Decimal text → base units (bigint), or null when it is not a number with at most `decimals` decimals. */
export function decimalToUnits(text: string, decimals: number): bigint | null {
  const m = /^(\d{1,78})(?:\.(\d{1,77}))?$/.exec(text.trim());
  if (!m) return null;
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return null;
  return BigInt((m[1] ?? '0') + fraction.padEnd(decimals, '0'));
}

/** Base units (decimal integer string) → decimal text without trailing zeros ("1500000000", 9 → "1.5"). */
export function unitsToDecimal(units: string, decimals: number): string {
  if (!/^\d+$/.test(units)) throw new Error('base units must be a decimal integer');
  const digits = units.replace(/^0+(?=\d)/, '');
  if (decimals <= 0) return digits;
  const padded = digits.padStart(decimals + 1, '0');
  const whole = padded.slice(0, padded.length - decimals);
  const fraction = padded.slice(padded.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** "1.5" gwei → "1500000000" wei; null for text that is not a gwei amount (at most 9 decimals). */
export function gweiToWei(gwei: string): string | null {
  const wei = decimalToUnits(gwei, GWEI_DECIMALS);
  return wei === null ? null : wei.toString();
}

/** "1500000000" wei → "1.5" gwei. */
export function weiToGwei(wei: string): string {
  return unitsToDecimal(wei, GWEI_DECIMALS);
}

/** Why an amount cannot be sent (null when it can). */
export function amountProblem(text: string, decimals: number, symbol: string): string | null {
  const t = text.trim();
  if (!t) return 'Enter an amount.';
  if (/^\d*,\d*$/.test(t)) return 'Use a dot for decimals, like 1.5.';
  if (!/^\d+(\.\d+)?$/.test(t)) return 'Enter a number like 1.5.';
  const fraction = t.split('.')[1]?.replace(/0+$/, '') ?? '';
  if (fraction.length > decimals) return decimals === 0 ? `${symbol} has no decimals.` : `${symbol} has at most ${decimals} decimals.`;
  const units = decimalToUnits(t, decimals);
  if (units === null) return 'Enter a number like 1.5.';
  if (units === 0n) return 'Enter an amount above zero.';
  return null;
}

/** Why a max fee in gwei cannot be used (null when it can, or when empty: the tier decides). */
export function maxFeeProblem(gwei: string): string | null {
  const t = gwei.trim();
  if (!t) return null;
  const wei = gweiToWei(t);
  if (wei === null) return 'Enter the max fee in gwei, like 1.5 (at most 9 decimals).';
  if (wei === '0') return 'The max fee must be above zero.';
  return null;
}

/** Why a recipient address cannot be used (null when it looks like an address; checksums are the node's to check). */
export function addressProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Enter the address to send to.';
  if (!/^0x[0-9a-fA-F]{40}$/.test(t)) return 'An address is 0x followed by 40 hex digits.';
  return null;
}

export type Tone = 'neutral' | 'progress' | 'success' | 'danger' | 'warning';
type Status = ActivityItemT['status'];

const STATUS: Record<Status, { label: string; tone: Tone }> = {
  pending: { label: 'Pending', tone: 'progress' },
  confirmed: { label: 'Confirmed', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  replaced: { label: 'Replaced', tone: 'neutral' },
  dropped: { label: 'Dropped', tone: 'warning' },
};

export function activityStatusLabel(status: Status): string {
  return STATUS[status].label;
}

export function activityStatusTone(status: Status): Tone {
  return STATUS[status].tone;
}

/** "Sent" / "Received" / "To yourself", with "Speed-up of" / "Cancellation" for replacements. */
export function activityTitle(item: Pick<ActivityItemT, 'direction' | 'replacement' | 'token'>): string {
  if (item.replacement === 'cancel') return 'Cancellation';
  const base = item.direction === 'out' ? 'Sent' : item.direction === 'in' ? 'Received' : 'To yourself';
  const what = item.token ? ` ${item.token.symbol}` : '';
  return item.replacement === 'speed-up' ? `${base}${what} (sped up)` : `${base}${what}`;
}

/** The other side of an activity item: whom we sent to, or who sent to us (null for a self-send). */
export function counterparty(item: Pick<ActivityItemT, 'direction' | 'from' | 'to'>): string | null {
  if (item.direction === 'in') return item.from;
  if (item.direction === 'self') return null;
  return item.to;
}

/** The amount with its sign as the list shows it: "−1.5 BU", "+2 tBUT". */
export function signedAmount(item: Pick<ActivityItemT, 'direction' | 'amount'>): string {
  const sign = item.direction === 'out' ? '−' : item.direction === 'in' ? '+' : '';
  return `${sign}${item.amount.formatted}`;
}

type NetState = NetworkStateT['state'] | WalletBalancesT['state'];

const NET_STATE: Record<NetState, { label: string; tone: Tone }> = {
  ok: { label: 'Connected', tone: 'success' },
  unreachable: { label: 'Unreachable', tone: 'danger' },
  'wrong-chain': { label: 'Wrong chain', tone: 'warning' },
};

export function networkStateLabel(state: NetState): string {
  return NET_STATE[state].label;
}

export function networkStateTone(state: NetState): Tone {
  return NET_STATE[state].tone;
}

/** The account the screen shows: the chosen one while it is still listed, else the first visible. */
export function pickAccount(accounts: WalletAccountT[], chosen: string | null): WalletAccountT | null {
  const key = chosen?.toLowerCase();
  const found = key ? accounts.find((a) => a.address.toLowerCase() === key) : undefined;
  return found ?? accounts.find((a) => !a.hidden) ?? accounts[0] ?? null;
}

/** "Account 2 · HD #1", "Imported", "Watch-only". */
export function accountKindLabel(a: Pick<WalletAccountT, 'kind' | 'index'>): string {
  if (a.kind === 'hd') return a.index === null ? 'HD' : `HD #${a.index}`;
  return a.kind === 'imported' ? 'Imported' : 'Watch-only';
}

/** A chain id typed in the add-network form: empty (the RPC says), or a positive integer. */
export function parseChainId(text: string): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const t = text.trim();
  if (!t) return { ok: true, value: undefined };
  if (/^0x[0-9a-fA-F]+$/.test(t)) {
    const n = Number.parseInt(t.slice(2), 16);
    if (n > 0 && Number.isSafeInteger(n)) return { ok: true, value: n };
  } else if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n > 0 && Number.isSafeInteger(n)) return { ok: true, value: n };
  }
  return { ok: false, error: 'A chain id is a positive whole number, like 31337.' };
}

/** An RPC or explorer URL typed by hand: http(s) only. */
export function urlProblem(text: string, what: string): string | null {
  const t = text.trim();
  if (!t) return `Enter the ${what}.`;
  try {
    const u = new URL(t);
    if (u.protocol === 'http:' || u.protocol === 'https:') return null;
  } catch {
    /* falls through */
  }
  return `The ${what} starts with http:// or https://.`;
}
