/**
 * @module chain/rpc/handler
 * The method table of the BitUnicom chain's Ethereum JSON-RPC (see README.md in this folder
 * for the surface) bound to one ledger and pool. Methods the node must not have, because it
 * holds no keys (eth_sendTransaction, eth_sign, eth_signTransaction, personal_*), are simply
 * absent: -32601, as geth answers without an unlocked account manager.
 */
import type { RpcContext } from './context';
import { Dispatcher, type MethodTable } from './dispatch';
import { blockMethods } from './eth-blocks';
import { callMethods } from './eth-call';
import { feeMethods } from './eth-fees';
import { logMethods } from './eth-logs';
import { sendMethods } from './eth-send';
import { stateMethods } from './eth-state';
import { debugMethods } from './debug-raw';
import { FilterManager } from './filters';
import { web3NetMethods } from './web3-net';

export type RpcHandler = {
  /** A JSON-RPC 2.0 request object or batch (parsed, or the raw text); undefined = no response. */
  handle(body: unknown): Promise<unknown | undefined>;
  /** The method names served. */
  readonly methods: readonly string[];
  close(): void;
};

export function createRpcHandler(ctx: RpcContext): RpcHandler {
  const filters = new FilterManager(ctx);
  const table: MethodTable = {
    ...web3NetMethods(ctx),
    ...blockMethods(ctx),
    ...stateMethods(ctx),
    ...callMethods(ctx),
    ...feeMethods(ctx),
    ...logMethods(ctx),
    ...sendMethods(ctx),
    ...filters.methods(),
    ...debugMethods(ctx),
  };
  const dispatcher = new Dispatcher(table, ctx.logger);
  return {
    handle: (body) => dispatcher.handle(body),
    methods: Object.keys(table).sort(),
    close: () => filters.close(),
  };
}
