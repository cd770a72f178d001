/**
 * @module chain
 * The BitUnicom chain's ledger: an EVM (@ethereumjs/vm) over blocks, receipts and
 * Merkle-Patricia state in SQLite, a mempool with geth's rules, and an Ethereum JSON-RPC
 * endpoint. Blocks come from a producer (the devnet's, or POE sealing in core/seal).
 */
export { ChainDb } from './chain-db';
export { Ledger, checkHeader, type LedgerOptions, type BuildInput, type Candidate } from './ledger';
export { parseGenesis, commonFromGenesis, genesisBlock, genesisState, type GethGenesis } from './genesis';
export { decodeReceipts, encodeReceipts, logsBloom, type StoredReceipt } from './receipts';
export { Mempool, POOL_LIMITS, fees, effectiveTip, type PoolTx } from './mempool';
export { ChainError, RpcError, RPC_CODES, txErrors } from './errors';
