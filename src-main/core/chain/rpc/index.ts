/**
 * @module chain/rpc
 * The Ethereum JSON-RPC endpoint of the BitUnicom chain (README.md beside this file).
 */
export type { RpcContext } from './context';
export { createRpcHandler, type RpcHandler } from './handler';
export { startRpcServer, allowedHost, BODY_LIMIT, type RpcServer, type RpcServerOptions } from './server';
export { BATCH_LIMIT } from './dispatch';
export { LOG_LIMITS } from './eth-logs';
export { RPC_GAS_CAP } from './execute';
export { revertReason } from './revert';
