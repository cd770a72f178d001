/**
 * @module call/call-media
 * The media side of one call in the main process: our ephemeral key pair, the per-call keys
 * once the friend's key is known (keys.ts), the MediaSession (media-session.ts: packets, RED,
 * reports, congestion control), and the translation between the renderer's binary frames
 * (src-preload/contract/media.ts) and the session's packets. Frames the renderer sends before
 * the keys exist, for another call, or while muted (audio) are dropped; malformed bytes from
 * the renderer are counted and dropped, never thrown.
 */
import { fromHex, toHex, type TypedEmitter } from '../base';
import { decodeMediaFrame, encodeMediaFrame, type CallTargetT } from '../../../src-preload/contract';
import { deriveCallKeys, newCallKeyPair, type CallKeyPair } from './keys';
import { MediaSession, type MediaStats } from './media-session';

type Emitter = Pick<TypedEmitter<{ target: CallTargetT; media: Uint8Array }>, 'emit'>;

export type CallMediaOptions = {
  callId: string;
  weAreCaller: boolean;
  self: string;
  peer: string;
  send(packet: Uint8Array): boolean;
  events: Emitter;
  loss?: { rate: number; seed: number };
};

export class CallMedia {
  private readonly pair: CallKeyPair = newCallKeyPair();
  private session: MediaSession | null = null;
  private readonly id: Uint8Array;
  /** Renderer frames refused (malformed, wrong call). */
  rejectedFrames = 0;

  constructor(private readonly o: CallMediaOptions) {
    this.id = fromHex(o.callId);
  }

  publicKeyHex(): string {
    return toHex(this.pair.publicKey);
  }

  /** The friend's key arrived (offer or answer): derive the keys and start the media session. */
  agree(peerKeyHex: string): void {
    if (this.session) return;
    const keys = deriveCallKeys({
      callId: this.id,
      own: this.pair,
      peerPublic: fromHex(peerKeyHex),
      callerAddress: this.o.weAreCaller ? this.o.self : this.o.peer,
      calleeAddress: this.o.weAreCaller ? this.o.peer : this.o.self,
      weAreCaller: this.o.weAreCaller,
    });
    this.session = new MediaSession({
      callId: this.id,
      keys,
      send: this.o.send,
      loss: this.o.loss,
      onFrame: (f) =>
        this.o.events.emit(
          'media',
          encodeMediaFrame({
            kind: f.kind, callId: this.o.callId, seq: f.seq, keyframe: f.keyframe, recovered: f.recovered,
            timestampUs: f.timestampUs, captureMs: f.captureMs, durationUs: f.durationUs, width: f.width, height: f.height, data: f.data,
          }),
        ),
      onTarget: (t) => this.o.events.emit('target', { callId: this.o.callId, ...t }),
    });
  }

  /** A frame from the renderer. */
  fromUi(bytes: Uint8Array, muted: boolean): void {
    if (!this.session) return;
    let f;
    try {
      f = decodeMediaFrame(bytes);
    } catch {
      this.rejectedFrames++;
      return;
    }
    if (f.callId !== this.o.callId) {
      this.rejectedFrames++;
      return;
    }
    if (f.kind === 'audio' && muted) return;
    this.session.sendFrame({
      kind: f.kind, data: f.data, timestampUs: f.timestampUs, captureMs: f.captureMs, durationUs: f.durationUs,
      keyframe: f.keyframe, width: f.width, height: f.height,
    });
  }

  /** A media packet from the friend; true if it was valid for this call. */
  onPacket(pkt: Uint8Array): boolean {
    return this.session?.onPacket(pkt) ?? false;
  }

  tick(): void {
    this.session?.tick();
  }

  stats(): MediaStats | null {
    return this.session?.stats() ?? null;
  }

  close(): void {
    this.session?.close();
    this.session = null;
  }
}
