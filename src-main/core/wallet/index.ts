/**
 * @module wallet
 * The wallet core (issue 10; seed 002 wallet, seed 000 unified account): HD and imported
 * accounts with a signing handle that never reveals keys, the user's EVM networks (EIP-3085)
 * with a JSON-RPC client that never hangs, bigint amounts, EIP-55 addresses and EIP-681 payment
 * links. Layer 7: base, crypto, account, store and chain below it. See README.md.
 */
export { WalletAccounts, MAX_WALLET_ACCOUNTS, type WalletAccount, type WalletAccountKind, type WalletOpenOptions } from './accounts';
export { WATCH_ONLY_CODE, type WalletSigner, type WalletTxRequest } from './account-keys';
export { RpcClient, RpcClientError, parseHttpUrl, type RpcClientOptions, type RpcFailure, type RpcParams, type RpcRequest, type RpcSettled, type UnreachableWhy } from './rpc-client';
export {
  NetworkRegistry,
  ChainIdMismatchError,
  CHAIN_ID_MISMATCH_CODE,
  chainIdHex,
  parseChainId,
  toAddEthereumChain,
  validateChainParams,
  type AddEthereumChainParameter,
  type BuiltinNetwork,
  type Network,
  type NetworkChange,
  type NetworkError,
  type NetworkPatch,
  type NetworkRegistryOptions,
  type ProbeResult,
} from './networks';
export { parseUnits, formatUnits, formatUnitsParts, MAX_UINT256, MAX_DECIMALS, GROUP_SEPARATOR, type FormatUnitsOptions, type FormattedUnits } from '../base';
export { parseAddress, isZeroAddress, ZERO_ADDRESS, ADDRESS_ERROR_CODE } from './address';
export {
  formatPaymentLink,
  parsePaymentLink,
  type PaymentLinkInput,
  type NativePaymentLinkInput,
  type TokenPaymentLinkInput,
  type PaymentRequest,
  type NativePaymentRequest,
  type TokenPaymentRequest,
  type GasSuggestions,
} from './payment-link';
export { readTokenInfo, encodeTransfer, encodeBalanceOf, decodeTransferLog, TRANSFER_TOPIC, ERC20_SELECTORS, type TokenInfo, type TransferLog, type LogLike } from './erc20';
export { readBalances, BalanceWatcher, MAX_BALANCE_TOKENS, type Balances, type BalancesQuery, type TokenBalance, type BlockTag, type BalanceWatcherOptions, type BalanceWatcherEvents } from './balances';
export { suggestFees, estimateGas, replacementFees, FEE_HISTORY_BLOCKS, FEE_PERCENTILES, GAS_MARGIN_PERCENT, PRICE_BUMP_PERCENT, type FeeTier, type FeeSuggestions, type SuggestFeesOptions, type GasEstimateRequest } from './fees';
export { NonceTracker, type PendingTx, type TxOutcome } from './nonces';
export { TokenList, MAX_TOKENS_PER_NETWORK } from './tokens';
export { ActivityLog, MAX_ITEMS as MAX_ACTIVITY_ITEMS, type ActivityRecord, type ActivityStatus } from './activity';
export { scanStep, type ScanOptions, type ScanResult } from './scanner';
export { prepareSend, sendPrepared, replaceTx, resolveFrom, type SendContext, type Prepared } from './send';
export { prepareCall, sendCallPrepared, type PreparedCall } from './call';
export { CallRevertedError, decodeRevert, isRevert, revertedError, type DecodedRevert, type ErrorDecoder, type ErrorDescriptionLike } from './revert';
export { parseTypedData, MAX_TYPED_DATA_JSON, type TypedDataV4 } from './typed-data';
export { amountOf, accountView, networkView, activityView, explorerTxUrl, DISPLAY_FRACTION } from './views';
export { WalletService, type WalletServiceOptions } from './service';
