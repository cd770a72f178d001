/**
 * @module chain/rpc/call-args
 * The transaction object of eth_call, eth_estimateGas and eth_createAccessList
 * (execution-apis GenericTransaction): from, to (absent or null = create), gas, gasPrice or
 * maxFeePerGas / maxPriorityFeePerGas, value, data or input, nonce, accessList, chainId,
 * type. Checked like geth's TransactionArgs: "both gasPrice and (maxFeePerGas or
 * maxPriorityFeePerGas) specified", data/input must agree, chainId must be ours. Unknown
 * fields are ignored (wallets send extras).
 */
import type { AccessListBytes } from '@ethereumjs/tx';
import { Address } from '@ethereumjs/util';
import { ParamError, address, arrayOf, data, hash32, object, quantity, uint64 } from './params';

export type CallArgs = {
  from: Address;
  to?: Address;
  gas?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  value: bigint;
  data: Uint8Array;
  nonce?: bigint;
  accessList?: AccessListBytes;
};

const present = (v: unknown) => v !== undefined && v !== null;

function field<T>(o: Record<string, unknown>, name: string, decode: (v: unknown) => T): T | undefined {
  const v = o[name];
  if (!present(v)) return undefined;
  try {
    return decode(v);
  } catch (err) {
    if (err instanceof ParamError) throw new ParamError(`${name}: ${err.message}`);
    throw err;
  }
}

function accessList(v: unknown): AccessListBytes {
  return arrayOf((item) => {
    const o = object(item);
    const keys = present(o.storageKeys) ? arrayOf(hash32)(o.storageKeys) : [];
    return [address(o.address), keys] as [Uint8Array, Uint8Array[]];
  })(v);
}

/** Decode a call object; `chainId` is the node's, to check a given one against. */
export function callArgs(chainId: bigint): (v: unknown) => CallArgs {
  return (v) => {
    const o = object(v);
    const input = field(o, 'input', data);
    const dataField = field(o, 'data', data);
    if (input && dataField && Buffer.compare(Buffer.from(input), Buffer.from(dataField)) !== 0) {
      throw new ParamError('both "data" and "input" are set and not equal. Please use "input" to pass transaction call data');
    }
    const args: CallArgs = {
      from: new Address(field(o, 'from', address) ?? new Uint8Array(20)),
      to: present(o.to) ? new Address(field(o, 'to', address)!) : undefined,
      gas: field(o, 'gas', uint64),
      gasPrice: field(o, 'gasPrice', quantity),
      maxFeePerGas: field(o, 'maxFeePerGas', quantity),
      maxPriorityFeePerGas: field(o, 'maxPriorityFeePerGas', quantity),
      value: field(o, 'value', quantity) ?? 0n,
      data: input ?? dataField ?? new Uint8Array(),
      nonce: field(o, 'nonce', uint64),
      accessList: field(o, 'accessList', accessList),
    };
    const cid = field(o, 'chainId', quantity);
    if (cid !== undefined && cid !== chainId) throw new ParamError(`chainId does not match node's (have=${cid}, want=${chainId})`);
    if (args.gasPrice !== undefined && (args.maxFeePerGas !== undefined || args.maxPriorityFeePerGas !== undefined)) {
      throw new ParamError('both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified');
    }
    if (args.maxFeePerGas !== undefined && args.maxPriorityFeePerGas !== undefined && args.maxFeePerGas < args.maxPriorityFeePerGas) {
      throw new ParamError(`maxFeePerGas (${args.maxFeePerGas}) < maxPriorityFeePerGas (${args.maxPriorityFeePerGas})`);
    }
    return args;
  };
}
