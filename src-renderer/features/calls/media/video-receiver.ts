/**
 * @module calls/media/video-receiver
 * Received video: VP8 frames, back in seq order, pass the keyframe gate into a VideoDecoder; decoded frames wait
 * until the audio playout clock reaches their media time and are then written to a
 * MediaStreamTrackGenerator (the remote stream's video track); frames over 100 ms behind the
 * audio are dropped and counted. Without an audio clock (far side muted) frames show at once.
 */

import type { MediaFrame } from '../../../../src-preload/contract';
import { videoGenerator, type TrackGenerator } from './platform';
import { FpsMeter, KeyframeGate, lipSync, VideoReorder } from './video-sync';

const MAX_HELD = 30;
const TICK_MS = 5;

export class VideoReceiver {
  readonly track: TrackGenerator | null;
  private writer: WritableStreamDefaultWriter<VideoFrame> | null;
  private decoder: VideoDecoder | null = null;
  private readonly gate = new KeyframeGate();
  private readonly reorder = new VideoReorder<MediaFrame>();
  private held: VideoFrame[] = [];
  private readonly fps = new FpsMeter();
  private timer: ReturnType<typeof setInterval>;
  private stopped = false;
  width = 0;
  height = 0;
  late = 0;
  shown = 0;

  constructor(private readonly audioClockUs: () => number | null) {
    this.track = videoGenerator();
    this.writer = this.track ? this.track.writable.getWriter() : null;
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Frames shown in the last second. */
  framesPerSecond(): number {
    return this.fps.fps(performance.now());
  }

  /** Delta frames refused since the last keyframe (the sender should be asked for one). */
  get waitingForKeyframe(): number {
    return this.gate.refused;
  }

  push(f: MediaFrame): void {
    if (this.stopped || !this.writer) return;
    for (const due of this.reorder.push(f, performance.now())) this.decode(due);
  }

  private decode(f: MediaFrame): void {
    if (!this.gate.accept(f.seq, f.keyframe)) return;
    if (!this.decoder || this.decoder.state === 'closed') this.newDecoder();
    try {
      this.decoder!.decode(
        new EncodedVideoChunk({ type: f.keyframe ? 'key' : 'delta', timestamp: f.timestampUs, duration: f.durationUs || undefined, data: f.data }),
      );
    } catch {
      this.gate.reset();
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    for (const f of this.held) f.close();
    this.held = [];
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    void this.writer?.close().catch(() => undefined);
    this.track?.stop();
  }

  private newDecoder(): void {
    const d = new VideoDecoder({
      output: (frame) => this.onFrame(frame),
      error: () => {
        this.decoder = null;
        this.gate.reset();
      },
    });
    d.configure({ codec: 'vp8', optimizeForLatency: true });
    this.decoder = d;
  }

  private onFrame(frame: VideoFrame): void {
    if (this.stopped) {
      frame.close();
      return;
    }
    this.held.push(frame);
    while (this.held.length > MAX_HELD) {
      this.held.shift()!.close();
      this.late++;
    }
    this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    for (const due of this.reorder.poll(performance.now())) this.decode(due);
    if (this.held.length === 0 || !this.writer) return;
    const audioUs = this.audioClockUs();
    let due: VideoFrame | null = null;
    while (this.held.length > 0) {
      const d = lipSync(this.held[0]!.timestamp, audioUs);
      if (d === 'hold') break;
      const f = this.held.shift()!;
      if (d === 'drop') {
        f.close();
        this.late++;
        continue;
      }
      due?.close(); // superseded by a later due frame before it could be shown
      due = f;
    }
    if (!due) return;
    this.width = due.displayWidth;
    this.height = due.displayHeight;
    this.fps.tick(performance.now());
    this.shown++;
    this.writer.write(due).catch(() => due.close());
  }
}
