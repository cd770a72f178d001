/**
 * @module wallet/chain-params
 * EIP-3085 `wallet_addEthereumChain` parameters (https://eips.ethereum.org/EIPS/eip-3085) and
 * the stored Network shape: validation of chainId (positive, ≤ 2^53-1; number, bigint, decimal
 * or 0x-hex text), chainName (1–64), nativeCurrency {name, symbol 2–6, decimals 18}, 1–8 RPC and
 * 0–8 explorer URLs (http(s) only); iconUrls accepted and ignored, other keys refused.
 */
import { BuError } from '../base';
import { parseHttpUrl } from './rpc-client';

export type AddEthereumChainParameter = {
  chainId?: string | number | bigint;
  chainName: string;
  nativeCurrency: { name: string; symbol: string; decimals: number };
  rpcUrls: string[];
  blockExplorerUrls?: string[];
  iconUrls?: string[];
};
export type NetworkPatch = Partial<Omit<AddEthereumChainParameter, 'nativeCurrency'>> & { nativeCurrency?: Partial<AddEthereumChainParameter['nativeCurrency']> };

/** `rpcUrl` is the RPC used, rpcUrls[0]. */
export type Network = {
  id: string;
  chainId: number;
  name: string;
  symbol: string;
  currencyName: string;
  decimals: 18;
  rpcUrl: string;
  rpcUrls: string[];
  blockExplorerUrls: string[];
  builtin: boolean;
};
export const bad = (message: string) => new BuError('BAD_INPUT', message);
export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const PARAM_KEYS = ['chainId', 'chainName', 'nativeCurrency', 'rpcUrls', 'blockExplorerUrls', 'iconUrls'];

/** A chain id as a number: positive, at most 2^53-1. */
export function parseChainId(v: unknown): number {
  let n: bigint | null = null;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'bigint') n = v;
  else if (typeof v === 'string' && /^(0x[0-9a-fA-F]{1,14}|[0-9]{1,16})$/.test(v.trim())) n = BigInt(v.trim());
  if (n === null) throw bad('The chain id must be a whole number, written in decimal or as 0x-prefixed hex.');
  if (n < 1n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`The chain id must be from 1 to ${Number.MAX_SAFE_INTEGER}, not ${n}.`);
  return Number(n);
}

export const chainIdHex = (chainId: number): string => `0x${chainId.toString(16)}`;

function text(v: unknown, subject: string, min: number, max: number, noSpaces = false): string {
  if (typeof v !== 'string') throw bad(`${subject} must be given as text.`);
  const s = v.trim();
  const len = [...s].length;
  if (len < min || len > max || /\p{Cc}/u.test(s) || (noSpaces && /\s/.test(s))) {
    throw bad(`${subject} must be ${min} to ${max} characters${noSpaces ? ' without spaces' : ''}, with no control characters.`);
  }
  return s;
}

function urls(v: unknown, subject: string, the: string, min: number): string[] {
  if (v === undefined && min === 0) return [];
  if (!Array.isArray(v) || v.length < min || v.length > 8) throw bad(`${subject}s must be a list of ${min} to 8 addresses.`);
  const out = v.map((u, i) => parseHttpUrl(u, v.length > 1 ? `${subject} ${i + 1}` : the).href);
  return [...new Set(out)];
}

export type Fields = Omit<Network, 'id' | 'chainId' | 'rpcUrl' | 'builtin' | 'decimals'> & { chainId?: number };

/** EIP-3085 parameters → validated fields (chainId undefined when omitted). */
export function validateChainParams(p: unknown): Fields {
  if (!isObj(p)) throw bad('A network must be given as { chainId, chainName, nativeCurrency, rpcUrls }.');
  const extra = Object.keys(p).filter((k) => !PARAM_KEYS.includes(k));
  if (extra.length) throw bad(`A network has no field ${extra.map((k) => `"${k.slice(0, 40)}"`).join(', ')}.`);
  const cur = p.nativeCurrency;
  if (!isObj(cur)) throw bad('A network needs its native currency: { name, symbol, decimals: 18 }.');
  if (cur.decimals !== 18) throw bad('The native currency must have 18 decimals (EIP-3085).');
  return {
    chainId: p.chainId === undefined ? undefined : parseChainId(p.chainId),
    name: text(p.chainName, 'The network name', 1, 64),
    symbol: text(cur.symbol, 'The currency symbol', 2, 6, true),
    currencyName: text(cur.name, 'The currency name', 1, 64),
    rpcUrls: urls(p.rpcUrls, 'RPC URL', 'The RPC URL', 1),
    blockExplorerUrls: urls(p.blockExplorerUrls, 'Block explorer URL', 'The block explorer URL', 0),
  };
}

export const toParams = (n: Network): AddEthereumChainParameter => ({
  chainId: n.chainId,
  chainName: n.name,
  nativeCurrency: { name: n.currencyName, symbol: n.symbol, decimals: 18 },
  rpcUrls: [...n.rpcUrls],
  blockExplorerUrls: [...n.blockExplorerUrls],
});
/** A network in the EIP-3085 form (chainId as hex), e.g. for a dapp. */
export const toAddEthereumChain = (n: Network) => ({ ...toParams(n), chainId: chainIdHex(n.chainId) });
