/**
 * @module dapps/provider
 * The node side of the sandboxed dapps' EIP-1193 provider (issue 12 item 6): a method router
 * with per-dapp grants (EIP-2255), read-only RPC pass-through (EIP-1474), consent requests for
 * connecting, EIP-191 / EIP-712 signatures, EIP-1559 transactions and EIP-3326 chain switches,
 * and an extension point for `bitunicom_*` methods. See README.md.
 */
export { DappProvider, type DappProviderOptions, type DappProviderEvents } from './provider';
export { walletForProvider, type WalletForProviderOptions } from './wallet-adapter';
export { Grants, SETTINGS_PREFIX, MAX_GRANTED_ACCOUNTS, type Grant } from './grants';
export { PendingQueue, MAX_PER_DAPP, MAX_TOTAL, PENDING_TTL_MS } from './pending';
export { READ_METHODS, MAX_LOG_BLOCKS } from './read-methods';
export { decodeCall, type DecodedCall } from './calldata';
export { readTypedData, describeTypedData, flattenMessage } from './typed-data';
export { readPersonalMessage } from './personal-message';
export { eip2255, type Eip2255Permission } from './permissions';
export type {
  CallQuote,
  CallRequest,
  DappDirectory,
  DappInfo,
  Decision,
  ExtensionMethod,
  MethodAnswer,
  PendingDraft,
  ProviderAccount,
  ProviderExtension,
  ProviderNetwork,
  ProviderWallet,
  RequestContext,
  SettingsStore,
  TypedDataInput,
} from './types';
