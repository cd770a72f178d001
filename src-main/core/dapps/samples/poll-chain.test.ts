/**
 * The Token Poll sample's ABI code (resources/dapps/poll/chain.js) against ethers and the
 * compiled TokenPoll artifact: selectors, calldata byte for byte, result decoding, revert
 * reasons for every custom error, and the devnet address.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbiCoder, Interface, getAddress, getCreateAddress } from 'ethers';
import { RESOURCES_DIR } from '../../chain/testing';
import { loadScript } from './load-script';

type Poll = { creator: string; question: string; options: string[]; tallies: bigint[]; createdAt: number; endsAt: number; voters: number; open: boolean };
type PollChain = {
  DEVNET_POLL: string;
  SELECTORS: Record<string, string>;
  encode: {
    createPoll(q: string, o: string[], d: number): string;
    vote(id: number, option: number): string;
    pollCount(): string;
    getPoll(id: number): string;
    voteOf(id: number, voter: string): string;
    token(): string;
    balanceOf(who: string): string;
    symbol(): string;
  };
  decode: { uint(d: string): bigint; address(d: string): string; string(d: string): string; poll(d: string): Poll; vote(d: string): { voted: boolean; option: number; weight: bigint } };
  revertReason(d: string): string | null;
  formatUnits(v: bigint, decimals?: number): string;
};

const P = loadScript<PollChain>('poll', 'chain.js', 'PollChain');
const POLL = JSON.parse(readFileSync(join(RESOURCES_DIR, 'contracts', 'artifacts', 'TokenPoll.json'), 'utf8')) as { abi: unknown[] };
const poll = new Interface(POLL.abi as never);
const erc20 = new Interface(['function balanceOf(address) view returns (uint256)', 'function symbol() view returns (string)', 'function decimals() view returns (uint8)']);
const VOTER = '0x4e83D036891b8E102840Da84379EC0b9E273448E';

describe('Token Poll chain.js', () => {
  it('has the selectors of the compiled contract and the token', () => {
    for (const [name, sel] of Object.entries(P.SELECTORS)) {
      const f = poll.getFunction(name) ?? erc20.getFunction(name);
      expect(f?.selector, name).toBe(sel);
    }
  });

  it('encodes calldata exactly as ethers does, multi-byte text included', () => {
    const options = ['Pizza 🍕', 'Sushi', 'Ça va', 'x'.repeat(64)];
    expect(P.encode.createPoll('Lunch — where?', options, 86400)).toBe(poll.encodeFunctionData('createPoll', ['Lunch — where?', options, 86400]));
    expect(P.encode.createPoll('Q', ['a', 'b'], 60)).toBe(poll.encodeFunctionData('createPoll', ['Q', ['a', 'b'], 60]));
    expect(P.encode.vote(12, 3)).toBe(poll.encodeFunctionData('vote', [12, 3]));
    expect(P.encode.getPoll(0)).toBe(poll.encodeFunctionData('getPoll', [0]));
    expect(P.encode.voteOf(5, VOTER)).toBe(poll.encodeFunctionData('voteOf', [5, VOTER]));
    expect(P.encode.pollCount()).toBe(poll.encodeFunctionData('pollCount', []));
    expect(P.encode.balanceOf(VOTER)).toBe(erc20.encodeFunctionData('balanceOf', [VOTER]));
    expect(() => P.encode.voteOf(1, '0x12')).toThrow(/not an address/);
  });

  it('decodes results as ethers encodes them', () => {
    const ONE = 10n ** 18n;
    const out = poll.encodeFunctionResult('getPoll', [VOTER, 'Lunch — where?', ['Pizza 🍕', 'Sushi', ''], [150n * ONE, 7n, 0n], 1_700_000_000n, 1_700_086_400n, 3n, true]);
    expect(P.decode.poll(out)).toEqual({
      creator: VOTER.toLowerCase(),
      question: 'Lunch — where?',
      options: ['Pizza 🍕', 'Sushi', ''],
      tallies: [150n * ONE, 7n, 0n],
      createdAt: 1_700_000_000,
      endsAt: 1_700_086_400,
      voters: 3,
      open: true,
    });
    expect(P.decode.vote(poll.encodeFunctionResult('voteOf', [true, 2, 5n * ONE]))).toEqual({ voted: true, option: 2, weight: 5n * ONE });
    expect(P.decode.uint(poll.encodeFunctionResult('pollCount', [42n]))).toBe(42n);
    expect(getAddress(P.decode.address(poll.encodeFunctionResult('token', [VOTER])))).toBe(VOTER);
    expect(P.decode.string(erc20.encodeFunctionResult('symbol', ['tBUT']))).toBe('tBUT');
    expect(() => P.decode.poll('0x1234')).toThrow(/too short/);
    expect(() => P.decode.uint('nope')).toThrow(/not ABI data/);
  });

  it('names every custom error of TokenPoll', () => {
    poll.forEachError((e) => {
      const args = e.inputs.map((i) => (i.type === 'address' ? VOTER : 1));
      expect(P.revertReason(poll.encodeErrorResult(e, args)), e.name).toMatch(/\w/);
    });
    expect(P.revertReason('0x08c379a0' + AbiCoder.defaultAbiCoder().encode(['string'], ['x']).slice(2))).toBeNull();
    expect(P.formatUnits(1234567n * 10n ** 16n)).toBe('12,345.67');
    expect(P.formatUnits(0n)).toBe('0');
  });

  it('points at the TokenPoll of the devnet genesis', () => {
    expect(P.DEVNET_POLL).toBe(getCreateAddress({ from: '0x0000000000000000000000000000000000009011', nonce: 0 }));
  });
});
