/**
 * @module dht/constants
 * Packet types, commands, flags, sizes and defaults of the BitUnicom DHT (Kademlia, Maymounkov &
 * Mazières 2002; BEP 5 tokens; dht-rpc-style endpoint-bound ids). See README.md for the wire format.
 */

/** First byte of a DHT request / response on the shared UDP socket (the DHT owns 0x20–0x2F). */
export const DHT_REQUEST = 0x20;
export const DHT_RESPONSE = 0x21;
export const DHT_WIRE_VERSION = 1;

export const CMD_PING = 1;
export const CMD_FIND_NODE = 2;
export const CMD_GET = 3;
export const CMD_PUT = 4;
export type Command = typeof CMD_PING | typeof CMD_FIND_NODE | typeof CMD_GET | typeof CMD_PUT;

/** Header / node-info flags. EPHEMERAL: the sender has no id and must not enter routing tables. */
export const FLAG_EPHEMERAL = 0x01;
export const FLAG_ROUTER = 0x02;
/** Node-info flags byte: bit 0 = ROUTER (see README). */
export const NODE_FLAG_ROUTER = 0x01;

export const ID_BYTES = 32;
export const TOKEN_BYTES = 16;
export const KEY_BYTES = 32;

/** PUT reply status codes. */
export const PUT_STATUS = {
  OK: 0,
  BAD_TOKEN: 1,
  RATE_LIMITED: 2,
  TOO_LARGE: 3,
  MALFORMED: 4,
  WRONG_KEY: 5,
  EXPIRED: 6,
  STALE_SEQ: 7,
  BAD_SIGNATURE: 8,
  FULL: 9,
} as const;
export type PutStatusName = keyof typeof PUT_STATUS;
export type PutStatus = (typeof PUT_STATUS)[PutStatusName];
export const PUT_STATUS_NAMES = Object.keys(PUT_STATUS) as PutStatusName[];

/** Records: the whole encoded record (signature included) may not exceed this. */
export const MAX_RECORD_BYTES = 1000;
export const MAX_EXTRA_BYTES = 512;
export const MAX_ENTRIES = 16;
export const MAX_AGENT_BYTES = 64;
/** A record may not claim to live longer than this from the storing node's clock. */
export const MAX_RECORD_TTL_SEC = 24 * 3600;
export const DEFAULT_RECORD_TTL_SEC = 3600;

/** Application ids (u32) shared with chat and ar. */
export const CHAT_APP_ID = 1;
export const ROUTER_APP_ID = 2;
/** POE consensus transport (core/seal/p2p): records of consensus participants. */
export const POE_APP_ID = 3;

export const DEFAULTS = {
  k: 20,
  alpha: 3,
  requestTimeoutMs: 1000,
  /** Retries per request after the first timeout (one retry = two attempts). */
  retries: 1,
  /** Buckets not touched for this long are refreshed with a random lookup. */
  refreshIntervalMs: 15 * 60_000,
  /** Write-token secret rotation (BEP 5: 5 min; a token is valid for two rotations). */
  tokenRotateMs: 5 * 60_000,
  /** Requests per source IP (all commands). Loopback testnets raise it: every node is 127.0.0.1. */
  requestRate: { ratePerSec: 200, burst: 400 },
  /** PUTs per source IP, checked before any record parsing. */
  putRate: { ratePerSec: 5, burst: 20 },
  maxRecords: 20_000,
  /** Concurrent "ping back" probes of unknown nodes that contacted us. */
  maxProbes: 32,
  /** Upper bound of requests one lookup may send (safety net against poisoned candidate lists). */
  maxLookupQueries: 200,
} as const;
