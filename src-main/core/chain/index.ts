/**
 * @module chain
 * The BitUnicom chain's ledger: an EVM (@ethereumjs/vm) over blocks, receipts and
 * Merkle-Patricia state in SQLite, a mempool with geth's rules, and an Ethereum JSON-RPC
 * endpoint. Blocks come from a producer (the devnet's, or POE sealing in core/seal).
 */
export { ChainDb } from './chain-db';
export { Ledger, checkHeader, type LedgerOptions, type BuildInput, type Candidate, type BlockAux } from './ledger';
export { parseGenesis, commonFromGenesis, genesisBlock, genesisState, type GethGenesis } from './genesis';
export { decodeReceipts, encodeReceipts, logsBloom, type StoredReceipt } from './receipts';
export { Mempool, POOL_LIMITS, fees, effectiveTip, type PoolTx } from './mempool';
export { ChainError, RpcError, RPC_CODES, txErrors } from './errors';
export { DevnetProducer, DEVNET_COINBASE, type ProducerOptions } from './producer';
export {
  materializeDevnet,
  devnetSection,
  type DevnetGenesis,
  type DevnetSection,
  type MaterializeOptions,
  type PoeGenesisSet,
  type PoeGenesisValidator,
} from './devnet';
export { blsVerifyPrecompile, blsVerifyInput, BLS_VERIFY_ADDRESS, BLS_VERIFY_GAS } from './bls-precompile';
export { stakingParams, parseStakingSection, POE_STAKING_ADDRESS, type StakingParams } from './staking-params';
export {
  readValidatorSet,
  decodeValidators,
  encodeRegister,
  encodeTopUp,
  encodeRequestExit,
  encodeWithdraw,
  encodeReportEquivocation,
  decodeStakingError,
  stakingInterface,
  POE_STAKING_ABI,
  ROLE_PRIMARY,
  ROLE_SEALER,
  type Validator,
  type ValidatorRole,
  type ValidatorSet,
  type EquivocationReport,
} from './staking';
export { loadArtifact, type ContractArtifact } from './artifacts';
export { ChainService, type ChainServiceOptions, type BlockProducer, type ProducerFactory } from './service';
export { InvalidBlockError, type HeaderMismatch } from './errors';
export { importChain, CHAIN_DB_FILE, type ImportOptions, type ImportProgress, type ImportResult, type ChainHead } from './import';
export { exportChain, type ExportOptions, type ExportResult } from './export';
export { readBlockFile, BlockFileWriter } from './block-file';
export { startRpcServer, type RpcServer } from './rpc';
export { testAccounts, testDevnetGenesis, RESOURCES_DIR, type TestAccount } from './test-genesis';
