/**
 * @module calls/media/playout.worker
 * The playout worker: runs the received-audio pipeline (playout-core: jitter buffer, Opus
 * decoding, concealment, time compression) off the page's main thread, so rendering, React
 * and garbage collection on the page cannot make the audio ring run dry. The worklet talks to
 * it directly over a MessageChannel (reports in, samples out); the page sends it the received
 * frames and gets a snapshot every SNAPSHOT_MS: statistics, the playout clock for lip sync,
 * and the samples handed on since the last one (the page's recent-audio history).
 */
/// <reference lib="webworker" />
import type { MediaFrame } from '../../../../src-preload/contract';
import { PlayoutCore, type WorkletReport } from './playout-core';
import type { ToWorker, WorkerSnapshot } from './playout-protocol';

const SNAPSHOT_MS = 40;
const scope = self as unknown as DedicatedWorkerGlobalScope;

let core: PlayoutCore | null = null;
let worklet: MessagePort | null = null;
let handed: Float32Array[] = [];
let timer: ReturnType<typeof setInterval> | null = null;

function snapshot(): void {
  if (!core) return;
  const now = performance.now();
  const msg: WorkerSnapshot = {
    type: 'snapshot',
    stats: core.stats(),
    atMs: performance.timeOrigin + now,
    mediaUs: core.mediaUs(now),
    unplayed: core.unplayed,
    pcm: handed,
  };
  handed = [];
  scope.postMessage(msg, msg.pcm.map((p) => p.buffer));
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'start') {
    worklet = m.worklet;
    core = new PlayoutCore({
      out: (pcm) => worklet?.postMessage(pcm, [pcm.buffer]),
      tap: (pcm) => handed.push(Float32Array.from(pcm)),
    });
    core.outputMs = m.outputMs;
    worklet.onmessage = (r: MessageEvent<WorkletReport>) => core?.onReport(r.data);
    timer = setInterval(snapshot, SNAPSHOT_MS);
    scope.postMessage({ type: 'ready' });
  } else if (m.type === 'frame') {
    core?.push(m.frame as MediaFrame);
  } else if (m.type === 'output') {
    if (core) core.outputMs = m.outputMs;
  } else if (m.type === 'stop') {
    if (timer) clearInterval(timer);
    core?.stop();
    worklet?.close();
    scope.close();
  }
};
