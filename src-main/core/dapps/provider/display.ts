/**
 * @module dapps/provider/display
 * Words for the confirm dialog's rows: addresses with the name the wallet knows for them,
 * amounts with their unit (bigint base units, never floats: core/base formatUnits), and
 * control characters removed from anything a dapp wrote so a row cannot fake a line of the
 * dialog (Unicode bidi overrides included).
 */
import type { DisplayRowT } from '../../../../src-preload/contract';
import { formatUnits } from '../../base';
import type { ProviderWallet } from './types';

/** Control, format (bidi overrides, zero-width) and line/paragraph separators become spaces. */
export function clean(s: string, max = 2000): string {
  const t = s.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Like clean, but keeps line breaks and tabs (a message's layout is part of what is signed). */
export function cleanText(s: string, max = 4000): string {
  const t = s.replace(/\r\n?/g, '\n').replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => (c === '\n' || c === '\t' ? c : ' '));
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** "Name (0x…)" when the wallet knows the address, else the address. */
export function addressText(wallet: ProviderWallet, address: string): string {
  const name = wallet.nameOf(address);
  return name ? `${clean(name, 64)} (${address})` : address;
}

export function amountText(value: bigint, decimals: number, symbol: string): string {
  return `${formatUnits(value, decimals, { group: true })} ${symbol}`;
}

export const row = (label: string, value: string, extra: { mono?: boolean; warn?: boolean } = {}): DisplayRowT => ({ label, value, ...extra });
