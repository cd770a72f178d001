/**
 * @module wallet/erc20
 * ERC-20 tokens (EIP-20, https://eips.ethereum.org/EIPS/eip-20) read and written by hand-made
 * Solidity ABI encoding (https://docs.soliditylang.org/en/latest/abi-spec.html): 4-byte
 * selectors = first bytes of keccak256 of the signature, 32-byte big-endian words.
 *
 * `readTokenInfo` asks the node, in ONE JSON-RPC batch, for eth_getCode and eth_call of
 * totalSupply(), decimals(), symbol() and name(). No code → "There is no contract at 0x… on this
 * network." A contract whose totalSupply(), decimals() or symbol() reverts or answers something
 * that is not the ABI encoding of its type is "not an ERC-20 token". EIP-20 makes name, symbol
 * and decimals OPTIONAL, but a wallet cannot show an amount without decimals nor a token without
 * a symbol; only name() may be missing (the symbol is used instead). Old tokens (MKR, SAI…)
 * return bytes32 instead of string for symbol()/name(): a 32-byte answer is read as UTF-8 padded
 * with zero bytes. decimals must be 0 … 77 (`MAX_DECIMALS`: 10^77 is the largest power of ten
 * in a uint256). Texts are cleaned (control characters removed, trimmed, capped) because a token
 * contract is arbitrary code written by anyone.
 *
 * `encodeTransfer(to, amount)` is the calldata of transfer(address,uint256). `decodeTransferLog`
 * reads an ERC-20 Transfer(address indexed, address indexed, uint256) log: topic0 = keccak256 of
 * the signature, 3 topics, 32 bytes of data (ERC-721's Transfer has the same topic0 but 4
 * topics and no data, and is not an ERC-20 transfer: null).
 */
import { BuError, MAX_DECIMALS, MAX_UINT256 } from '../base';
import { parseAddress } from './address';
import { RpcClientError, type RpcClient } from './rpc-client';

/** keccak256("Transfer(address,address,uint256)"). */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** 4-byte selectors of the EIP-20 functions used here (keccak256 of the signature, first 4 bytes). */
export const ERC20_SELECTORS = {
  name: '0x06fdde03',
  symbol: '0x95d89b41',
  decimals: '0x313ce567',
  totalSupply: '0x18160ddd',
  balanceOf: '0x70a08231',
  transfer: '0xa9059cbb',
} as const;

export type TokenInfo = { address: string; symbol: string; name: string; decimals: number };
export type TransferLog = { token: string; from: string; to: string; amount: bigint };
/** The fields of an eth_getLogs / receipt log this module reads. */
export type LogLike = { address: string; topics: readonly string[]; data: string };

const MAX_SYMBOL = 32;
const MAX_NAME = 64;

const word = (n: bigint) => n.toString(16).padStart(64, '0');
const addressWord = (checksummed: string) => checksummed.slice(2).toLowerCase().padStart(64, '0');

/** Calldata of balanceOf(owner). */
export function encodeBalanceOf(owner: string): string {
  return ERC20_SELECTORS.balanceOf + addressWord(parseAddress(owner, 'The account address'));
}

/** Calldata of transfer(to, amount); `amount` in base units (0 … 2^256 − 1). The zero address is refused (tokens sent there are lost). */
export function encodeTransfer(to: string, amount: bigint): string {
  const recipient = parseAddress(to, 'The recipient address');
  if (/^0x0{40}$/.test(recipient)) throw new BuError('BAD_ADDRESS', 'The recipient address is the zero address; tokens sent there are lost forever.');
  if (typeof amount !== 'bigint') throw new BuError('BAD_INPUT', 'A token amount in base units must be a bigint.');
  if (amount < 0n) throw new BuError('BAD_INPUT', 'A token amount cannot be negative.');
  if (amount > MAX_UINT256) throw new BuError('BAD_INPUT', 'That token amount is too large: it is above 2^256 − 1 base units.');
  return ERC20_SELECTORS.transfer + addressWord(recipient) + word(amount);
}

const HEX32 = /^0x[0-9a-fA-F]{64}$/;

/** The ERC-20 Transfer a log records, or null when the log is anything else (another event, ERC-721, malformed words). */
export function decodeTransferLog(log: LogLike): TransferLog | null {
  if (typeof log !== 'object' || log === null || typeof log.address !== 'string' || !Array.isArray(log.topics) || typeof log.data !== 'string') {
    throw new BuError('BAD_INPUT', 'A log must be an object with an address, a list of topics and data.');
  }
  const [t0, t1, t2] = log.topics;
  if (log.topics.length !== 3 || typeof t0 !== 'string' || t0.toLowerCase() !== TRANSFER_TOPIC) return null;
  if (!HEX32.test(t1 ?? '') || !HEX32.test(t2 ?? '') || !HEX32.test(log.data)) return null;
  const topicAddress = (t: string) => (/^0x0{24}/.test(t) ? parseAddress(`0x${t.slice(26).toLowerCase()}`) : null);
  const from = topicAddress(t1!);
  const to = topicAddress(t2!);
  if (from === null || to === null) return null;
  let token: string;
  try {
    token = parseAddress(log.address.toLowerCase());
  } catch {
    return null;
  }
  return { token, from, to, amount: BigInt(log.data) };
}

/** ABI return data → bytes, or null when it is not 0x-hex of whole bytes. */
function bytesOf(hex: unknown): Uint8Array | null {
  if (typeof hex !== 'string' || !/^0x(?:[0-9a-fA-F]{2})*$/.test(hex)) return null;
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}

const readWord = (b: Uint8Array, at: number): bigint => BigInt(`0x${Buffer.from(b.subarray(at, at + 32)).toString('hex') || '0'}`);

/** A uint256 return value: exactly one word (a longer answer is tolerated as Solidity does: extra data ignored). */
export function decodeUint(hex: unknown): bigint | null {
  const b = bytesOf(hex);
  return b && b.length >= 32 ? readWord(b, 0) : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A string (ABI dynamic string) or bytes32 return value, as clean text; null when it is neither. */
export function decodeText(hex: unknown, max: number): string | null {
  const b = bytesOf(hex);
  if (!b || b.length < 32) return null;
  let raw: Uint8Array;
  if (b.length === 32) {
    const end = b.indexOf(0);
    raw = b.subarray(0, end < 0 ? 32 : end); // bytes32, zero-padded on the right
    if (raw.length < 32 && b.subarray(raw.length).some((x) => x !== 0)) return null;
  } else {
    const offset = readWord(b, 0);
    if (offset % 32n !== 0n || offset + 32n > BigInt(b.length)) return null;
    const length = readWord(b, Number(offset));
    const start = Number(offset) + 32;
    if (length > BigInt(b.length - start)) return null;
    raw = b.subarray(start, start + Number(length));
  }
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return null;
  }
  text = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, '').trim();
  return [...text].slice(0, max).join('');
}

/** An eth_call that failed because the code failed (geth: code 3 or a -32000 "execution reverted" / EVM error), not the node. */
function isExecutionFailure(e: RpcClientError): boolean {
  if (e.kind !== 'RPC_ERROR') return false;
  return e.rpcCode === 3 || /revert|invalid opcode|invalid jump|stack (?:underflow|overflow)|out of gas|opcode/i.test(e.rpcMessage ?? '');
}

function notErc20(address: string, why: string): BuError {
  return new BuError('BAD_INPUT', `The contract at ${address} is not an ERC-20 token: ${why}.`);
}

/** Symbol, name and decimals of the ERC-20 token at `address`, read from the chain `rpc` serves. */
export async function readTokenInfo(rpc: RpcClient, address: string): Promise<TokenInfo> {
  const token = parseAddress(address, 'The token address');
  const call = (data: string) => ({ method: 'eth_call', params: [{ to: token, data }, 'latest'] });
  const [code, supply, decimals, symbol, name] = await rpc.batch([
    { method: 'eth_getCode', params: [token, 'latest'] },
    call(ERC20_SELECTORS.totalSupply),
    call(ERC20_SELECTORS.decimals),
    call(ERC20_SELECTORS.symbol),
    call(ERC20_SELECTORS.name),
  ]);
  if (!code!.ok) throw code!.error;
  if (typeof code!.value !== 'string' || !/^0x(?:[0-9a-fA-F]{2})*$/.test(code!.value)) {
    throw new RpcClientError('RPC_BAD_RESPONSE', rpc.host, `The RPC at ${rpc.host} answered eth_getCode with something that is not hex code.`);
  }
  if (code!.value === '0x') throw new BuError('BAD_INPUT', `There is no contract at ${token} on this network.`);
  /** The value of one eth_call, or null when it reverted; other failures (bad answers) are thrown. */
  const value = (r: (typeof supply)) => {
    if (r!.ok) return r!.value;
    if (isExecutionFailure(r!.error)) return null; // reverted (or the function does not exist)
    throw r!.error; // unreachable, rate-limited, garbled: not the contract's fault
  };
  if (decodeUint(value(supply)) === null) throw notErc20(token, 'it has no totalSupply() function');
  const d = decodeUint(value(decimals));
  if (d === null) throw notErc20(token, 'it does not report its decimals');
  if (d > BigInt(MAX_DECIMALS)) throw new BuError('BAD_INPUT', `The token at ${token} says it has ${d} decimals; only 0 to ${MAX_DECIMALS} are supported.`);
  const sym = decodeText(value(symbol), MAX_SYMBOL);
  if (!sym) throw notErc20(token, 'it does not report a symbol');
  const nm = decodeText(value(name), MAX_NAME);
  return { address: token, symbol: sym, name: nm || sym, decimals: Number(d) };
}
