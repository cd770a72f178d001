/**
 * @module chain/fast-add
 * Adding transactions to an @ethereumjs/vm BlockBuilder in linear time.
 */
import { createBlock, type BlockOptions, type HeaderData } from '@ethereumjs/block';
import type { TypedTransaction } from '@ethereumjs/tx';
import { runTx, type BlockBuilder, type RunTxResult, type VM } from '@ethereumjs/vm';

/** BlockBuilder's private fields that fastAdder maintains the way addTransaction does. */
type BuilderInternals = {
  checkpointed: boolean;
  transactions: TypedTransaction[];
  transactionResults: RunTxResult[];
  gasUsed: bigint;
  _minerValue: bigint;
  headerData: HeaderData;
  blockOpts: BlockOptions;
};

/**
 * BlockBuilder.addTransaction rebuilds the whole block, re-constructing every earlier
 * transaction (each copying its Common and deep-copying fork parameters), for each new one:
 * O(n²), ~17 s for 500 transfers. This adds with one header-only block for all of them and
 * keeps the builder's bookkeeping, so build() (system calls, tries, seal) stays ethereumjs's.
 * Blob and EIP-8037 paths are not needed: the pool refuses blob transactions and the chain
 * runs Cancun.
 */
export function fastAdder(vm: VM, builder: BlockBuilder): (tx: TypedTransaction) => Promise<RunTxResult> {
  const b = builder as unknown as BuilderInternals;
  const block = createBlock({ header: { ...b.headerData, gasUsed: 0n } }, b.blockOpts);
  return async (tx) => {
    if (!b.checkpointed) {
      await vm.evm.journal.checkpoint();
      b.checkpointed = true;
    }
    const result = await runTx(vm, { tx, block, blockGasUsed: b.gasUsed });
    b.transactions.push(tx);
    b.transactionResults.push(result);
    b.gasUsed += result.blockGasSpent;
    b._minerValue += result.minerValue;
    return result;
  };
}

