/**
 * @module dapps/provider/calldata
 * What an eth_sendTransaction's call data does, in words (Solidity ABI specification: the
 * first 4 bytes select the function, keccak256 of its signature). Known ABIs: EIP-20
 * transfer / approve / transferFrom / increaseAllowance, setApprovalForAll (EIP-721 and
 * EIP-1155 operators), and the DappRegistry (../registry). Token amounts are shown in the
 * token's units when the contract answers symbol/decimals. Flagged: unlimited approvals
 * (≥ 2^255, MetaMask's and Rabby's threshold is the same order), approving an operator for
 * every token, a transfer to the token contract itself or to the zero address, and any
 * function the wallet cannot read (fallback: the selector only).
 */
import { Interface, type Result } from 'ethers';
import { registryInterface, unpackVersion } from '../registry';
import { addressText, amountText, clean } from './display';
import type { ProviderWallet } from './types';

const TOKEN = new Interface([
  'function transfer(address to, uint256 amount)',
  'function approve(address spender, uint256 amount)',
  'function transferFrom(address from, address to, uint256 amount)',
  'function increaseAllowance(address spender, uint256 addedValue)',
  'function setApprovalForAll(address operator, bool approved)',
]);
const UNLIMITED = 1n << 255n;
const ZERO = '0x0000000000000000000000000000000000000000';

export type DecodedArg = { name: string; type: string; value: string };
export type DecodedCall = { functionName: string | null; selector: string | null; args: DecodedArg[]; warnings: string[]; summary: string };

type Parsed = { iface: 'token' | 'registry'; name: string; inputs: readonly { name: string; type: string }[]; args: Result };

function parse(data: string): Parsed | null {
  for (const [iface, i] of [['token', TOKEN], ['registry', registryInterface]] as const) {
    try {
      const tx = i.parseTransaction({ data });
      if (tx) return { iface, name: tx.name, inputs: tx.fragment.inputs, args: tx.args };
    } catch {}
  }
  return null;
}

function plain(wallet: ProviderWallet, type: string, v: unknown): string {
  if (type === 'address') return addressText(wallet, String(v));
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : v.map((x) => plain(wallet, type.replace(/\[\d*\]$/, ''), x)).join(', ');
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return clean(String(v), 300);
}

/** Decodes `data` sent to `to` (a 0x data is a plain transfer of the native currency). */
export async function decodeCall(wallet: ProviderWallet, to: string, data: string): Promise<DecodedCall> {
  if (data === '0x') return { functionName: null, selector: null, args: [], warnings: [], summary: 'Send' };
  if (data.length < 10) {
    return { functionName: null, selector: null, args: [], warnings: ['The call data is shorter than a function selector: the contract will treat it as unknown input.'], summary: 'Unknown call' };
  }
  const selector = data.slice(0, 10).toLowerCase();
  const p = parse(data);
  if (!p) {
    return {
      functionName: null,
      selector,
      args: [],
      warnings: [`The wallet does not know the function ${selector} of this contract: it cannot show what the call does. Approve only if you trust this dapp.`],
      summary: 'Unknown function',
    };
  }
  const warnings: string[] = [];
  let token: { symbol: string; decimals: number } | null = null;
  if (p.iface === 'token' && p.name !== 'setApprovalForAll') token = await wallet.tokenInfo(to).catch(() => null);
  const args = p.inputs.map((f, i) => {
    const v = p.args[i] as unknown;
    let value = plain(wallet, f.type, v);
    if (p.iface === 'token' && f.type === 'uint256' && typeof v === 'bigint') {
      value = v >= UNLIMITED ? 'unlimited' : token ? amountText(v, token.decimals, clean(token.symbol, 12)) : `${v} (token units: the contract did not say its decimals)`;
    }
    if (p.iface === 'registry' && f.type === 'uint64' && f.name === 'version' && typeof v === 'bigint') {
      try {
        value = unpackVersion(v);
      } catch {}
    }
    return { name: f.name || `argument ${i + 1}`, type: f.type, value };
  });
  const sym = token ? clean(token.symbol, 12) : 'tokens';
  if (p.iface === 'token') {
    const amount = p.args.length >= 2 ? (p.args[p.args.length - 1] as unknown) : null;
    if ((p.name === 'approve' || p.name === 'increaseAllowance') && typeof amount === 'bigint' && amount >= UNLIMITED) {
      warnings.push(`Unlimited approval: ${addressText(wallet, String(p.args[0]))} may spend ALL your ${sym}, now and later, until you revoke it.`);
    }
    if (p.name === 'setApprovalForAll' && p.args[1] === true) {
      warnings.push(`${addressText(wallet, String(p.args[0]))} may move ALL your tokens of this collection, now and later, until you revoke it.`);
    }
    const recipient = p.name === 'transfer' ? String(p.args[0]) : p.name === 'transferFrom' ? String(p.args[1]) : null;
    if (recipient !== null && recipient.toLowerCase() === to.toLowerCase()) warnings.push(`This sends ${sym} to the token contract itself: they would most likely be lost.`);
    if (recipient !== null && recipient.toLowerCase() === ZERO) warnings.push(`This sends ${sym} to the zero address: they would be lost for good.`);
  }
  const summary = p.iface === 'token' ? { transfer: `Send ${sym}`, approve: `Allow spending of ${sym}`, transferFrom: `Move ${sym}`, increaseAllowance: `Allow spending of ${sym}`, setApprovalForAll: 'Allow an operator' }[p.name] ?? p.name : `DappRegistry: ${p.name}`;
  return { functionName: p.name, selector, args, warnings, summary };
}

