/**
 * @module chain/rpc/context
 * What the RPC methods run against (the ledger, the mempool, finality), and block resolution
 * with geth's rules (internal/ethapi, eth/api_backend.go):
 *   - latest and pending → the head (pending has no block of its own here; only
 *     eth_getTransactionCount("pending") looks at the pool), safe/finalized → ctx.finality(),
 *     earliest → genesis;
 *   - block methods answer null for a block that does not exist;
 *   - state methods fail with -32000 "header not found" (by number) or "header for hash not
 *     found" (EIP-1898 by hash), and "hash is not currently canonical" when requireCanonical.
 */
import type { Block } from '@ethereumjs/block';
import type { Logger } from '../../base';
import { RPC_CODES, RpcError } from '../errors';
import type { Ledger } from '../ledger';
import type { Mempool } from '../mempool';
import type { BlockRef } from './params';

export type RpcContext = {
  ledger: Ledger;
  mempool: Mempool | null;
  clientVersion: string;
  logger?: Logger;
  /** safe/finalized block numbers; default: the head (devnet = instant finality). */
  finality?: () => { safe: bigint; finalized: bigint };
};

export function serverError(message: string, data?: unknown): RpcError {
  return new RpcError(RPC_CODES.server, message, data);
}

/** The block number a tag or number stands for (may lie beyond the head). */
export function refNumber(ctx: RpcContext, ref: BlockRef): bigint | undefined {
  if ('number' in ref) return ref.number;
  if ('hash' in ref) return undefined;
  const head = ctx.ledger.head.header.number;
  switch (ref.tag) {
    case 'latest':
    case 'pending':
      return head;
    case 'earliest':
      return 0n;
    case 'safe':
      return ctx.finality ? ctx.finality().safe : head;
    case 'finalized':
      return ctx.finality ? ctx.finality().finalized : head;
  }
}

/** The block for a block method, or undefined (→ null). */
export function findBlock(ctx: RpcContext, ref: BlockRef): Block | undefined {
  if ('hash' in ref) {
    const b = ctx.ledger.blockByHash(ref.hash);
    if (b && ref.requireCanonical && !ctx.ledger.isCanonical(b)) return undefined;
    return b;
  }
  const n = refNumber(ctx, ref);
  return n === undefined ? undefined : ctx.ledger.blockByNumber(n);
}

/** The block whose state a state method reads; throws geth's errors when there is none. */
export function stateBlock(ctx: RpcContext, ref: BlockRef): Block {
  if ('hash' in ref) {
    const b = ctx.ledger.blockByHash(ref.hash);
    if (!b) throw serverError('header for hash not found');
    if (ref.requireCanonical && !ctx.ledger.isCanonical(b)) throw serverError('hash is not currently canonical');
    return b;
  }
  const n = refNumber(ctx, ref);
  const b = n === undefined ? undefined : ctx.ledger.blockByNumber(n);
  if (!b) throw serverError('header not found');
  return b;
}

/** A QUANTITY out. */
export function qty(n: bigint | number): string {
  return '0x' + n.toString(16);
}

/** DATA out. */
export function hex(b: Uint8Array): string {
  return '0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
