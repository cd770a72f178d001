/**
 * @module calls/media/video-sender
 * The camera → VP8 → media frames path. Each camera frame (at most the target fps; dropped
 * while the encoder is behind) is drawn onto a canvas at the target size (aspect kept, even
 * sides), stamped with the sender's performance clock (µs, the audio's clock) and encoded
 * with VP8 in realtime mode at the target bitrate. A size/bitrate/fps change reconfigures
 * the encoder and asks the camera for that size (frames already at size are encoded as
 * they are, others go through the canvas); a keyframe goes out every 5 s, after a reconfigure and on request. A target
 * video bitrate of 0 pauses sending.
 */

import { encodeMediaFrame, MAX_VIDEO_FRAME, type MediaChannel } from '../../../../src-preload/contract';
import { videoReader } from './platform';

export type VideoTarget = { bitrate: number; width: number; height: number; fps: number };
export const START_VIDEO: VideoTarget = { bitrate: 500_000, width: 640, height: 360, fps: 24 };
const KEYFRAME_EVERY_MS = 5000;

/** The size to encode a `srcW`×`srcH` frame at within `maxW`×`maxH`: aspect kept, even, never upscaled. */
export function fitSize(srcW: number, srcH: number, maxW: number, maxH: number): { width: number; height: number } {
  if (srcW <= 0 || srcH <= 0) return { width: 0, height: 0 };
  const scale = Math.min(1, maxW / srcW, maxH / srcH);
  const even = (v: number) => Math.max(2, Math.floor((v * scale) / 2) * 2);
  return { width: even(srcW), height: even(srcH) };
}

export class VideoSender {
  private reader: ReadableStreamDefaultReader<VideoFrame>;
  private encoder: VideoEncoder | null = null;
  private configured = '';
  private canvas: OffscreenCanvas | null = null;
  private target: VideoTarget;
  private lastFrameMs = -Infinity;
  private lastKeyMs = -Infinity;
  private keyRequested = true;
  private stopped = false;
  /** The encoded size (keyframes carry it). */
  private size = { width: 0, height: 0 };
  sentFrames = 0;

  constructor(
    private readonly callId: string,
    private readonly channel: MediaChannel,
    private readonly track: MediaStreamTrack,
    target: VideoTarget,
  ) {
    this.target = { ...target };
    this.reader = videoReader(track);
    void this.loop();
  }

  applyTarget(t: VideoTarget): void {
    const before = this.target;
    this.target = {
      bitrate: t.bitrate,
      width: t.width > 0 ? t.width : this.target.width,
      height: t.height > 0 ? t.height : this.target.height,
      fps: t.fps > 0 ? t.fps : this.target.fps,
    };
    const n = this.target;
    if (n.width !== before.width || n.height !== before.height || n.fps !== before.fps) {
      // capture at the target size where the camera can, so frames need no rescaling
      void this.track
        .applyConstraints({ width: { ideal: n.width }, height: { ideal: n.height }, frameRate: { ideal: Math.max(n.fps, 15) } })
        .catch(() => undefined);
    }
  }

  requestKeyframe(): void {
    this.keyRequested = true;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.reader.cancel().catch(() => undefined);
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
  }

  private async loop(): Promise<void> {
    for (;;) {
      let r: ReadableStreamReadResult<VideoFrame>;
      try {
        r = await this.reader.read();
      } catch {
        return;
      }
      if (r.done) return;
      const frame = r.value;
      try {
        if (!this.stopped) this.encode(frame);
      } catch {
        // one frame lost; the next keyframe repairs the picture
        this.keyRequested = true;
      } finally {
        frame.close();
      }
      if (this.stopped) return;
    }
  }

  private encode(frame: VideoFrame): void {
    const now = performance.now();
    const t = this.target;
    if (t.bitrate <= 0) return;
    if (now - this.lastFrameMs < 1000 / t.fps - 2) return;
    if (this.encoder && this.encoder.encodeQueueSize > 2) return;
    const { width, height } = fitSize(frame.displayWidth, frame.displayHeight, t.width, t.height);
    if (width === 0) return;
    this.ensureEncoder(width, height, t);
    const stamp = { timestamp: Math.round(now * 1000), duration: Math.round(1e6 / t.fps) };
    let scaled: VideoFrame;
    if (width === frame.displayWidth && height === frame.displayHeight) scaled = new VideoFrame(frame, stamp);
    else {
      const g = this.canvas!.getContext('2d');
      if (!g) return;
      g.drawImage(frame, 0, 0, width, height);
      scaled = new VideoFrame(this.canvas!, stamp);
    }
    const key = this.keyRequested || now - this.lastKeyMs >= KEYFRAME_EVERY_MS;
    try {
      this.encoder!.encode(scaled, { keyFrame: key });
    } finally {
      scaled.close();
    }
    this.lastFrameMs = now;
    if (key) {
      this.lastKeyMs = now;
      this.keyRequested = false;
    }
  }

  private ensureEncoder(width: number, height: number, t: VideoTarget): void {
    if (!this.encoder || this.encoder.state === 'closed') {
      this.encoder = new VideoEncoder({
        output: (chunk) => this.onChunk(chunk),
        error: () => {
          this.encoder = null;
          this.configured = '';
          this.keyRequested = true;
        },
      });
      this.configured = '';
    }
    const sig = `${width}x${height}@${t.fps}/${t.bitrate}`;
    if (sig === this.configured) return;
    const resized = !this.configured.startsWith(`${width}x${height}@`);
    this.encoder.configure({
      codec: 'vp8',
      width,
      height,
      bitrate: t.bitrate,
      framerate: t.fps,
      latencyMode: 'realtime',
      bitrateMode: 'variable',
    });
    this.configured = sig;
    this.size = { width, height };
    if (resized) {
      this.canvas = new OffscreenCanvas(width, height);
      this.keyRequested = true;
    }
  }

  private onChunk(chunk: EncodedVideoChunk): void {
    if (this.stopped) return;
    if (chunk.byteLength > MAX_VIDEO_FRAME) {
      this.keyRequested = true;
      return;
    }
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    const key = chunk.type === 'key';
    this.channel.send(
      encodeMediaFrame({
        kind: 'video',
        callId: this.callId,
        seq: 0,
        keyframe: key,
        recovered: false,
        timestampUs: chunk.timestamp,
        captureMs: performance.timeOrigin + chunk.timestamp / 1000,
        durationUs: chunk.duration ?? 0,
        width: key ? this.size.width : 0,
        height: key ? this.size.height : 0,
        data,
      }),
    );
    this.sentFrames++;
  }
}
