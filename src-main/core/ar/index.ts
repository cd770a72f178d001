/**
 * @module ar
 * Application routers (seed 000 "AR"): rendezvous + UDP hole punching, relay circuits for
 * end-to-end encrypted session datagrams, and a store-and-forward mailbox for offline friends.
 * `ArServer` is the router role, `ArClient` the client role, `RelaySocket` lets the session
 * layer use relay circuits as ordinary endpoints. See README.md for the wire format.
 */
export { ArServer, type ArServerOptions, type ArServerStats, type ArServerEvents } from './ar-server';
export { ArClient, type ArClientOptions, type ArClientEvents, type MailboxDelivery, type RouterHint } from './ar-client';
export { RelaySocket, isRelayEndpoint, relayEndpoint, type RelayCircuit, type RelaySocketStats } from './relay-socket';
export { isArPayload } from './messages';
export { MailboxStore, type MailboxItem, type MailboxLimits } from './mailbox-store';
export { VaultStore, type VaultEntry, type VaultLimits, type VaultPutResult } from './vault-store';
export type { VaultCopy, VaultPutReport } from './vault-client';
export { AR_TAG, RELAY_FRAME, PROBE_PACKET, MAILBOX_MAX_BLOB, VAULT_MAX_BLOB, DEFAULT_LIMITS, type ArLimits } from './constants';
export { relayBench, type RelayBenchOptions, type RelayBenchResult } from './relay-bench';
