/**
 * Argument parsing of `bitunicom wallet …` (no node): amounts, gwei fees, tiers, hashes and
 * chain ids as exact text; which options go with which action; networks, accounts and
 * recipients resolved by id, name (any case) or address, with ambiguity an error.
 */
import { describe, expect, it } from 'vitest';
import type { ContactT, WalletAccountT, WalletNetworkT } from '../../../src-preload/contract';
import { UsageError } from '../args';
import { parseAccountsArgs } from './wallet-accounts';
import { gweiToWei, parseAmount, parseChainId, parseHash, parseTier, resolveAccount, resolveNetwork, resolveRecipient } from './wallet-args';
import { parseNetworksArgs } from './wallet-networks';
import { parseSendOptions } from './wallet-send';

const A1 = '0x1111111111111111111111111111111111111111';
const A2 = '0x2222222222222222222222222222222222222222';
const BOB_ID = '0xB0b0000000000000000000000000000000000001';

const net = (id: string, name: string, selected = false): WalletNetworkT => ({
  id, chainId: 1, name, symbol: 'ETH', currencyName: 'Ether', decimals: 18, rpcUrl: 'http://x', explorerUrl: null, builtin: false, selected,
});
const acct = (address: string, name: string, hidden = false): WalletAccountT => ({ address, name, kind: 'hd', index: 0, hidden, removable: false });
const contact = (address: string, name: string): ContactT => ({
  address, name, state: 'friend', unread: 0, online: false, lastMessage: null, createdAt: 1, updatedAt: 1, wallet: A2,
});

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('no usage error');
}

describe('wallet option values', () => {
  it('keeps amounts as exact decimal text and refuses anything a float or locale would', () => {
    expect(parseAmount(' 1.5 ')).toBe('1.5');
    expect(parseAmount('1000000000000000000000.000000000000000001')).toBe('1000000000000000000000.000000000000000001');
    for (const bad of ['', '1e18', '-1', '1,5', '.5', '1.', 'ten', '0x10', undefined]) expect(usage(() => parseAmount(bad))).toMatch(/--amount is an amount like 1\.5/);
  });

  it('turns gwei into wei exactly, at most 9 decimals, never 0', () => {
    expect(gweiToWei('1.5')).toBe('1500000000');
    expect(gweiToWei('0.000000001')).toBe('1');
    expect(gweiToWei('250')).toBe('250000000000');
    expect(usage(() => gweiToWei('0'))).toMatch(/more than 0/);
    for (const bad of ['0.0000000001', '1e9', '-2', 'fast', '']) expect(usage(() => gweiToWei(bad))).toMatch(/gwei per gas/);
  });

  it('reads tiers, hashes and chain ids', () => {
    expect(parseTier(undefined)).toBeUndefined();
    expect(parseTier('fast')).toBe('fast');
    expect(usage(() => parseTier('turbo'))).toBe('--fee must be one of slow, normal, fast');
    expect(parseHash(`0x${'ab'.repeat(32)}`)).toBe(`0x${'ab'.repeat(32)}`);
    expect(usage(() => parseHash('0x1234'))).toMatch(/64 hex digits/);
    expect(parseChainId('31337')).toBe('31337');
    expect(parseChainId('0x7a69')).toBe('0x7a69');
    for (const bad of ['0', '0x0', '-1', '1.5', 'mainnet']) expect(usage(() => parseChainId(bad))).toMatch(/--chain-id is a positive number/);
  });

  it('checks send options before the node is asked', () => {
    expect(parseSendOptions({ to: ' bob ', amount: '2', fee: 'slow', 'max-fee': '3', token: A1 })).toEqual({ to: 'bob', amount: '2', tier: 'slow', maxFeePerGas: '3000000000', token: A1 });
    expect(usage(() => parseSendOptions({ amount: '1' }))).toMatch(/--to ADDRESS\|FRIEND is required/);
    expect(usage(() => parseSendOptions({ to: A1 }))).toMatch(/--amount X is required/);
    expect(usage(() => parseSendOptions({ to: A1, amount: '1', token: 'tBUT' }))).toMatch(/--token must be an address/);
  });
});

describe('wallet actions and their options', () => {
  it('accounts: one action, its argument, and only the options that go with it', () => {
    expect(parseAccountsArgs([], {})).toEqual({ action: null, arg: null });
    expect(parseAccountsArgs(['add'], { name: 'Savings' })).toEqual({ action: 'add', arg: null });
    expect(parseAccountsArgs(['rename', 'Account 1'], { name: 'Main' })).toEqual({ action: 'rename', arg: 'Account 1' });
    expect(parseAccountsArgs(['import-keystore', 'k.json'], { 'keystore-password-file': 'pw' })).toEqual({ action: 'import-keystore', arg: 'k.json' });
    expect(usage(() => parseAccountsArgs(['delete'], {}))).toMatch(/unknown action "delete"/);
    expect(usage(() => parseAccountsArgs(['hide'], {}))).toBe('missing argument: wallet accounts hide A');
    expect(usage(() => parseAccountsArgs(['add', 'x'], {}))).toBe('unexpected argument "x"');
    expect(usage(() => parseAccountsArgs(['rename', 'A'], {}))).toBe('rename needs --name N');
    expect(usage(() => parseAccountsArgs(['hide', 'A'], { name: 'x' }))).toBe('--name does not go with hide');
    expect(usage(() => parseAccountsArgs(['import-key'], { 'keystore-password-file': 'pw' }))).toMatch(/goes with import-keystore/);
    expect(usage(() => parseAccountsArgs(['add'], { all: true }))).toMatch(/--all goes with the list/);
  });

  it('networks: add needs a name and an RPC; edit cannot change the chain id', () => {
    expect(parseNetworksArgs([], {})).toEqual({ action: null, ref: null });
    expect(parseNetworksArgs(['add'], { name: 'anvil', rpc: 'http://127.0.0.1:8545' })).toEqual({ action: 'add', ref: null });
    expect(parseNetworksArgs(['use', 'anvil'], {})).toEqual({ action: 'use', ref: 'anvil' });
    expect(parseNetworksArgs(['check'], {})).toEqual({ action: 'check', ref: null });
    expect(usage(() => parseNetworksArgs(['add'], { name: 'x' }))).toBe('add needs --name N and --rpc URL');
    expect(usage(() => parseNetworksArgs(['remove'], {}))).toBe('missing argument: wallet networks remove N');
    expect(usage(() => parseNetworksArgs(['edit', 'x'], {}))).toMatch(/at least one of/);
    expect(usage(() => parseNetworksArgs(['edit', 'x'], { 'chain-id': '5' }))).toMatch(/chain id of a network cannot change/);
    expect(usage(() => parseNetworksArgs(['use', 'x'], { rpc: 'http://y' }))).toBe('--rpc does not go with use');
    expect(usage(() => parseNetworksArgs([], { symbol: 'ETH' }))).toBe('--symbol goes with add or edit');
  });
});

describe('wallet name resolution', () => {
  const nets = [net('devnet', 'BitUnicom devnet', true), net('net-1', 'Anvil'), net('net-2', 'Twin'), net('net-3', 'twin')];

  it('finds a network by id, else by name in any case; ambiguity and absence are errors', () => {
    expect(resolveNetwork('devnet', nets).id).toBe('devnet');
    expect(resolveNetwork(' ANVIL ', nets).id).toBe('net-1');
    expect(resolveNetwork('NET-1', nets).id).toBe('net-1');
    expect(() => resolveNetwork('twin', nets)).toThrow(/names 2 networks \(net-2, net-3\); use the id/);
    expect(() => resolveNetwork('sepolia', nets)).toThrow(/no network "sepolia"/);
  });

  it('finds an account by address in any case or by name, hidden ones too', () => {
    const list = [acct(A1, 'Account 1'), acct(A2, 'Savings', true)];
    expect(resolveAccount(A2.toUpperCase().replace('0X', '0x'), list).name).toBe('Savings');
    expect(resolveAccount('savings', list).address).toBe(A2);
    expect(() => resolveAccount('0x' + '9'.repeat(40), list)).toThrow(/is not one of your accounts/);
    expect(() => resolveAccount('Spending', list)).toThrow(/no account named "Spending"/);
    expect(() => resolveAccount('x', [acct(A1, 'x'), acct(A2, 'X')])).toThrow(/names 2 accounts/);
  });

  it('pays a friend by name or identity address, any other address directly', () => {
    const contacts = [contact(BOB_ID, 'Bob')];
    expect(resolveRecipient('bob', contacts)).toEqual({ friend: BOB_ID });
    expect(resolveRecipient(BOB_ID.toLowerCase(), contacts)).toEqual({ friend: BOB_ID });
    expect(resolveRecipient(A1, contacts)).toEqual({ to: A1 });
    expect(() => resolveRecipient('carol', contacts)).toThrow(/no contact named "carol"/);
    expect(() => resolveRecipient('0x12ab', contacts)).toThrow(/not a full address/);
  });
});
