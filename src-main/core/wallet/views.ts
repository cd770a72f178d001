/**
 * @module wallet/views
 * Wallet state → the bridge contract's shapes (src-preload/contract/wallet.ts): amounts as
 * base-unit strings beside their formatted text, networks with their explorer link, activity
 * records with the explorer URL of the transaction. The only place deciding what the UI sees.
 */
import type { ActivityItemT, AmountT, WalletAccountT, WalletNetworkT } from '../../../src-preload/contract';
import { formatUnitsParts } from '../base';
import type { WalletAccount } from './accounts';
import type { ActivityRecord } from './activity';
import type { Network } from './networks';

/** Fraction digits shown in lists; the confirmation screen shows amounts exactly. */
export const DISPLAY_FRACTION = 6;

export function amountOf(value: bigint, decimals: number, symbol: string, exact = false): AmountT {
  const p = formatUnitsParts(value, decimals, { group: true, ...(exact ? {} : { maxFraction: DISPLAY_FRACTION }) });
  return { amount: value.toString(), formatted: `${p.text}${p.truncated ? '…' : ''} ${symbol}`, symbol, decimals };
}

export function accountView(a: WalletAccount): WalletAccountT {
  return { address: a.address, name: a.name, kind: a.kind, index: a.index ?? null, hidden: a.hidden, removable: a.removable };
}

export function networkView(n: Network, selectedId: string): WalletNetworkT {
  return {
    id: n.id,
    chainId: n.chainId,
    name: n.name,
    symbol: n.symbol,
    currencyName: n.currencyName,
    decimals: n.decimals,
    rpcUrl: n.rpcUrl,
    explorerUrl: n.blockExplorerUrls[0] ?? null,
    builtin: n.builtin,
    selected: n.id === selectedId,
  };
}

/** `<explorer>/tx/<hash>`, the path every Etherscan-style explorer (and Blockscout, Otterscan) serves. */
export function explorerTxUrl(n: Network, hash: string): string | null {
  const base = n.blockExplorerUrls[0];
  return base ? `${base.replace(/\/+$/, '')}/tx/${hash}` : null;
}

export function activityView(r: ActivityRecord, n: Network, replaceable: boolean): ActivityItemT {
  const token = r.token ? { address: r.token.address, symbol: r.token.symbol, name: r.token.name, decimals: r.token.decimals } : null;
  return {
    hash: r.hash,
    networkId: n.id,
    chainId: n.chainId,
    account: r.account,
    direction: r.direction,
    from: r.from,
    to: r.to,
    amount: token ? amountOf(BigInt(r.value), token.decimals, token.symbol) : amountOf(BigInt(r.value), n.decimals, n.symbol),
    token,
    nonce: r.nonce,
    status: r.status,
    blockNumber: r.blockNumber,
    at: r.at,
    fee: r.fee === null ? null : amountOf(BigInt(r.fee), n.decimals, n.symbol),
    explorerUrl: explorerTxUrl(n, r.hash),
    replacement: r.replacement,
    replaceable,
  };
}
