/**
 * @module contract/dapps
 * The dapp store on the bridge (issue 12; seed 000 applications with their own application
 * id, seed 002 dapp store): the catalog read from the on-chain DappRegistry, install / update /
 * uninstall of signed bundles fetched peer to peer by content hash, the sandboxed dapp's
 * EIP-1193 provider (EIP-1193, EIP-2255 permissions, EIP-191 personal_sign, EIP-712 typed data,
 * EIP-1559 transactions) whose every sensitive request waits for the user's decision in a
 * confirm dialog, and the per-friend P2P channels a dapp may open (seed 000).
 *
 * Trust: a dapp never reaches this bridge. Its frame talks to the host UI over a message
 * channel; the host UI (which knows which frame, hence which app id, a request came from)
 * forwards it as `dapps.providerRequest`. A request that needs consent comes back as a
 * `PendingRequest` the UI shows; only `dapps.providerDecide` (the host UI, never the dapp)
 * can approve it. Secrets never cross: signatures and transaction hashes do, keys do not.
 */
import { z } from 'zod';
import { Address, Amount, TxHash } from './primitives';

/** 0x + 40 lowercase hex digits: 20 bytes of SHA-256 over the author key and name. */
export const AppId = z.string().regex(/^0x[0-9a-f]{40}$/, 'an app id is 0x followed by 40 lowercase hex digits');
export const ContentHash = z.string().regex(/^0x[0-9a-f]{64}$/, 'a content hash is 0x followed by 64 lowercase hex digits');
/** What a manifest may ask for (core/dapps/package/manifest.ts PERMISSIONS). */
export const DappPermission = z.enum(['accounts', 'sign', 'transact', 'p2p-channel', 'storage', 'notifications']);
export const DappCategory = z.string().min(1).max(32);

export const DappVersionInfo = z.object({
  version: z.string(),
  contentHash: ContentHash,
  /** ms since the epoch of the block it was published in (null: genesis sample). */
  publishedAt: z.number().nullable(),
  block: z.string(),
  txHash: TxHash.nullable(),
});

export const DappRating = z.object({ average: z.number().nullable(), count: z.number().int() });

/** One row of the store's catalog. */
export const DappSummary = z.object({
  appId: AppId,
  name: z.string(),
  category: z.string(),
  author: Address,
  latestVersion: z.string(),
  description: z.string().nullable(),
  /** data: URL of the icon (only once the bundle's header has been seen), else null. */
  icon: z.string().nullable(),
  rating: DappRating,
  reportCount: z.number().int(),
  installedVersion: z.string().nullable(),
  updateAvailable: z.boolean(),
  /** Genesis sample listing. */
  sample: z.boolean(),
});

/** What is known of a version's bundle once a peer sent its header (manifest + index). */
export const DappBundleInfo = z.object({
  contentHash: ContentHash,
  version: z.string(),
  description: z.string(),
  permissions: z.array(DappPermission),
  sizeBytes: z.number().int(),
  files: z.number().int(),
  icon: z.string().nullable(),
  /** data: URLs, at most 4. */
  screenshots: z.array(z.string()),
  /** The author signature over this header checks out against the registry's author key. */
  signatureValid: z.boolean(),
});

export const DappDetail = DappSummary.extend({
  versions: z.array(DappVersionInfo),
  reportsByReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  /** The latest version's bundle header (null while no peer holding it answered). */
  bundle: DappBundleInfo.nullable(),
  /** How many peers currently say they hold the latest bundle. */
  holders: z.number().int(),
  /** Our own rating (1–5) if we rated it. */
  myRating: z.number().int().nullable(),
});

export const CatalogState = z.object({
  state: z.enum(['ok', 'syncing', 'unavailable']),
  /** Highest block read from the registry's events (null before the first sync). */
  syncedBlock: z.string().nullable(),
  message: z.string().nullable(),
});

export const DappCatalog = CatalogState.extend({
  apps: z.array(DappSummary),
  categories: z.array(z.object({ name: z.string(), count: z.number().int() })),
});

export const InstalledDapp = z.object({
  appId: AppId,
  name: z.string(),
  version: z.string(),
  contentHash: ContentHash,
  permissions: z.array(DappPermission),
  icon: z.string().nullable(),
  installedAt: z.number(),
  sizeBytes: z.number().int(),
  updateAvailable: z.string().nullable(),
});

export const DappProgress = z.object({
  appId: AppId,
  phase: z.enum(['finding-peers', 'downloading', 'verifying', 'installing', 'done', 'failed', 'cancelled']),
  receivedBytes: z.number().int(),
  totalBytes: z.number().int().nullable(),
  peers: z.number().int(),
  message: z.string().nullable(),
});

export const UpdateCheck = z.object({
  appId: AppId,
  from: z.string(),
  to: z.string(),
  added: z.array(DappPermission),
  removed: z.array(DappPermission),
  sizeBytes: z.number().int().nullable(),
});

/** Where the shell serves a dapp: its own origin (headless: http://<id>.localhost:<port>; Electron: bu-dapp://<id>). */
export const DappLaunch = z.object({ appId: AppId, name: z.string(), url: z.string(), origin: z.string() });

/** A label/value row of a confirm dialog: the UI shows these as they are (no raw JSON). */
export const DisplayRow = z.object({ label: z.string(), value: z.string(), mono: z.boolean().optional(), warn: z.boolean().optional() });

export const PendingKind = z.enum(['connect', 'personal-sign', 'typed-data', 'transaction', 'switch-chain', 'channel']);

/** A provider request waiting for the user, with everything the confirm dialog shows. */
export const PendingRequest = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  appId: AppId,
  appName: z.string(),
  origin: z.string(),
  kind: PendingKind,
  title: z.string(),
  chain: z.object({ chainId: z.number().int(), name: z.string() }),
  /** The account that would sign (null for connect / channel). */
  account: Address.nullable(),
  /** For 'connect': the accounts the user may pick from (the dapp gets only those chosen). */
  choices: z.array(z.object({ address: Address, name: z.string() })),
  /** For 'channel': the friends who have this dapp and may be granted. */
  friends: z.array(z.object({ address: Address, name: z.string(), online: z.boolean() })),
  rows: z.array(DisplayRow),
  /** For 'transaction': decoded call (function and arguments) when the ABI is known. */
  call: z
    .object({
      to: Address,
      toName: z.string().nullable(),
      functionName: z.string().nullable(),
      selector: z.string().nullable(),
      args: z.array(z.object({ name: z.string(), type: z.string(), value: z.string() })),
      value: Amount,
      maxFee: Amount.nullable(),
      sufficient: z.boolean(),
    })
    .nullable(),
  warnings: z.array(z.string()),
  createdAt: z.number(),
});

/** JSON values a dapp may send or receive through the provider (checked at run time, ≤ 256 KiB). */
const Json: z.ZodType<unknown> = z.unknown().refine((v) => {
  try {
    return JSON.stringify(v ?? null).length <= 256 * 1024;
  } catch {
    return false;
  }
}, 'not JSON or over 256 KiB');

export const ProviderAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), result: Json }),
  z.object({ kind: z.literal('pending'), request: PendingRequest }),
]);

export const DappConnection = z.object({
  appId: AppId,
  name: z.string(),
  accounts: z.array(Address),
  /** EIP-2255 permissions granted (e.g. eth_accounts), with when. */
  permissions: z.array(z.object({ parentCapability: z.string(), grantedAt: z.number() })),
  channelFriends: z.array(z.object({ address: Address, name: z.string() })),
});

/** A provider event for one dapp's frame (EIP-1193 events and BitUnicom channel messages). */
export const ProviderEvent = z.object({
  appId: AppId,
  event: z.enum(['accountsChanged', 'chainChanged', 'connect', 'disconnect', 'message']),
  data: Json,
});

const Empty = z.strictObject({});
const Ok = z.object({ ok: z.literal(true) });
const ByApp = z.strictObject({ appId: AppId });

export const DAPP_METHODS = {
  /** The store's catalog from the registry (synced on demand and in the background). */
  'dapps.catalog': {
    input: z.strictObject({
      query: z.string().trim().max(100).optional(),
      category: DappCategory.optional(),
      sort: z.enum(['name', 'rating', 'recent']).optional(),
    }),
    output: DappCatalog,
  },
  /** One listing with its versions, ratings, reports and (when a peer answers) the bundle header. */
  'dapps.detail': { input: ByApp, output: DappDetail },
  'dapps.installed': { input: Empty, output: z.array(InstalledDapp) },
  /** Fetch by content hash from peers, verify hash, chunks, signature and registry entry, install. Progress: `dapps.progress`. */
  'dapps.install': { input: ByApp, output: InstalledDapp },
  /** The permissions an update adds or drops (the UI asks before `dapps.update`). */
  'dapps.checkUpdate': { input: ByApp, output: UpdateCheck },
  /** Update to the latest version; refused (PERMISSION_DENIED) if it asks for permissions not in `acceptPermissions`. */
  'dapps.update': { input: z.strictObject({ appId: AppId, acceptPermissions: z.array(DappPermission).max(16), confirm: z.literal(true) }), output: InstalledDapp },
  /** Remove the files, its grants and connected accounts; the shell clears its origin's storage. */
  'dapps.uninstall': { input: z.strictObject({ appId: AppId, confirm: z.literal(true) }), output: Ok },
  /** Stop a running download (the part fetched so far is kept for a later resume). */
  'dapps.cancel': { input: ByApp, output: Ok },
  /** Rate 1–5 stars on chain (a token holder; sends a transaction from the selected account). */
  'dapps.rate': { input: z.strictObject({ appId: AppId, stars: z.number().int().min(1).max(5), confirm: z.literal(true) }), output: z.object({ txHash: TxHash }) },
  'dapps.report': {
    input: z.strictObject({ appId: AppId, reason: z.enum(['malware', 'scam', 'broken', 'illegal', 'other']), confirm: z.literal(true) }),
    output: z.object({ txHash: TxHash }),
  },
  /** Where the shell serves the installed dapp (its own origin). */
  'dapps.launch': { input: ByApp, output: DappLaunch },
  /**
   * Hold and seed a signed bundle from a local file (the author's node after `dapp publish`):
   * fully verified first; kept across restarts so peers can fetch it by content hash.
   */
  'dapps.seedBundle': {
    input: z.strictObject({ path: z.string().min(1).max(4096) }),
    output: z.object({ appId: AppId, name: z.string(), version: z.string(), contentHash: ContentHash }),
  },

  /** An EIP-1193 `request` from the dapp's frame, forwarded by the host UI. */
  'dapps.providerRequest': {
    input: z.strictObject({ appId: AppId, method: z.string().min(1).max(64), params: Json.optional() }),
    output: ProviderAnswer,
  },
  /** The user's answer to a pending request. Rejecting yields USER_REJECTED (EIP-1193 4001) to the dapp. */
  'dapps.providerDecide': {
    input: z.strictObject({
      id: z.string().regex(/^[0-9a-f]{32}$/),
      approve: z.boolean(),
      /** 'connect': the accounts chosen; 'channel': the friends granted. */
      accounts: z.array(Address).max(64).optional(),
      friends: z.array(Address).max(64).optional(),
    }),
    output: z.object({ kind: z.literal('result'), result: Json }),
  },
  /** Requests still waiting (a reloaded UI shows them again). */
  'dapps.pending': { input: Empty, output: z.array(PendingRequest) },
  /** Per-dapp connected accounts, EIP-2255 permissions and channel friends (settings). */
  'dapps.connections': { input: Empty, output: z.array(DappConnection) },
  /** Revoke a dapp's accounts (EIP-2255 wallet_revokePermissions) or one friend's channel grant. */
  'dapps.revoke': {
    input: z.strictObject({ appId: AppId, what: z.enum(['accounts', 'channel', 'all']), friend: Address.optional() }),
    output: DappConnection,
  },
} as const;

export const DAPP_EVENTS = {
  'dapps.progress': DappProgress,
  /** The installed set or the catalog changed (reload lists). */
  'dapps.changed': z.object({ kind: z.enum(['installed', 'catalog', 'connections']), appId: AppId.nullable() }),
  /** A provider request now waits for the user (the UI opens its confirm dialog). */
  'dapps.pending': PendingRequest,
  'dapps.providerEvent': ProviderEvent,
} as const;

export type AppIdT = z.infer<typeof AppId>;
export type DappPermissionT = z.infer<typeof DappPermission>;
export type DappSummaryT = z.infer<typeof DappSummary>;
export type DappDetailT = z.infer<typeof DappDetail>;
export type DappBundleInfoT = z.infer<typeof DappBundleInfo>;
export type DappCatalogT = z.infer<typeof DappCatalog>;
export type InstalledDappT = z.infer<typeof InstalledDapp>;
export type DappProgressT = z.infer<typeof DappProgress>;
export type UpdateCheckT = z.infer<typeof UpdateCheck>;
export type DappLaunchT = z.infer<typeof DappLaunch>;
export type PendingRequestT = z.infer<typeof PendingRequest>;
export type ProviderAnswerT = z.infer<typeof ProviderAnswer>;
export type DappConnectionT = z.infer<typeof DappConnection>;
export type ProviderEventT = z.infer<typeof ProviderEvent>;
export type DisplayRowT = z.infer<typeof DisplayRow>;
