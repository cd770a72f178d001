/**
 * @module wallet/payment-link
 * EIP-681 payment request links (https://eips.ethereum.org/EIPS/eip-681), for QR codes and chat:
 *
 *   request = "ethereum" ":" [ "pay-" ] target_address [ "@" chain_id ] [ "/" function_name ] [ "?" parameters ]
 *
 * Two requests are supported, exactly the two the EIP describes:
 *  - native coin: `ethereum:<to>@<chainId>?value=<wei>`
 *  - ERC-20 (EIP-20): `ethereum:<token>@<chainId>/transfer?address=<to>&uint256=<base units>`
 *
 * `formatPaymentLink` always writes `@chainId` (without it the EIP lets the payer use whatever
 * network is current, which could send the money on the wrong chain), EIP-55 checksummed
 * addresses (so the payer's wallet can detect an edited link), no "pay-" prefix (optional in the
 * EIP, and the most widely understood form), and amounts as plain decimal integers of base units.
 * The EIP encourages scientific notation (`2.014e18`) for human readability, but a plain integer is
 * exact in every parser (some read exponents through floats and round), and what the user reads is
 * the wallet's screen, not the link.
 *
 * `parsePaymentLink` accepts `ethereum:` (scheme case-insensitive, RFC 3986 §3.1) and
 * `ethereum:pay-`, numbers as integers or in the EIP's scientific form (`2.014e18`, `+1e3`)
 * converted exactly with bigint — a result that is not a whole number (`1.5e0`), negative or above
 * 2^256 − 1 is refused — plus the suggested `gas`/`gasLimit` and `gasPrice`. It refuses, each with
 * a sentence: other prefixes, ENS names (not resolved here), functions other than `transfer`,
 * unknown or repeated parameters, a token transfer that would also send ether, the zero address as
 * recipient or token, a checksum mismatch in either address, and any malformed part. Parameter
 * values are not percent-decoded: no accepted value needs it, so a "%" is simply not valid.
 * The parsed `chainId` is absent when the link has none; the caller decides what that means.
 */
import { BuError, MAX_UINT256 } from '../base';
import { isZeroAddress, parseAddress } from './address';

export type NativePaymentLinkInput = { to: string; chainId: number; value?: bigint };
export type TokenPaymentLinkInput = { token: string; to: string; chainId: number; amount: bigint };
export type PaymentLinkInput = NativePaymentLinkInput | TokenPaymentLinkInput;

/** Suggestions the payer may change (EIP-681 "Semantics"); `gas` is read as `gasLimit`. */
export type GasSuggestions = { gasLimit?: bigint; gasPrice?: bigint };
export type NativePaymentRequest = { kind: 'native'; to: string; chainId?: number; value?: bigint } & GasSuggestions;
export type TokenPaymentRequest = { kind: 'erc20'; token: string; to: string; chainId?: number; amount?: bigint } & GasSuggestions;
export type PaymentRequest = NativePaymentRequest | TokenPaymentRequest;

const MAX_LINK_LENGTH = 2048;
const NATIVE_KEYS = new Set(['value', 'gas', 'gasLimit', 'gasPrice']);
const TRANSFER_KEYS = new Set(['address', 'uint256', 'value', 'gas', 'gasLimit', 'gasPrice']);

function bad(message: string): BuError {
  return new BuError('BAD_INPUT', message);
}

function checkChainId(chainId: number): void {
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId < 1) {
    throw bad('The chain ID must be a whole number from 1 to 2^53 − 1.');
  }
}

function checkAmount(amount: bigint, label: string): void {
  if (typeof amount !== 'bigint' || amount < 0n || amount > MAX_UINT256) {
    throw bad(`${label} must be a bigint from 0 to 2^256 − 1 base units.`);
  }
}

function recipient(to: string, subject: string): string {
  const address = parseAddress(to, subject);
  if (isZeroAddress(address)) throw bad(`${subject} is the zero address; paying it would destroy the funds.`);
  return address;
}

function tokenContract(token: string, subject: string): string {
  const address = parseAddress(token, subject);
  if (isZeroAddress(address)) throw bad(`${subject} is the zero address, which is not a token contract.`);
  return address;
}

/** Write an EIP-681 link: `ethereum:0x…@16981?value=1500000000000000000`. */
export function formatPaymentLink(input: PaymentLinkInput): string {
  if (typeof input !== 'object' || input === null) throw bad('A payment request must be an object.');
  checkChainId(input.chainId);
  if ('token' in input) {
    const token = tokenContract(input.token, 'The token address');
    const to = recipient(input.to, 'The recipient address');
    checkAmount(input.amount, 'The token amount');
    return `ethereum:${token}@${input.chainId}/transfer?address=${to}&uint256=${input.amount}`;
  }
  const to = recipient(input.to, 'The recipient address');
  if (input.value === undefined) return `ethereum:${to}@${input.chainId}`;
  checkAmount(input.value, 'The amount');
  return `ethereum:${to}@${input.chainId}?value=${input.value}`;
}

/** An EIP-681 `number` as an exact uint256: "1000", "2.014e18", "+1e3"; never a fraction. */
function linkNumber(raw: string, label: string): bigint {
  if (raw.startsWith('-')) throw bad(`${label} in the payment link is negative.`);
  const m = /^\+?([0-9]*)(?:\.([0-9]+))?(?:[eE]([0-9]+))?$/.exec(raw);
  if (!m || (m[1] === '' && m[2] === undefined)) {
    throw bad(`${label} in the payment link is not a number; expected digits such as 1000 or 2.014e18.`);
  }
  const frac = m[2] ?? '';
  const digits = (m[1]! + frac).replace(/^0+/, '');
  if (digits === '') return 0n;
  const tooLarge = bad(`${label} in the payment link is too large: it is above 2^256 − 1.`);
  const exponent = m[3] ?? '0';
  if (exponent.length > 5) throw tooLarge; // ≥ 10^5: far past 78 digits whatever the fraction
  const shift = Number(exponent) - frac.length;
  let whole: string;
  if (shift >= 0) {
    if (digits.length + shift > 78) throw tooLarge;
    whole = digits + '0'.repeat(shift);
  } else {
    const cut = -shift;
    if (/[^0]/.test(digits.slice(-cut))) {
      throw bad(`${label} in the payment link is not a whole number of base units: the exponent must be at least the number of digits after the point.`);
    }
    whole = digits.length > cut ? digits.slice(0, -cut) : '0';
  }
  const value = BigInt(whole);
  if (value > MAX_UINT256) throw tooLarge;
  return value;
}

function chainIdOf(raw: string): number {
  if (!/^[1-9][0-9]*$/.test(raw)) throw bad('The chain ID in the payment link must be a positive whole number, such as @1.');
  const chainId = Number(raw);
  if (!Number.isSafeInteger(chainId)) throw bad('The chain ID in the payment link is too large.');
  return chainId;
}

function paramsOf(query: string | undefined, allowed: Set<string>): Map<string, string> {
  const params = new Map<string, string>();
  if (query === undefined) return params;
  if (query === '') throw bad('The payment link has a "?" with no parameters after it.');
  for (const part of query.split('&')) {
    const m = /^([A-Za-z][A-Za-z0-9]{0,31})=([^=]+)$/.exec(part);
    if (!m) throw bad('The payment link has a malformed parameter; each must look like key=value, separated by "&".');
    const [, key, value] = m as unknown as [string, string, string];
    if (!allowed.has(key)) throw bad(`The payment link has the parameter "${key}", which a payment request does not use.`);
    if (params.has(key) || ((key === 'gas' || key === 'gasLimit') && (params.has('gas') || params.has('gasLimit')))) {
      throw bad(`The payment link gives "${key}" more than once.`);
    }
    params.set(key, value);
  }
  return params;
}

function gasOf(params: Map<string, string>): GasSuggestions {
  const out: GasSuggestions = {};
  const limit = params.get('gasLimit') ?? params.get('gas');
  if (limit !== undefined) out.gasLimit = linkNumber(limit, 'The gas limit');
  const price = params.get('gasPrice');
  if (price !== undefined) out.gasPrice = linkNumber(price, 'The gas price');
  return out;
}

/** Read an EIP-681 payment link into a typed request, or throw a `BuError` saying what is wrong. */
export function parsePaymentLink(text: string): PaymentRequest {
  if (typeof text !== 'string') throw bad('A payment link must be given as text.');
  const s = text.trim();
  if (s === '') throw bad('The payment link is empty.');
  if (s.length > MAX_LINK_LENGTH) throw bad('The payment link is too long.');
  const colon = s.indexOf(':');
  if (colon < 0 || s.slice(0, colon).toLowerCase() !== 'ethereum') throw bad('A payment link must start with "ethereum:".');
  if (s.includes('#')) throw bad('The payment link has a "#" part, which payment links do not use.');
  let rest = s.slice(colon + 1);
  if (rest.startsWith('pay-')) rest = rest.slice(4);
  else {
    const prefix = /^([A-Za-z0-9]{1,32})-/.exec(rest);
    const dottedName = /^[^@/?]*\.[A-Za-z]{2,}(?:[@/?]|$)/.test(rest); // an ENS name such as my-shop.eth
    if (prefix && !rest.startsWith('0x') && !dottedName) {
      throw bad(`This "ethereum:" link is of the kind "${prefix[1]}-", not a payment request, so it cannot be paid here.`);
    }
  }
  const m = /^([^@/?]*)(?:@([^/?]*))?(?:\/([^?]*))?(?:\?(.*))?$/s.exec(rest);
  if (!m) throw bad('The payment link is malformed.');
  const [, target, chainRaw, fn, query] = m as unknown as [string, string, string?, string?, string?];
  const chainId = chainRaw === undefined ? undefined : chainIdOf(chainRaw);
  const where = chainId === undefined ? {} : { chainId };

  if (fn === undefined) {
    const to = recipient(target, 'The address in the payment link');
    const params = paramsOf(query, NATIVE_KEYS);
    const value = params.get('value');
    return { kind: 'native', to, ...where, ...(value === undefined ? {} : { value: linkNumber(value, 'The amount') }), ...gasOf(params) };
  }
  if (fn !== 'transfer') {
    const name = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(fn) ? `"${fn}"` : 'a function';
    throw bad(`The link asks to call ${name} on a contract; only payments (ether, or an ERC-20 "transfer") are supported.`);
  }
  const token = tokenContract(target, 'The token address in the payment link');
  const params = paramsOf(query, TRANSFER_KEYS);
  const toRaw = params.get('address');
  if (toRaw === undefined) throw bad('The payment link asks for a token transfer but does not say to whom (it has no "address" parameter).');
  const to = recipient(toRaw, 'The recipient address in the payment link');
  const value = params.get('value');
  if (value !== undefined && linkNumber(value, 'The ether amount') !== 0n) {
    throw bad('The payment link asks for a token transfer that would also send ether to the token contract, which is refused.');
  }
  const amount = params.get('uint256');
  return { kind: 'erc20', token, to, ...where, ...(amount === undefined ? {} : { amount: linkNumber(amount, 'The token amount') }), ...gasOf(params) };
}
