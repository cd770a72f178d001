/**
 * @module dapps/provider/params
 * Validation of the JSON-RPC parameters a dapp sends (execution-apis,
 * https://ethereum.github.io/execution-apis/api-documentation/; EIP-1474 value encoding):
 * QUANTITY = 0x-hex without leading zeros, DATA = 0x-hex of whole bytes, addresses 20 bytes,
 * hashes 32 bytes, block tags latest/earliest/pending/safe/finalized or a QUANTITY, and the
 * EIP-1898 {blockHash | blockNumber} object. Every refusal is BAD_INPUT (EIP-1474 -32602)
 * with a sentence naming the parameter; nothing unvalidated is passed to an RPC.
 */
import { getAddress } from 'ethers';
import { BuError } from '../../base';

export const bad = (m: string) => new BuError('BAD_INPUT', m);

const QUANTITY = /^0x(0|[1-9a-fA-F][0-9a-fA-F]{0,63})$/;
const DATA = /^0x([0-9a-fA-F]{2})*$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
const TAGS = new Set(['latest', 'earliest', 'pending', 'safe', 'finalized']);
/** Calldata a dapp may send or call with (the wallet's contract-call limit). */
export const MAX_DATA_BYTES = 128 * 1024;

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** params as an array of at most `max` entries (undefined / null = []). */
export function list(params: unknown, method: string, max: number, min = 0): unknown[] {
  const p = params === undefined || params === null ? [] : params;
  if (!Array.isArray(p)) throw bad(`${method} takes its parameters as an array.`);
  if (p.length > max) throw bad(`${method} takes at most ${max} parameter${max === 1 ? '' : 's'}, not ${p.length}.`);
  if (p.length < min) throw bad(`${method} needs ${min} parameter${min === 1 ? '' : 's'}.`);
  return p;
}

export function quantity(v: unknown, what: string): string {
  if (typeof v !== 'string' || !QUANTITY.test(v)) throw bad(`${what} must be a quantity: 0x-hex without leading zeros (like 0x1a).`);
  return v.toLowerCase();
}

export function quantityOrNumber(v: unknown, what: string, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && QUANTITY.test(v) ? Number(BigInt(v)) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw bad(`${what} must be a whole number from 1 to ${max}.`);
  return n;
}

export function data(v: unknown, what: string, maxBytes = MAX_DATA_BYTES): string {
  if (typeof v !== 'string' || !DATA.test(v)) throw bad(`${what} must be 0x followed by whole bytes of hex.`);
  if ((v.length - 2) / 2 > maxBytes) throw bad(`${what} is ${(v.length - 2) / 2} bytes; at most ${maxBytes} are accepted.`);
  return v.toLowerCase();
}

export function hash(v: unknown, what: string): string {
  if (typeof v !== 'string' || !HASH.test(v)) throw bad(`${what} must be a 32-byte hash (0x and 64 hex digits).`);
  return v.toLowerCase();
}

/** An address in EIP-55 form; mixed case must carry a valid checksum. */
export function address(v: unknown, what: string): string {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw bad(`${what} must be an address (0x and 40 hex digits).`);
  try {
    return getAddress(v);
  } catch {
    throw new BuError('BAD_ADDRESS', `${what} ${v} has a wrong checksum (mixed case that is not EIP-55): it probably contains a typo.`);
  }
}

/** A block tag, a block number, or (where allowed) the EIP-1898 object. */
export function blockRef(v: unknown, what: string, allowObject = true): string | Record<string, unknown> {
  if (typeof v === 'string' && TAGS.has(v)) return v;
  if (typeof v === 'string') return quantity(v, what);
  if (allowObject && isObj(v)) {
    const keys = Object.keys(v);
    if (keys.includes('blockHash') && keys.every((k) => k === 'blockHash' || k === 'requireCanonical')) {
      if (v.requireCanonical !== undefined && typeof v.requireCanonical !== 'boolean') throw bad(`${what}.requireCanonical must be true or false.`);
      return { ...v, blockHash: hash(v.blockHash, `${what}.blockHash`) };
    }
    if (keys.length === 1 && keys[0] === 'blockNumber') return { blockNumber: quantity(v.blockNumber, `${what}.blockNumber`) };
  }
  throw bad(`${what} must be latest, earliest, pending, safe, finalized or a block number in 0x-hex${allowObject ? ' (or {blockHash} / {blockNumber}, EIP-1898)' : ''}.`);
}

const TX_KEYS = new Set(['from', 'to', 'gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'value', 'data', 'input', 'nonce', 'type', 'chainId', 'accessList']);

/** A transaction object of eth_call / eth_estimateGas / eth_sendTransaction, re-built from known keys only. */
export function txObject(v: unknown, method: string): Record<string, unknown> {
  if (!isObj(v)) throw bad(`${method} needs a transaction object as its first parameter.`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (!TX_KEYS.has(k)) throw bad(`${method}: the transaction field "${k.slice(0, 40)}" is not supported.`);
    if (x === undefined || x === null) continue;
    if (k === 'from' || k === 'to') out[k] = address(x, `The transaction's ${k} address`);
    else if (k === 'data' || k === 'input') out[k] = data(x, `The transaction's ${k}`);
    else if (k === 'accessList') out[k] = accessList(x);
    else out[k] = quantity(x, `The transaction's ${k}`);
  }
  if (out.data !== undefined && out.input !== undefined && out.data !== out.input) throw bad(`${method}: the transaction's data and input differ.`);
  return out;
}

function accessList(v: unknown): { address: string; storageKeys: string[] }[] {
  if (!Array.isArray(v) || v.length > 256) throw bad('The access list must be an array of at most 256 {address, storageKeys}.');
  return v.map((e, i) => {
    if (!isObj(e) || !Array.isArray(e.storageKeys) || e.storageKeys.length > 256) throw bad(`Access-list entry ${i} must be {address, storageKeys: [32-byte keys]}.`);
    return { address: address(e.address, `Access-list entry ${i}'s address`), storageKeys: e.storageKeys.map((k, j) => hash(k, `Access-list entry ${i}'s key ${j}`)) };
  });
}

export const hexChainId = (chainId: number) => `0x${chainId.toString(16)}`;

/** A chain id given as 0x-hex, decimal text or a number; null when it is none of those. */
export function chainIdOf(v: unknown): number | null {
  let n: bigint | null = null;
  if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === 'bigint') n = v;
  else if (typeof v === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^[0-9]{1,16}$/.test(v)) n = BigInt(v);
  if (n === null || n < 1n || n > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(n);
}
