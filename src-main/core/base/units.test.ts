import { describe, expect, it } from 'vitest';
import * as ethers from 'ethers';
import * as viem from 'viem';
import { isBuError } from './errors';
import { formatUnits, formatUnitsParts, GROUP_SEPARATOR, MAX_DECIMALS, MAX_UINT256, parseUnits } from './units';
import { prng, thrownBy } from './test-support';

function expectBad(fn: () => unknown, message: RegExp): void {
  const thrown = thrownBy(fn);
  expect(isBuError(thrown, 'BAD_INPUT'), `expected a BAD_INPUT BuError, got ${String(thrown)}`).toBe(true);
  expect((thrown as Error).message).toMatch(message);
}

describe('parseUnits', () => {
  it('reads whole, fractional and leading-dot amounts exactly', () => {
    expect(parseUnits('1', 18)).toBe(10n ** 18n);
    expect(parseUnits('1.5', 18)).toBe(1_500_000_000_000_000_000n);
    expect(parseUnits('.5', 18)).toBe(500_000_000_000_000_000n);
    expect(parseUnits('1.', 6)).toBe(1_000_000n);
    expect(parseUnits('0', 18)).toBe(0n);
    expect(parseUnits('0.000000000000000001', 18)).toBe(1n);
    expect(parseUnits('007.10', 2)).toBe(710n);
    expect(parseUnits('42', 0)).toBe(42n);
    expect(parseUnits('  2.25\n', 6)).toBe(2_250_000n);
  });

  it('accepts space grouping in threes (what formatUnits writes), never commas', () => {
    expect(parseUnits('1 000.25', 2)).toBe(100025n);
    expect(parseUnits(`12${GROUP_SEPARATOR}345${GROUP_SEPARATOR}678.9`, 1)).toBe(123456789n);
    expect(parseUnits('1\u2009000\u00a0000', 0)).toBe(1_000_000n);
    expectBad(() => parseUnits('1 00', 0), /groups of three/);
    expectBad(() => parseUnits('1000 000', 0), /groups of three/);
    expectBad(() => parseUnits('1  000', 0), /not a valid amount/);
    expectBad(() => parseUnits('1.000 5', 4), /not a valid amount/);
    expectBad(() => parseUnits('1,000.25', 2), /Commas are not accepted/);
    expectBad(() => parseUnits('1,5', 2), /Commas are not accepted/);
  });

  it('refuses bad input with a sentence saying what is wrong', () => {
    expectBad(() => parseUnits('', 18), /Enter an amount/);
    expectBad(() => parseUnits('   ', 18), /Enter an amount/);
    expectBad(() => parseUnits('-1', 18), /cannot be negative/);
    expectBad(() => parseUnits('\u22121', 18), /cannot be negative/);
    expectBad(() => parseUnits('+1', 18), /plus sign/);
    expectBad(() => parseUnits('1e18', 0), /exponent notation/);
    expectBad(() => parseUnits('1.5E-3', 18), /exponent notation/);
    expectBad(() => parseUnits('NaN', 18), /not a number/);
    expectBad(() => parseUnits('Infinity', 18), /not a number/);
    expectBad(() => parseUnits('.', 18), /needs digits/);
    expectBad(() => parseUnits('1.2.3', 18), /not a valid amount/);
    expectBad(() => parseUnits('0x10', 18), /not a valid amount/);
    expectBad(() => parseUnits('１', 18), /not a valid amount/); // fullwidth digit
    expectBad(() => parseUnits('1 ETH', 18), /not a valid amount/);
    expectBad(() => parseUnits('9'.repeat(300), 0), /too long/);
    expectBad(() => parseUnits(42 as unknown as string, 18), /as text/);
  });

  it('names the token decimals when there are too many fraction digits (zeros included)', () => {
    expectBad(() => parseUnits('1.1234567', 6), /This token has 6 decimals, so an amount can have at most 6 digits after the point \(this one has 7\)/);
    expectBad(() => parseUnits('1.0000000', 6), /has 6 decimals/);
    expectBad(() => parseUnits('1.5', 0), /no decimals, so the amount must be a whole number/);
  });

  it('stops exactly at 2^256 − 1', () => {
    expect(parseUnits(MAX_UINT256.toString(), 0)).toBe(MAX_UINT256);
    expect(parseUnits(`000${MAX_UINT256}`, 0)).toBe(MAX_UINT256);
    expectBad(() => parseUnits((MAX_UINT256 + 1n).toString(), 0), /too large/);
    expectBad(() => parseUnits('1' + '0'.repeat(78), 0), /too large/);
    const max18 = formatUnits(MAX_UINT256, 18);
    expect(parseUnits(max18, 18)).toBe(MAX_UINT256);
    expectBad(() => parseUnits(`${max18.split('.')[0]}.999999999999999999`, 18), /too large/);
    expect(parseUnits('1', 77)).toBe(10n ** 77n);
    expectBad(() => parseUnits('12', 77), /too large/);
  });

  it('accepts decimals 0…77 only', () => {
    for (const d of [-1, 78, 1.5, Number.NaN, Infinity]) expectBad(() => parseUnits('1', d), /whole number from 0 to 77/);
    expectBad(() => parseUnits('1', '18' as unknown as number), /whole number from 0 to 77/);
    expect(MAX_DECIMALS).toBe(77);
  });
});

describe('formatUnits', () => {
  it('writes the shortest exact decimal', () => {
    expect(formatUnits(10n ** 18n, 18)).toBe('1');
    expect(formatUnits(1_500_000_000_000_000_000n, 18)).toBe('1.5');
    expect(formatUnits(1n, 18)).toBe('0.000000000000000001');
    expect(formatUnits(0n, 18)).toBe('0');
    expect(formatUnits(0n, 0)).toBe('0');
    expect(formatUnits(1234n, 0)).toBe('1234');
    expect(formatUnits(1_000_100n, 6)).toBe('1.0001');
    expect(formatUnits(5n, 77)).toBe(`0.${'0'.repeat(76)}5`);
  });

  it('groups thousands of the integer part with U+202F when asked', () => {
    const s = GROUP_SEPARATOR;
    expect(GROUP_SEPARATOR).toBe('\u202f');
    expect(formatUnits(1_234_567_891_234_500n, 6, { group: true })).toBe(`1${s}234${s}567${s}891.2345`);
    expect(formatUnits(123_000n, 0, { group: true })).toBe(`123${s}000`);
    expect(formatUnits(999n, 0, { group: true })).toBe('999');
    expect(formatUnits(1000n, 0, { group: true })).toBe(`1${s}000`);
    expect(formatUnits(12345n, 5, { group: true })).toBe('0.12345'); // fraction never grouped
  });

  it('truncates to maxFraction toward zero, never up, and says so', () => {
    expect(formatUnitsParts(999_999n, 6, { maxFraction: 2 })).toEqual({ text: '0.99', truncated: true });
    expect(formatUnitsParts(1_999_999_999_999_999_999n, 18, { maxFraction: 4 })).toEqual({ text: '1.9999', truncated: true });
    expect(formatUnitsParts(1n, 18, { maxFraction: 4 })).toEqual({ text: '0', truncated: true });
    expect(formatUnitsParts(1_500_000n, 6, { maxFraction: 0 })).toEqual({ text: '1', truncated: true });
    expect(formatUnitsParts(1_500_000n, 6, { maxFraction: 1 })).toEqual({ text: '1.5', truncated: false });
    expect(formatUnitsParts(1_500_000n, 6, { maxFraction: 40 })).toEqual({ text: '1.5', truncated: false });
    expect(formatUnitsParts(1_000_900n, 6, { maxFraction: 3 })).toEqual({ text: '1', truncated: true });
    expect(formatUnitsParts(1_230_000n, 6)).toEqual({ text: '1.23', truncated: false });
    expect(formatUnits(1_234_567_899n, 3, { maxFraction: 2, group: true })).toBe(`1${GROUP_SEPARATOR}234${GROUP_SEPARATOR}567.89`);
  });

  it('refuses values and options that are not amounts', () => {
    expectBad(() => formatUnits(-1n, 18), /cannot be negative/);
    expectBad(() => formatUnits(MAX_UINT256 + 1n, 0), /too large/);
    expectBad(() => formatUnits(1 as unknown as bigint, 0), /must be a bigint/);
    expectBad(() => formatUnits(1n, 78), /whole number from 0 to 77/);
    expectBad(() => formatUnits(1n, 18, { maxFraction: -1 }), /maxFraction/);
    expectBad(() => formatUnits(1n, 18, { maxFraction: 1.5 }), /maxFraction/);
    expect(formatUnits(MAX_UINT256, 0)).toBe(MAX_UINT256.toString());
  });
});

describe('cross-check against ethers 6 and viem on seeded random values', () => {
  it('agrees on 3000 random (value, decimals) pairs and round-trips every form', () => {
    const rand = prng(0xb17c0de);
    const int = (n: number) => Math.floor(rand() * n);
    const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
    for (let i = 0; i < 3000; i++) {
      const decimals = rand() < 0.5 ? [0, 6, 8, 18][int(4)]! : int(MAX_DECIMALS + 1);
      // values of every size, biased toward short ones and toward the uint256 edge
      const shape = int(4);
      let value =
        shape === 0 ? BigInt(int(1000))
        : shape === 1 ? BigInt(digits(1 + int(30)))
        : shape === 2 ? BigInt(digits(1 + int(78))) % (MAX_UINT256 + 1n)
        : MAX_UINT256 - BigInt(int(1_000_000));
      if (rand() < 0.3) value = (value / 10n ** BigInt(int(decimals + 1))) * 10n ** BigInt(int(decimals + 1)) % (MAX_UINT256 + 1n);

      const text = formatUnits(value, decimals);
      expect(text).toBe(ethers.formatUnits(value, decimals).replace(/\.0$/, ''));
      expect(text).toBe(viem.formatUnits(value, decimals));
      expect(parseUnits(text, decimals)).toBe(value);
      expect(ethers.parseUnits(text, decimals)).toBe(value);
      expect(parseUnits(formatUnits(value, decimals, { group: true }), decimals)).toBe(value);

      const maxFraction = int(decimals + 2);
      const parts = formatUnitsParts(value, decimals, { maxFraction });
      const shown = parseUnits(parts.text, decimals);
      expect(shown <= value).toBe(true);
      expect(parts.truncated).toBe(shown !== value);
      if (maxFraction < decimals) expect(value - shown < 10n ** BigInt(decimals - maxFraction)).toBe(true);
      expect(parts.text.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(maxFraction);

      // decimal strings as a user might type them: leading zeros, ".x", "x.", padded fractions
      const fracLen = int(decimals + 1);
      const intLen = Math.min(20, MAX_DECIMALS - decimals); // keeps the typed amount below 10^77 base units
      const typed = `${rand() < 0.3 || intLen === 0 ? '' : '0'.repeat(int(3)) + digits(1 + int(intLen))}.${digits(fracLen)}`;
      if (typed !== '.') {
        const ours = parseUnits(typed, decimals);
        expect(ours).toBe(ethers.parseUnits(typed, decimals));
        expect(ours).toBe(viem.parseUnits(typed, decimals));
      }
    }
  });
});
