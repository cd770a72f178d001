/**
 * @module chain/rpc/debug-raw
 * geth's raw-data debug methods (execution-apis src/debug/getters.yaml), handy to compare
 * this ledger byte for byte with another client: debug_getRawHeader and debug_getRawBlock
 * (RLP), debug_getRawReceipts (each receipt in its consensus encoding, EIP-2718 typed
 * envelope, as in the receipts trie) and debug_getRawTransaction (the signed envelope, from
 * a block or the pool; null when unknown).
 */
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes } from '@ethereumjs/util';
import { logsBloom, type StoredReceipt } from '../receipts';
import { findBlock, hex, serverError, type RpcContext } from './context';
import type { MethodTable } from './dispatch';
import { Params, blockRef, hash32 } from './params';

export function consensusReceipt(r: StoredReceipt): Uint8Array {
  const first = r.stateRoot ?? (r.status === 1 ? Uint8Array.from([1]) : new Uint8Array());
  const body = RLP.encode([first, bigIntToUnpaddedBytes(r.cumulativeGasUsed), logsBloom(r.logs), r.logs]);
  if (r.type === 0) return body;
  const out = new Uint8Array(body.length + 1);
  out[0] = r.type;
  out.set(body, 1);
  return out;
}

export function debugMethods(ctx: RpcContext): MethodTable {
  const block = (raw: unknown) => {
    const b = findBlock(ctx, new Params(raw, 1).req(0, blockRef));
    if (!b) throw serverError('header not found');
    return b;
  };
  return {
    debug_getRawHeader: (raw) => hex(block(raw).header.serialize()),
    debug_getRawBlock: (raw) => hex(block(raw).serialize()),
    debug_getRawReceipts: (raw) => ctx.ledger.receipts(block(raw)).map((r) => hex(consensusReceipt(r))),
    debug_getRawTransaction(raw) {
      const h = new Params(raw, 1).req(0, hash32);
      const loc = ctx.ledger.txLocation(h);
      const tx = loc?.block.transactions[loc.index];
      if (tx) return hex(tx.serialize());
      const pooled = ctx.mempool?.get(hex(h));
      return pooled ? hex(pooled.raw) : null;
    },
  };
}
