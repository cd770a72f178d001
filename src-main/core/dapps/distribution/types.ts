/**
 * @module dapps/distribution/types
 * The public shapes of a download: its options, progress reports and result.
 */
import type { BundleExpectation, OpenedBundle } from '../package';

export type FetchProgress = {
  /** Content bytes in verified chunks (those kept from a partial file included). */
  receivedBytes: number;
  /** The bundle's content bytes (0 until a holder said). */
  totalBytes: number;
  /** Holders in use. */
  peers: number;
  chunksDone: number;
  chunksTotal: number;
  /** Chunks kept from a partial file of an earlier run. */
  resumedChunks: number;
};

export type FetchOptions = {
  /** Candidate peers (addresses with a session): asked again on every discovery round. */
  peers: () => string[];
  onProgress?: (p: FetchProgress) => void;
  signal?: AbortSignal;
  /** When given, the result must also pass verifyBundle (signature, listed author / app id). */
  expect?: BundleExpectation;
};

export type FetchResult = { path: string; bytes: Uint8Array; bundle: OpenedBundle; resumedChunks: number; servedBy: string[] };
