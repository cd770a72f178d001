/**
 * @module chain/rpc/execute
 * Read-only execution for eth_call, eth_estimateGas and eth_createAccessList, with geth's
 * message semantics (core/state_transition.go with SkipNonceChecks/SkipFromEOACheck,
 * internal/ethapi doCall):
 *   - the call runs in the context of the requested block itself (its number, timestamp,
 *     base fee, coinbase) on top of that block's post-state, in a VM of its own
 *     (ledger.vmAt: never the head's state); between runs the state is rolled back;
 *   - a call with no gas price runs with base fee 0 (geth lowers the block's base fee so a
 *     zero-priced call is valid), gas defaults to the RPC gas cap (50,000,000, geth's);
 *   - the nonce is not checked; the balance is (gas × fee cap + value), with geth's message;
 *   - a sender that has code (a contract, EIP-3607) is run as a plain message call, as geth
 *     skips the EOA check for calls.
 * The unsigned transaction gets its sender by overriding getSenderAddress, which is how
 * @ethereumjs/vm's own client runs eth_estimateGas.
 */
import { createBlock, type Block } from '@ethereumjs/block';
import { createTx, type AccessList, type AccessListBytes, type TypedTransaction } from '@ethereumjs/tx';
import { KECCAK256_NULL, type Address } from '@ethereumjs/util';
import { runTx, type VM } from '@ethereumjs/vm';
import { ChainError } from '../errors';
import type { Ledger } from '../ledger';
import type { CallArgs } from './call-args';

export const RPC_GAS_CAP = 50_000_000n;

export type Outcome = {
  gasUsed: bigint;
  refund: bigint;
  returnValue: Uint8Array;
  /** The EVM halt reason ('revert', 'out of gas', …) if the call failed. */
  error?: string;
  accessList?: AccessList;
};

export type RunOptions = { accessList?: AccessListBytes; reportAccessList?: boolean };

export class Executor {
  private zeroFeeBlock?: Block;

  private constructor(
    readonly vm: VM,
    readonly block: Block,
  ) {}

  static async at(ledger: Ledger, block: Block): Promise<Executor> {
    return new Executor(await ledger.vmAt(block.header, block.header.number, block.header.timestamp), block);
  }

  get baseFee(): bigint {
    return this.block.header.baseFeePerGas ?? 0n;
  }

  async balance(addr: Address): Promise<bigint> {
    return (await this.vm.stateManager.getAccount(addr))?.balance ?? 0n;
  }

  async hasCode(addr: Address): Promise<boolean> {
    const acct = await this.vm.stateManager.getAccount(addr);
    return !!acct && Buffer.compare(Buffer.from(acct.codeHash), Buffer.from(KECCAK256_NULL)) !== 0;
  }

  /** Fee cap and tip per gas the message offers (geth's TransactionArgs.ToMessage). */
  fees(args: CallArgs): { cap: bigint; tip: bigint } {
    if (args.gasPrice !== undefined) return { cap: args.gasPrice, tip: args.gasPrice };
    return { cap: args.maxFeePerGas ?? 0n, tip: args.maxPriorityFeePerGas ?? 0n };
  }

  /** Run the message with `gas`; throws ChainError for what geth rejects before execution. */
  async run(args: CallArgs, gas: bigint, opts: RunOptions = {}): Promise<Outcome> {
    const { cap, tip } = this.fees(args);
    const zeroFee = cap === 0n && tip === 0n;
    const baseFee = zeroFee ? 0n : this.baseFee;
    const london = this.vm.common.isActivatedEIP(1559);
    if (london && !zeroFee && cap < baseFee) {
      throw new ChainError(`max fee per gas less than block base fee: address ${args.from}, maxFeePerGas: ${cap}, baseFee: ${baseFee}`);
    }
    if (tip > cap) {
      throw new ChainError(`max priority fee per gas higher than max fee per gas: address ${args.from}, maxPriorityFeePerGas: ${tip}, maxFeePerGas: ${cap}`);
    }
    const balance = await this.balance(args.from);
    const cost = gas * cap + args.value;
    if (balance < cost) throw new ChainError(`insufficient funds for gas * price + value: address ${args.from} have ${balance} want ${cost}`);

    const tx = this.message(args, gas, cap, tip, opts.accessList ?? args.accessList);
    const intrinsic = tx.getIntrinsicGas();
    if (gas < intrinsic) throw new ChainError(`intrinsic gas too low: have ${gas}, want ${intrinsic}`);
    const block = zeroFee ? this.zeroFee() : this.block;

    const sm = this.vm.stateManager;
    await sm.checkpoint();
    try {
      if (await this.hasCode(args.from)) return await this.runAsCall(args, gas - intrinsic, intrinsic, block, baseFee + (tip < cap - baseFee ? tip : cap - baseFee));
      const r = await runTx(this.vm, {
        tx,
        block,
        skipNonce: true,
        skipHardForkValidation: true,
        skipBlockGasLimitValidation: true,
        reportAccessList: opts.reportAccessList,
      });
      return {
        gasUsed: r.totalGasSpent,
        refund: r.gasRefund ?? 0n,
        returnValue: r.execResult.returnValue,
        error: r.execResult.exceptionError?.error,
        accessList: r.accessList,
      };
    } finally {
      await sm.revert();
    }
  }

  private async runAsCall(args: CallArgs, gasLimit: bigint, intrinsic: bigint, block: Block, gasPrice: bigint): Promise<Outcome> {
    const r = await this.vm.evm.runCall({
      caller: args.from,
      origin: args.from,
      to: args.to,
      value: args.value,
      data: args.data,
      gasLimit,
      gasPrice,
      block,
    });
    return {
      gasUsed: intrinsic + r.execResult.executionGasUsed,
      refund: r.execResult.gasRefund ?? 0n,
      returnValue: r.execResult.returnValue,
      error: r.execResult.exceptionError?.error,
    };
  }

  private message(args: CallArgs, gas: bigint, cap: bigint, tip: bigint, accessList: AccessListBytes | undefined): TypedTransaction {
    const common = this.vm.common;
    const base = { nonce: args.nonce ?? 0n, gasLimit: gas, to: args.to, value: args.value, data: args.data };
    const dynamic = args.gasPrice === undefined && (args.maxFeePerGas !== undefined || args.maxPriorityFeePerGas !== undefined);
    let txData: Record<string, unknown>;
    if (dynamic && common.isActivatedEIP(1559)) {
      txData = { ...base, type: 2, maxFeePerGas: cap, maxPriorityFeePerGas: tip, accessList: accessList ?? [] };
    } else if (accessList && common.isActivatedEIP(2930)) {
      txData = { ...base, type: 1, gasPrice: cap, accessList };
    } else {
      txData = { ...base, type: 0, gasPrice: cap };
    }
    const tx = createTx(txData as never, { common, freeze: false }) as TypedTransaction;
    const from = args.from;
    (tx as { getSenderAddress: () => Address }).getSenderAddress = () => from;
    return tx;
  }

  /** The block with base fee 0, for calls that name no gas price. */
  private zeroFee(): Block {
    if (!this.zeroFeeBlock) {
      const h = this.block.header;
      this.zeroFeeBlock = createBlock(
        {
          header: {
            parentHash: h.parentHash,
            coinbase: h.coinbase,
            number: h.number,
            timestamp: h.timestamp,
            gasLimit: h.gasLimit,
            difficulty: h.difficulty,
            mixHash: h.mixHash,
            extraData: h.extraData,
            baseFeePerGas: h.baseFeePerGas !== undefined ? 0n : undefined,
            excessBlobGas: h.excessBlobGas,
            blobGasUsed: h.blobGasUsed,
            parentBeaconBlockRoot: h.parentBeaconBlockRoot,
            withdrawalsRoot: h.withdrawalsRoot,
            requestsHash: h.requestsHash,
          },
        },
        { common: this.vm.common, skipConsensusFormatValidation: true },
      );
    }
    return this.zeroFeeBlock;
  }
}
