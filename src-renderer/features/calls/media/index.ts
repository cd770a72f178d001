/**
 * @module calls/media
 * The renderer's call media engine: microphone and camera → WebCodecs (Opus, VP8) → the
 * bridge's binary media channel, and back: jitter buffer, concealment and audio-clocked
 * playout, VP8 decoding lip-synced to the audio into a remote MediaStream. The call screens
 * use only this module's exports.
 */

import { decodeMediaFrame, type CallTargetT, type MediaChannel, type MediaFrame } from '../../../../src-preload/contract';
import { AudioPlayout } from './audio-playout';
import type { PlayoutCoreStats } from './playout-core';
import { AudioSender } from './audio-sender';
import { openCamera, openMicrophone } from './devices';
import { assertCallSupport } from './platform';
import { START_VIDEO, VideoSender, type VideoTarget } from './video-sender';
import { VideoReceiver } from './video-receiver';

export { listDevices, type Device } from './devices';

export type CallMediaOptions = {
  callId: string;
  channel: MediaChannel;
  video: boolean;
  muted?: boolean;
  audioInputId?: string;
  videoInputId?: string;
  audioOutputId?: string;
};

export type PlayoutStats = PlayoutCoreStats & {
  /** where the received-audio pipeline runs: the playout worker, or the page as a fallback */
  audioPipeline: 'worker' | 'page' | 'none';
  videoFps: number;
  videoWidth: number;
  videoHeight: number;
  lateVideoFrames: number;
};

const CALL_ID = /^[0-9a-f]{32}$/;

export class CallMedia {
  readonly localStream: MediaStream;
  readonly remoteStream: MediaStream;
  private mic: MediaStreamTrack;
  private camera: MediaStreamTrack | null;
  private readonly audioOut: AudioSender;
  private videoOut: VideoSender | null = null;
  private videoTarget: VideoTarget = { ...START_VIDEO };
  private readonly off: () => void;
  private muted: boolean;
  private devices: { audioInputId?: string; videoInputId?: string; audioOutputId?: string };
  private stopping: Promise<void> | null = null;

  private constructor(
    private readonly callId: string,
    private readonly channel: MediaChannel,
    mic: MediaStreamTrack,
    camera: MediaStreamTrack | null,
    private readonly playout: AudioPlayout,
    private readonly videoIn: VideoReceiver,
    o: CallMediaOptions,
  ) {
    this.mic = mic;
    this.camera = camera;
    this.muted = o.muted ?? false;
    this.devices = { audioInputId: o.audioInputId, videoInputId: o.videoInputId, audioOutputId: o.audioOutputId };
    this.localStream = new MediaStream(camera ? [mic, camera] : [mic]);
    this.remoteStream = new MediaStream(videoIn.track ? [videoIn.track] : []);
    this.audioOut = new AudioSender(callId, channel, mic);
    this.audioOut.muted = this.muted;
    if (camera) this.videoOut = new VideoSender(callId, channel, camera, this.videoTarget);
    this.off = channel.on((bytes) => this.receive(bytes));
  }

  /** Opens the microphone (and the camera for a video call) and starts sending and playing. */
  static async start(o: CallMediaOptions): Promise<CallMedia> {
    if (!CALL_ID.test(o.callId)) throw new Error('The call could not start: its id is not valid.');
    assertCallSupport();
    const mic = await openMicrophone(o.audioInputId);
    let camera: MediaStreamTrack | null = null;
    const playout = new AudioPlayout();
    try {
      if (o.video) camera = await openCamera(o.videoInputId);
      await playout.start(o.audioOutputId);
    } catch (e) {
      mic.stop();
      camera?.stop();
      await playout.stop();
      throw e;
    }
    const videoIn = new VideoReceiver(() => playout.mediaUs());
    return new CallMedia(o.callId, o.channel, mic, camera, playout, videoIn, o);
  }

  /** Muted, no audio frames are encoded or sent at all. */
  setMuted(m: boolean): void {
    this.muted = m;
    this.audioOut.muted = m;
    this.mic.enabled = !m;
  }

  async setCamera(on: boolean): Promise<void> {
    if (this.stopping) return;
    if (!on) {
      this.videoOut?.stop();
      this.videoOut = null;
      if (this.camera) {
        this.localStream.removeTrack(this.camera);
        this.camera.stop();
        this.camera = null;
      }
      return;
    }
    if (this.camera) return;
    const cam = await openCamera(this.devices.videoInputId);
    if (this.stopping) {
      cam.stop();
      return;
    }
    this.camera = cam;
    this.localStream.addTrack(cam);
    this.videoOut = new VideoSender(this.callId, this.channel, cam, this.videoTarget);
  }

  async setDevices(d: { audioInputId?: string; videoInputId?: string; audioOutputId?: string }): Promise<void> {
    if (this.stopping) return;
    if (d.audioInputId !== undefined && d.audioInputId !== this.devices.audioInputId) {
      const mic = await openMicrophone(d.audioInputId);
      const old = this.mic;
      this.mic = mic;
      mic.enabled = !this.muted;
      this.localStream.removeTrack(old);
      this.localStream.addTrack(mic);
      this.audioOut.replaceTrack(mic);
      old.stop();
      this.devices.audioInputId = d.audioInputId;
    }
    if (d.videoInputId !== undefined && d.videoInputId !== this.devices.videoInputId) {
      this.devices.videoInputId = d.videoInputId;
      if (this.camera) {
        await this.setCamera(false);
        await this.setCamera(true);
      }
    }
    if (d.audioOutputId !== undefined && d.audioOutputId !== this.devices.audioOutputId) {
      await this.playout.setSink(d.audioOutputId);
      this.devices.audioOutputId = d.audioOutputId;
    }
  }

  /** The link's target for this call: bitrates, video size and fps; keyframe → the next frame is one. */
  applyTarget(t: CallTargetT): void {
    if (t.callId !== this.callId) return;
    this.audioOut.setBitrate(t.audioBitrate);
    this.videoTarget = {
      bitrate: t.videoBitrate,
      width: t.width > 0 ? t.width : this.videoTarget.width,
      height: t.height > 0 ? t.height : this.videoTarget.height,
      fps: t.fps > 0 ? t.fps : this.videoTarget.fps,
    };
    this.videoOut?.applyTarget(this.videoTarget);
    if (t.keyframe) this.videoOut?.requestKeyframe();
  }

  stats(): PlayoutStats {
    return {
      ...this.playout.stats(),
      audioPipeline: this.playout.runsIn,
      videoFps: this.videoIn.framesPerSecond(),
      videoWidth: this.videoIn.width,
      videoHeight: this.videoIn.height,
      lateVideoFrames: this.videoIn.late,
    };
  }

  /** The last `seconds` (≤ 10) of played-out audio, mono 48 kHz. */
  recentAudio(seconds: number): Float32Array {
    return this.playout.recent(Math.max(0, Math.min(10, seconds)));
  }

  /** Releases the devices and closes the codecs; safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.off();
      this.audioOut.stop();
      this.videoOut?.stop();
      this.videoOut = null;
      this.videoIn.stop();
      this.mic.stop();
      this.camera?.stop();
      await this.playout.stop();
    })();
    return this.stopping;
  }

  private receive(bytes: Uint8Array): void {
    if (this.stopping) return;
    let f: MediaFrame;
    try {
      f = decodeMediaFrame(bytes);
    } catch {
      return; // not a frame we can use
    }
    if (f.callId !== this.callId) return;
    if (f.kind === 'audio') this.playout.push(f);
    else this.videoIn.push(f);
  }
}
