/**
 * @module wallet/revert
 * Revert data in words (Solidity ABI specification, "Errors"; Solidity docs "Panic via
 * assert and Error via require"): `Error(string)` (selector 0x08c379a0) gives its reason,
 * `Panic(uint256)` (0x4e487b71) its code and what the code means, and a custom error is
 * named when the caller passes a decoder for the contract's ABI (an ethers `Interface`, or
 * anything with the same `parseError`). `CallRevertedError` is the `CALL_REVERTED` BuError
 * with the raw revert data and the decoded name and arguments kept as fields.
 */
import { AbiCoder, hexlify } from 'ethers';
import { BuError } from '../base';
import { RpcClientError } from './rpc-client';

/** What `ethers.Interface#parseError` returns (null: the selector is not in the ABI). */
export type ErrorDescriptionLike = { name: string; args: ArrayLike<unknown>; fragment?: { inputs: readonly { name: string }[] } };
/** An ABI that can name custom errors: ethers' `Interface` is one. */
export type ErrorDecoder = { parseError(data: string): ErrorDescriptionLike | null };

const ERROR_SELECTOR = '0x08c379a0';
const PANIC_SELECTOR = '0x4e487b71';

/** Solidity's panic codes (docs: "Panic via assert and Error via require"). */
const PANICS: Record<number, string> = {
  0x00: 'a generic compiler panic',
  0x01: 'an assert failed',
  0x11: 'arithmetic overflow or underflow',
  0x12: 'division or modulo by zero',
  0x21: 'a value out of range for an enum',
  0x22: 'a badly encoded storage byte array',
  0x31: 'pop on an empty array',
  0x32: 'an array index out of bounds',
  0x41: 'too much memory allocated',
  0x51: 'a call to a zero-initialised function',
};

export type DecodedRevert = {
  /** 'Error', 'Panic', the custom error's name, or null when it could not be decoded. */
  errorName: string | null;
  args: unknown[];
  /** The revert in words, without a trailing full stop. */
  text: string;
};

export class CallRevertedError extends BuError {
  /** The revert data, 0x-hex ('0x' when the contract gave none). */
  readonly data: string;
  readonly errorName: string | null;
  readonly args: readonly unknown[];
  constructor(message: string, o: { data: string; errorName: string | null; args: readonly unknown[]; cause?: unknown }) {
    super('CALL_REVERTED', message, { cause: o.cause });
    this.name = 'CallRevertedError';
    this.data = o.data;
    this.errorName = o.errorName;
    this.args = o.args;
  }
}

const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);

function show(v: unknown): string {
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return /^0x[0-9a-fA-F]*$/.test(v) ? clip(v, 80) : JSON.stringify(clip(v.replace(/\p{Cc}/gu, ' '), 120));
  if (v instanceof Uint8Array) return clip(hexlify(v), 80);
  if (Array.isArray(v) || (typeof v === 'object' && v !== null && typeof (v as ArrayLike<unknown>).length === 'number')) {
    return `[${Array.from(v as ArrayLike<unknown>, show).join(', ')}]`;
  }
  return String(v);
}

function described(d: ErrorDescriptionLike): DecodedRevert {
  const args = Array.from(d.args);
  const names = d.fragment?.inputs.map((i) => i.name) ?? [];
  const parts = args.map((a, k) => (names[k] ? `${names[k]}: ${show(a)}` : show(a)));
  return { errorName: d.name, args, text: `${d.name}(${parts.join(', ')})` };
}

/** Revert data → its name and a sentence fragment; custom errors only with `decoder`. */
export function decodeRevert(data: string, decoder?: ErrorDecoder): DecodedRevert {
  const hex = data.toLowerCase();
  if (hex === '0x' || hex === '') return { errorName: null, args: [], text: 'no reason given' };
  const selector = hex.slice(0, 10);
  try {
    if (selector === ERROR_SELECTOR) {
      const [reason] = AbiCoder.defaultAbiCoder().decode(['string'], `0x${hex.slice(10)}`) as unknown as [string];
      return { errorName: 'Error', args: [reason], text: `the reason ${show(reason)}` };
    }
    if (selector === PANIC_SELECTOR) {
      const [code] = AbiCoder.defaultAbiCoder().decode(['uint256'], `0x${hex.slice(10)}`) as unknown as [bigint];
      const what = code <= 0xffn ? PANICS[Number(code)] : undefined;
      return { errorName: 'Panic', args: [code], text: `Panic 0x${code.toString(16).padStart(2, '0')} (${what ?? 'an unknown panic code'})` };
    }
  } catch {
    return { errorName: null, args: [], text: `malformed ${selector === ERROR_SELECTOR ? 'Error(string)' : 'Panic(uint256)'} data ${clip(hex, 80)}` };
  }
  if (decoder) {
    try {
      const d = decoder.parseError(hex);
      if (d) return described(d);
    } catch {
      // a known selector whose arguments do not decode: reported as unknown below
    }
  }
  if (hex.length < 10) return { errorName: null, args: [], text: `revert data too short for an error selector (${hex})` };
  return { errorName: null, args: [], text: `custom error ${selector} (revert data ${clip(hex, 80)}; pass the contract's ABI to name it)` };
}

/** The revert data a node attached to its error: a hex string, or `{ data }` as some nodes nest it. */
function revertData(e: RpcClientError): string | null {
  let d: unknown = e.rpcData;
  if (typeof d === 'object' && d !== null && 'data' in d) d = (d as { data: unknown }).data;
  return typeof d === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(d) ? d : null;
}

/** Is this node error a revert (EIP-1474 / execution-apis: code 3 "execution reverted")? */
export function isRevert(e: unknown): e is RpcClientError {
  if (!(e instanceof RpcClientError) || e.kind !== 'RPC_ERROR') return false;
  return e.rpcCode === 3 || /revert/i.test(e.rpcMessage ?? '');
}

/** A node's revert error → CallRevertedError with the reason in words (`what`: "The call", "Publishing"…). */
export function revertedError(e: RpcClientError, decoder?: ErrorDecoder, what = 'The contract call'): CallRevertedError {
  const data = revertData(e);
  if (data === null) {
    const said = (e.rpcMessage ?? e.message).replace(/^execution reverted:?\s*/i, '');
    return new CallRevertedError(`${what} would revert${said ? `: ${clip(said)}` : ' (the node gave no revert data)'}.`, { data: '0x', errorName: null, args: [], cause: e });
  }
  const d = decodeRevert(data, decoder);
  return new CallRevertedError(`${what} would revert with ${d.text}.`, { data, errorName: d.errorName, args: d.args, cause: e });
}
