/**
 * @module core
 * BitUnicom's core as a library: `createNode(options)` returns one node's services. Plain Node
 * (never imports electron); hosts inject data dir, logger and native binding paths.
 */
export { createNode, type BuNode, type NodeOptions, type NodeEvents } from './node';
export { generateMnemonic, validateMnemonic, normalizeMnemonic } from './account';
export { BuError, isBuError, type Logger, silentLogger } from './base';
export {
  Ledger,
  parseGenesis,
  importChain,
  exportChain,
  startRpcServer,
  CHAIN_DB_FILE,
  InvalidBlockError,
  type ImportProgress,
  type ImportResult,
  type ExportResult,
  type RpcServer,
} from './chain';
