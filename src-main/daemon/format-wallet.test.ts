import { describe, expect, it } from 'vitest';
import type { ActivityItemT, SendQuoteT, WalletAccountT, WalletBalancesT, WalletNetworkT } from '../../src-preload/contract';
import { formatAccounts, formatBalances, formatGwei, formatHistory, formatNetworks, formatQuote, formatReceive, formatSent } from './format-wallet';

const ME = '0x1111111111111111111111111111111111111111';
const YOU = '0x2222222222222222222222222222222222222222';
const TOKEN = '0x3333333333333333333333333333333333333333';
const HASH = `0x${'ab'.repeat(32)}`;
const NNBSP = '\u202f';
const amt = (amount: string, formatted: string, symbol = 'BU') => ({ amount, formatted, symbol, decimals: 18 });

const item = (over: Partial<ActivityItemT> = {}): ActivityItemT => ({
  hash: HASH,
  networkId: 'devnet',
  chainId: 16981,
  account: ME,
  direction: 'out',
  from: ME,
  to: YOU,
  amount: amt('1500000000000000000', '1.5 BU'),
  token: null,
  nonce: '3',
  status: 'pending',
  blockNumber: null,
  at: new Date(2026, 11, 7, 12, 0, 5).getTime(),
  fee: amt('42000000000000', '0.000042 BU'),
  explorerUrl: null,
  replacement: null,
  replaceable: true,
  ...over,
});

describe('format-wallet', () => {
  it('writes gwei exactly', () => {
    expect(formatGwei('1500000000')).toBe('1.5 gwei');
    expect(formatGwei('1')).toBe('0.000000001 gwei');
    expect(formatGwei('250000000000')).toBe('250 gwei');
    expect(formatGwei('0')).toBe('0 gwei');
  });

  it('lists accounts and networks as tables, the selected network starred', () => {
    const accounts: WalletAccountT[] = [
      { address: ME, name: 'Account 1', kind: 'hd', index: 0, hidden: false, removable: false },
      { address: YOU, name: 'Cold\u001b[31m', kind: 'watch', index: null, hidden: true, removable: true },
    ];
    expect(formatAccounts(accounts).split('\n')).toEqual([
      'NAME       ADDRESS                                     KIND        HIDDEN',
      `Account 1  ${ME}  hd #0       no`,
      `Cold[31m   ${YOU}  watch-only  yes`,
    ]);
    const nets: WalletNetworkT[] = [
      { id: 'devnet', chainId: 16981, name: 'BitUnicom devnet', symbol: 'BU', currencyName: 'BU', decimals: 18, rpcUrl: 'http://127.0.0.1:8545/', explorerUrl: null, builtin: true, selected: true },
      { id: 'net-1', chainId: 31337, name: 'anvil', symbol: 'ETH', currencyName: 'Ether', decimals: 18, rpcUrl: 'http://127.0.0.1:9545', explorerUrl: 'https://scan.example', builtin: false, selected: false },
    ];
    const lines = formatNetworks(nets).split('\n');
    expect(lines[1]).toMatch(/^\* {2}devnet {2}BitUnicom devnet {2}16981 {5}BU {6}http:\/\/127\.0\.0\.1:8545\/ {2}-$/);
    expect(lines[2]).toBe('   net-1   anvil             31337     ETH     http://127.0.0.1:9545   https://scan.example');
  });

  it('shows balances formatted, tokens that failed, and an unreachable network in words', () => {
    const b: WalletBalancesT = {
      account: ME,
      networkId: 'devnet',
      chainId: 16981,
      blockNumber: '42',
      native: amt('1234500000000000000000', `1${NNBSP}234.5 BU`),
      tokens: [
        { address: TOKEN, symbol: 'tBUT', name: 'Test', decimals: 18, balance: amt('10', '0.00000000000000001 tBUT', 'tBUT'), error: null },
        { address: YOU, symbol: 'BAD', name: 'Bad', decimals: 6, balance: null, error: 'not an ERC-20' },
      ],
      state: 'ok',
      message: null,
    };
    expect(formatBalances(b, 'BitUnicom devnet').split('\n')).toEqual([
      `Account: ${ME}`,
      'Network: BitUnicom devnet (chain id 16981), block #42',
      '',
      'ASSET  BALANCE                      CONTRACT',
      `BU     1${NNBSP}234.5 BU                   (native)`,
      `tBUT   0.00000000000000001 tBUT     ${TOKEN}`,
      `BAD    unavailable (not an ERC-20)  ${YOU}`,
    ]);
    const down = formatBalances({ ...b, blockNumber: null, native: null, state: 'unreachable', message: 'connection refused' });
    expect(down).toBe(`Account: ${ME}\nNetwork: devnet (chain id 16981)\nState:   unreachable — connection refused`);
  });

  it('shows a quote with the fee in gwei, the max fee, the total and the warnings', () => {
    const tier = { maxFeePerGas: '2000000000', maxPriorityFeePerGas: '1000000000' };
    const q: SendQuoteT = {
      from: ME,
      to: YOU,
      friend: { address: '0x' + '4'.repeat(40), name: 'Bob' },
      network: { id: 'devnet', name: 'BitUnicom devnet', chainId: 16981, symbol: 'BU' },
      token: null,
      amount: amt('1500000000000000000', '1.5 BU'),
      gasLimit: '21000',
      baseFee: '500000000',
      tiers: { slow: tier, normal: tier, fast: tier },
      tier: 'normal',
      fee: tier,
      maxFee: amt('42000000000000', '0.000042 BU'),
      total: 'at most 1.500042 BU',
      sufficient: true,
      warnings: ['You are sending to the same account it comes from.'],
    };
    expect(formatQuote(q, 'Account 1')).toEqual([
      `From:     Account 1 (${ME})`,
      `To:       Bob's wallet ${YOU}`,
      'Network:  BitUnicom devnet (chain id 16981)',
      'Amount:   1.5 BU',
      'Fee:      normal: at most 2 gwei per gas (tip 1 gwei), base fee now 0.5 gwei',
      'Gas:      limit 21000, so the fee is at most 0.000042 BU',
      'Total:    at most 1.500042 BU',
      'Warning:  You are sending to the same account it comes from.',
    ]);
    expect(formatQuote({ ...q, friend: null, tier: 'custom' })[1]).toBe(`To:       ${YOU}`);
  });

  it('lists history and says how to follow a send', () => {
    const lines = formatHistory([item(), item({ direction: 'in', status: 'confirmed', from: YOU, to: ME, replaceable: false, fee: null }), item({ replacement: 'cancel', status: 'failed' })]).split('\n');
    expect(lines[0]).toMatch(/^TIME {17}STATUS {5}WHAT {6}AMOUNT {2}WITH {45}HASH$/);
    expect(lines[1]).toBe(`2026-12-07 12:00:05  pending    sent      1.5 BU  to ${YOU}    ${HASH}`);
    expect(lines[2]).toBe(`2026-12-07 12:00:05  confirmed  received  1.5 BU  from ${YOU}  ${HASH}`);
    expect(lines[3]).toMatch(/FAILED {5}cancel/);
    expect(formatHistory([])).toBe('No activity on this network yet.');
    expect(formatSent(item({ explorerUrl: 'https://scan.example/tx/x' })).split('\n')).toEqual([
      `Sent: 1.5 BU to ${YOU} (pending, nonce 3)`,
      `Hash:    ${HASH}`,
      'Fee:     at most 0.000042 BU',
      'Explorer: https://scan.example/tx/x',
      `Follow it with: bitunicom wallet history; speed it up or cancel it with: bitunicom wallet speed-up|cancel ${HASH}`,
    ]);
  });

  it('shows the receive address and link', () => {
    const link = `ethereum:${ME}@16981?value=1.5e18`;
    expect(formatReceive({ address: ME, network: { id: 'devnet', name: 'BitUnicom devnet', chainId: 16981, symbol: 'BU' }, link })).toBe(
      `Address: ${ME}\nNetwork: BitUnicom devnet (chain id 16981, BU)\nLink:    ${link}`,
    );
  });
});
