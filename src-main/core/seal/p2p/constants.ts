/**
 * @module seal/p2p/constants
 * Wire constants and default limits of the POE consensus transport (README.md in this folder):
 * the session-payload tag, frame types, message and chunk sizes, and the tunables (timeouts,
 * rate limits, memory bounds) that tests shrink. Frames travel as payloads of `core/session`
 * sessions (≤ 64 KiB each; the session layer fragments them into ≤ 1,200-byte datagrams).
 */

/**
 * First byte of every POE payload inside a session. Chat payloads are protobuf (`0x08`), AR
 * control payloads `0xA7` (ar/constants), so a node sharing one SessionManager routes by it.
 */
export const POE_TAG = 0xb0;
export const POE_WIRE_VERSION = 1;
export const FRAME_HEADER = 3; // tag, version, type

export const Frame = {
  HELLO: 0x01,
  GOSSIP: 0x02,
  DIRECT: 0x03,
  IHAVE: 0x04,
  IWANT: 0x05,
  REQUEST: 0x06,
  RESPONSE: 0x07,
  CHUNK: 0x10,
  NACK: 0x11,
  ACK: 0x12,
} as const;
export type FrameType = (typeof Frame)[keyof typeof Frame];

/** Largest application message (a block with its body): broadcast / send / request / response. */
export const MAX_MESSAGE = 4 * 1024 * 1024;
/** Bytes of a frame per CHUNK (a 16 KiB chunk is 15 session datagrams; one loss costs one chunk, not the message). */
export const CHUNK_BYTES = 16 * 1024;
/** CHUNK header after the frame header: xfer u32, index u16, count u16, total u32. */
export const CHUNK_HEADER = FRAME_HEADER + 12;
/** Largest frame (RESPONSE: header + reqId + status + MAX_MESSAGE; GOSSIP: header + hops + id + MAX_MESSAGE). */
export const MAX_FRAME = MAX_MESSAGE + 64;
export const MAX_CHUNKS = Math.ceil(MAX_FRAME / CHUNK_BYTES);
/** Frames up to this many bytes travel as one session payload; larger ones as CHUNKs. */
export const MAX_SINGLE_FRAME = CHUNK_BYTES + CHUNK_HEADER;
/** Gossip payloads up to this size are pushed to every peer; larger ones are announced (IHAVE) and pulled (IWANT). */
export const EAGER_MAX = CHUNK_BYTES;
export const ID_BYTES = 32;
/** A gossip message is not forwarded beyond this many hops (dedup already stops loops; this bounds a pathological graph). */
export const MAX_HOPS = 32;

export const HelloFlag = { REPLY: 0x01, PUBLIC: 0x02, FULL: 0x04 } as const;
export const PexFlag = { PUBLIC: 0x01 } as const;
export const MAX_EPS = 4;
export const MAX_ROUTERS = 2;
export const MAX_PEX = 16;
export const MAX_IDS_PER_FRAME = 32;
/** The receiver of a chunked frame acknowledges every this many chunks (opens the sender's window). */
export const ACK_EVERY = 8;

export const ResponseStatus = { OK: 0, ERROR: 1, BUSY: 2, NO_HANDLER: 3 } as const;
export type ResponseStatusCode = (typeof ResponseStatus)[keyof typeof ResponseStatus];

export const AGENT = 'bitunicom-poe/1';

export type Rate = { ratePerSec: number; burst: number };

/** Everything tests and deployments may tune; defaults below. */
export type P2pTuning = {
  /** Consensus peers kept (sessions that exchanged HELLO). */
  maxPeers: number;
  /** Sessions over maxPeers still accepted briefly, so a newcomer gets a HELLO (with peers to try) before we say FULL. */
  acceptSlack: number;
  /** Peers offered in each HELLO (peer exchange). */
  pexCount: number;
  /** Directory lookups and dialling of known peers. */
  discoverEveryMs: number;
  /** How often our DHT record is checked for changes (routers, endpoints) and republished. */
  publishCheckMs: number;
  directTimeoutMs: number;
  punchTimeoutMs: number;
  relayTimeoutMs: number;
  dialConcurrency: number;
  dialBackoffMs: number;
  dialBackoffMaxMs: number;
  helloTimeoutMs: number;
  helloRetries: number;
  requestTimeoutMs: number;
  /** Requests of one peer we serve at once (more: BUSY). */
  servedPerPeer: number;
  /** Our requests outstanding in total. */
  maxPendingRequests: number;
  /** Per peer, frames other than CHUNK (gossip, IHAVE, requests…). */
  frameRate: Rate;
  /** Per peer, all POE bytes received. */
  byteRate: Rate;
  /** New consensus peers admitted (all sources together). */
  newPeerRate: Rate;
  reassemblyTimeoutMs: number;
  /** A transfer with no new chunk for this long asks for the missing ones (NACK). */
  nackAfterMs: number;
  maxNacks: number;
  reassemblyPerPeer: number;
  reassemblyPeerBytes: number;
  reassemblyTotalBytes: number;
  /** Outgoing chunked frames kept for NACKs. */
  retainMs: number;
  retainBytes: number;
  /** Large gossip messages kept to answer IWANT. */
  cacheMs: number;
  cacheBytes: number;
  /** IWANT to the next announcer when a pull has not completed in fetchTimeoutMs + size / 1 MiB/s. */
  fetchTimeoutMs: number;
  seenCapacity: number;
  /** Bytes sent to one peer per event-loop turn (pacing: the receiver gets to drain its socket). */
  pumpBytesPerTurn: number;
  /** Bytes queued for one peer before further frames to it are dropped. */
  outboxBytes: number;
  /** Chunks of one transfer sent but not yet acknowledged (1 MiB by default: ~10 MB/s at 100 ms RTT). */
  windowChunks: number;
  /** Housekeeping tick (NACKs, fetch retries, HELLO retries, expiry). */
  tickMs: number;
};

const MiB = 1024 * 1024;

export const DEFAULT_TUNING: P2pTuning = {
  maxPeers: 32,
  acceptSlack: 8,
  pexCount: 8,
  discoverEveryMs: 30_000,
  publishCheckMs: 15_000,
  directTimeoutMs: 2500,
  punchTimeoutMs: 3000,
  relayTimeoutMs: 5000,
  dialConcurrency: 4,
  dialBackoffMs: 2000,
  dialBackoffMaxMs: 60_000,
  helloTimeoutMs: 1500,
  helloRetries: 3,
  requestTimeoutMs: 5000,
  servedPerPeer: 8,
  maxPendingRequests: 1024,
  frameRate: { ratePerSec: 500, burst: 1000 },
  byteRate: { ratePerSec: 16 * MiB, burst: 32 * MiB },
  newPeerRate: { ratePerSec: 10, burst: 40 },
  reassemblyTimeoutMs: 15_000,
  nackAfterMs: 300,
  maxNacks: 5,
  reassemblyPerPeer: 4,
  reassemblyPeerBytes: 9 * MiB,
  reassemblyTotalBytes: 64 * MiB,
  retainMs: 15_000,
  retainBytes: 64 * MiB,
  cacheMs: 30_000,
  cacheBytes: 64 * MiB,
  fetchTimeoutMs: 3000,
  seenCapacity: 16_384,
  pumpBytesPerTurn: 64 * 1024,
  outboxBytes: 24 * MiB,
  windowChunks: 64,
  tickMs: 100,
};
