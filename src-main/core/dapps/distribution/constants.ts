/**
 * @module dapps/distribution/constants
 * The limits of bundle distribution. Every size a peer can name on the wire is bounded by
 * these before anything is allocated; the bounds derive from the package format's own limits
 * (dapps/package LIMITS: 64 MiB of content, 2000 files, 256 KiB chunks), so no honest bundle
 * is ever refused by them.
 */
import { CHUNK_SIZE, LIMITS } from '../package';

/** Protocol version carried in every message (byte 1). */
export const WIRE_VERSION = 1;
/** Common prefix: tag | version | type | request id (u32) | content hash (32). */
export const PREFIX_BYTES = 1 + 1 + 1 + 4 + 32;
/** Largest HEADER / PIECE data a peer may send or ask for: 32 KiB ≈ 29 session fragments. */
export const MAX_PIECE_BYTES = 32 * 1024;
/** What the fetcher asks for by default: 16 KiB ≈ 15 fragments, 16 pieces a chunk. */
export const DEFAULT_PIECE_BYTES = 16 * 1024;
/** Chunks a bundle can have (64 MiB / 256 KiB). */
export const MAX_CHUNKS = Math.ceil(LIMITS.maxTotalBytes / CHUNK_SIZE);
/** The .bud container's fixed header (magic, version, flags, index length). */
export const CONTAINER_HEADER_BYTES = 16;
/** The signature section at the end of a signed .bud. */
export const SIGNATURE_BYTES = 4 + 1 + 32 + 33 + 65;
/** Largest canonical index the package format allows (2000 files of 255-byte paths, 256 chunk hashes). */
export const MAX_INDEX_BYTES = 13 + LIMITS.maxFiles * (2 + 255 + 8 + 32) + 12 + MAX_CHUNKS * 32;
/** Largest "head" (container header ‖ index ‖ signature section): everything but the chunks. */
export const MAX_HEAD_BYTES = CONTAINER_HEADER_BYTES + MAX_INDEX_BYTES + SIGNATURE_BYTES;
/** Longest BUSY back-off a seeder may ask for. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Seeder defaults (per-peer token bucket on requests, bounded concurrent chunk reads). */
export const SEEDER_DEFAULTS = {
  /** Requests a peer may make per second (16 KiB pieces: 4 MiB/s), and its burst. */
  ratePerSec: 256,
  burst: 96,
  /** Requests all peers together may make per second (32 MiB/s of 16 KiB pieces), and the burst. */
  totalRatePerSec: 2048,
  totalBurst: 256,
  /** Chunk reads in progress at once, in all and per peer; beyond: BUSY. */
  maxConcurrent: 32,
  maxConcurrentPerPeer: 16,
  /** Back-off a BUSY asks for. */
  busyRetryMs: 250,
  /** Chunks kept in memory (16 pieces are asked of each one). */
  cacheChunks: 16,
  /** Peers tracked by the rate limiter. */
  maxPeers: 4096,
} as const;

/** Fetcher defaults. */
export const FETCH_DEFAULTS = {
  pieceBytes: DEFAULT_PIECE_BYTES,
  /** Piece requests in flight per peer: starts here, grows by one per answer up to maxWindow, halves on a timeout. */
  initialWindow: 4,
  maxWindow: 12,
  /** Chunks one peer is assigned at once (each is fetched whole from one peer, so a bad chunk has one culprit). */
  chunksPerPeer: 2,
  /** Holders used at once. */
  maxPeers: 16,
  /** Request timeout before an RTT sample (RFC 6298 §2.1: 1 s), its bounds, and the back-off cap. */
  initialRtoMs: 1000,
  minRtoMs: 150,
  maxRtoMs: 4000,
  /** Timeouts in a row after which a peer is set aside (its chunks go to others); it may come back through HAVE. */
  maxPeerTimeouts: 6,
  /** HAVE? is repeated this often to candidates that did not answer (and to new candidates). */
  discoveryEveryMs: 700,
  /** With no usable holder for this long, the fetch fails (DAPP_UNAVAILABLE / DAPP_REFUSED). */
  unavailableAfterMs: 6000,
  /** Scheduler tick. */
  tickMs: 20,
} as const;
