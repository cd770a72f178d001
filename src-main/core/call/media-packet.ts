/**
 * @module call/media-packet
 * Wire format of one end-to-end encrypted media packet (SFrame-like, RFC 9605 ideas), carried
 * as one friend-session payload (≤ 1,167 bytes, one datagram, never retransmitted).
 *
 * Header (14 bytes, authenticated as AAD, big-endian):
 * | off | size | field |
 * |---|---|---|
 * | 0 | 1 | type `0xB1` (`isCallMediaPacket`) |
 * | 1 | 1 | version `1` |
 * | 2 | 4 | call tag: the first 4 bytes of the call id |
 * | 6 | 8 | packet counter, per direction, from 0 (nonce = salt ‖ counter; never reused) |
 *
 * Then AES-256-GCM(body) ‖ 16-byte tag. The body starts with 22 common bytes — packet type
 * (1 audio, 2 video, 3 receiver report, 4 keyframe request), flags (bit 0 keyframe), per-kind
 * sequence number u32, media timestamp u32 (µs, wraps; the receiver unwraps it), capture time
 * float64 (ms since the epoch, sender clock), send time u32 (ms, sender clock, for delay-based
 * congestion control and report echo) — then a per-type part (see README-media.md).
 * Receiver reports follow RTCP RR (RFC 3550 §6.4.2) in spirit.
 *
 * Decoding is strict: every length, type and reserved bit is checked and anything else throws
 * `BuError('BAD_ENVELOPE')`. `MediaPacketOpener` adds the call tag check, authentication and a
 * replay window over the counter (the session's `ReplayWindow`, RFC 6479 style).
 */
import { BuError } from '../base';
import { ReplayWindow } from '../session';
import type { CallKeys } from './keys';

export const MEDIA_PACKET_TYPE = 0xb1;
export const MEDIA_PACKET_VERSION = 1;
export const MEDIA_HEADER_LENGTH = 14;
export const MEDIA_TAG_LENGTH = 16;
export const BODY_COMMON_LENGTH = 22;
export const VIDEO_PART_LENGTH = 16;
/** One friend-session payload that still fits one datagram. */
export const MAX_MEDIA_PACKET = 1167;
/** Room for the type-specific part of a body. */
export const MAX_BODY_PAYLOAD = MAX_MEDIA_PACKET - MEDIA_HEADER_LENGTH - MEDIA_TAG_LENGTH - BODY_COMMON_LENGTH;
/** Bytes of encoded video per packet. */
export const MAX_VIDEO_CHUNK = MAX_BODY_PAYLOAD - VIDEO_PART_LENGTH;

const TYPE_CODES = { audio: 1, video: 2, report: 3, 'keyframe-request': 4 } as const;
export type MediaPacketKind = keyof typeof TYPE_CODES;

export type StreamReport = {
  /** Lost fraction since the previous report, in 1/256 (RFC 3550). */
  fractionLost: number;
  cumulativeLost: number;
  highestSeq: number;
  jitterUs: number;
  receiveBps: number;
};

/** 0 normal, 1 overuse, 2 underuse (delay-based detector at the receiver). */
export type DelaySignal = 0 | 1 | 2;

export type ReportBody = {
  /** `sendMs` of the last report we received from the peer (0 = none yet). */
  echoMs: number;
  /** Milliseconds between receiving that report and sending this one. */
  delaySinceMs: number;
  delay: DelaySignal;
  audio: StreamReport;
  video: StreamReport;
};

type Common = { seq: number; timestamp: number; captureMs: number; sendMs: number };
export type MediaBody =
  | (Common & { type: 'audio'; payload: Uint8Array })
  | (Common & {
      type: 'video';
      keyframe: boolean;
      frameId: number;
      index: number;
      count: number;
      durationUs: number;
      width: number;
      height: number;
      payload: Uint8Array;
    })
  | (Common & { type: 'report'; report: ReportBody })
  | (Common & { type: 'keyframe-request' });

function bad(why: string): never {
  throw new BuError('BAD_ENVELOPE', `media packet: ${why}`);
}

const U32 = 0xffffffff;
function u32ok(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= U32;
}
function u16ok(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff;
}

export function isCallMediaPacket(data: Uint8Array): boolean {
  return data.length >= MEDIA_HEADER_LENGTH + MEDIA_TAG_LENGTH + BODY_COMMON_LENGTH && data[0] === MEDIA_PACKET_TYPE && data[1] === MEDIA_PACKET_VERSION;
}

const REPORT_STREAM = 17;
const REPORT_LENGTH = 10 + 2 * REPORT_STREAM;

function putStream(v: DataView, off: number, s: StreamReport): void {
  if (!(Number.isInteger(s.fractionLost) && s.fractionLost >= 0 && s.fractionLost <= 255)) bad('fraction lost');
  for (const n of [s.cumulativeLost, s.highestSeq, s.jitterUs, s.receiveBps]) if (!u32ok(n)) bad('report field out of range');
  v.setUint8(off, s.fractionLost);
  v.setUint32(off + 1, s.cumulativeLost);
  v.setUint32(off + 5, s.highestSeq);
  v.setUint32(off + 9, s.jitterUs);
  v.setUint32(off + 13, s.receiveBps);
}

function getStream(v: DataView, off: number): StreamReport {
  return {
    fractionLost: v.getUint8(off),
    cumulativeLost: v.getUint32(off + 1),
    highestSeq: v.getUint32(off + 5),
    jitterUs: v.getUint32(off + 9),
    receiveBps: v.getUint32(off + 13),
  };
}

/** Serialise a body (plaintext). Throws BAD_ENVELOPE on out-of-range fields or oversize. */
export function encodeBody(b: MediaBody): Uint8Array {
  if (!u32ok(b.seq) || !u32ok(b.timestamp) || !u32ok(b.sendMs) || !Number.isFinite(b.captureMs)) bad('common field out of range');
  let extra: number;
  if (b.type === 'audio') extra = b.payload.length;
  else if (b.type === 'video') extra = VIDEO_PART_LENGTH + b.payload.length;
  else if (b.type === 'report') extra = REPORT_LENGTH;
  else extra = 0;
  if (extra > MAX_BODY_PAYLOAD) bad('too large for one datagram');
  if ((b.type === 'audio' || b.type === 'video') && b.payload.length === 0) bad('empty payload');
  const out = new Uint8Array(BODY_COMMON_LENGTH + extra);
  const v = new DataView(out.buffer);
  v.setUint8(0, TYPE_CODES[b.type]);
  v.setUint8(1, b.type === 'video' && b.keyframe ? 1 : 0);
  v.setUint32(2, b.seq);
  v.setUint32(6, b.timestamp);
  v.setFloat64(10, b.captureMs);
  v.setUint32(18, b.sendMs);
  const p = BODY_COMMON_LENGTH;
  if (b.type === 'audio') out.set(b.payload, p);
  else if (b.type === 'video') {
    if (!u32ok(b.frameId) || !u16ok(b.index) || !u16ok(b.count) || b.count === 0 || b.index >= b.count) bad('fragment numbering');
    if (!u32ok(b.durationUs) || !u16ok(b.width) || !u16ok(b.height)) bad('video field out of range');
    v.setUint32(p, b.frameId);
    v.setUint16(p + 4, b.index);
    v.setUint16(p + 6, b.count);
    v.setUint32(p + 8, b.durationUs);
    v.setUint16(p + 12, b.width);
    v.setUint16(p + 14, b.height);
    out.set(b.payload, p + VIDEO_PART_LENGTH);
  } else if (b.type === 'report') {
    const r = b.report;
    if (!u32ok(r.echoMs) || !u32ok(r.delaySinceMs) || ![0, 1, 2].includes(r.delay)) bad('report field out of range');
    v.setUint32(p, r.echoMs);
    v.setUint32(p + 4, r.delaySinceMs);
    v.setUint8(p + 8, r.delay);
    v.setUint8(p + 9, 2);
    putStream(v, p + 10, r.audio);
    putStream(v, p + 10 + REPORT_STREAM, r.video);
  }
  return out;
}

/** Parse a decrypted body. Throws BAD_ENVELOPE on anything malformed. */
export function decodeBody(body: Uint8Array): MediaBody {
  if (body.length < BODY_COMMON_LENGTH) bad('truncated body');
  const v = new DataView(body.buffer, body.byteOffset, body.length);
  const code = v.getUint8(0);
  const flags = v.getUint8(1);
  const common: Common = { seq: v.getUint32(2), timestamp: v.getUint32(6), captureMs: v.getFloat64(10), sendMs: v.getUint32(18) };
  if (!Number.isFinite(common.captureMs)) bad('capture time');
  if ((flags & ~1) !== 0 || (flags !== 0 && code !== TYPE_CODES.video)) bad('reserved flags');
  const rest = body.subarray(BODY_COMMON_LENGTH);
  const p = BODY_COMMON_LENGTH;
  switch (code) {
    case TYPE_CODES.audio:
      if (rest.length === 0) bad('empty audio');
      return { ...common, type: 'audio', payload: rest.slice() };
    case TYPE_CODES.video: {
      if (rest.length <= VIDEO_PART_LENGTH) bad('truncated video fragment');
      const index = v.getUint16(p + 4);
      const count = v.getUint16(p + 6);
      if (count === 0 || index >= count) bad('fragment numbering');
      return {
        ...common,
        type: 'video',
        keyframe: (flags & 1) === 1,
        frameId: v.getUint32(p),
        index,
        count,
        durationUs: v.getUint32(p + 8),
        width: v.getUint16(p + 12),
        height: v.getUint16(p + 14),
        payload: rest.slice(VIDEO_PART_LENGTH),
      };
    }
    case TYPE_CODES.report: {
      if (rest.length !== REPORT_LENGTH) bad('report length');
      const delay = v.getUint8(p + 8);
      if (delay > 2) bad('delay signal');
      if (v.getUint8(p + 9) !== 2) bad('report stream count');
      return {
        ...common,
        type: 'report',
        report: {
          echoMs: v.getUint32(p),
          delaySinceMs: v.getUint32(p + 4),
          delay: delay as DelaySignal,
          audio: getStream(v, p + 10),
          video: getStream(v, p + 10 + REPORT_STREAM),
        },
      };
    }
    case TYPE_CODES['keyframe-request']:
      if (rest.length !== 0) bad('keyframe request length');
      return { ...common, type: 'keyframe-request' };
    default:
      return bad('unknown packet type');
  }
}

function header(callId: Uint8Array, counter: number): Uint8Array {
  const h = new Uint8Array(MEDIA_HEADER_LENGTH);
  const v = new DataView(h.buffer);
  h[0] = MEDIA_PACKET_TYPE;
  h[1] = MEDIA_PACKET_VERSION;
  h.set(callId.subarray(0, 4), 2);
  v.setBigUint64(6, BigInt(counter));
  return h;
}

/** Encrypt one body into a packet. */
export function sealMediaPacket(keys: CallKeys, callId: Uint8Array, counter: number, body: MediaBody): Uint8Array {
  const h = header(callId, counter);
  const sealed = keys.seal(h, encodeBody(body), counter);
  const out = new Uint8Array(h.length + sealed.length);
  out.set(h, 0);
  out.set(sealed, h.length);
  if (out.length > MAX_MEDIA_PACKET) bad('packet over one datagram');
  return out;
}

export type OpenFailure = 'malformed' | 'other-call' | 'replay' | 'auth';

/** Checks, decrypts and de-duplicates the peer's packets of one call. */
export class MediaPacketOpener {
  private readonly window = new ReplayWindow();
  constructor(
    private readonly keys: CallKeys,
    private readonly callId: Uint8Array,
  ) {}

  /** The body, or a failure reason; never throws for bad input. */
  open(pkt: Uint8Array): MediaBody | OpenFailure {
    if (pkt.length > MAX_MEDIA_PACKET || !isCallMediaPacket(pkt)) return 'malformed';
    for (let i = 0; i < 4; i++) if (pkt[2 + i] !== this.callId[i]) return 'other-call';
    const big = new DataView(pkt.buffer, pkt.byteOffset, pkt.length).getBigUint64(6);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) return 'malformed';
    const counter = Number(big);
    if (!this.window.check(counter)) return 'replay';
    const plain = this.keys.open(pkt.subarray(0, MEDIA_HEADER_LENGTH), pkt.subarray(MEDIA_HEADER_LENGTH), counter);
    if (!plain) return 'auth';
    let body: MediaBody;
    try {
      body = decodeBody(plain);
    } catch {
      return 'malformed';
    }
    if (!this.window.update(counter)) return 'replay';
    return body;
  }
}
