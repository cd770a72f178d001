/**
 * @module dapps/distribution
 * Peer-to-peer distribution of dapp bundles by content hash (issue 12, item 3): the wire
 * protocol (tag 0xc0: HAVE? / HAVE / GET_HEADER / HEADER / GET_PIECE / PIECE / NOT_FOUND /
 * BUSY), a rate-limited BundleSeeder over a BundleSource (in memory or a folder of .bud
 * files), a resumable multi-peer BundleFetcher that checks the head against the content hash
 * first and every 256 KiB chunk on arrival, and BundleSwarm tying both to a node. README.md
 * has the wire tables, limits and design notes (BitTorrent BEP 3 / BEP 52, IPFS Bitswap,
 * Syncthing's block exchange).
 */
export { FETCH_DEFAULTS, MAX_CHUNKS, MAX_HEAD_BYTES, MAX_PIECE_BYTES, SEEDER_DEFAULTS, WIRE_VERSION } from './constants';
export { decodeMessage, encodeMessage, isBundlePayload, MsgType, type DistMessage, type DistRequest, type DistResponse } from './wire';
export { headOf, openHead, type OpenedHead } from './head';
export { MemorySource, heldOf, type BundleSource, type HeldBundle } from './source';
export { DirectorySource } from './directory-source';
export { BundleSeeder, type SeederLimits, type SeederOptions, type SeederStats } from './seeder';
export { BundleFetcher, toContentHash, type FetcherOptions } from './fetcher';
export type { FetchLimits } from './peer-state';
export type { FetchOptions, FetchProgress, FetchResult } from './types';
export { partialPaths } from './partial';
export { BundleSwarm, attachSessions, sessionSender, type SeedableSource, type SwarmOptions } from './swarm';
