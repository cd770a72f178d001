/**
 * @module chat/payment-body
 * The signed part of a payment message (ChatPayload kind PAYMENT, field `payment`): its own
 * small protobuf, strictly validated on decode (anything off → BAD_ENVELOPE) and before we send
 * (→ BAD_INPUT), so nothing malformed reaches the store or the UI.
 *
 *   message PaymentBody {
 *     int32  type         = 1;  // 1 send, 2 request
 *     double chain_id     = 2;  // EIP-155 chain id, a safe positive integer
 *     string network_name = 3;  // the sender's name for that network (≤ 64 chars)
 *     Token  token        = 4;  // absent: the network's native coin
 *     string amount       = 5;  // base units, decimal, ^\d{1,78}$
 *     string to           = 6;  // receiving wallet
 *     string from         = 7;  // paying wallet (sends), "" = none
 *     string tx_hash      = 8;  // 0x + 64 hex: required for a send, absent for a request
 *     string note         = 9;  // ≤ 200 chars, "" = none
 *     string request_id   = 10; // the 32-hex message id of the request a send pays, "" = none
 *     string symbol       = 11; // what the amount is counted in ("BU", "TT"), 1–11 chars
 *     int32  decimals     = 12; // 0…77
 *   }
 *   message Token { string address = 1; string symbol = 2; string name = 3; int32 decimals = 4; }
 *
 * `symbol`/`decimals` are sent for native coins too (then they are the network's), so the
 * receiver shows "1.5 BU" without knowing the network; with a token they must equal the token's.
 */
import protobuf from 'protobufjs';
import { getAddress } from 'ethers';
import { BuError, formatUnits, type ErrorCode } from '../base';

export type PaymentToken = { address: string; symbol: string; name: string; decimals: number };
export type PaymentBody = {
  type: 'send' | 'request';
  chainId: number;
  networkName: string;
  token: PaymentToken | null;
  /** What the amount is counted in, and its decimals (the token's, or the native coin's). */
  symbol: string;
  decimals: number;
  /** Base units, decimal. */
  amount: string;
  /** EIP-55. */
  to: string;
  from: string | null;
  txHash: string | null;
  note: string | null;
  requestId: string | null;
};

const TokenT = new protobuf.Type('Token')
  .add(new protobuf.Field('address', 1, 'string'))
  .add(new protobuf.Field('symbol', 2, 'string'))
  .add(new protobuf.Field('name', 3, 'string'))
  .add(new protobuf.Field('decimals', 4, 'int32'));
const BodyT = new protobuf.Type('PaymentBody')
  .add(new protobuf.Field('type', 1, 'int32'))
  .add(new protobuf.Field('chainId', 2, 'double'))
  .add(new protobuf.Field('networkName', 3, 'string'))
  .add(new protobuf.Field('token', 4, 'Token'))
  .add(new protobuf.Field('amount', 5, 'string'))
  .add(new protobuf.Field('to', 6, 'string'))
  .add(new protobuf.Field('from', 7, 'string'))
  .add(new protobuf.Field('txHash', 8, 'string'))
  .add(new protobuf.Field('note', 9, 'string'))
  .add(new protobuf.Field('requestId', 10, 'string'))
  .add(new protobuf.Field('symbol', 11, 'string'))
  .add(new protobuf.Field('decimals', 12, 'int32'));
new protobuf.Root().add(TokenT).add(BodyT);

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const AMOUNT = /^\d{1,78}$/;
const TX_HASH = /^0x[0-9a-fA-F]{64}$/;
const MESSAGE_ID = /^[0-9a-f]{32}$/;
/** C0 controls and DEL (a note may hold line breaks). */
const CONTROL = { test: (v: string): boolean => [...v].some((ch) => { const c = ch.charCodeAt(0); return (c < 0x20 && c !== 0x0a) || c === 0x7f; }) };
export const MAX_NOTE = 200;
export const MAX_SYMBOL = 11;
export const MAX_NAME = 64;

/** Checks and normalises a body (addresses to EIP-55); throws `code` naming the bad field. */
export function checkPaymentBody(b: PaymentBody, code: ErrorCode = 'BAD_INPUT'): PaymentBody {
  const bad = (what: string): never => {
    throw new BuError(code, `payment: ${what}`);
  };
  const address = (v: unknown, what: string): string => (typeof v === 'string' && ADDRESS.test(v) ? getAddress(v.toLowerCase()) : bad(`${what} must be 0x + 40 hex`));
  const label = (v: unknown, max: number, what: string): string =>
    typeof v === 'string' && v.length >= 1 && v.length <= max && !CONTROL.test(v) && v.trim() === v ? v : bad(`${what} must be 1–${max} plain characters`);
  const decimals = (v: unknown): number => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 77 ? (v as number) : bad('decimals must be 0…77'));
  if (typeof b !== 'object' || b === null) bad('not an object');
  if (b.type !== 'send' && b.type !== 'request') bad('type must be send or request');
  if (!Number.isSafeInteger(b.chainId) || b.chainId <= 0) bad('chainId must be a safe positive integer');
  const token =
    b.token === null
      ? null
      : typeof b.token === 'object'
        ? { address: address(b.token.address, 'token address'), symbol: label(b.token.symbol, MAX_SYMBOL, 'token symbol'), name: label(b.token.name, MAX_NAME, 'token name'), decimals: decimals(b.token.decimals) }
        : bad('token must be an object or null');
  const symbol = label(b.symbol, MAX_SYMBOL, 'symbol');
  const dec = decimals(b.decimals);
  if (token && (token.symbol !== symbol || token.decimals !== dec)) bad('symbol and decimals must be the token’s');
  if (typeof b.amount !== 'string' || !AMOUNT.test(b.amount)) bad('amount must be 1–78 decimal digits');
  if (b.note !== null && (typeof b.note !== 'string' || b.note.length > MAX_NOTE || CONTROL.test(b.note))) bad(`note must be at most ${MAX_NOTE} characters`);
  if (b.requestId !== null && (typeof b.requestId !== 'string' || !MESSAGE_ID.test(b.requestId))) bad('requestId must be a 32-hex message id');
  if (b.type === 'send' ? typeof b.txHash !== 'string' || !TX_HASH.test(b.txHash) : b.txHash !== null) {
    bad('txHash must be 0x + 64 hex for a send and absent for a request');
  }
  if (b.type === 'request' && b.requestId !== null) bad('a request cannot pay another request');
  if (b.type === 'request' && b.from !== null) bad('a request has no paying wallet yet');
  return {
    type: b.type,
    chainId: b.chainId,
    networkName: label(b.networkName, MAX_NAME, 'networkName'),
    token,
    symbol,
    decimals: dec,
    amount: BigInt(b.amount).toString(), // no leading zeros: one spelling per amount
    to: address(b.to, 'to'),
    from: b.from === null ? null : address(b.from, 'from'),
    txHash: b.txHash === null ? null : b.txHash.toLowerCase(),
    note: b.note === '' ? null : b.note,
    requestId: b.requestId,
  };
}

export function encodePaymentBody(b: PaymentBody): Uint8Array {
  return BodyT.encode({
    type: b.type === 'send' ? 1 : 2,
    chainId: b.chainId,
    networkName: b.networkName,
    ...(b.token ? { token: b.token } : {}),
    amount: b.amount,
    to: b.to,
    from: b.from ?? '',
    txHash: b.txHash ?? '',
    note: b.note ?? '',
    requestId: b.requestId ?? '',
    symbol: b.symbol,
    decimals: b.decimals,
  }).finish();
}

/** Decodes and validates; anything malformed is BAD_ENVELOPE. */
export function decodePaymentBody(bytes: Uint8Array): PaymentBody {
  let m: Record<string, unknown>;
  try {
    m = BodyT.toObject(BodyT.decode(bytes), { defaults: true }) as Record<string, unknown>;
  } catch (e) {
    throw new BuError('BAD_ENVELOPE', 'malformed payment body', { cause: e });
  }
  const type = m.type === 1 ? 'send' : m.type === 2 ? 'request' : null;
  if (!type) throw new BuError('BAD_ENVELOPE', `payment: unknown type ${String(m.type)}`);
  const orNull = (v: unknown): string | null => (v === '' || v === undefined ? null : (v as string));
  return checkPaymentBody(
    {
      type,
      chainId: m.chainId as number,
      networkName: m.networkName as string,
      token: (m.token as PaymentToken | null | undefined) ?? null,
      symbol: m.symbol as string,
      decimals: m.decimals as number,
      amount: m.amount as string,
      to: m.to as string,
      from: orNull(m.from),
      txHash: orNull(m.txHash),
      note: orNull(m.note),
      requestId: orNull(m.requestId),
    },
    'BAD_ENVELOPE',
  );
}

/** "1.5 BU" (thousands grouped by U+202F, exact: no rounding). */
export function formatPaymentAmount(b: Pick<PaymentBody, 'amount' | 'decimals' | 'symbol'>): string {
  return `${formatUnits(BigInt(b.amount), b.decimals, { group: true })} ${b.symbol}`;
}

/** The one-line text of a payment message: "Sent 1.5 BU", "Received 1.5 BU", "Requested 2 TT". */
export function paymentSummary(b: Pick<PaymentBody, 'type' | 'amount' | 'decimals' | 'symbol'>, direction: 'in' | 'out'): string {
  const verb = b.type === 'request' ? 'Requested' : direction === 'out' ? 'Sent' : 'Received';
  return `${verb} ${formatPaymentAmount(b)}`;
}
