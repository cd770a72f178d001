/**
 * @module dapps/channels/codec
 * The wire format of a dapp channel frame: one friend-session payload each (the session
 * already authenticates the sender and encrypts the bytes, seed 000 "end-to-end encryption
 * channel"), first byte PAYLOAD_TAG.DAPP_CHANNEL (0xc1, base/payload-tags), then a fixed
 * 32-byte header carrying the application id (seed 000: "every dapp in this framework is
 * assigned a unique application ID") so a frame is only ever handed to the same app on the
 * other side.
 *
 * | offset | size | field                                                        |
 * |--------|------|--------------------------------------------------------------|
 * | 0      | 1    | tag 0xc1                                                     |
 * | 1      | 1    | version (1)                                                  |
 * | 2      | 1    | kind (FrameKind)                                             |
 * | 3      | 1    | flags (HAVE: bit 0 "I granted you"; CLOSE: reason; else 0)   |
 * | 4      | 20   | application id                                               |
 * | 24     | 4    | stream (uint32 BE; DATA/ACK, else 0)                         |
 * | 28     | 4    | seq (uint32 BE; DATA: its number, ACK: next expected, else 0)|
 * | 32     | n    | body: DATA only, the dapp's JSON as UTF-8, 1…16384 bytes     |
 *
 * `decodeFrame` is strict (unknown version, kind or flag bits, a body where none belongs,
 * non-zero stream/seq on control kinds, invalid UTF-8 or JSON → BAD_ENVELOPE); the service
 * drops and counts what it refuses.
 */
import { BuError, PAYLOAD_TAG, fromHex, toHex } from '../../base';

export const CHANNEL_VERSION = 1;
export const HEADER_BYTES = 32;
/** The largest dapp message: 16 KiB of UTF-8 JSON. */
export const MAX_DATA_BYTES = 16 * 1024;
export const MAX_FRAME_BYTES = HEADER_BYTES + MAX_DATA_BYTES;

export const FrameKind = {
  /** "I granted you a channel for this app" (sent on grant and on every new session). */
  OPEN: 1,
  /** The answer to OPEN when we granted the sender too: the channel is up both ways. */
  ACCEPT: 2,
  /** A dapp message (stream, seq, JSON body). */
  DATA: 3,
  /** "I no longer grant you" (revoked or uninstalled; flags = CloseReason). */
  CLOSE: 4,
  /** Cumulative acknowledgement: every DATA of `stream` below `seq` arrived. */
  ACK: 5,
  /** "Do you have this app installed?" (before a grant: whom may the user pick). */
  PROBE: 6,
  /** The answer to PROBE, only when installed (flags bit 0: the sender already granted us). */
  HAVE: 7,
} as const;
export type FrameKindT = (typeof FrameKind)[keyof typeof FrameKind];

export const CloseReason = { REVOKED: 0, UNINSTALLED: 1 } as const;
export const HAVE_GRANTED = 1;

export type Frame = {
  kind: FrameKindT;
  /** 0x + 40 lowercase hex. */
  appId: string;
  flags: number;
  stream: number;
  seq: number;
  /** DATA only: the parsed JSON value (else undefined). */
  data?: unknown;
};

const KINDS = new Set<number>(Object.values(FrameKind));
const APP_ID = /^0x[0-9a-f]{40}$/;
const U32_MAX = 0xffff_ffff;

function bad(why: string): never {
  throw new BuError('BAD_ENVELOPE', `dapp channel frame: ${why}`);
}

/** UTF-8 of the JSON text of `value`; BAD_INPUT if not JSON-serialisable, TOO_LONG over 16 KiB. */
export function encodeData(value: unknown): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new BuError('BAD_INPUT', `channel data must be JSON-serialisable: ${(e as Error).message}`);
  }
  if (text === undefined) throw new BuError('BAD_INPUT', 'channel data must be a JSON value (not undefined or a function)');
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_DATA_BYTES) throw new BuError('TOO_LONG', `channel data is ${bytes.length} bytes of JSON; the limit is ${MAX_DATA_BYTES}`);
  return bytes;
}

function checkU32(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > U32_MAX) throw new BuError('BAD_INPUT', `${what} must be a uint32, got ${n}`);
}

/** One frame; `body` (DATA only) from `encodeData`. */
export function encodeFrame(f: { kind: FrameKindT; appId: string; flags?: number; stream?: number; seq?: number; body?: Uint8Array }): Uint8Array {
  if (!APP_ID.test(f.appId)) throw new BuError('BAD_INPUT', `not an app id: ${f.appId}`);
  if (!KINDS.has(f.kind)) throw new BuError('BAD_INPUT', `unknown channel frame kind ${f.kind}`);
  const flags = f.flags ?? 0;
  const stream = f.stream ?? 0;
  const seq = f.seq ?? 0;
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xff) throw new BuError('BAD_INPUT', `flags must be a byte, got ${flags}`);
  checkU32(stream, 'stream');
  checkU32(seq, 'seq');
  const body = f.body ?? new Uint8Array(0);
  if ((f.kind === FrameKind.DATA) !== body.length > 0) throw new BuError('BAD_INPUT', 'only DATA frames carry a body, and they must');
  if (body.length > MAX_DATA_BYTES) throw new BuError('TOO_LONG', `channel data is ${body.length} bytes; the limit is ${MAX_DATA_BYTES}`);
  const out = new Uint8Array(HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  out[0] = PAYLOAD_TAG.DAPP_CHANNEL;
  out[1] = CHANNEL_VERSION;
  out[2] = f.kind;
  out[3] = flags;
  out.set(fromHex(f.appId.slice(2)), 4);
  view.setUint32(24, stream);
  view.setUint32(28, seq);
  out.set(body, HEADER_BYTES);
  return out;
}

/** True when the payload belongs to the channel layer (its first byte is the tag). */
export function isChannelPayload(data: Uint8Array): boolean {
  return data.length > 0 && data[0] === PAYLOAD_TAG.DAPP_CHANNEL;
}

const FLAG_RULES: Record<FrameKindT, (flags: number) => boolean> = {
  [FrameKind.OPEN]: (x) => x === 0,
  [FrameKind.ACCEPT]: (x) => x === 0,
  [FrameKind.DATA]: (x) => x === 0,
  [FrameKind.CLOSE]: (x) => x === CloseReason.REVOKED || x === CloseReason.UNINSTALLED,
  [FrameKind.ACK]: (x) => x === 0,
  [FrameKind.PROBE]: (x) => x === 0,
  [FrameKind.HAVE]: (x) => (x & ~HAVE_GRANTED) === 0,
};

/** Parses one frame; BAD_ENVELOPE naming the first thing that is off. */
export function decodeFrame(data: Uint8Array): Frame {
  if (data.length < HEADER_BYTES) bad(`${data.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  if (data.length > MAX_FRAME_BYTES) bad(`${data.length} bytes, over the ${MAX_FRAME_BYTES}-byte limit`);
  if (data[0] !== PAYLOAD_TAG.DAPP_CHANNEL) bad('not a channel frame');
  if (data[1] !== CHANNEL_VERSION) bad(`unsupported version ${data[1]}`);
  const kind = data[2]!;
  if (!KINDS.has(kind)) bad(`unknown kind ${kind}`);
  const k = kind as FrameKindT;
  const flags = data[3]!;
  if (!FLAG_RULES[k](flags)) bad(`flags ${flags} not allowed on kind ${kind}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const appId = `0x${toHex(data.subarray(4, 24))}`;
  const stream = view.getUint32(24);
  const seq = view.getUint32(28);
  const body = data.subarray(HEADER_BYTES);
  const streamed = k === FrameKind.DATA || k === FrameKind.ACK;
  if (!streamed && (stream !== 0 || seq !== 0)) bad(`kind ${kind} must have stream and seq 0`);
  if (k !== FrameKind.DATA) {
    if (body.length > 0) bad(`kind ${kind} carries no body`);
    return { kind: k, appId, flags, stream, seq };
  }
  if (body.length === 0) bad('DATA without a body');
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    bad('DATA body is not UTF-8 JSON');
  }
  return { kind: k, appId, flags, stream, seq, data: value };
}
