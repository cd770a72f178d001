/**
 * @module dapps/provider/types
 * What the dapp provider (EIP-1193, https://eips.ethereum.org/EIPS/eip-1193) needs from the
 * rest of the node, as small types of its own so that it is tested against fakes and wired to
 * the real WalletService and installed-dapps library by adapters:
 *   ProviderWallet  accounts, the selected network and its RPC, call quotes and sends
 *                   (EIP-1559), EIP-191 and EIP-712 signatures
 *   DappDirectory   the installed dapps: name, version, manifest permissions, origin
 *   SettingsStore   the encrypted store's key-value table (per-dapp grants)
 *   ProviderExtension extra `bitunicom_*` methods (dapp P2P channels) and their grants
 */
import type { DappPermissionT, DisplayRowT, PendingRequestT } from '../../../../src-preload/contract';

export type ProviderAccount = { address: string; name: string; watchOnly: boolean; hidden: boolean };
export type ProviderNetwork = { id: string; chainId: number; name: string; symbol: string; decimals: number };

/** A contract call (or plain transfer) from a connected account on the selected network. */
export type CallRequest = {
  from: string;
  networkId: string;
  to: string;
  data: string;
  value: bigint;
  gasLimit?: bigint;
  /** Fixed fees (the ones the user was shown); the wallet's normal tier when absent. */
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
};

/** What a call would cost: gas × max fee per gas is the most the fee can be. */
export type CallQuote = {
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** gasLimit × maxFeePerGas, in the native currency's base units. */
  maxFee: bigint;
  /** The balance covers value + maxFee. */
  sufficient: boolean;
  warnings: string[];
};

/** EIP-712 typed data as eth_signTypedData_v4 carries it (types without EIP712Domain). */
export type TypedDataInput = {
  domain: Record<string, unknown>;
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
};

export type ProviderWallet = {
  /** Every account of the wallet, hidden ones included (the caller filters). */
  accounts(): ProviderAccount[];
  /** The wallet's selected network (the chain the dapp sees). */
  network(): ProviderNetwork;
  networks(): ProviderNetwork[];
  /** Select another of the wallet's networks (after the user approved a switch). */
  selectNetwork(id: string): ProviderNetwork;
  /** A JSON-RPC call on the selected network's RPC. */
  rpc(method: string, params: unknown[]): Promise<unknown>;
  /** An ERC-20 token's symbol and decimals on the selected network, null if not a token. */
  tokenInfo(address: string): Promise<{ symbol: string; name: string; decimals: number } | null>;
  /** A name for an address the wallet knows (an account, a token, a friend, a system contract). */
  nameOf(address: string): string | null;
  quoteCall(c: CallRequest): Promise<CallQuote>;
  /** Signs and broadcasts; the transaction hash. */
  sendCall(c: CallRequest): Promise<string>;
  /** EIP-191 version 0x45 signature over `message`, 0x-hex. */
  signPersonal(from: string, message: Uint8Array): Promise<string> | string;
  /** EIP-712 signature, 0x-hex. */
  signTypedData(from: string, typed: TypedDataInput): Promise<string> | string;
  /** 'accounts' / 'networks' changes; returns the unsubscribe function. */
  onChange(listener: (kind: 'accounts' | 'networks') => void): () => void;
};

export type DappInfo = { name: string; version: string; permissions: DappPermissionT[]; origin: string };

export type DappDirectory = { installedInfo(appId: string): DappInfo | null };

export type SettingsStore = { get(key: string): string | null; set(key: string, value: string): void };

/** The user's answer to a pending request (the 'connect' accounts or the 'channel' friends chosen). */
export type Decision = { accounts?: string[]; friends?: string[] };

/** The dialog content of a new pending request; the provider adds id, app, chain, time. */
export type PendingDraft = {
  kind: PendingRequestT['kind'];
  title: string;
  account: string | null;
  choices?: PendingRequestT['choices'];
  friends?: PendingRequestT['friends'];
  rows: DisplayRowT[];
  call?: PendingRequestT['call'];
  warnings?: string[];
};

/** What a method gives back: the dapp's result now, or a request waiting for the user. */
export type MethodAnswer = { kind: 'result'; result: unknown } | { kind: 'pending'; request: PendingRequestT };

/** Everything a method handler sees of one request. */
export type RequestContext = {
  appId: string;
  info: DappInfo;
  wallet: ProviderWallet;
  /** Queue a request for the user; `approve` runs only if the user approves, and its value is what the dapp gets. */
  pend(draft: PendingDraft, approve: (d: Decision) => Promise<unknown>): PendingRequestT;
};

export type ExtensionMethod = {
  /** The manifest permission the method needs (checked before `handle`). */
  permission?: DappPermissionT;
  handle(ctx: RequestContext, params: unknown): Promise<MethodAnswer>;
};

/** Extra provider methods (names must start with `bitunicom_`) and their part of a dapp's connection. */
export type ProviderExtension = {
  methods: Record<string, ExtensionMethod>;
  /** The app ids holding a channel grant (listed by dapps.connections even without accounts). */
  channelApps?(): string[];
  /** The friends this dapp may reach (dapps.connections). */
  channelFriends?(appId: string): { address: string; name: string }[];
  /** Revoke one friend's grant, or all of them (friend undefined). */
  revokeChannel?(appId: string, friend?: string): void;
};

/** What the built-in methods see besides the extension's RequestContext. */
export type MethodContext = RequestContext & {
  /** The selected network when the request arrived. */
  network: ProviderNetwork;
  /** The dapp's granted accounts that still exist in the wallet. */
  connected(): string[];
  /** Replace the dapp's granted accounts (emits accountsChanged). */
  setAccounts(accounts: string[]): void;
  /** Whether the dapp already has a request of this kind waiting. */
  waiting(kind: PendingDraft['kind']): boolean;
  /** When the dapp was granted its accounts (ms), null if never. */
  grantedAt(): number | null;
};
