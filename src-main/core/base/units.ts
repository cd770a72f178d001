/**
 * @module wallet/units
 * Decimal amounts ↔ integer base units (wei for ether; 10^-decimals of an ERC-20 token as its
 * `decimals()` says, EIP-20), with bigint end to end: no floats, no rounding, no locale.
 * Amounts are uint256 (0 … 2^256 − 1, the EVM word, Yellow Paper §9.1); `decimals` is a whole
 * number 0 … 77, since 10^77 is the largest power of ten that fits a uint256.
 *
 * `parseUnits(text, decimals)` accepts ASCII digits with at most one "." as the decimal point:
 * "1", "1.5", ".5" and "1." (what a user has typed so far); surrounding whitespace is trimmed.
 * It rejects, each with its own sentence: a sign, exponent notation ("1e18"), more digits after
 * the point than the token has decimals (even zeros, so the user sees the token's precision),
 * empty text, "NaN"/"Infinity", anything above 2^256 − 1, and commas. Commas are refused because
 * they are ambiguous with money: "1,500" is fifteen hundred in en-US and one and a half in de-DE,
 * a 1000× error either way. Digit grouping with spaces is safe (no locale writes the decimal
 * point as a space), so the integer part may be split into groups of exactly three digits by
 * U+0020, U+00A0, U+2009 (thin space) or U+202F (narrow no-break space) — which makes
 * `formatUnits(x, d, { group: true })` output parse back to x.
 *
 * `formatUnits(value, decimals, opts)` writes the shortest exact decimal: trailing fraction
 * zeros trimmed, no ".0" ("1", "1.5", "0"). `group: true` separates thousands of the integer
 * part with U+202F NARROW NO-BREAK SPACE (the SI / ISO 80000-1 thin-space grouping, which never
 * reads as a decimal point in any locale and never breaks across lines); the fraction is not
 * grouped. `maxFraction: n` keeps at most n fraction digits by truncation toward zero — it never
 * rounds up, so a shown balance is never more than the real one. `formatUnitsParts` also says
 * whether non-zero digits were dropped; showing "≈" or "<0.0001" is the caller's business.
 */
import { BuError } from './errors';

export const MAX_UINT256 = (1n << 256n) - 1n;
/** Largest `decimals` accepted: 10^77 < 2^256 < 10^78. */
export const MAX_DECIMALS = 77;
/** Thousands separator written by `formatUnits(…, { group: true })`: U+202F NARROW NO-BREAK SPACE. */
export const GROUP_SEPARATOR = '\u202f';

export type FormatUnitsOptions = {
  /** Keep at most this many fraction digits (a whole number ≥ 0), truncating toward zero. */
  maxFraction?: number;
  /** Separate thousands of the integer part with `GROUP_SEPARATOR`. */
  group?: boolean;
};

export type FormattedUnits = {
  text: string;
  /** True when `maxFraction` dropped non-zero digits: `text` is then strictly less than the value. */
  truncated: boolean;
};

/** Longer input cannot be a uint256 amount (78 digits + 77 decimals + separators); refused early. */
const MAX_TEXT_LENGTH = 256;
const SPACE_CLASS = '[ \\u00a0\\u2009\\u202f]';
const HAS_SPACE = new RegExp(SPACE_CLASS);
const ALL_SPACES = new RegExp(SPACE_CLASS, 'g');
const GROUPED_INT = new RegExp(`^[0-9]{1,3}(?:${SPACE_CLASS}[0-9]{3})+$`);
const AMOUNT = new RegExp(`^[0-9]*(?:${SPACE_CLASS}[0-9]+)*(?:\\.[0-9]*)?$`);

function bad(message: string): BuError {
  return new BuError('BAD_INPUT', message);
}

function checkDecimals(decimals: number): void {
  if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
    throw bad(`Token decimals must be a whole number from 0 to ${MAX_DECIMALS}.`);
  }
}

function checkValue(value: bigint): void {
  if (typeof value !== 'bigint') throw bad('An amount in base units must be a bigint.');
  if (value < 0n) throw bad('An amount cannot be negative.');
  if (value > MAX_UINT256) throw bad('That amount is too large: it is above 2^256 − 1 base units.');
}

/** Decimal text → base units: `parseUnits("1.5", 18) === 1500000000000000000n`. */
export function parseUnits(text: string, decimals: number): bigint {
  checkDecimals(decimals);
  if (typeof text !== 'string') throw bad('An amount must be given as text.');
  const s = text.trim();
  if (s === '') throw bad('Enter an amount.');
  if (s.length > MAX_TEXT_LENGTH) throw bad('That amount is too long to be a valid number.');
  if (/^[-\u2212]/.test(s)) throw bad('An amount cannot be negative.');
  if (s.startsWith('+')) throw bad('Write the amount without a plus sign.');
  if (s.includes(',')) {
    throw bad('Commas are not accepted in amounts, because "1,500" means 1500 in some countries and 1.5 in others; use "." as the decimal point.');
  }
  if (/^[0-9.]+[eE][-+]?[0-9]*$/.test(s) && /[0-9]/.test(s)) {
    throw bad('Write the amount in full: exponent notation such as "1e18" is not accepted.');
  }
  if (/^(nan|inf|infinity)$/i.test(s)) throw bad('That is not a number; enter an amount such as 1.5.');
  if (!AMOUNT.test(s)) throw bad('That is not a valid amount: use the digits 0-9 and at most one "." as the decimal point.');
  const dot = s.indexOf('.');
  const intRaw = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  if (intRaw === '' && frac === '') throw bad('That is not a valid amount: a "." needs digits next to it.');
  let int = intRaw;
  if (HAS_SPACE.test(intRaw)) {
    if (!GROUPED_INT.test(intRaw)) throw bad('Digits may be grouped with spaces only in groups of three, as in 1 000 000.');
    int = intRaw.replace(ALL_SPACES, '');
  }
  if (frac.length > decimals) {
    throw bad(
      decimals === 0
        ? 'This token has no decimals, so the amount must be a whole number.'
        : `This token has ${decimals} decimals, so an amount can have at most ${decimals} digits after the point (this one has ${frac.length}).`,
    );
  }
  const digits = (int + frac.padEnd(decimals, '0')).replace(/^0+/, '');
  if (digits.length > 78) throw bad('That amount is too large: it is above 2^256 − 1 base units.');
  const value = BigInt(digits === '' ? '0' : digits);
  if (value > MAX_UINT256) throw bad('That amount is too large: it is above 2^256 − 1 base units.');
  return value;
}

/** Base units → shortest exact decimal text, plus whether `maxFraction` dropped digits. */
export function formatUnitsParts(value: bigint, decimals: number, opts: FormatUnitsOptions = {}): FormattedUnits {
  checkDecimals(decimals);
  checkValue(value);
  const { maxFraction, group = false } = opts ?? {};
  if (maxFraction !== undefined && (typeof maxFraction !== 'number' || !Number.isInteger(maxFraction) || maxFraction < 0)) {
    throw bad('maxFraction must be a whole number of digits, 0 or more.');
  }
  const padded = value.toString().padStart(decimals + 1, '0');
  let int = padded.slice(0, padded.length - decimals);
  let frac = padded.slice(padded.length - decimals).replace(/0+$/, '');
  let truncated = false;
  if (maxFraction !== undefined && frac.length > maxFraction) {
    // frac ends in a non-zero digit after the trim, so cutting anything drops value: round down.
    truncated = true;
    frac = frac.slice(0, maxFraction).replace(/0+$/, '');
  }
  if (group) int = int.replace(/\B(?=(?:[0-9]{3})+$)/g, GROUP_SEPARATOR);
  return { text: frac === '' ? int : `${int}.${frac}`, truncated };
}

/** Base units → decimal text: `formatUnits(1500000000000000000n, 18) === "1.5"`. */
export function formatUnits(value: bigint, decimals: number, opts?: FormatUnitsOptions): string {
  return formatUnitsParts(value, decimals, opts).text;
}
