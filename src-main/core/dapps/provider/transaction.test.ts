import { Interface } from 'ethers';
import { describe, expect, it } from 'vitest';
import { PendingRequest } from '../../../../src-preload/contract';
import { BuError } from '../../base';
import { packVersion, registryInterface } from '../registry';
import { decodeCall } from './calldata';
import { A1, A2, APP, OTHER, SECOND, TOKEN, WATCH, codeOf, connect, errorOf, fakeWallet, pendingOf, setup } from './test-support';

const erc20 = new Interface([
  'function transfer(address to, uint256 amount)',
  'function approve(address spender, uint256 amount)',
  'function transferFrom(address from, address to, uint256 amount)',
  'function setApprovalForAll(address operator, bool approved)',
]);
const MAX = (1n << 256n) - 1n;
const E18 = 10n ** 18n;

describe('call data in words', () => {
  it('decodes ERC-20 transfer with the token\'s decimals and symbol', async () => {
    const w = fakeWallet();
    const c = await decodeCall(w, TOKEN, erc20.encodeFunctionData('transfer', [A2, 1500n * E18 + E18 / 2n]));
    expect(c).toEqual({
      functionName: 'transfer',
      selector: '0xa9059cbb',
      args: [
        { name: 'to', type: 'address', value: `Account 2 (${A2})` },
        { name: 'amount', type: 'uint256', value: '1\u202F500.5 tBUT' },
      ],
      warnings: [],
      summary: 'Send tBUT',
    });
  });

  it('flags unlimited approvals, approval for all, and transfers that lose tokens', async () => {
    const w = fakeWallet();
    const unlimited = await decodeCall(w, TOKEN, erc20.encodeFunctionData('approve', [OTHER, MAX]));
    expect(unlimited.args[1]!.value).toBe('unlimited');
    expect(unlimited.warnings).toEqual([`Unlimited approval: ${OTHER} may spend ALL your tBUT, now and later, until you revoke it.`]);
    expect((await decodeCall(w, TOKEN, erc20.encodeFunctionData('approve', [OTHER, 1n << 255n]))).warnings).toHaveLength(1);
    expect((await decodeCall(w, TOKEN, erc20.encodeFunctionData('approve', [OTHER, 5n * E18]))).warnings).toEqual([]);
    const all = await decodeCall(w, OTHER, erc20.encodeFunctionData('setApprovalForAll', [A2, true]));
    expect(all.warnings[0]).toContain('ALL your tokens of this collection');
    const self = await decodeCall(w, TOKEN, erc20.encodeFunctionData('transfer', [TOKEN, 1n]));
    expect(self.warnings[0]).toContain('token contract itself');
    const from = await decodeCall(w, TOKEN, erc20.encodeFunctionData('transferFrom', [A1, '0x0000000000000000000000000000000000000000', 1n]));
    expect([from.summary, from.warnings[0]]).toEqual(['Move tBUT', 'This sends tBUT to the zero address: they would be lost for good.']);
  });

  it('an ERC-20 call to a contract that is not a known token shows raw units', async () => {
    const c = await decodeCall(fakeWallet(), OTHER, erc20.encodeFunctionData('transfer', [A2, 7n]));
    expect(c.args[1]!.value).toBe('7 (token units: the contract did not say its decimals)');
  });

  it('decodes the DappRegistry (versions unpacked) and falls back to the selector', async () => {
    const w = fakeWallet();
    const data = registryInterface.encodeFunctionData('publish', [`0x${'ab'.repeat(20)}`, 'Swap', 'finance', packVersion('1.2.3'), `0x${'cd'.repeat(32)}`, `0x02${'ef'.repeat(32)}`, 'bu://x']);
    const p = await decodeCall(w, OTHER, data);
    expect([p.functionName, p.summary]).toEqual(['publish', 'DappRegistry: publish']);
    expect(p.args.map((a) => [a.name, a.value])).toEqual([
      ['appId', `0x${'ab'.repeat(20)}`],
      ['name', 'Swap'],
      ['category', 'finance'],
      ['version', '1.2.3'],
      ['contentHash', `0x${'cd'.repeat(32)}`],
      ['authorKey', `0x02${'ef'.repeat(32)}`],
      ['manifestUri', 'bu://x'],
    ]);
    const rate = await decodeCall(w, OTHER, registryInterface.encodeFunctionData('rate', [`0x${'ab'.repeat(20)}`, 5]));
    expect(rate.args[1]).toEqual({ name: 'stars', type: 'uint8', value: '5' });
    const unknown = await decodeCall(w, OTHER, '0xdeadbeef0000');
    expect([unknown.functionName, unknown.selector, unknown.summary]).toEqual([null, '0xdeadbeef', 'Unknown function']);
    expect(unknown.warnings[0]).toContain('0xdeadbeef');
    expect((await decodeCall(w, OTHER, '0x')).summary).toBe('Send');
    expect((await decodeCall(w, OTHER, '0x1234')).warnings).toHaveLength(1);
  });
});

describe('eth_sendTransaction', () => {
  it('quotes, shows rows and the decoded call, and sends with the quoted gas and fees on approval', async () => {
    const s = setup();
    await connect(s, [A1]);
    const data = erc20.encodeFunctionData('transfer', [A2, 2n * E18]);
    const r = pendingOf(await s.provider.request(APP, 'eth_sendTransaction', [{ from: A1, to: TOKEN, data, gas: '0x1d4c0', nonce: '0x7', maxFeePerGas: '0x1' }]));
    expect(PendingRequest.parse(r)).toEqual(r);
    expect(s.wallet.calls.quotes).toEqual([{ from: A1, networkId: 'devnet', to: TOKEN, data, value: 0n, gasLimit: 120_000n }]);
    expect([r.kind, r.account, r.title]).toEqual(['transaction', A1, 'Swap: Send tBUT']);
    expect(r.rows.map((x) => [x.label, x.value])).toEqual([
      ['From', `Account 1 (${A1})`],
      ['To', `tBUT token (${TOKEN})`],
      ['Action', 'Send tBUT'],
      ['Value', '0 BU'],
      ['Function', 'transfer'],
      ['to', `Account 2 (${A2})`],
      ['amount', '2 tBUT'],
      ['Network fee', 'at most 0.00012 BU'],
      ['Total', 'at most 0.00012 BU'],
    ]);
    expect(r.call).toEqual({
      to: TOKEN,
      toName: 'tBUT token',
      functionName: 'transfer',
      selector: '0xa9059cbb',
      args: [
        { name: 'to', type: 'address', value: `Account 2 (${A2})` },
        { name: 'amount', type: 'uint256', value: '2 tBUT' },
      ],
      value: { amount: '0', formatted: '0 BU', symbol: 'BU', decimals: 18 },
      maxFee: { amount: '120000000000000', formatted: '0.00012 BU', symbol: 'BU', decimals: 18 },
      sufficient: true,
    });
    expect(await s.provider.decide(r.id, true)).toEqual({ kind: 'result', result: `0x${'ab'.repeat(32)}` });
    expect(s.wallet.calls.sends).toEqual([{ from: A1, networkId: 'devnet', to: TOKEN, data, value: 0n, gasLimit: 60_000n, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n }]);
  });

  it('a plain transfer with value; an insufficient balance is shown, not hidden', async () => {
    const s = setup();
    await connect(s, [A1]);
    s.wallet.quote = { ...s.wallet.quote, sufficient: false, warnings: ['Not enough BU: …'] };
    const r = pendingOf(await s.provider.request(APP, 'eth_sendTransaction', [{ from: A1, to: A2, value: '0xde0b6b3a7640000' }]));
    expect(r.rows.find((x) => x.label === 'Value')!.value).toBe('1 BU');
    expect(r.rows.find((x) => x.label === 'Total')).toEqual({ label: 'Total', value: 'at most 1.00012 BU', warn: true });
    expect(r.rows.some((x) => x.label === 'Function')).toBe(false);
    expect(r.warnings).toEqual(['Not enough BU: …']);
    expect(r.call!.sufficient).toBe(false);
  });

  it('refuses a missing or unconnected sender, watch-only, deployments, another chain, bad fields', async () => {
    const s = setup();
    await connect(s, [A1, WATCH]);
    const cases: [unknown, string][] = [
      [{ to: A2 }, 'BAD_INPUT'],
      [{ from: A2, to: A1 }, 'PERMISSION_DENIED'],
      [{ from: WATCH, to: A1 }, 'WATCH_ONLY'],
      [{ from: A1, data: '0x6000' }, 'BAD_INPUT'],
      [{ from: A1, to: A2, chainId: '0x1' }, 'WRONG_NETWORK'],
      [{ from: A1, to: A2, value: '1.5' }, 'BAD_INPUT'],
      [{ from: A1, to: A2, value: '0x01' }, 'BAD_INPUT'],
      [{ from: A1, to: A2, data: '0xabc' }, 'BAD_INPUT'],
      [{ from: A1, to: A2, gasless: true }, 'BAD_INPUT'],
      [{ from: A1, to: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccc' }, 'BAD_ADDRESS'], // one letter's case off its EIP-55 checksum
      [{ from: A1, to: `${A2.slice(0, 41)}g` }, 'BAD_INPUT'],
    ];
    for (const [tx, code] of cases) expect([tx, await codeOf(s.provider.request(APP, 'eth_sendTransaction', [tx]))]).toEqual([tx, code]);
    expect(s.wallet.calls.quotes).toEqual([]);
  });

  it('a call that would revert is refused before any dialog', async () => {
    const s = setup();
    await connect(s, [A1]);
    s.wallet.quoteCall = async () => {
      throw new BuError('CALL_REVERTED', 'The contract refuses this call: ERC20InsufficientBalance.');
    };
    const e = await errorOf(s.provider.request(APP, 'eth_sendTransaction', [{ from: A1, to: TOKEN, data: erc20.encodeFunctionData('transfer', [A2, 1n]) }]));
    expect(e).toEqual({ code: 'CALL_REVERTED', message: 'The contract refuses this call: ERC20InsufficientBalance.' });
    expect(s.provider.pending()).toEqual([]);
  });

  it('approval re-checks the account and the chain', async () => {
    const s = setup();
    await connect(s, [A1]);
    const tx = [{ from: A1, to: A2, value: '0x1' }];
    const a = pendingOf(await s.provider.request(APP, 'eth_sendTransaction', tx));
    s.wallet.selectNetwork(SECOND.id);
    const e = await errorOf(s.provider.decide(a.id, true));
    expect(e.code).toBe('WRONG_NETWORK');
    const b = pendingOf(await s.provider.request(APP, 'eth_sendTransaction', tx));
    s.provider.revoke(APP, 'accounts');
    expect(await codeOf(s.provider.decide(b.id, true))).toBe('PERMISSION_DENIED');
    expect(s.wallet.calls.sends).toEqual([]);
  });
});

describe('wallet_switchEthereumChain / wallet_addEthereumChain (EIP-3326, EIP-3085)', () => {
  it('switches among the wallet\'s networks after approval; unknown chains are refused with the 4902 wording', async () => {
    const s = setup();
    expect(await s.provider.request(APP, 'wallet_switchEthereumChain', [{ chainId: '0x19e934' }])).toEqual({ kind: 'result', result: null });
    const r = pendingOf(await s.provider.request(APP, 'wallet_switchEthereumChain', [{ chainId: '0x7a69' }]));
    expect(r.kind).toBe('switch-chain');
    expect(r.rows.map((x) => [x.label, x.value])).toEqual([
      ['From', 'BitUnicom devnet (chain 1698100)'],
      ['To', 'Anvil (chain 31337)'],
      ['Applies to', 'the whole wallet and every dapp'],
    ]);
    expect(await codeOf(s.provider.request(APP, 'wallet_switchEthereumChain', [{ chainId: '0x7a69' }]))).toBe('BUSY');
    expect(await s.provider.decide(r.id, true)).toEqual({ kind: 'result', result: null });
    expect(s.wallet.network().id).toBe(SECOND.id);
    expect(s.events).toEqual([{ appId: APP, event: 'chainChanged', data: '0x7a69' }]);
    const unknown = await errorOf(s.provider.request(APP, 'wallet_switchEthereumChain', [{ chainId: '0x1' }]));
    expect(unknown).toEqual({ code: 'WRONG_NETWORK', message: 'Unrecognized chain ID 0x1: the wallet has no network with chain id 1. Add it in Wallet → Networks first.' });
    expect(await codeOf(s.provider.request(APP, 'wallet_switchEthereumChain', [{ chainId: 31337 }]))).toBe('BAD_INPUT');
    expect(await codeOf(s.provider.request(APP, 'wallet_switchEthereumChain', [{ chainId: '0x1', extra: 1 }]))).toBe('BAD_INPUT');
  });

  it('adding a chain the wallet has is a switch; a new chain is refused', async () => {
    const s = setup();
    const add = (chainId: string) => [{ chainId, chainName: 'Anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: ['http://127.0.0.1:8545'] }];
    expect(pendingOf(await s.provider.request(APP, 'wallet_addEthereumChain', add('0x7a69'))).kind).toBe('switch-chain');
    const e = await errorOf(s.provider.request(APP, 'wallet_addEthereumChain', add('0x89')));
    expect([e.code, e.message.startsWith('Unrecognized chain ID 0x89 (Anvil): dapps cannot add networks')]).toEqual(['WRONG_NETWORK', true]);
  });
});
