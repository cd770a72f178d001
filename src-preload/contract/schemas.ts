/**
 * @module contract/schemas
 * Shared value schemas: what an address, a contact or a message looks like on the bridge.
 * These are the only shapes the UI ever sees; none of them can carry a key or a mnemonic.
 */
import { z } from 'zod';
import { PoeStatus, SealingStatus } from './sealing';
import { Address, Password } from './primitives';
import { Payment } from './payment';
import { CallRecord } from './calls';

export { Address, Password };
export const NewPassword = z.string().min(8, 'use at least 8 characters').max(1024);
export const ProfileName = z.string().trim().min(1, 'name is required').max(64, 'at most 64 characters');
export const MessageText = z.string().max(4000, 'at most 4000 characters').refine((s) => s.trim().length > 0, 'message is empty');

export const AppPhase = z.enum(['no-account', 'locked', 'unlocked']);

export const AppState = z.object({
  phase: AppPhase,
  address: Address.nullable(),
  name: z.string().nullable(),
  dataDir: z.string(),
  version: z.string(),
});

export const ContactState = z.enum(['pending_out', 'pending_in', 'friend', 'declined', 'blocked']);

export const Contact = z.object({
  address: Address,
  name: z.string(),
  state: ContactState,
  /** Unread incoming messages. */
  unread: z.number().int().nonnegative(),
  online: z.boolean(),
  lastMessage: z
    .object({ text: z.string(), at: z.number(), direction: z.enum(['in', 'out']) })
    .nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** The friend's wallet address from their signed profile (null until they shared one). */
  wallet: Address.nullable(),
});

export const MessageState = z.enum(['sending', 'sent', 'delivered', 'received', 'failed']);

export const Message = z.object({
  id: z.string(),
  peer: Address,
  direction: z.enum(['in', 'out']),
  text: z.string(),
  state: MessageState,
  /** Sender's clock, ms. */
  sentAt: z.number(),
  /** Local clock when stored (out) or received (in), ms. */
  localAt: z.number(),
  /** Stable local order. */
  seq: z.number().int(),
  /** A payment or payment request (then `text` is its one-line summary), else null. */
  payment: Payment.nullable(),
  /** A call in this conversation (kind 'call': local only, never sent; `text` is its summary). */
  call: CallRecord.nullable().optional(),
});

export const Endpoint = z.object({ host: z.string(), port: z.number().int().min(1).max(65535) });

export const PeerLink = z.object({
  address: Address,
  name: z.string(),
  link: z.enum(['direct', 'punched', 'relayed', 'none']),
  rttMs: z.number().nullable(),
  endpoint: Endpoint.nullable(),
  lastSeenAt: z.number().nullable(),
  /** When the live session was established (ms since the epoch); null without one. */
  since: z.number().nullable().optional(),
  /** Why the link is relayed or down (the traversal step that failed last); null when direct/punched. */
  reason: z.string().nullable().optional(),
  /** The last traversal run: each step tried, whether it worked, and what happened. */
  tried: z.array(z.object({ step: z.enum(['saved', 'dht', 'punch', 'relay', 'upgrade']), ok: z.boolean(), detail: z.string() })).optional(),
});

export const NatType = z.enum(['unknown', 'open', 'cone', 'symmetric']);

export const RouterLink = z.object({ address: Address, endpoint: Endpoint, rttMs: z.number().nullable() });

/** The contact-list backup at our routers (core/chat roster-backup). */
export const RosterStatus = z.object({
  /** Version of our latest sealed backup (0: none yet). */
  version: z.number().int().nonnegative(),
  /** True while a fresh profile is still asking its routers for a backup. */
  restoring: z.boolean(),
  /** When a backup was restored into this profile (null: never). */
  restoredAt: z.number().nullable(),
  /** Contacts the restore brought in. */
  contacts: z.number().int().nonnegative(),
  /** Last time a router confirmed our latest version, this run. */
  uploadedAt: z.number().nullable(),
  /** Home routers known to hold our latest version. */
  routers: z.number().int().nonnegative(),
});

/** The node's chain (core/chain): the embedded devnet, or a ledger served with `chain serve`. */
export const ChainStatus = z.object({
  /** Human name of the network, e.g. "BitUnicom devnet". */
  network: z.string(),
  /** What makes its blocks: the devnet's in-process producer, POE consensus, or nothing (a served import). */
  producer: z.enum(['devnet', 'poe', 'none']),
  chainId: z.number().int().positive(),
  head: z.object({
    number: z.number().int().nonnegative(),
    hash: z.string(),
    /** Block timestamp, ms since the epoch. */
    timestamp: z.number(),
    txs: z.number().int().nonnegative(),
    gasUsed: z.number().nonnegative(),
    gasLimit: z.number().nonnegative(),
    /** EIP-1559 base fee of the head block, in wei (decimal string). */
    baseFeeWei: z.string(),
  }),
  /** Mean seconds between the last blocks (null with fewer than two blocks). */
  blockTimeSec: z.number().nullable(),
  /** The configured interval for empty blocks, in seconds (null: no producer). */
  intervalSec: z.number().nullable(),
  mempool: z.object({ pending: z.number().int().nonnegative(), queued: z.number().int().nonnegative() }),
  /** Peers on this chain's own network (the devnet is single-machine: 0). */
  peers: z.number().int().nonnegative(),
  rpcUrl: z.string().nullable(),
});

export const NodeStatus = z.object({
  phase: AppPhase,
  address: Address.nullable(),
  name: z.string().nullable(),
  listen: Endpoint.nullable(),
  peers: z.array(PeerLink),
  uptimeMs: z.number(),
  outboxPending: z.number().int(),
  /** NAT behaviour classified from several routers' observations of our mapping. */
  nat: z.object({ type: NatType, mapped: Endpoint.nullable() }),
  /** Application routers we are registered with. */
  routers: z.array(RouterLink),
  /** DHT routing-table size (0 when offline or not joined). */
  dhtNodes: z.number().int().nonnegative(),
  version: z.string(),
  /** Contact-list backup (absent when the node has no routers' vault, or is locked). */
  roster: RosterStatus.optional(),
  /** The Ethereum JSON-RPC endpoint on loopback (null until the chain runs). */
  rpcUrl: z.string().nullable(),
  /** The chain (null until the account exists: the devnet's genesis funds its wallet). */
  chain: ChainStatus.nullable(),
  /** POE consensus: role, height, finality, sync (null when this node takes no part). */
  poe: PoeStatus.nullable().optional(),
  /** The sealing worker (null when this node has no sealer). */
  sealing: SealingStatus.nullable().optional(),
});

export type AppStateT = z.infer<typeof AppState>;
export type ContactT = z.infer<typeof Contact>;
export type ContactStateT = z.infer<typeof ContactState>;
export type MessageT = z.infer<typeof Message>;
export type MessageStateT = z.infer<typeof MessageState>;
export type NodeStatusT = z.infer<typeof NodeStatus>;
export type PeerLinkT = z.infer<typeof PeerLink>;
export type EndpointT = z.infer<typeof Endpoint>;
export type NatTypeT = z.infer<typeof NatType>;
export type RosterStatusT = z.infer<typeof RosterStatus>;
export type RouterLinkT = z.infer<typeof RouterLink>;
export type ChainStatusT = z.infer<typeof ChainStatus>;
