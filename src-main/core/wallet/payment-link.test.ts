import { describe, expect, it } from 'vitest';
import * as ethers from 'ethers';
import * as viem from 'viem';
import { isBuError, MAX_UINT256 } from '../base';
import { ZERO_ADDRESS } from './address';
import { formatPaymentLink, parsePaymentLink, type PaymentLinkInput, type PaymentRequest } from './payment-link';
import { prng, thrownBy } from '../base/test-support';

function expectBad(fn: () => unknown, message: RegExp): void {
  const thrown = thrownBy(fn);
  // an address problem is BAD_ADDRESS (from parseAddress), any other BAD_INPUT; the message pins which
  expect(isBuError(thrown, 'BAD_INPUT') || isBuError(thrown, 'BAD_ADDRESS'), `expected a BAD_INPUT or BAD_ADDRESS BuError, got ${String(thrown)}`).toBe(true);
  expect((thrown as Error).message).toMatch(message);
}

const ALICE = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'; // EIP-55 test vectors
const BOB = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const TOKEN = '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB';

describe('the examples of EIP-681', () => {
  it('reads "2.014 ETH to 0xfb69…" exactly — once the address is not mis-cased', () => {
    // Verbatim from the EIP: its address is an EIP-55 vector with some letters' case changed,
    // so its checksum is wrong and a careful wallet must not pay it.
    expectBad(
      () => parsePaymentLink('ethereum:0xfb6916095ca1df60bb79Ce92ce3ea74c37c5d359?value=2.014e18'),
      /^The address in the payment link has a wrong EIP-55 checksum/,
    );
    expect(parsePaymentLink('ethereum:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359?value=2.014e18')).toEqual({
      kind: 'native',
      to: BOB,
      value: 2_014_000_000_000_000_000n,
    });
  });

  it('reads "a Unicorn to 0x8e23…" as an ERC-20 transfer of 1 base unit', () => {
    const req = parsePaymentLink(
      'ethereum:0x89205a3a3b2a69de6dbf7f01ed13b2108b2c43e7/transfer?address=0x8e23ee67d1332ad560396262c48ffbb01f93d052&uint256=1',
    );
    expect(req).toEqual({
      kind: 'erc20',
      token: ethers.getAddress('0x89205a3a3b2a69de6dbf7f01ed13b2108b2c43e7'),
      to: ethers.getAddress('0x8e23ee67d1332ad560396262c48ffbb01f93d052'),
      amount: 1n,
    });
  });
});

describe('formatPaymentLink', () => {
  it('writes chain id, checksummed addresses and plain integer amounts', () => {
    expect(formatPaymentLink({ to: ALICE.toLowerCase(), chainId: 16981, value: 1_500_000_000_000_000_000n })).toBe(
      `ethereum:${ALICE}@16981?value=1500000000000000000`,
    );
    expect(formatPaymentLink({ to: ALICE, chainId: 1 })).toBe(`ethereum:${ALICE}@1`);
    expect(formatPaymentLink({ to: ALICE, chainId: 1, value: 0n })).toBe(`ethereum:${ALICE}@1?value=0`);
    expect(formatPaymentLink({ token: TOKEN.toUpperCase().replace('0X', '0x'), to: BOB, chainId: 16981, amount: 2_500_000n })).toBe(
      `ethereum:${TOKEN}@16981/transfer?address=${BOB}&uint256=2500000`,
    );
    expect(formatPaymentLink({ to: ALICE, chainId: Number.MAX_SAFE_INTEGER, value: MAX_UINT256 })).toBe(
      `ethereum:${ALICE}@${Number.MAX_SAFE_INTEGER}?value=${MAX_UINT256}`,
    );
  });

  it('refuses requests that could not be paid as meant', () => {
    expectBad(() => formatPaymentLink({ to: ALICE, chainId: 0 }), /chain ID must be a whole number/);
    expectBad(() => formatPaymentLink({ to: ALICE, chainId: 1.5 }), /chain ID/);
    expectBad(() => formatPaymentLink({ to: ALICE, chainId: '1' as unknown as number }), /chain ID/);
    expectBad(() => formatPaymentLink({ to: ALICE, chainId: 1, value: -1n }), /The amount must be a bigint from 0/);
    expectBad(() => formatPaymentLink({ to: ALICE, chainId: 1, value: 1 as unknown as bigint }), /The amount must be a bigint/);
    expectBad(() => formatPaymentLink({ token: TOKEN, to: BOB, chainId: 1, amount: MAX_UINT256 + 1n }), /The token amount must be/);
    expectBad(() => formatPaymentLink({ to: ZERO_ADDRESS, chainId: 1 }), /zero address; paying it would destroy the funds/);
    expectBad(() => formatPaymentLink({ token: ZERO_ADDRESS, to: BOB, chainId: 1, amount: 1n }), /not a token contract/);
    expectBad(() => formatPaymentLink({ to: '0x1234', chainId: 1 }), /^The recipient address has 4 hexadecimal/);
    expectBad(() => formatPaymentLink({ token: BOB.toLowerCase().replace('b', 'B'), to: ALICE, chainId: 1, amount: 1n }), /^The token address has a wrong EIP-55 checksum/);
    expectBad(() => formatPaymentLink(null as unknown as PaymentLinkInput), /must be an object/);
  });
});

describe('parsePaymentLink', () => {
  it('accepts the pay- prefix, any scheme case, surrounding whitespace and gas suggestions', () => {
    expect(parsePaymentLink(` ethereum:pay-${ALICE}@16981?value=1e18\n`)).toEqual({ kind: 'native', to: ALICE, chainId: 16981, value: 10n ** 18n });
    expect(parsePaymentLink(`ETHEREUM:${ALICE.toLowerCase()}`)).toEqual({ kind: 'native', to: ALICE });
    expect(parsePaymentLink(`ethereum:${ALICE}@1?value=+2.50E3&gas=21000&gasPrice=5e10`)).toEqual({
      kind: 'native', to: ALICE, chainId: 1, value: 2500n, gasLimit: 21000n, gasPrice: 50_000_000_000n,
    });
    expect(parsePaymentLink(`ethereum:${ALICE}?gasLimit=4.5e4`)).toEqual({ kind: 'native', to: ALICE, gasLimit: 45000n });
    expect(parsePaymentLink(`ethereum:pay-${TOKEN}@5/transfer?uint256=1.5e6&address=${BOB}&value=0`)).toEqual({
      kind: 'erc20', token: TOKEN, to: BOB, chainId: 5, amount: 1_500_000n,
    });
    expect(parsePaymentLink(`ethereum:${TOKEN}/transfer?address=${BOB}`)).toEqual({ kind: 'erc20', token: TOKEN, to: BOB });
  });

  it('converts EIP-681 numbers exactly, agreeing with ethers and viem on 2000 seeded random ones', () => {
    expect(parsePaymentLink(`ethereum:${ALICE}?value=0.000e5`)).toMatchObject({ value: 0n });
    expect(parsePaymentLink(`ethereum:${ALICE}?value=.5e1`)).toMatchObject({ value: 5n });
    expect(parsePaymentLink(`ethereum:${ALICE}?value=1.000`)).toMatchObject({ value: 1n });
    expect(parsePaymentLink(`ethereum:${ALICE}?value=007`)).toMatchObject({ value: 7n });
    expect(parsePaymentLink(`ethereum:${ALICE}?value=${MAX_UINT256}`)).toMatchObject({ value: MAX_UINT256 });
    const rand = prng(681);
    const int = (n: number) => Math.floor(rand() * n);
    const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
    for (let i = 0; i < 2000; i++) {
      const exponent = int(60);
      const fraction = digits(int(exponent + 1));
      const mantissa = `${digits(1 + int(15))}${fraction === '' ? '' : `.${fraction}`}`;
      const req = parsePaymentLink(`ethereum:${ALICE}@1?value=${mantissa}e${exponent}`) as Extract<PaymentRequest, { kind: 'native' }>;
      expect(req.value).toBe(ethers.parseUnits(mantissa, exponent));
      expect(req.value).toBe(viem.parseUnits(mantissa, exponent));
    }
  });

  it('round-trips 500 seeded random requests through format and parse', () => {
    const rand = prng(16981);
    const hex = () => `0x${Array.from({ length: 40 }, () => Math.floor(rand() * 16).toString(16)).join('')}`;
    const big = () => BigInt(`0x${Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 16).toString(16)).join('')}`);
    for (let i = 0; i < 500; i++) {
      const chainId = 1 + Math.floor(rand() * 2 ** 40);
      const to = hex();
      let input: PaymentLinkInput;
      let expected: PaymentRequest;
      if (rand() < 0.5) {
        const value = rand() < 0.2 ? undefined : big();
        input = value === undefined ? { to, chainId } : { to, chainId, value };
        expected = value === undefined ? { kind: 'native', to: ethers.getAddress(to), chainId } : { kind: 'native', to: ethers.getAddress(to), chainId, value };
      } else {
        const token = hex();
        const amount = big();
        input = { token, to, chainId, amount };
        expected = { kind: 'erc20', token: ethers.getAddress(token), to: ethers.getAddress(to), chainId, amount };
      }
      const link = formatPaymentLink(input);
      expect(parsePaymentLink(link)).toEqual(expected);
      expect(formatPaymentLink(parsePaymentLink(link) as PaymentLinkInput)).toBe(link);
    }
  });

  it('refuses other kinds of link and unknown functions', () => {
    expectBad(() => parsePaymentLink(`bitcoin:${ALICE}`), /must start with "ethereum:"/);
    expectBad(() => parsePaymentLink(ALICE), /must start with "ethereum:"/);
    expectBad(() => parsePaymentLink(`ethereum:foo-${ALICE}`), /of the kind "foo-", not a payment request/);
    expectBad(() => parsePaymentLink(`ethereum:${TOKEN}/approve?address=${BOB}&uint256=1`), /asks to call "approve" on a contract; only payments/);
    expectBad(() => parsePaymentLink(`ethereum:${TOKEN}/transfer(address,uint256)?address=${BOB}`), /asks to call a function/);
    expectBad(() => parsePaymentLink(`ethereum:${TOKEN}/?value=1`), /asks to call a function/);
    expectBad(() => parsePaymentLink('ethereum:alice.eth?value=1'), /is a name, not a 0x address/);
    expectBad(() => parsePaymentLink('ethereum:my-shop.eth'), /is a name, not a 0x address/);
  });

  it('refuses malformed parts, each with its own sentence', () => {
    const link = (tail: string) => () => parsePaymentLink(`ethereum:${ALICE}${tail}`);
    expectBad(() => parsePaymentLink(''), /is empty/);
    expectBad(() => parsePaymentLink(7 as unknown as string), /given as text/);
    expectBad(() => parsePaymentLink(`ethereum:${ALICE}?value=${'1'.repeat(2100)}`), /too long/);
    expectBad(link('@0'), /chain ID in the payment link must be a positive whole number/);
    expectBad(link('@'), /chain ID/);
    expectBad(link('@01'), /chain ID/);
    expectBad(link('@1.5'), /chain ID/);
    expectBad(link('@1@2'), /chain ID/);
    expectBad(link(`@${2 ** 53}`), /chain ID in the payment link is too large/);
    expectBad(link('?value=-1'), /The amount in the payment link is negative/);
    expectBad(link('?value=1.5e0'), /not a whole number of base units/);
    expectBad(link('?value=1.5'), /not a whole number/);
    expectBad(link('?value=1e'), /not a number/);
    expectBad(link('?value=e18'), /not a number/);
    expectBad(link('?value=0x10'), /not a number/);
    expectBad(link('?value=1%2E5e18'), /not a number/);
    expectBad(link('?value=1ETH'), /not a number/);
    expectBad(link(`?value=${MAX_UINT256 + 1n}`), /too large/);
    expectBad(link('?value=1e78'), /too large/);
    expectBad(link('?value=1e999999999'), /too large/);
    expectBad(link('?gasPrice=1.5'), /The gas price in the payment link is not a whole number/);
    expectBad(link('?'), /"\?" with no parameters/);
    expectBad(link('?value=1&'), /malformed parameter/);
    expectBad(link('?value'), /malformed parameter/);
    expectBad(link('?value=1=2'), /malformed parameter/);
    expectBad(link('?label=rent'), /parameter "label", which a payment request does not use/);
    expectBad(link('?uint256=1'), /parameter "uint256"/);
    expectBad(link('?value=1&value=2'), /gives "value" more than once/);
    expectBad(link('?gas=1&gasLimit=1'), /more than once/);
    expectBad(link('?value=1#x'), /"#" part/);
    expectBad(() => parsePaymentLink(`ethereum:${ZERO_ADDRESS}?value=1`), /zero address; paying it would destroy the funds/);
  });

  it('refuses token transfers that are incomplete, send ether, or name a bad address', () => {
    const transfer = (q: string) => () => parsePaymentLink(`ethereum:${TOKEN}@1/transfer?${q}`);
    expectBad(transfer('uint256=1'), /does not say to whom/);
    expectBad(transfer(`address=${BOB}&uint256=1&value=1`), /would also send ether/);
    expectBad(transfer(`address=${BOB}&uint256=-1`), /The token amount in the payment link is negative/);
    expectBad(transfer(`address=${BOB}&uint256=1&address=${ALICE}`), /"address" more than once/);
    expectBad(transfer(`address=${ZERO_ADDRESS}&uint256=1`), /^The recipient address in the payment link is the zero address/);
    expectBad(transfer(`address=${BOB.replace('fB', 'fb')}&uint256=1`), /^The recipient address in the payment link has a wrong EIP-55 checksum/);
    expectBad(transfer(`address=0x1234&uint256=1`), /^The recipient address in the payment link has 4 hexadecimal/);
    expectBad(() => parsePaymentLink(`ethereum:${ZERO_ADDRESS}/transfer?address=${BOB}`), /not a token contract/);
    expectBad(() => parsePaymentLink(`ethereum:${TOKEN.toLowerCase().replace('db', 'dB')}/transfer?address=${BOB}`), /^The token address in the payment link has a wrong EIP-55 checksum/);
  });
});
