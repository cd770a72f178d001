/**
 * @module calls/media/playout-core
 * The received-audio pipeline, without the audio output itself (it runs in the playout worker,
 * or on the page as a fallback): the worklet's reports (every render quantum) drive a pull
 * loop that keeps the worklet's ring a small adaptive margin ahead (playout-margin: ~15 ms,
 * grown by underruns) by pulling the jitter buffer — decoding a frame (AudioDecoder, Opus
 * 48 kHz mono), concealing a missing one (plc), or handing silence while idle. Blocks are
 * handed on strictly in order even though decoding is asynchronous. When the buffer asks to
 * shrink the delay, a quiet frame is dropped, an active one is shortened by whole pitch
 * periods (time-scale, NetEQ's accelerate), and far above target any frame is dropped, with a
 * cross-fade over the seam. Keeps the playout clock (lip sync) and the capture → arrival and
 * capture → playout latencies. Handed blocks go to `out` (the worklet) and to `tap` (the
 * page's recent-audio history).
 */

import type { MediaFrame } from '../../../../src-preload/contract';
import { JitterBuffer, type Compress } from './jitter-buffer';
import { Concealer, crossfade, rms } from './plc';
import { PlayoutClock } from './playout-clock';
import { PlayoutMargin } from './playout-margin';
import { WindowedMedian } from './ring';
import { accelerate } from './time-scale';

export const SR = 48000;
const FRAME = 960;
const QUIET = 0.01;
const SEAM = 120;

type Slot =
  | { kind: 'decode'; frame: MediaFrame; compress: Compress; pcm: Float32Array | null; failed: boolean; expect: number }
  | { kind: 'conceal'; timestampUs: number }
  | { kind: 'silence' };

export type WorkletReport = { played: number; underrun: number };

export type PlayoutCoreStats = {
  bufferMs: number;
  targetBufferMs: number;
  concealedMs: number;
  playedMs: number;
  /** capture (sender clock) → played out, ms, median of the last 5 s; null before audio */
  latencyMs: number | null;
  /** capture (sender clock) → arrival here, ms, median of the last 5 s: the sender's and the path's share of latencyMs */
  transitMs: number | null;
  /** how far ahead of the audio clock the playout ring is kept (adaptive), ms */
  marginMs: number;
};

export type PlayoutSinks = {
  /** Samples for the worklet's ring (the array may be transferred). */
  out(pcm: Float32Array): void;
  /** The same samples, for the recent-audio history. */
  tap(pcm: Float32Array): void;
};

export class PlayoutCore {
  private decoder: AudioDecoder | null = null;
  private readonly jb = new JitterBuffer();
  private readonly plc = new Concealer(SR);
  readonly clock = new PlayoutClock(SR);
  private readonly latency = new WindowedMedian(5000);
  private readonly transit = new WindowedMedian(5000);
  private readonly margin = new PlayoutMargin({ frame: FRAME });
  private queue: Slot[] = [];
  private pendingSamples = 0;
  private sent = 0;
  private played = 0;
  private underrunAtStart = 0;
  private underrun = 0;
  private droppedHead: Float32Array | null = null;
  private concealedSamples = 0;
  private realSamples = 0;
  private stopped = false;
  /** The output device's delay after the worklet, ms. */
  outputMs = 0;

  constructor(private readonly sinks: PlayoutSinks) {
    this.newDecoder();
  }

  /** A received audio frame (already checked for this call). */
  push(f: MediaFrame): void {
    if (this.stopped) return;
    const now = performance.now();
    this.transit.add(now, performance.timeOrigin + now - f.captureMs);
    this.jb.push(f, now);
  }

  /** The sender's media time being heard at `nowMs` (µs), null while no audio plays. */
  mediaUs(nowMs = performance.now()): number | null {
    if (!this.jb.playing) return null;
    return this.clock.mediaUs(nowMs - this.outputMs);
  }

  /** Samples handed on but not played yet. */
  get unplayed(): number {
    return Math.max(0, this.sent - this.played);
  }

  stats(): PlayoutCoreStats {
    const startedUnderrun = Math.max(0, this.underrun - this.underrunAtStart);
    return {
      bufferMs: this.jb.bufferMs,
      targetBufferMs: this.jb.targetMs,
      concealedMs: ((this.concealedSamples + (this.realSamples > 0 ? startedUnderrun : 0)) * 1000) / SR,
      playedMs: ((this.realSamples + this.concealedSamples) * 1000) / SR,
      latencyMs: this.latency.median(performance.now()),
      transitMs: this.transit.median(performance.now()),
      marginMs: (this.margin.samples * 1000) / SR,
    };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
  }

  onReport(r: WorkletReport): void {
    const now = performance.now();
    this.played = r.played;
    if (this.realSamples === 0) this.underrunAtStart = r.underrun;
    else this.margin.underrun(r.underrun - this.underrun, now);
    this.margin.tick(now);
    this.underrun = r.underrun;
    this.clock.report(r.played, now);
    this.pump();
  }

  private newDecoder(): void {
    const d = new AudioDecoder({
      output: (data) => this.onDecoded(data),
      error: () => this.onDecoderError(),
    });
    d.configure({ codec: 'opus', sampleRate: SR, numberOfChannels: 1 });
    this.decoder = d;
  }

  private onDecoderError(): void {
    for (const s of this.queue) if (s.kind === 'decode' && !s.pcm) s.failed = true;
    if (!this.stopped) this.newDecoder();
    this.flush();
  }

  private onDecoded(data: AudioData): void {
    const pcm = new Float32Array(data.numberOfFrames);
    data.copyTo(pcm, { planeIndex: 0, format: 'f32-planar' });
    data.close();
    const slot = this.queue.find((s) => s.kind === 'decode' && !s.pcm && !s.failed);
    if (slot && slot.kind === 'decode') slot.pcm = pcm;
    this.flush();
    // a frame that was dropped or shortened handed on less than a frame: refill the ring now,
    // not at the next report, or it runs dry while the next frame decodes
    this.pump();
  }

  private pump(): void {
    if (this.stopped) return;
    const now = performance.now();
    while (this.sent + this.pendingSamples - this.played < this.margin.samples) {
      const r = this.jb.pull(now);
      if (r.kind === 'frame') {
        const f = r.frame as MediaFrame;
        // a frame the buffer asks to shrink may hand on nothing (dropped) or less than a frame
        // (shortened): count it as nothing, so the ring does not run dry behind it
        const expect = r.compress === 'none' ? FRAME : 0;
        this.queue.push({ kind: 'decode', frame: f, compress: r.compress, pcm: null, failed: false, expect });
        this.pendingSamples += expect;
        try {
          this.decoder!.decode(new EncodedAudioChunk({ type: 'key', timestamp: f.timestampUs, duration: f.durationUs, data: f.data }));
        } catch {
          (this.queue[this.queue.length - 1] as { failed: boolean }).failed = true;
        }
      } else if (r.kind === 'conceal') {
        this.queue.push({ kind: 'conceal', timestampUs: r.timestampUs });
        this.pendingSamples += FRAME;
      } else {
        this.queue.push({ kind: 'silence' });
        this.pendingSamples += FRAME;
      }
      this.flush();
    }
  }

  /** Hand on every slot that is ready, in order. */
  private flush(): void {
    while (this.queue.length > 0) {
      const s = this.queue[0]!;
      if (s.kind === 'decode' && !s.pcm && !s.failed) return;
      this.queue.shift();
      this.pendingSamples -= s.kind === 'decode' ? s.expect : FRAME;
      if (s.kind === 'silence') {
        this.clock.gap(this.sent, FRAME);
        this.hand(new Float32Array(FRAME));
      } else if (s.kind === 'conceal' || s.failed) {
        const ts = s.kind === 'conceal' ? s.timestampUs : s.frame.timestampUs;
        this.clock.mark(this.sent, ts, FRAME);
        this.concealedSamples += FRAME;
        this.hand(this.plc.conceal(FRAME));
      } else {
        this.playDecoded(s.frame, s.compress, s.pcm!);
      }
    }
  }

  private playDecoded(f: MediaFrame, compress: Compress, raw: Float32Array): void {
    if (compress === 'force' || (compress === 'if-quiet' && rms(raw) < QUIET)) {
      this.jb.noteCompressed();
      this.droppedHead = raw.subarray(0, SEAM);
      return;
    }
    let pcm = raw;
    if (compress === 'if-quiet') {
      const shorter = accelerate(raw, SR);
      if (shorter) {
        this.jb.noteCompressed();
        pcm = shorter;
      }
    }
    if (this.plc.concealing) pcm = this.plc.resume(pcm);
    else if (this.droppedHead) pcm = crossfade(this.droppedHead, pcm, SEAM);
    this.droppedHead = null;
    this.plc.observe(pcm);
    const aheadMs = ((this.sent - this.played) * 1000) / SR;
    const outMs = this.outputMs;
    const now = performance.now();
    this.latency.add(now, performance.timeOrigin + now + aheadMs + outMs - f.captureMs);
    this.clock.mark(this.sent, f.timestampUs, pcm.length);
    this.realSamples += pcm.length;
    this.hand(pcm);
  }

  private hand(pcm: Float32Array): void {
    this.sinks.tap(pcm);
    this.sent += pcm.length;
    this.sinks.out(Float32Array.from(pcm));
  }
}
