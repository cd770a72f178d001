/**
 * @module renderer/features/chat/payments/payment-labels
 * Pure helpers for money in a conversation: who paid whom ("You sent", "Alice requests"),
 * status pill words and tone, short transaction hashes, base units ↔ decimal text (bigint,
 * never floats), amount validation against the token's decimals, and which network of ours
 * a payment's chain id maps to. No DOM, no bridge: unit-tested directly.
 */
import type { MessageT, PaymentStatusT, PaymentT, WalletNetworkT } from '../../../../src-preload/contract';

export type Direction = MessageT['direction'];

/** "You sent" / "Alice sent you" / "You requested" / "Alice requests". */
export function directionLabel(type: PaymentT['type'], direction: Direction, peerName: string): string {
  const name = peerName.trim() || 'Your friend';
  if (type === 'send') return direction === 'out' ? 'You sent' : `${name} sent you`;
  return direction === 'out' ? 'You requested' : `${name} requests`;
}

const STATUS_LABEL: Record<PaymentStatusT, string> = {
  requested: 'Requested',
  pending: 'Pending',
  confirmed: 'Confirmed',
  failed: 'Failed',
  paid: 'Paid',
  unverified: 'Unverified',
};

export function statusLabel(status: PaymentStatusT): string {
  return STATUS_LABEL[status];
}

export type Tone = 'neutral' | 'progress' | 'success' | 'danger' | 'warning';

const STATUS_TONE: Record<PaymentStatusT, Tone> = {
  requested: 'neutral',
  pending: 'progress',
  confirmed: 'success',
  failed: 'danger',
  paid: 'success',
  unverified: 'warning',
};

export function statusTone(status: PaymentStatusT): Tone {
  return STATUS_TONE[status];
}

/** What the status means when the node gave no detail sentence. */
export function statusHint(p: Pick<PaymentT, 'status' | 'type'>): string {
  switch (p.status) {
    case 'requested':
      return 'Not paid yet';
    case 'pending':
      return 'Waiting for the transaction to be mined';
    case 'confirmed':
      return 'Checked on chain';
    case 'failed':
      return 'The transaction did not go through as described';
    case 'paid':
      return 'This request has been paid';
    case 'unverified':
      return 'This network cannot be checked from here';
  }
}

/** The secondary line next to the pill: the node's sentence, else our own. */
export function statusDetail(p: Pick<PaymentT, 'status' | 'type' | 'detail'>): string {
  const detail = p.detail?.trim() ?? '';
  // A detail that only repeats the pill ("Paid" next to "Paid") says nothing: explain instead.
  if (!detail || detail.toLowerCase() === statusLabel(p.status).toLowerCase()) return statusHint(p);
  return detail;
}

/** `0x1234ab…cdef`. */
export function shortHash(hash: string | null | undefined): string {
  if (!hash) return '';
  return hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-4)}` : hash;
}

/** Base units (a decimal integer string) → the decimal text a user types ("1500000000000000000", 18 → "1.5"). */
export function baseToDecimal(base: string, decimals: number): string {
  if (!/^\d+$/.test(base)) throw new Error('base units must be a decimal integer');
  const digits = base.replace(/^0+(?=\d)/, '');
  if (decimals <= 0) return digits;
  const padded = digits.padStart(decimals + 1, '0');
  const whole = padded.slice(0, padded.length - decimals);
  const fraction = padded.slice(padded.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Decimal text → base units as bigint, or null when it is not a valid amount for these decimals. */
export function decimalToBase(text: string, decimals: number): bigint | null {
  const t = text.trim();
  const m = /^(\d{1,78})(?:\.(\d{1,77}))?$/.exec(t);
  if (!m) return null;
  const whole = m[1] ?? '0';
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return null;
  return BigInt(whole + fraction.padEnd(decimals, '0'));
}

/** Why an amount cannot be used (null when it can). */
export function amountError(text: string, decimals: number, symbol: string): string | null {
  const t = text.trim();
  if (!t) return 'Enter an amount';
  if (/^\d*[.,]\d*$/.test(t) && t.includes(',')) return 'Use a dot for decimals, like 1.5';
  if (!/^\d+(\.\d+)?$/.test(t)) return 'Enter a number like 1.5';
  const fraction = t.split('.')[1]?.replace(/0+$/, '') ?? '';
  if (fraction.length > decimals) return decimals === 0 ? `${symbol} has no decimals` : `${symbol} has at most ${decimals} decimals`;
  const base = decimalToBase(t, decimals);
  if (base === null) return 'Enter a number like 1.5';
  if (base === 0n) return 'Enter an amount above zero';
  return null;
}

/** Our network for a payment's chain id: the selected one if several share it. */
export function networkForChain(networks: WalletNetworkT[], chainId: number): WalletNetworkT | null {
  const same = networks.filter((n) => n.chainId === chainId);
  return same.find((n) => n.selected) ?? same[0] ?? null;
}

/** The network a picker starts on: the selected one, else the first. */
export function defaultNetwork(networks: WalletNetworkT[]): WalletNetworkT | null {
  return networks.find((n) => n.selected) ?? networks[0] ?? null;
}

/** A request we received that is still open: the only kind with a "Pay" button. */
export function canPay(m: Pick<MessageT, 'direction' | 'payment'>): boolean {
  return m.direction === 'in' && m.payment?.type === 'request' && m.payment.status === 'requested';
}

/** The amount as a user reads it ("1.5 BU"); falls back to decimals + symbol when the node sent no text. */
export function amountText(p: Pick<PaymentT, 'amount'>): string {
  const a = p.amount;
  if (a.formatted.trim()) return a.formatted;
  return `${baseToDecimal(a.amount, a.decimals)} ${a.symbol}`.trim();
}

/** "BU on Devnet", "tBUT on Devnet". */
export function tokenNetworkText(p: Pick<PaymentT, 'token' | 'amount' | 'networkName'>): string {
  const symbol = p.token?.symbol ?? p.amount.symbol;
  return `${symbol} on ${p.networkName}`;
}

/** One sentence for screen readers and tests: "Alice sent you 1.5 BU". */
export function paymentSentence(p: PaymentT, direction: Direction, peerName: string): string {
  return `${directionLabel(p.type, direction, peerName)} ${amountText(p)}`;
}

const PROGRESS: Record<PaymentStatusT, number> = { requested: 0, pending: 1, unverified: 1, confirmed: 2, failed: 2, paid: 2 };

/**
 * True when `incoming` would move a payment backwards (a call's reply that arrives after the
 * `message.updated` that confirmed it): then the store keeps what it has.
 */
export function isStalePayment(existing: Pick<MessageT, 'payment'> | undefined, incoming: Pick<MessageT, 'payment'>): boolean {
  if (!existing?.payment || !incoming.payment) return false;
  return PROGRESS[incoming.payment.status] < PROGRESS[existing.payment.status];
}
