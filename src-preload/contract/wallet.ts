/**
 * @module contract/wallet
 * The wallet on the bridge (issue 10; seed 002 wallet, seed 000 unified account): accounts,
 * networks (EIP-3085 fields), tokens, balances, sending with EIP-1559 fee tiers (EIP-1559),
 * speed-up/cancel, activity and receive links (EIP-681), and generic contract calls (Solidity
 * ABI calldata the caller encoded, quoted with eth_estimateGas, a revert refused as
 * CALL_REVERTED naming its error). Amounts cross as decimal strings of
 * base units (wei, token units × 10^decimals) next to a `formatted` text the UI shows as is:
 * never a float. Addresses are EIP-55; inputs in mixed case must carry a valid checksum.
 *
 * Secrets: a private key or keystore the user imports may come in; nothing goes out but the
 * exported keystore, which is ciphertext under a password the user typed.
 */
import { z } from 'zod';
import { Address, Amount, BaseUnits, DecimalAmount, FeeTierName, NetworkId, Password, TxHash, WalletToken } from './primitives';

export { Amount, BaseUnits, DecimalAmount, FeeTierName, NetworkId, TxHash, WalletToken };
const HttpUrl = z.string().trim().min(1).max(2048);

export const WalletAccount = z.object({
  address: Address,
  name: z.string(),
  kind: z.enum(['hd', 'imported', 'watch']),
  /** BIP-44 address index (HD accounts), else null. */
  index: z.number().int().nonnegative().nullable(),
  hidden: z.boolean(),
  removable: z.boolean(),
});

export const WalletNetwork = z.object({
  id: NetworkId,
  chainId: z.number().int().positive(),
  name: z.string(),
  symbol: z.string(),
  currencyName: z.string(),
  decimals: z.number().int(),
  rpcUrl: z.string(),
  explorerUrl: z.string().nullable(),
  builtin: z.boolean(),
  selected: z.boolean(),
});

export const NetworkState = z.object({
  id: NetworkId,
  state: z.enum(['ok', 'unreachable', 'wrong-chain']),
  latencyMs: z.number().nullable(),
  blockNumber: z.string().nullable(),
  /** What is wrong, in words (null when ok). */
  message: z.string().nullable(),
});

export const TokenBalanceRow = WalletToken.extend({ balance: Amount.nullable(), error: z.string().nullable() });

export const WalletBalances = z.object({
  account: Address,
  networkId: NetworkId,
  chainId: z.number().int(),
  /** null while the network cannot be reached. */
  blockNumber: z.string().nullable(),
  native: Amount.nullable(),
  tokens: z.array(TokenBalanceRow),
  state: z.enum(['ok', 'unreachable', 'wrong-chain']),
  message: z.string().nullable(),
});

export const FeeTier = z.object({ maxFeePerGas: BaseUnits, maxPriorityFeePerGas: BaseUnits });

/** What to send: `to` an address, or `friend` a contact whose signed profile gives the address. */
export const SendInput = z.strictObject({
  from: Address.optional(),
  networkId: NetworkId.optional(),
  to: Address.optional(),
  friend: Address.optional(),
  amount: DecimalAmount,
  /** ERC-20 contract; absent: the network's native token. */
  token: Address.optional(),
  tier: FeeTierName.optional(),
  /** Overrides the tier (wei per gas). */
  maxFeePerGas: BaseUnits.optional(),
  maxPriorityFeePerGas: BaseUnits.optional(),
  gasLimit: BaseUnits.optional(),
});

export const SendQuote = z.object({
  from: Address,
  to: Address,
  /** The contact paid, when sent to a friend. */
  friend: z.object({ address: Address, name: z.string() }).nullable(),
  network: z.object({ id: NetworkId, name: z.string(), chainId: z.number().int(), symbol: z.string() }),
  token: WalletToken.nullable(),
  amount: Amount,
  gasLimit: BaseUnits,
  baseFee: BaseUnits,
  tiers: z.object({ slow: FeeTier, normal: FeeTier, fast: FeeTier }),
  tier: z.enum(['slow', 'normal', 'fast', 'custom']),
  fee: FeeTier,
  /** gasLimit × maxFeePerGas: the most the fee can cost. */
  maxFee: Amount,
  /** "0.5 BU + at most 0.00042 BU fee" style totals, and the native total when the token is native. */
  total: z.string(),
  /** The balance covers amount + max fee. */
  sufficient: z.boolean(),
  warnings: z.array(z.string()),
});

/** Largest calldata a contract call may carry (128 KiB). */
export const MAX_CALL_DATA_BYTES = 128 * 1024;
/** ABI-encoded calldata: 0x and whole bytes of hex. */
export const CallData = z
  .string()
  .max(2 + 2 * MAX_CALL_DATA_BYTES, 'call data is at most 128 KiB')
  .regex(/^0x(?:[0-9a-fA-F]{2})*$/, 'call data is 0x followed by whole bytes of hex');

const NetworkRef = z.object({ id: NetworkId, name: z.string(), chainId: z.number().int(), symbol: z.string() });

/** A contract call: `data` sent to `to` with `value` wei of the native token (no deployments). */
export const CallInput = z.strictObject({
  from: Address.optional(),
  networkId: NetworkId.optional(),
  to: Address,
  data: CallData,
  /** Native value in wei (default 0). */
  value: BaseUnits.optional(),
  gasLimit: BaseUnits.optional(),
  tier: FeeTierName.optional(),
  /** Overrides the tier (wei per gas). */
  maxFeePerGas: BaseUnits.optional(),
  maxPriorityFeePerGas: BaseUnits.optional(),
});

export const CallQuote = z.object({
  from: Address,
  to: Address,
  network: NetworkRef,
  value: Amount,
  /** Calldata size in bytes, and its first 4 bytes (the function selector) when there are 4. */
  dataLength: z.number().int().nonnegative(),
  selector: z.string().regex(/^0x[0-9a-f]{8}$/).nullable(),
  gasLimit: BaseUnits,
  baseFee: BaseUnits,
  tiers: z.object({ slow: FeeTier, normal: FeeTier, fast: FeeTier }),
  tier: z.enum(['slow', 'normal', 'fast', 'custom']),
  fee: FeeTier,
  /** gasLimit × maxFeePerGas: the most the fee can cost. */
  maxFee: Amount,
  /** "at most 0.0042 BU" (value + max fee). */
  total: z.string(),
  /** The native balance covers value + max fee. */
  sufficient: z.boolean(),
  warnings: z.array(z.string()),
});

export const ActivityStatus = z.enum(['pending', 'confirmed', 'failed', 'replaced', 'dropped']);

export const ActivityItem = z.object({
  hash: TxHash,
  networkId: NetworkId,
  chainId: z.number().int(),
  account: Address,
  direction: z.enum(['out', 'in', 'self']),
  from: Address,
  to: Address.nullable(),
  /** Native value or the decoded ERC-20 Transfer amount. */
  amount: Amount,
  token: WalletToken.nullable(),
  nonce: z.string().nullable(),
  status: ActivityStatus,
  blockNumber: z.string().nullable(),
  /** ms since the epoch: block time when known, else when we sent or saw it. */
  at: z.number(),
  /** Paid fee (confirmed) or max fee (pending), for our own transactions. */
  fee: Amount.nullable(),
  explorerUrl: z.string().nullable(),
  /** 'speed-up' / 'cancel' for a replacement we sent; null for an original. */
  replacement: z.enum(['speed-up', 'cancel']).nullable(),
  /** A pending transaction of ours that can be sped up or cancelled. */
  replaceable: z.boolean(),
});

export const ReceiveInfo = z.object({
  address: Address,
  network: z.object({ id: NetworkId, name: z.string(), chainId: z.number().int(), symbol: z.string() }),
  /** EIP-681 link (`ethereum:<addr>@<chainId>…`), with the amount when one was asked for. */
  link: z.string(),
});

export const WalletChange = z.object({ kind: z.enum(['accounts', 'networks', 'tokens', 'balances', 'activity']), networkId: NetworkId.nullable() });

const Empty = z.strictObject({});
const Ok = z.object({ ok: z.literal(true) });
const Where = { account: Address.optional(), networkId: NetworkId.optional() };

export const WALLET_METHODS = {
  'wallet.accounts': { input: z.strictObject({ includeHidden: z.boolean().optional() }), output: z.array(WalletAccount) },
  /** The next HD account (m/44'/60'/0'/0/i). */
  'wallet.addAccount': { input: z.strictObject({ name: z.string().trim().min(1).max(64).optional() }), output: WalletAccount },
  'wallet.renameAccount': { input: z.strictObject({ address: Address, name: z.string().trim().min(1).max(64) }), output: WalletAccount },
  'wallet.setHidden': { input: z.strictObject({ address: Address, hidden: z.boolean() }), output: WalletAccount },
  /** Imported and watch accounts only. */
  'wallet.removeAccount': { input: z.strictObject({ address: Address }), output: Ok },
  'wallet.importPrivateKey': { input: z.strictObject({ privateKey: z.string().trim().max(200), name: z.string().trim().min(1).max(64).optional() }), output: WalletAccount },
  'wallet.importKeystore': {
    input: z.strictObject({ keystore: z.string().max(64 * 1024), keystorePassword: z.string().max(1024), name: z.string().trim().min(1).max(64).optional() }),
    output: WalletAccount,
  },
  'wallet.addWatch': { input: z.strictObject({ address: Address, name: z.string().trim().min(1).max(64).optional() }), output: WalletAccount },
  /** Keystore V3 of one account, encrypted under the profile password (checked first). */
  'wallet.exportKeystore': { input: z.strictObject({ address: Address, password: Password }), output: z.object({ filename: z.string(), keystore: z.string() }) },

  'wallet.networks': { input: Empty, output: z.array(WalletNetwork) },
  /** EIP-3085 fields; the chain id (if given) must match what the RPC reports. */
  'wallet.addNetwork': {
    input: z.strictObject({
      name: z.string().trim().min(1).max(64),
      rpcUrl: HttpUrl,
      chainId: z.union([z.number().int().positive(), z.string().trim().min(1).max(20)]).optional(),
      symbol: z.string().trim().min(1).max(11).optional(),
      currencyName: z.string().trim().min(1).max(64).optional(),
      explorerUrl: HttpUrl.optional(),
    }),
    output: WalletNetwork,
  },
  'wallet.editNetwork': {
    input: z.strictObject({
      id: NetworkId,
      name: z.string().trim().min(1).max(64).optional(),
      rpcUrl: HttpUrl.optional(),
      symbol: z.string().trim().min(1).max(11).optional(),
      explorerUrl: HttpUrl.nullable().optional(),
    }),
    output: WalletNetwork,
  },
  'wallet.removeNetwork': { input: z.strictObject({ id: NetworkId }), output: Ok },
  'wallet.selectNetwork': { input: z.strictObject({ id: NetworkId }), output: WalletNetwork },
  /** Reach the network's RPC now (bounded: a dead endpoint answers 'unreachable' within seconds). */
  'wallet.networkState': { input: z.strictObject({ id: NetworkId.optional() }), output: NetworkState },

  'wallet.tokens': { input: z.strictObject({ networkId: NetworkId.optional() }), output: z.array(WalletToken) },
  /** Read an ERC-20's symbol, name and decimals from the chain without following it (the add dialog's preview). */
  'wallet.tokenInfo': { input: z.strictObject({ address: Address, networkId: NetworkId.optional() }), output: WalletToken },
  /** Add an ERC-20 by contract address: symbol, name and decimals are read from the chain. */
  'wallet.addToken': { input: z.strictObject({ address: Address, networkId: NetworkId.optional() }), output: WalletToken },
  'wallet.removeToken': { input: z.strictObject({ address: Address, networkId: NetworkId.optional() }), output: Ok },

  'wallet.balances': { input: z.strictObject(Where), output: WalletBalances },
  /** Check a send and price it: fee tiers from eth_feeHistory, gas estimate, total. Sends nothing. */
  'wallet.quote': { input: SendInput, output: SendQuote },
  /** Sign and broadcast; resolves once the node accepted the transaction. */
  'wallet.send': { input: SendInput.extend({ confirm: z.literal(true) }), output: ActivityItem },
  /** Replace a pending transaction of ours by fee: the same transfer faster, or a 0-value self-send. */
  'wallet.replace': { input: z.strictObject({ hash: TxHash, action: z.enum(['speed-up', 'cancel']), confirm: z.literal(true) }), output: ActivityItem },
  /** Check and price a contract call (eth_estimateGas; a revert is CALL_REVERTED with the error in words). Sends nothing. */
  'wallet.quoteCall': { input: CallInput, output: CallQuote },
  /** Sign and broadcast a contract call (EIP-1559); resolves once the node accepted it. */
  'wallet.sendCall': { input: CallInput.extend({ confirm: z.literal(true) }), output: ActivityItem },
  'wallet.activity': { input: z.strictObject({ ...Where, limit: z.number().int().min(1).max(500).optional() }), output: z.array(ActivityItem) },
  'wallet.receive': { input: z.strictObject({ ...Where, amount: DecimalAmount.optional(), token: Address.optional() }), output: ReceiveInfo },
} as const;

export const WALLET_EVENTS = { 'wallet.changed': WalletChange } as const;

export type WalletAccountT = z.infer<typeof WalletAccount>;
export type WalletNetworkT = z.infer<typeof WalletNetwork>;
export type NetworkStateT = z.infer<typeof NetworkState>;
export type WalletTokenT = z.infer<typeof WalletToken>;
export type AmountT = z.infer<typeof Amount>;
export type WalletBalancesT = z.infer<typeof WalletBalances>;
export type SendInputT = z.infer<typeof SendInput>;
export type SendQuoteT = z.infer<typeof SendQuote>;
export type CallInputT = z.infer<typeof CallInput>;
export type CallQuoteT = z.infer<typeof CallQuote>;
export type ActivityItemT = z.infer<typeof ActivityItem>;
export type ReceiveInfoT = z.infer<typeof ReceiveInfo>;
export type WalletChangeT = z.infer<typeof WalletChange>;
