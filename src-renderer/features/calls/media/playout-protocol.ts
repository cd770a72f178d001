/**
 * @module calls/media/playout-protocol
 * The messages between the page (audio-playout) and the playout worker (playout.worker).
 */
import type { MediaFrame } from '../../../../src-preload/contract';
import type { PlayoutCoreStats } from './playout-core';

export type ToWorker =
  | { type: 'start'; worklet: MessagePort; outputMs: number }
  | { type: 'frame'; frame: MediaFrame }
  | { type: 'output'; outputMs: number }
  | { type: 'stop' };

export type WorkerSnapshot = {
  type: 'snapshot';
  stats: PlayoutCoreStats;
  /** When the snapshot was taken, ms since the epoch (performance.timeOrigin + now). */
  atMs: number;
  /** The media time heard at atMs (µs), null while no audio plays. */
  mediaUs: number | null;
  /** Samples handed to the worklet but not played yet. */
  unplayed: number;
  /** The samples handed on since the previous snapshot, in order. */
  pcm: Float32Array[];
};

export type FromWorker = { type: 'ready' } | WorkerSnapshot;
