/**
 * @module contract/media
 * Encoded media frames between the renderer (WebCodecs encoders/decoders) and the main
 * process (per-frame encryption, packetisation, the friend's link). They cross the bridge as
 * binary frames — a WebSocket binary message in the headless shell, an IPC message on the
 * `bitunicom:media` channel in Electron — never as JSON. Both directions use one layout,
 * big-endian, a 48-byte header then the codec's bytes:
 *
 * | off | size | field |
 * |---|---|---|
 * | 0 | 1 | magic `0x4D` ('M') |
 * | 1 | 1 | version `1` |
 * | 2 | 1 | kind: 0 audio (Opus), 1 video (VP8) |
 * | 3 | 1 | flags: bit 0 keyframe, bit 1 recovered (inbound: rebuilt from a redundant copy) |
 * | 4 | 16 | call id |
 * | 20 | 4 | seq: per call and kind, from the sender (0 outbound: the main process numbers them) |
 * | 24 | 8 | timestamp, µs of media time (float64; the encoder's chunk timestamp) |
 * | 32 | 8 | capture time, ms since the epoch on the sender's clock (float64; latency figures) |
 * | 40 | 4 | duration, µs |
 * | 44 | 2 | width (video keyframes; else 0) |
 * | 46 | 2 | height |
 * | 48 | n | the encoded chunk (audio ≤ 4 KiB, video ≤ 512 KiB) |
 *
 * `decodeMediaFrame` checks every field and throws `MediaFrameError` on anything else, so
 * both ends can hand it untrusted bytes.
 */

export const MEDIA_MAGIC = 0x4d;
export const MEDIA_VERSION = 1;
export const MEDIA_HEADER = 48;
export const MAX_AUDIO_FRAME = 4 * 1024;
export const MAX_VIDEO_FRAME = 512 * 1024;
export const IPC_MEDIA_CHANNEL = 'bitunicom:media';

export type MediaKind = 'audio' | 'video';

export type MediaFrame = {
  kind: MediaKind;
  /** 32 lowercase hex digits. */
  callId: string;
  seq: number;
  keyframe: boolean;
  recovered: boolean;
  timestampUs: number;
  captureMs: number;
  durationUs: number;
  width: number;
  height: number;
  data: Uint8Array;
};

export class MediaFrameError extends Error {
  readonly code = 'BAD_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'MediaFrameError';
  }
}

const HEX = /^[0-9a-f]{32}$/;

export function encodeMediaFrame(f: MediaFrame): Uint8Array {
  if (!HEX.test(f.callId)) throw new MediaFrameError('callId must be 32 lowercase hex digits');
  const max = f.kind === 'audio' ? MAX_AUDIO_FRAME : MAX_VIDEO_FRAME;
  if (f.data.length === 0 || f.data.length > max) throw new MediaFrameError(`a ${f.kind} frame carries 1…${max} bytes`);
  const out = new Uint8Array(MEDIA_HEADER + f.data.length);
  const v = new DataView(out.buffer);
  out[0] = MEDIA_MAGIC;
  out[1] = MEDIA_VERSION;
  out[2] = f.kind === 'audio' ? 0 : 1;
  out[3] = (f.keyframe ? 1 : 0) | (f.recovered ? 2 : 0);
  for (let i = 0; i < 16; i++) out[4 + i] = parseInt(f.callId.slice(i * 2, i * 2 + 2), 16);
  v.setUint32(20, f.seq >>> 0);
  v.setFloat64(24, f.timestampUs);
  v.setFloat64(32, f.captureMs);
  v.setUint32(40, Math.max(0, Math.min(0xffffffff, Math.round(f.durationUs))));
  v.setUint16(44, f.width & 0xffff);
  v.setUint16(46, f.height & 0xffff);
  out.set(f.data, MEDIA_HEADER);
  return out;
}

export function decodeMediaFrame(bytes: Uint8Array): MediaFrame {
  if (bytes.length <= MEDIA_HEADER) throw new MediaFrameError('media frame too short');
  if (bytes[0] !== MEDIA_MAGIC || bytes[1] !== MEDIA_VERSION) throw new MediaFrameError('not a version 1 media frame');
  const kindByte = bytes[2];
  if (kindByte !== 0 && kindByte !== 1) throw new MediaFrameError('unknown media kind');
  const kind: MediaKind = kindByte === 0 ? 'audio' : 'video';
  const flags = bytes[3]!;
  if (flags & ~3) throw new MediaFrameError('unknown media flags');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const timestampUs = v.getFloat64(24);
  const captureMs = v.getFloat64(32);
  if (!Number.isFinite(timestampUs) || !Number.isFinite(captureMs)) throw new MediaFrameError('media times must be finite');
  const size = bytes.length - MEDIA_HEADER;
  if (size > (kind === 'audio' ? MAX_AUDIO_FRAME : MAX_VIDEO_FRAME)) throw new MediaFrameError(`${kind} frame too large`);
  let callId = '';
  for (let i = 0; i < 16; i++) callId += bytes[4 + i]!.toString(16).padStart(2, '0');
  return {
    kind,
    callId,
    seq: v.getUint32(20),
    keyframe: (flags & 1) !== 0,
    recovered: (flags & 2) !== 0,
    timestampUs,
    captureMs,
    durationUs: v.getUint32(40),
    width: v.getUint16(44),
    height: v.getUint16(46),
    data: bytes.slice(MEDIA_HEADER),
  };
}

/** The binary side channel every bridge offers next to invoke/on. */
export type MediaChannel = {
  send(frame: Uint8Array): void;
  on(listener: (frame: Uint8Array) => void): () => void;
};

/** What the main process offers a bridge transport for media (the node's calls service). */
export type MediaPort = {
  /** A frame from a renderer (untrusted bytes: the port validates them and drops bad ones). */
  fromUi(frame: Uint8Array): void;
  /** Frames for the renderers; returns the function that stops listening. */
  subscribe(listener: (frame: Uint8Array) => void): () => void;
};
