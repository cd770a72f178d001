/**
 * @module chain/rpc/revert
 * Execution failures as geth reports them (internal/ethapi revertError, accounts/abi
 * UnpackRevert, core/vm/errors.go): a revert is JSON-RPC code 3 with message
 * "execution reverted" plus ": <reason>" when the data is a Solidity `Error(string)`
 * (selector 0x08c379a0) or `Panic(uint256)` (0x4e487b71), and `data` = the revert bytes;
 * other EVM halts are -32000 with geth's wording ("out of gas", "invalid jump destination", …).
 */
import { RPC_CODES, RpcError } from '../errors';
import { hex } from './context';

const ERROR_SELECTOR = '08c379a0';
const PANIC_SELECTOR = '4e487b71';

const PANICS: Record<number, string> = {
  0x00: 'generic panic',
  0x01: 'assert(false)',
  0x11: 'arithmetic underflow or overflow',
  0x12: 'division or modulo by zero',
  0x21: 'enum overflow',
  0x22: 'invalid encoded storage byte array accessed',
  0x31: 'out-of-bounds array access; popping on an empty array',
  0x32: 'out-of-bounds access of an array or bytesN',
  0x41: 'out of memory',
  0x51: 'uninitialized function',
};

/** The human reason in revert data, if it is an Error(string) or Panic(uint256). */
export function revertReason(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined;
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const selector = b.subarray(0, 4).toString('hex');
  if (selector === PANIC_SELECTOR && b.length === 36) {
    const code = BigInt('0x' + b.subarray(4, 36).toString('hex'));
    return code < 0x100n && PANICS[Number(code)] ? PANICS[Number(code)] : `unknown panic code: 0x${code.toString(16)}`;
  }
  if (selector !== ERROR_SELECTOR || b.length < 68) return undefined;
  const offset = BigInt('0x' + b.subarray(4, 36).toString('hex'));
  if (offset + 32n > BigInt(b.length - 4)) return undefined;
  const start = 4 + Number(offset);
  const len = BigInt('0x' + b.subarray(start, start + 32).toString('hex'));
  if (BigInt(start + 32) + len > BigInt(b.length)) return undefined;
  return b.subarray(start + 32, start + 32 + Number(len)).toString('utf8');
}

export function revertError(data: Uint8Array): RpcError {
  const reason = revertReason(data);
  return new RpcError(RPC_CODES.reverted, reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`, hex(data));
}

const GETH_WORDING: Record<string, string> = {
  revert: 'execution reverted',
  'invalid JUMP': 'invalid jump destination',
  'code store out of gas': 'contract creation code storage out of gas',
  'stack overflow': 'stack limit reached 1024 (1023)',
  'static state change': 'write protection',
  'create collision': 'contract address collision',
  'code size to deposit exceeds maximum code size': 'max code size exceeded',
  'insufficient balance': 'insufficient balance for transfer',
  'initcode exceeds max initcode size': 'max initcode size exceeded',
  'invalid bytecode deployed': 'invalid code: must not begin with 0xef',
  'value out of range': 'return data out of bounds',
};

/** geth's message for an ethereumjs EVM halt. */
export function vmErrorMessage(error: string): string {
  return GETH_WORDING[error] ?? error;
}
