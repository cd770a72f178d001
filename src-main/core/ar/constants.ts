/**
 * @module ar/constants
 * Wire constants of the application-router (AR) protocol (seed 000, "application routers"):
 * the session-payload tag and message types, the raw datagram types on the shared UDP socket
 * (relay frames in the style of TURN ChannelData, RFC 8656 §12.4, and the address probe),
 * error codes, and the default limits (modelled on libp2p Circuit Relay v2's resource limits).
 */

/** First byte of every AR control payload inside a session (chat payloads are protobuf and start with 0x08). */
export const AR_TAG = 0xa7;

/** Raw datagram first bytes owned by AR on the shared socket (sessions 0x01–0x0F, DHT 0x20–0x2F). */
export const RELAY_FRAME = 0x40;
export const PROBE_PACKET = 0x41;

export const CID_BYTES = 8;
export const RELAY_HEADER = 1 + CID_BYTES;

/** AR control message types (the byte after AR_TAG). */
export const Msg = {
  REGISTER: 0x01,
  REGISTERED: 0x02,
  PING: 0x03,
  PONG: 0x04,
  INTRO_REQ: 0x10,
  INTRO_OK: 0x11,
  INTRO: 0x12,
  INTRO_ACCEPT: 0x13,
  RELAY_REQ: 0x20,
  RELAY_OK: 0x21,
  RELAY_OFFER: 0x22,
  RELAY_RENEW: 0x23,
  RELAY_CLOSE: 0x24,
  RELAY_ACCEPT: 0x25,
  MAILBOX_PUT: 0x30,
  MAILBOX_STORED: 0x31,
  MAILBOX_ITEMS: 0x32,
  MAILBOX_ACK: 0x33,
  VAULT_PUT: 0x50,
  VAULT_STORED: 0x51,
  VAULT_GET: 0x52,
  VAULT: 0x53,
  ERROR: 0x7f,
} as const;

/** Error codes carried by ERROR replies. */
export const ArErr = {
  NOT_REGISTERED: 1,
  RATE_LIMITED: 2,
  QUOTA: 3,
  TOO_LARGE: 4,
  LIMIT: 5,
  BAD_REQUEST: 6,
  SELF: 7,
  UNKNOWN_CIRCUIT: 8,
  INTERNAL: 9,
  /** VAULT_GET: the router holds nothing for this client. */
  NOT_FOUND: 10,
} as const;
export type ArErrCode = (typeof ArErr)[keyof typeof ArErr];

export const ERR_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ArErr).map(([k, v]) => [v, k]));

/** Probe: request is padded to PROBE_REQUEST_BYTES so that no reply is larger (no amplification). */
export const PROBE_REQUEST = 0x01;
export const PROBE_REPLY = 0x02;
export const PROBE_REQUEST_BYTES = 96;

/** Largest mailbox blob: a 64 KiB session payload minus room for the framing of PUT / ITEMS. */
export const MAILBOX_MAX_BLOB = 64 * 1024 - 64;

/** Largest vault blob (one per client: its encrypted, signed contact list; server-vault.ts). */
export const VAULT_MAX_BLOB = 60 * 1024;

export const MAX_ENDPOINTS = 8;

/** Host suffix of virtual relay endpoints (`<cid hex>.relay.invalid`; RFC 6761 reserves .invalid). */
export const RELAY_HOST_SUFFIX = '.relay.invalid';

export type ArLimits = {
  /** Sessions the router accepts at once (authorize rejects beyond). */
  maxClients: number;
  /** Control requests per client (INTRO_REQ, RELAY_REQ, MAILBOX_PUT …). */
  requestRate: { ratePerSec: number; burst: number };
  /** Address probes per source IP. */
  probeRate: { ratePerSec: number; burst: number };
  maxCircuits: number;
  /** Circuits a client may take part in (as requester or target). */
  maxCircuitsPerClient: number;
  /** Per direction of a circuit: token bucket in bytes of relayed datagrams. */
  circuitBytesPerSec: number;
  circuitBurstBytes: number;
  /** A circuit that carried nothing for this long is closed. */
  circuitIdleMs: number;
  /** A circuit lives this long unless renewed (each renewal grants this much again). */
  circuitMaxMs: number;
  mailboxTtlMs: number;
  mailboxMaxItemsPerRecipient: number;
  mailboxMaxBytesPerRecipient: number;
  mailboxMaxItemsPerSender: number;
  mailboxMaxBytesPerSender: number;
  mailboxMaxBytes: number;
  /** Unacknowledged mailbox bytes pushed to one client at a time. */
  mailboxPushWindowBytes: number;
  /** Push unacknowledged items again after this long. */
  mailboxRetryMs: number;
  /** How long the router waits for a target to accept an INTRO or a RELAY_OFFER. */
  consentTimeoutMs: number;
  /** A client's vault blob lives this long after its last PUT. */
  vaultTtlMs: number;
  /** Largest vault blob accepted (≤ VAULT_MAX_BLOB). */
  vaultMaxBlobBytes: number;
  /** Vault blobs (= clients with one) and their bytes in total. */
  vaultMaxEntries: number;
  vaultMaxBytes: number;
};

export const DEFAULT_LIMITS: ArLimits = {
  maxClients: 20_000,
  requestRate: { ratePerSec: 20, burst: 60 },
  probeRate: { ratePerSec: 5, burst: 20 },
  maxCircuits: 4096,
  maxCircuitsPerClient: 8,
  circuitBytesPerSec: 256 * 1024,
  circuitBurstBytes: 1024 * 1024,
  circuitIdleMs: 120_000,
  circuitMaxMs: 60 * 60_000,
  mailboxTtlMs: 7 * 24 * 3600_000,
  mailboxMaxItemsPerRecipient: 1000,
  mailboxMaxBytesPerRecipient: 32 * 1024 * 1024,
  mailboxMaxItemsPerSender: 2000,
  mailboxMaxBytesPerSender: 64 * 1024 * 1024,
  mailboxMaxBytes: 1024 * 1024 * 1024,
  mailboxPushWindowBytes: 512 * 1024,
  mailboxRetryMs: 15_000,
  consentTimeoutMs: 3_000,
  vaultTtlMs: 180 * 24 * 3600_000,
  vaultMaxBlobBytes: VAULT_MAX_BLOB,
  vaultMaxEntries: 100_000,
  vaultMaxBytes: 1024 * 1024 * 1024,
};
