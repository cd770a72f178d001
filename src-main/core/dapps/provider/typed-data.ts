/**
 * @module dapps/provider/typed-data
 * `eth_signTypedData_v4` payloads (EIP-712, https://eips.ethereum.org/EIPS/eip-712) turned
 * into dialog rows. Parsing and checking are the wallet's (core/wallet parseTypedData: JSON
 * text or object, identifiers, unused types dropped, EIP712Domain matching the domain in the
 * EIP's order, every value encodable); a domain chainId other than the selected chain is
 * refused (WRONG_NETWORK), as MetaMask does. Rows: the domain (app name, version, chain, contract,
 * salt), then every message field, nested structs flattened with dotted labels
 * ("order.maker", "items[1].amount"), at most MAX_ROWS. Permits (EIP-2612 and look-alikes)
 * are flagged: a signature that lets someone spend tokens without a further transaction.
 */
import { getAddress } from 'ethers';
import type { DisplayRowT } from '../../../../src-preload/contract';
import { parseTypedData } from '../../wallet';
import { isObj } from './params';
import { addressText, clean, row } from './display';
import type { ProviderNetwork, ProviderWallet, TypedDataInput } from './types';

export const MAX_ROWS = 200;
const UNLIMITED = 1n << 255n;

export type TypedSummary = { typed: TypedDataInput; rows: DisplayRowT[]; warnings: string[] };

/** Parses and checks the payload against the selected network (the wallet's EIP-712 rules). */
export function readTypedData(raw: unknown, network: ProviderNetwork): TypedDataInput {
  const t = parseTypedData(raw, { chainId: network.chainId, name: network.name });
  const domain: Record<string, unknown> = { ...t.domain };
  if (domain.chainId !== undefined) domain.chainId = Number(domain.chainId); // equal to the network's: a safe integer
  return { domain, types: t.types, primaryType: t.primaryType, message: t.message };
}

function atom(wallet: ProviderWallet, type: string, v: unknown): { value: string; mono: boolean } {
  try {
    if (type === 'address') return { value: addressText(wallet, getAddress(String(v))), mono: true };
    if (/^u?int\d*$/.test(type)) return { value: BigInt(v as string).toString(), mono: false };
    if (type === 'bool') return { value: v ? 'yes' : 'no', mono: false };
    if (/^bytes\d*$/.test(type)) return { value: clean(String(v), 600), mono: true };
  } catch {}
  return { value: clean(String(v), 600), mono: false };
}

/** Message fields as rows, nested structs and arrays flattened with dotted labels. */
export function flattenMessage(wallet: ProviderWallet, typed: TypedDataInput, max = MAX_ROWS): { rows: DisplayRowT[]; hidden: number } {
  const rows: DisplayRowT[] = [];
  let hidden = 0;
  const add = (label: string, type: string, v: unknown) => {
    if (rows.length >= max) return void hidden++;
    const a = atom(wallet, type, v);
    rows.push(row(label, a.value, a.mono ? { mono: true } : {}));
  };
  const walk = (type: string, v: unknown, path: string) => {
    const arr = /^(.*)\[(\d*)\]$/.exec(type);
    if (arr) {
      const items = Array.isArray(v) ? v : [];
      if (items.length === 0) add(path, 'string', '(empty list)');
      items.forEach((x, i) => walk(arr[1]!, x, `${path}[${i}]`));
      return;
    }
    const fields = typed.types[type];
    if (!fields) return add(path, type, v);
    for (const f of fields) walk(f.type, isObj(v) ? v[f.name] : undefined, path === '' ? clean(f.name, 64) : `${path}.${clean(f.name, 64)}`);
  };
  walk(typed.primaryType, typed.message, '');
  return { rows, hidden };
}

export function describeTypedData(wallet: ProviderWallet, typed: TypedDataInput, network: ProviderNetwork): TypedSummary {
  const d = typed.domain;
  const rows: DisplayRowT[] = [];
  const warnings: string[] = [];
  if (d.name !== undefined) rows.push(row('App', clean(String(d.name), 200)));
  if (d.version !== undefined) rows.push(row('Version', clean(String(d.version), 100)));
  rows.push(row('Chain', d.chainId === undefined ? 'any chain (the message names none)' : `${network.name} (chain ${network.chainId})`));
  if (d.verifyingContract !== undefined) rows.push(row('Contract', atom(wallet, 'address', d.verifyingContract).value, { mono: true }));
  if (d.salt !== undefined) rows.push(row('Salt', clean(String(d.salt), 100), { mono: true }));
  rows.push(row('Type', clean(typed.primaryType, 100)));
  const m = flattenMessage(wallet, typed);
  rows.push(...m.rows);
  if (m.hidden > 0) rows.push(row('More fields', `${m.hidden} more field${m.hidden === 1 ? '' : 's'} not shown`, { warn: true }));
  if (d.chainId === undefined) warnings.push('This message does not name a chain: the signature could be used on any network.');
  if (/permit/i.test(typed.primaryType)) {
    const spender = typed.message.spender;
    const value = typed.message.value ?? typed.message.amount;
    const who = typeof spender === 'string' ? atom(wallet, 'address', spender).value : 'someone';
    let unlimited = false;
    try {
      unlimited = value !== undefined && BigInt(value as string) >= UNLIMITED;
    } catch {}
    warnings.push(`This is a token permit: signing lets ${who} spend ${unlimited ? 'ALL of ' : ''}your tokens without asking you again.`);
  }
  return { typed, rows, warnings };
}
