/**
 * @module chain/rpc/eth-blocks
 * Block, transaction and receipt reads (execution-apis src/eth/block.yaml,
 * transaction.yaml): eth_blockNumber, eth_getBlockByNumber/ByHash (hashes or full
 * transactions), eth_getBlockReceipts (EIP-1898 block argument),
 * eth_getBlockTransactionCountBy*, eth_getTransactionByBlock*AndIndex, eth_getUncle*
 * (always none after the merge), eth_getTransactionByHash (mined, or waiting in the pool with
 * blockHash null) and eth_getTransactionReceipt. A missing block or transaction is null.
 */
import type { Block } from '@ethereumjs/block';
import { findBlock, hex, qty, type RpcContext } from './context';
import type { MethodTable } from './dispatch';
import { blockReceipts, formatBlock, formatReceipt, formatTx, logOffsets } from './format';
import { Params, blockRef, blockTag, bool, hash32, index } from './params';

export function blockMethods(ctx: RpcContext): MethodTable {
  const byHash = (p: Params) => ctx.ledger.blockByHash(p.req(0, hash32));
  const byTag = (p: Params) => findBlock(ctx, p.req(0, blockTag));
  const txAt = (block: Block | undefined, i: number) => {
    const tx = block?.transactions[i];
    return block && tx ? formatTx(tx, { block, index: i }) : null;
  };
  return {
    eth_blockNumber(raw) {
      new Params(raw, 0);
      return qty(ctx.ledger.head.header.number);
    },
    eth_getBlockByNumber(raw) {
      const p = new Params(raw, 2);
      const b = byTag(p);
      const full = p.req(1, bool);
      return b ? formatBlock(b, full) : null;
    },
    eth_getBlockByHash(raw) {
      const p = new Params(raw, 2);
      const b = byHash(p);
      const full = p.req(1, bool);
      return b ? formatBlock(b, full) : null;
    },
    eth_getBlockReceipts(raw) {
      const p = new Params(raw, 1);
      const b = findBlock(ctx, p.req(0, blockRef));
      return b ? blockReceipts(ctx.ledger, b) : null;
    },
    eth_getBlockTransactionCountByHash(raw) {
      const b = byHash(new Params(raw, 1));
      return b ? qty(b.transactions.length) : null;
    },
    eth_getBlockTransactionCountByNumber(raw) {
      const b = byTag(new Params(raw, 1));
      return b ? qty(b.transactions.length) : null;
    },
    eth_getTransactionByBlockHashAndIndex(raw) {
      const p = new Params(raw, 2);
      return txAt(byHash(p), p.req(1, index));
    },
    eth_getTransactionByBlockNumberAndIndex(raw) {
      const p = new Params(raw, 2);
      return txAt(byTag(p), p.req(1, index));
    },
    eth_getUncleCountByBlockHash(raw) {
      const b = byHash(new Params(raw, 1));
      return b ? qty(b.uncleHeaders.length) : null;
    },
    eth_getUncleCountByBlockNumber(raw) {
      const b = byTag(new Params(raw, 1));
      return b ? qty(b.uncleHeaders.length) : null;
    },
    eth_getUncleByBlockHashAndIndex(raw) {
      const p = new Params(raw, 2);
      p.req(0, hash32);
      p.req(1, index);
      return null;
    },
    eth_getUncleByBlockNumberAndIndex(raw) {
      const p = new Params(raw, 2);
      p.req(0, blockTag);
      p.req(1, index);
      return null;
    },
    eth_getTransactionByHash(raw) {
      const h = new Params(raw, 1).req(0, hash32);
      const loc = ctx.ledger.txLocation(h);
      if (loc) {
        const tx = loc.block.transactions[loc.index];
        if (tx) return formatTx(tx, loc);
      }
      const pooled = ctx.mempool?.get(hex(h));
      return pooled ? formatTx(pooled.tx, null, pooled.from) : null;
    },
    eth_getTransactionReceipt(raw) {
      const h = new Params(raw, 1).req(0, hash32);
      const loc = ctx.ledger.txLocation(h);
      if (!loc || !loc.block.transactions[loc.index]) return null;
      const receipts = ctx.ledger.receipts(loc.block);
      if (!receipts[loc.index]) return null;
      return formatReceipt(loc.block, receipts, loc.index, logOffsets(receipts)[loc.index]!);
    },
  };
}
