import { describe, expect, it } from 'vitest';
import * as ethers from 'ethers';
import * as viem from 'viem';
import { isBuError } from '../base';
import { addressOf, publicKeyOf } from '../crypto';
import { ADDRESS_ERROR_CODE, isZeroAddress, parseAddress, ZERO_ADDRESS } from './address';
import { prng, thrownBy } from '../base/test-support';

function expectBad(fn: () => unknown, message: RegExp): void {
  const thrown = thrownBy(fn);
  expect(isBuError(thrown, ADDRESS_ERROR_CODE), `expected a BuError, got ${String(thrown)}`).toBe(true);
  expect((thrown as Error).message).toMatch(message);
}

/**
 * The "Test Cases" of EIP-55 (https://eips.ethereum.org/EIPS/eip-55): each is already in its
 * checksummed form — the first two happen to be all caps, the next two all lower case.
 */
const EIP55_VECTORS = [
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

describe('parseAddress', () => {
  it('returns the EIP-55 test vectors unchanged, from their lower- and upper-case forms too', () => {
    for (const v of EIP55_VECTORS) {
      expect(parseAddress(v)).toBe(v);
      expect(parseAddress(v.toLowerCase())).toBe(v);
      expect(parseAddress(`0x${v.slice(2).toUpperCase()}`)).toBe(v);
      expect(ethers.getAddress(v)).toBe(v);
    }
  });

  it('trims whitespace around the address', () => {
    expect(parseAddress('  0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\n')).toBe(EIP55_VECTORS[4]);
    expect(parseAddress('\t0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359 ')).toBe(EIP55_VECTORS[5]);
  });

  it('refuses a mixed-case address whose checksum is wrong, calling it a typo', () => {
    // one letter's case flipped in an EIP-55 vector
    expectBad(() => parseAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'), /wrong EIP-55 checksum.*typo/);
    // the address EIP-681 uses in its own example is a mis-cased copy of an EIP-55 vector
    expectBad(() => parseAddress('0xfb6916095ca1df60bb79Ce92ce3ea74c37c5d359'), /wrong EIP-55 checksum/);
    expect(() => ethers.getAddress('0xfb6916095ca1df60bb79Ce92ce3ea74c37c5d359')).toThrow(/bad address checksum/);
  });

  it('explains every other malformed address in a sentence', () => {
    expectBad(() => parseAddress(''), /^The address is empty\.$/);
    expectBad(() => parseAddress('   '), /is empty/);
    expectBad(() => parseAddress('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'), /missing its "0x" prefix/);
    expectBad(() => parseAddress('0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED'), /lowercase x/);
    expectBad(() => parseAddress('vitalik.eth'), /is a name, not a 0x address/);
    expectBad(() => parseAddress('hello'), /must start with "0x" followed by 40 hexadecimal characters/);
    expectBad(() => parseAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg'), /contains "g", which is not a hexadecimal character/);
    expectBad(() => parseAddress('0x5aaeb6053f3e94c9b9a0 9f33669435e7ef1beaed'), /contains U\+0020/);
    expectBad(() => parseAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea\u200bd'), /contains U\+200B/);
    expectBad(() => parseAddress(EIP55_VECTORS[4]!.slice(0, -1)), /has 39 hexadecimal characters after "0x"; an Ethereum address has exactly 40/);
    expectBad(() => parseAddress(`${EIP55_VECTORS[4]}0`), /has 41 hexadecimal/);
    expectBad(() => parseAddress(`0x${'ab'.repeat(32)}`), /has 64 hexadecimal/); // a hash or private key, not an address
    expectBad(() => parseAddress('0x'), /has 0 hexadecimal/);
    expectBad(() => parseAddress(undefined as unknown as string), /must be given as text/);
  });

  it('names the field it was given', () => {
    expectBad(() => parseAddress('0x12', 'The recipient address'), /^The recipient address has 2 hexadecimal/);
  });

  it('agrees with ethers.getAddress and viem on 500 seeded random addresses and their case mutations', () => {
    const rand = prng(55);
    for (let i = 0; i < 500; i++) {
      const lower = `0x${Array.from({ length: 40 }, () => Math.floor(rand() * 16).toString(16)).join('')}`;
      const expected = ethers.getAddress(lower);
      expect(parseAddress(lower)).toBe(expected);
      expect(parseAddress(`0x${lower.slice(2).toUpperCase()}`)).toBe(expected);
      expect(parseAddress(expected)).toBe(expected);
      expect(viem.getAddress(lower)).toBe(expected);
      // flip the case of one letter: both libraries must accept or refuse alike
      const letters = [...expected].map((c, j) => (j >= 2 && /[a-fA-F]/.test(c) ? j : -1)).filter((j) => j >= 0);
      if (letters.length === 0) continue;
      const j = letters[Math.floor(rand() * letters.length)]!;
      const c = expected[j]!;
      const mutated = expected.slice(0, j) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + expected.slice(j + 1);
      let ethersOk = true;
      try {
        ethers.getAddress(mutated);
      } catch {
        ethersOk = false;
      }
      let oursOk = true;
      try {
        expect(parseAddress(mutated)).toBe(expected);
      } catch (e) {
        expect(isBuError(e, ADDRESS_ERROR_CODE)).toBe(true);
        oursOk = false;
      }
      expect(oursOk).toBe(ethersOk);
      // a flipped letter is only accepted when the result lost all case information
      const body = mutated.slice(2);
      expect(oursOk).toBe(body === body.toLowerCase() || body === body.toUpperCase());
    }
  });

  it('gives identity addresses (crypto.addressOf) back unchanged', () => {
    const key = new Uint8Array(32).fill(7);
    const addr = addressOf(publicKeyOf(key));
    expect(parseAddress(addr)).toBe(addr);
    expect(parseAddress(addr.toLowerCase())).toBe(addr);
  });
});

describe('isZeroAddress', () => {
  it('is true only for the zero address', () => {
    expect(isZeroAddress(ZERO_ADDRESS)).toBe(true);
    expect(isZeroAddress(` ${ZERO_ADDRESS}\n`)).toBe(true);
    expect(isZeroAddress(ethers.ZeroAddress)).toBe(true);
    expect(isZeroAddress(`0x${'0'.repeat(39)}1`)).toBe(false);
    expect(isZeroAddress(`0x${'0'.repeat(39)}`)).toBe(false);
    expect(isZeroAddress('0'.repeat(40))).toBe(false);
    expect(isZeroAddress('')).toBe(false);
    expect(isZeroAddress(null as unknown as string)).toBe(false);
    expect(parseAddress(ZERO_ADDRESS)).toBe(ZERO_ADDRESS);
  });
});
