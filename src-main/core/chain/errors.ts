/**
 * @module chain/errors
 * Transaction and RPC errors with the messages and JSON-RPC codes geth uses
 * (go-ethereum core/error.go, core/txpool/errors.go, internal/ethapi), because wallets and
 * tools match on them: ethers maps "nonce too low" to NONCE_EXPIRED and "insufficient funds"
 * to INSUFFICIENT_FUNDS, viem does the same with its own regexes, cast prints them as is.
 * Every pool rejection is JSON-RPC code -32000; a revert is code 3 with the revert data.
 */
import { BuError } from '../base';

export class ChainError extends BuError {
  constructor(
    message: string,
    readonly rpcCode = -32000,
    readonly data?: string,
  ) {
    super('BAD_INPUT', message);
    this.name = 'ChainError';
  }
}

export const txErrors = {
  alreadyKnown: () => new ChainError('already known'),
  invalidSender: (why: string) => new ChainError(`invalid sender: ${why}`),
  decode: (why: string) => new ChainError(`rlp: ${why}`),
  typeNotSupported: (type: number) => new ChainError(`transaction type not supported: type ${type}`),
  unprotected: () => new ChainError('only replay-protected (EIP-155) transactions allowed over RPC'),
  chainId: (have: bigint, want: bigint) => new ChainError(`invalid chain id for signer: have ${have} want ${want}`),
  oversized: (size: number, limit: number) => new ChainError(`oversized data: transaction size ${size}, limit ${limit}`),
  gasLimit: (gas: bigint, limit: bigint) => new ChainError(`exceeds block gas limit: gas ${gas}, block gas limit ${limit}`),
  intrinsic: (gas: bigint, need: bigint) => new ChainError(`intrinsic gas too low: gas ${gas}, minimum needed ${need}`),
  tipAboveCap: (addr: string, tip: bigint, cap: bigint) =>
    new ChainError(`max priority fee per gas higher than max fee per gas: address ${addr}, maxPriorityFeePerGas: ${tip}, maxFeePerGas: ${cap}`),
  feeCapTooLow: (addr: string, cap: bigint, base: bigint) =>
    new ChainError(`max fee per gas less than block base fee: address ${addr}, maxFeePerGas: ${cap}, baseFee: ${base}`),
  underpriced: (tip: bigint, min: bigint) => new ChainError(`transaction underpriced: gas tip cap ${tip}, minimum needed ${min}`),
  replaceUnderpriced: () => new ChainError('replacement transaction underpriced'),
  nonceTooLow: (addr: string, tx: bigint, state: bigint) => new ChainError(`nonce too low: address ${addr}, tx: ${tx} state: ${state}`),
  nonceTooHigh: (addr: string, tx: bigint, state: bigint) =>
    new ChainError(`nonce too high: address ${addr}, tx: ${tx} state: ${state}`),
  insufficientFunds: (balance: bigint, cost: bigint) =>
    new ChainError(`insufficient funds for gas * price + value: balance ${balance}, tx cost ${cost}, overshot ${cost - balance}`),
  accountLimit: (addr: string, limit: number) => new ChainError(`account limit exceeded: ${addr} has ${limit} transactions waiting`),
  poolFull: () => new ChainError('txpool is full'),
  negativeValue: () => new ChainError('negative value'),
};

/** JSON-RPC 2.0 / geth error codes used by the RPC server. */
export const RPC_CODES = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  server: -32000,
  /** Execution reverted (eth_call, eth_estimateGas), with the revert data. */
  reverted: 3,
  limitExceeded: -32005,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** One field of a block header that re-execution does not reproduce. */
export type HeaderMismatch = { field: 'stateRoot' | 'receiptsRoot' | 'logsBloom' | 'gasUsed'; block: string; computed: string };

/**
 * A block refused on import (`chain import`, a peer's block): its number and hash, and, when
 * executing it gave different results than its header claims, both values of each field.
 */
export class InvalidBlockError extends BuError {
  constructor(
    message: string,
    readonly number: bigint,
    readonly hash: string,
    readonly mismatches: HeaderMismatch[] = [],
  ) {
    super('BAD_INPUT', message);
    this.name = 'InvalidBlockError';
  }
}
