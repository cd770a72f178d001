/**
 * @module calls/media/audio-playout
 * Received audio, played through an AudioWorklet whose ring is filled by the playout worker
 * (playout.worker → playout-core: jitter buffer, decoding, concealment, time compression). The
 * worklet and the worker talk over their own MessageChannel, so the page's main thread is not
 * on the audio path at all; the page sends the worker the received frames and reads its
 * snapshots (statistics, the playout clock for lip sync, the recent audio). Where a worker
 * cannot start, the same core runs on the page over the same channel.
 */

import type { MediaFrame } from '../../../../src-preload/contract';
import { PlayoutCore, SR, type PlayoutCoreStats, type WorkletReport } from './playout-core';
import type { FromWorker, ToWorker, WorkerSnapshot } from './playout-protocol';
import { SampleRing } from './ring';
import { newAudioContext, type SinkAudioContext } from './platform';
import { loadPlayoutWorklet, PLAYOUT_PROCESSOR } from './worklet-source';

const WORKER_START_MS = 3000;
/** Past this the snapshot is too old to extrapolate the clock from. */
const STALE_SNAPSHOT_MS = 250;

const EMPTY: PlayoutCoreStats = { bufferMs: 0, targetBufferMs: 0, concealedMs: 0, playedMs: 0, latencyMs: null, transitMs: null, marginMs: 0 };

export class AudioPlayout {
  private ctx: SinkAudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  private worker: Worker | null = null;
  /** The fallback: the core on the page. */
  private local: PlayoutCore | null = null;
  private readonly history = new SampleRing(10 * SR);
  private snap: WorkerSnapshot | null = null;
  private outputMs = 0;
  private stopped = false;

  /** Where the pipeline runs (stats, tests). */
  get runsIn(): 'worker' | 'page' | 'none' {
    return this.worker ? 'worker' : this.local ? 'page' : 'none';
  }

  async start(sinkId?: string): Promise<void> {
    const ctx = newAudioContext(sinkId);
    this.ctx = ctx;
    try {
      await loadPlayoutWorklet(ctx);
    } catch {
      throw new Error('The call audio could not be started.');
    }
    const node = new AudioWorkletNode(ctx, PLAYOUT_PROCESSOR, { numberOfInputs: 0, outputChannelCount: [1] });
    node.connect(ctx.destination);
    this.node = node;
    const ch = new MessageChannel();
    node.port.postMessage({ port: ch.port1 }, [ch.port1]);
    this.outputMs = this.currentOutputMs();
    try {
      this.worker = await this.startWorker(ch.port2);
    } catch {
      this.startLocal(ch.port2);
    }
    void ctx.resume().catch(() => undefined);
  }

  /** A received audio frame (already checked for this call). */
  push(f: MediaFrame): void {
    if (this.stopped) return;
    if (this.local) this.local.push(f);
    else this.worker?.postMessage({ type: 'frame', frame: f } satisfies ToWorker);
  }

  async setSink(sinkId: string): Promise<void> {
    const ctx = this.ctx;
    if (!ctx?.setSinkId) throw new Error('This browser cannot choose the speaker for calls.');
    try {
      await ctx.setSinkId(sinkId);
    } catch {
      throw new Error('The selected speaker is not available.');
    }
  }

  /** The sender's media time being heard now (µs), null while no audio plays. */
  mediaUs(): number | null {
    if (this.local) return this.local.mediaUs();
    const s = this.snap;
    if (!s || s.mediaUs === null) return null;
    const since = performance.timeOrigin + performance.now() - s.atMs;
    return since > STALE_SNAPSHOT_MS ? null : s.mediaUs + since * 1000;
  }

  stats(): PlayoutCoreStats {
    return this.local?.stats() ?? this.snap?.stats ?? EMPTY;
  }

  /** The last `seconds` of what the worklet played. */
  recent(seconds: number): Float32Array {
    const unplayed = this.local?.unplayed ?? this.snap?.unplayed ?? 0;
    return this.history.latest(Math.round(seconds * SR), unplayed);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.worker?.postMessage({ type: 'stop' } satisfies ToWorker);
    this.local?.stop();
    this.node?.port.postMessage('stop');
    this.node?.disconnect();
    await this.ctx?.close().catch(() => undefined);
  }

  private currentOutputMs(): number {
    return ((this.ctx?.outputLatency ?? 0) || (this.ctx?.baseLatency ?? 0)) * 1000;
  }

  private startWorker(port: MessagePort): Promise<Worker> {
    return new Promise((resolve, reject) => {
      let w: Worker;
      try {
        w = new Worker(new URL('./playout.worker.ts', import.meta.url), { type: 'module', name: 'call-playout' });
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      const timer = setTimeout(() => fail(new Error('the playout worker did not start')), WORKER_START_MS);
      const fail = (e: Error) => {
        clearTimeout(timer);
        w.terminate();
        reject(e);
      };
      w.onerror = () => fail(new Error('the playout worker failed to load'));
      w.onmessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.type !== 'ready') return;
        clearTimeout(timer);
        w.onerror = null;
        w.onmessage = (m: MessageEvent<FromWorker>) => {
          if (m.data.type === 'snapshot') this.onSnapshot(m.data);
        };
        resolve(w);
      };
      w.postMessage({ type: 'start', worklet: port, outputMs: this.outputMs } satisfies ToWorker, [port]);
    });
  }

  private startLocal(port: MessagePort): void {
    const core = new PlayoutCore({
      out: (pcm) => port.postMessage(pcm, [pcm.buffer]),
      tap: (pcm) => this.history.push(pcm),
    });
    core.outputMs = this.outputMs;
    port.onmessage = (e: MessageEvent<WorkletReport>) => core.onReport(e.data);
    this.local = core;
  }

  private onSnapshot(s: WorkerSnapshot): void {
    for (const pcm of s.pcm) this.history.push(pcm);
    this.snap = s;
    const out = this.currentOutputMs();
    if (Math.abs(out - this.outputMs) > 1) {
      this.outputMs = out;
      this.worker?.postMessage({ type: 'output', outputMs: out } satisfies ToWorker);
    }
  }
}
