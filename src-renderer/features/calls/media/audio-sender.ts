/**
 * @module calls/media/audio-sender
 * The microphone → Opus → media frames path. Reads AudioData from the track (mono: the first
 * channel), stamps it on the sender's performance clock (µs, continuous sample by sample and
 * re-anchored after a gap, so audio and video share one media clock) from its capture time —
 * Chromium's AudioData.timestamp is on that clock, so time spent queued before this reader
 * ran counts in the mouth-to-ear figure instead of hiding in it, and a backlog (> 30 ms queued)
 * is skipped rather than carried as delay for the rest of the call — encodes 20 ms Opus
 * frames at the target bitrate (no DTX) and sends each chunk as a media frame. Muted, it reads
 * and discards: nothing is encoded or sent.
 */

import { encodeMediaFrame, type MediaChannel } from '../../../../src-preload/contract';
import { audioReader } from './platform';

export const START_AUDIO_BITRATE = 32_000;
const REANCHOR_US = 40_000;

/** Beyond this the track's timestamps are not on performance.now()'s clock. */
const SAME_CLOCK_US = 5_000_000;
/**
 * Audio that waited longer than this before the reader got it is skipped: the reader only
 * keeps pace with the microphone, so a backlog from a stall (or from the call's start) would
 * otherwise stay as delay for the rest of the call.
 */
const STALE_US = 30_000;

/** How long `data` waited before this read, µs (0 when its stamp is on another clock). */
function queuedUs(data: AudioData): number {
  const q = performance.now() * 1000 - data.timestamp;
  return Number.isFinite(q) && q < SAME_CLOCK_US ? Math.max(0, q) : 0;
}

/**
 * When `data`'s first sample was captured, µs on the performance clock. Chromium stamps a
 * chunk about when its capture completed (read ≈ 1 ms later when nothing queues, 50 ms later
 * after a 50 ms main-thread stall), so the start is one chunk earlier; taken as the earlier
 * of the stamp and the read time, the figure never counts less delay than there was.
 */
function captureStartUs(data: AudioData, durUs: number): number {
  const readAtUs = performance.now() * 1000;
  const ts = data.timestamp;
  const stamped = Number.isFinite(ts) && readAtUs - ts < SAME_CLOCK_US && ts - readAtUs < SAME_CLOCK_US;
  return (stamped ? Math.min(ts, readAtUs) : readAtUs) - durUs;
}

export class AudioSender {
  muted = false;
  private reader: ReadableStreamDefaultReader<AudioData> | null = null;
  private encoder: AudioEncoder | null = null;
  private encoderRate = 0;
  private bitrate = START_AUDIO_BITRATE;
  private nextUs: number | null = null;
  private fedSinceReset = 0;
  private stopped = false;
  /** Chunks sent (tests, stats). */
  sentFrames = 0;
  /** Captured chunks skipped because they had queued too long (a stall's backlog). */
  staleChunks = 0;

  constructor(
    private readonly callId: string,
    private readonly channel: MediaChannel,
    track: MediaStreamTrack,
  ) {
    this.read(track);
  }

  setBitrate(bps: number): void {
    const b = Math.max(6_000, Math.min(510_000, Math.round(bps)));
    if (bps <= 0 || b === this.bitrate) return;
    this.bitrate = b;
    if (this.encoder && this.encoder.state === 'configured') this.configure(this.encoderRate);
  }

  replaceTrack(track: MediaStreamTrack): void {
    void this.reader?.cancel().catch(() => undefined);
    this.nextUs = null;
    this.read(track);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.reader?.cancel().catch(() => undefined);
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
  }

  private read(track: MediaStreamTrack): void {
    const reader = audioReader(track);
    this.reader = reader;
    const loop = async () => {
      for (;;) {
        let r: ReadableStreamReadResult<AudioData>;
        try {
          r = await reader.read();
        } catch {
          return;
        }
        if (r.done) return;
        const data = r.value;
        try {
          if (this.stopped || this.muted || this.reader !== reader) this.nextUs = null;
          else if (queuedUs(data) > STALE_US) this.staleChunks++;
          else this.encode(data);
        } finally {
          data.close();
        }
      }
    };
    void loop();
  }

  private configure(sampleRate: number): void {
    this.encoder!.configure({
      codec: 'opus',
      sampleRate,
      numberOfChannels: 1,
      bitrate: this.bitrate,
      bitrateMode: 'variable',
      opus: { frameDuration: 20_000, usedtx: false, complexity: 7 },
    });
    this.encoderRate = sampleRate;
  }

  private encode(data: AudioData): void {
    if (!this.encoder || this.encoder.state === 'closed') this.resetEncoder(data.sampleRate);
    else if (this.encoderRate !== data.sampleRate) this.configure(data.sampleRate);
    const frames = data.numberOfFrames;
    const durUs = (frames * 1e6) / data.sampleRate;
    const nowStartUs = captureStartUs(data, durUs);
    if (this.nextUs === null || Math.abs(nowStartUs - this.nextUs) > REANCHOR_US) {
      // a gap (unmute, a stalled reader): the encoder stamps its output by counting samples
      // from its first input, so a fresh encoder keeps chunk times on the capture clock
      if (this.fedSinceReset > 0) this.resetEncoder(data.sampleRate);
      this.nextUs = nowStartUs;
    }
    const pcm = new Float32Array(frames);
    data.copyTo(pcm, { planeIndex: 0, format: 'f32-planar' });
    const mono = new AudioData({
      format: 'f32-planar',
      sampleRate: data.sampleRate,
      numberOfChannels: 1,
      numberOfFrames: frames,
      timestamp: Math.round(this.nextUs),
      data: pcm,
    });
    this.nextUs += durUs;
    this.fedSinceReset++;
    try {
      this.encoder!.encode(mono);
    } finally {
      mono.close();
    }
  }

  private resetEncoder(sampleRate: number): void {
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
    this.encoder = new AudioEncoder({
      output: (chunk) => this.onChunk(chunk),
      error: () => {
        this.encoder = null;
      },
    });
    this.configure(sampleRate);
    this.fedSinceReset = 0;
  }

  private onChunk(chunk: EncodedAudioChunk): void {
    if (this.stopped) return;
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    try {
      this.channel.send(
        encodeMediaFrame({
          kind: 'audio',
          callId: this.callId,
          seq: 0,
          keyframe: false,
          recovered: false,
          timestampUs: chunk.timestamp,
          captureMs: performance.timeOrigin + chunk.timestamp / 1000,
          durationUs: chunk.duration ?? 20_000,
          width: 0,
          height: 0,
          data,
        }),
      );
      this.sentFrames++;
    } catch {
      // an oversized or empty chunk is not sent; the receiver conceals it
    }
  }
}
