/**
 * @module chain/rpc/format
 * JSON shapes of blocks, transactions, receipts and logs as ethereum/execution-apis specifies
 * them (src/schemas/block.yaml, transaction.yaml, receipt.yaml) and geth writes them
 * (internal/ethapi RPCMarshalBlock, newRPCTransaction, MarshalReceipt):
 *   - typed transactions (EIP-2718) carry type, chainId, accessList (EIP-2930), yParity and v;
 *     EIP-1559 ones maxFeePerGas / maxPriorityFeePerGas, and gasPrice = the effective price
 *     in a block, the fee cap while pending; EIP-4844 and EIP-7702 fields for imported chains;
 *   - transactions, receipts and logs carry blockTimestamp (execution-apis, geth 1.16);
 *   - receipts derive what is not stored (receipts.ts): gasUsed from cumulative gas,
 *     effectiveGasPrice, contractAddress = keccak(rlp(sender, nonce)), logsBloom;
 *   - post-Cancun headers carry blobGasUsed, excessBlobGas, parentBeaconBlockRoot (EIP-4844,
 *     EIP-4788), Shanghai ones withdrawalsRoot and withdrawals (EIP-4895); no totalDifficulty
 *     (geth dropped it after the merge).
 * Senders are recovered once per transaction and kept in a small cache.
 */
import type { Block } from '@ethereumjs/block';
import type { Log } from '@ethereumjs/evm';
import type { TypedTransaction } from '@ethereumjs/tx';
import { bigIntToUnpaddedBytes, generateAddress, type Address } from '@ethereumjs/util';
import type { Ledger } from '../ledger';
import { logsBloom, type StoredReceipt } from '../receipts';
import { hex, qty } from './context';

type Json = Record<string, unknown>;

const senders = new Map<string, Address>();
const SENDER_CACHE = 20_000;

/** The sender of a signed transaction (cached by hash). */
export function senderOf(tx: TypedTransaction): Address {
  const key = hex(tx.hash());
  let a = senders.get(key);
  if (!a) {
    a = tx.getSenderAddress();
    if (senders.size >= SENDER_CACHE) senders.delete(senders.keys().next().value!);
    senders.set(key, a);
  }
  return a;
}

function feeFields(tx: TypedTransaction): { cap: bigint; tip: bigint } | undefined {
  if ('maxFeePerGas' in tx) return { cap: tx.maxFeePerGas, tip: tx.maxPriorityFeePerGas };
  return undefined;
}

/** The price per gas a transaction pays in a block with this base fee. */
export function effectiveGasPrice(tx: TypedTransaction, baseFee: bigint | undefined): bigint {
  const f = feeFields(tx);
  if (!f) return (tx as { gasPrice: bigint }).gasPrice;
  const base = baseFee ?? 0n;
  const tip = f.cap - base < f.tip ? f.cap - base : f.tip;
  return base + tip;
}

export type TxPosition = { block: Block; index: number } | null;

export function formatTx(tx: TypedTransaction, at: TxPosition, from?: Address): Json {
  const f = feeFields(tx);
  const out: Json = {
    blockHash: at ? hex(at.block.hash()) : null,
    blockNumber: at ? qty(at.block.header.number) : null,
    ...(at ? { blockTimestamp: qty(at.block.header.timestamp) } : {}),
    from: (from ?? senderOf(tx)).toString(),
    gas: qty(tx.gasLimit),
    gasPrice: qty(f ? (at ? effectiveGasPrice(tx, at.block.header.baseFeePerGas) : f.cap) : (tx as { gasPrice: bigint }).gasPrice),
  };
  if (f) {
    out.maxFeePerGas = qty(f.cap);
    out.maxPriorityFeePerGas = qty(f.tip);
  }
  const json = tx.type > 0 ? tx.toJSON() : undefined;
  if (tx.type === 3) {
    out.maxFeePerBlobGas = qty((tx as { maxFeePerBlobGas: bigint }).maxFeePerBlobGas);
    out.blobVersionedHashes = json?.blobVersionedHashes ?? [];
  }
  Object.assign(out, {
    hash: hex(tx.hash()),
    input: hex(tx.data),
    nonce: qty(tx.nonce),
    to: tx.to ? tx.to.toString() : null,
    transactionIndex: at ? qty(at.index) : null,
    value: qty(tx.value),
    type: qty(tx.type),
  });
  if (tx.type > 0) out.accessList = json?.accessList ?? [];
  if (tx.type === 4) out.authorizationList = json?.authorizationList ?? [];
  if ('chainId' in tx) out.chainId = qty(tx.chainId);
  else if (tx.supports(155)) out.chainId = qty(tx.common.chainId());
  out.v = qty(tx.v ?? 0n);
  out.r = qty(tx.r ?? 0n);
  out.s = qty(tx.s ?? 0n);
  if (tx.type > 0) out.yParity = qty(tx.v ?? 0n);
  return out;
}

export function formatLog(log: Log, block: Block, tx: TypedTransaction, txIndex: number, logIndex: number): Json {
  const [address, topics, data] = log;
  return {
    address: hex(address),
    topics: topics.map(hex),
    data: hex(data),
    blockNumber: qty(block.header.number),
    transactionHash: hex(tx.hash()),
    transactionIndex: qty(txIndex),
    blockHash: hex(block.hash()),
    blockTimestamp: qty(block.header.timestamp),
    logIndex: qty(logIndex),
    removed: false,
  };
}

/** Index of the first log of each transaction in the block's log sequence. */
export function logOffsets(receipts: StoredReceipt[]): number[] {
  const out: number[] = [];
  let n = 0;
  for (const r of receipts) {
    out.push(n);
    n += r.logs.length;
  }
  return out;
}

export function formatReceipt(block: Block, receipts: StoredReceipt[], index: number, firstLogIndex: number): Json {
  const tx = block.transactions[index]!;
  const r = receipts[index]!;
  const from = senderOf(tx);
  const prevCum = index > 0 ? receipts[index - 1]!.cumulativeGasUsed : 0n;
  const out: Json = {
    blockHash: hex(block.hash()),
    blockNumber: qty(block.header.number),
    blockTimestamp: qty(block.header.timestamp),
    contractAddress: tx.to ? null : hex(generateAddress(from.bytes, bigIntToUnpaddedBytes(tx.nonce))),
    cumulativeGasUsed: qty(r.cumulativeGasUsed),
    effectiveGasPrice: qty(effectiveGasPrice(tx, block.header.baseFeePerGas)),
    from: from.toString(),
    gasUsed: qty(r.cumulativeGasUsed - prevCum),
    logs: r.logs.map((l, i) => formatLog(l, block, tx, index, firstLogIndex + i)),
    logsBloom: hex(logsBloom(r.logs)),
  };
  if (r.stateRoot) out.root = hex(r.stateRoot);
  else out.status = qty(r.status ?? 0);
  Object.assign(out, { to: tx.to ? tx.to.toString() : null, transactionHash: hex(tx.hash()), transactionIndex: qty(index), type: qty(tx.type) });
  if (tx.type === 3) {
    const blobs = (tx as unknown as { numBlobs(): number }).numBlobs();
    out.blobGasUsed = qty(BigInt(blobs) * block.common.param('blobGasPerBlob'));
    out.blobGasPrice = qty(block.header.getBlobGasPrice());
  }
  return out;
}

export function blockReceipts(ledger: Ledger, block: Block): Json[] {
  const receipts = ledger.receipts(block);
  const offsets = logOffsets(receipts);
  return block.transactions.map((_, i) => formatReceipt(block, receipts, i, offsets[i]!));
}

export function formatBlock(block: Block, fullTxs: boolean): Json {
  const h = block.header;
  const out: Json = {
    baseFeePerGas: h.baseFeePerGas !== undefined ? qty(h.baseFeePerGas) : undefined,
    blobGasUsed: h.blobGasUsed !== undefined ? qty(h.blobGasUsed) : undefined,
    difficulty: qty(h.difficulty),
    excessBlobGas: h.excessBlobGas !== undefined ? qty(h.excessBlobGas) : undefined,
    extraData: hex(h.extraData),
    gasLimit: qty(h.gasLimit),
    gasUsed: qty(h.gasUsed),
    hash: hex(block.hash()),
    logsBloom: hex(h.logsBloom),
    miner: h.coinbase.toString(),
    mixHash: hex(h.mixHash),
    nonce: hex(h.nonce),
    number: qty(h.number),
    parentBeaconBlockRoot: h.parentBeaconBlockRoot ? hex(h.parentBeaconBlockRoot) : undefined,
    parentHash: hex(h.parentHash),
    receiptsRoot: hex(h.receiptTrie),
    requestsHash: h.requestsHash ? hex(h.requestsHash) : undefined,
    sha3Uncles: hex(h.uncleHash),
    size: qty(block.serialize().length),
    stateRoot: hex(h.stateRoot),
    timestamp: qty(h.timestamp),
    transactions: block.transactions.map((tx, index) => (fullTxs ? formatTx(tx, { block, index }) : hex(tx.hash()))),
    transactionsRoot: hex(h.transactionsTrie),
    uncles: block.uncleHeaders.map((u) => hex(u.hash())),
  };
  if (h.withdrawalsRoot) {
    out.withdrawals = (block.withdrawals ?? []).map((w) => ({
      index: qty(w.index),
      validatorIndex: qty(w.validatorIndex),
      address: w.address.toString(),
      amount: qty(w.amount),
    }));
    out.withdrawalsRoot = hex(h.withdrawalsRoot);
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
