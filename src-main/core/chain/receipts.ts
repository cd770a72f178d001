/**
 * @module chain/receipts
 * Compact receipt storage, one RLP list per block: [type, status | post-state root,
 * cumulative gas, logs]. The logs bloom is not stored (it is a function of the logs;
 * reth drops it too), gas used, effective gas price and the created contract address are
 * derived when a receipt is read. `consensusReceipt()` rebuilds the ethereumjs receipt for
 * the receipts trie (EIP-2718 typed encoding).
 */
import { RLP } from '@ethereumjs/rlp';
import type { Log } from '@ethereumjs/evm';
import { Bloom, type TxReceipt } from '@ethereumjs/vm';
import { bigIntToUnpaddedBytes, bytesToBigInt, bytesToInt, intToBytes } from '@ethereumjs/util';

export type StoredReceipt = {
  type: number;
  /** Post-Byzantium: 1 success, 0 failure. */
  status?: 0 | 1;
  /** Pre-Byzantium: the post-transaction state root. */
  stateRoot?: Uint8Array;
  cumulativeGasUsed: bigint;
  logs: Log[];
};

export function encodeReceipts(receipts: TxReceipt[], types: number[]): Uint8Array {
  return RLP.encode(
    receipts.map((r, i) => [
      intToBytes(types[i] ?? 0),
      'stateRoot' in r ? r.stateRoot : intToBytes((r as { status: number }).status),
      bigIntToUnpaddedBytes(r.cumulativeBlockGasUsed),
      r.logs,
    ]),
  );
}

export function decodeReceipts(data: Uint8Array): StoredReceipt[] {
  const list = RLP.decode(data) as unknown as [Uint8Array, Uint8Array, Uint8Array, Log[]][];
  return list.map(([type, st, cum, logs]) => {
    const base = { type: type.length ? bytesToInt(type) : 0, cumulativeGasUsed: bytesToBigInt(cum), logs };
    return st.length === 32 ? { ...base, stateRoot: st } : { ...base, status: (st.length ? bytesToInt(st) : 0) as 0 | 1 };
  });
}

export function logsBloom(logs: Log[]): Uint8Array {
  const bloom = new Bloom();
  for (const [address, topics] of logs) {
    bloom.add(address);
    for (const t of topics) bloom.add(t);
  }
  return bloom.bitvector;
}
