/**
 * @module dapps/distribution/wire
 * The bundle distribution protocol's messages: a compact big-endian binary codec (the shape of
 * BitTorrent's peer wire messages, BEP 3, rather than protobuf: every message is a fixed layout,
 * so strict decoding is a handful of length checks and no field can be repeated or grow).
 *
 *   u8 tag 0xc0 (PAYLOAD_TAG.DAPP_BUNDLE) | u8 version (1) | u8 type | u32 request id | content hash (32) | body
 *
 *   type            body
 *   0x01 HAVE?      —
 *   0x02 HAVE       u32 head size | u32 total size | u16 chunk count | bitfield ⌈count/8⌉ bytes (MSB first, spare bits 0)
 *   0x03 GET_HEADER u32 offset | u32 length
 *   0x04 HEADER     u32 offset | u32 head size | data
 *   0x05 GET_PIECE  u16 chunk | u32 offset | u32 length
 *   0x06 PIECE      u16 chunk | u32 offset | data
 *   0x07 NOT_FOUND  —
 *   0x08 BUSY       u32 retry after (ms)
 *
 * `decodeMessage` returns null for anything that is not exactly one well-formed message within
 * the limits of constants.ts (wrong tag or version, unknown type, short or trailing bytes,
 * lengths or offsets out of bounds, a bitfield with spare bits set); it never allocates more
 * than the payload it is given (data fields are views into it).
 */
import { PAYLOAD_TAG } from '../../base';
import { CHUNK_SIZE } from '../package';
import { MAX_CHUNKS, MAX_HEAD_BYTES, MAX_PIECE_BYTES, MAX_RETRY_AFTER_MS, PREFIX_BYTES, WIRE_VERSION } from './constants';

export const MsgType = {
  HAVE_Q: 0x01,
  HAVE: 0x02,
  GET_HEADER: 0x03,
  HEADER: 0x04,
  GET_PIECE: 0x05,
  PIECE: 0x06,
  NOT_FOUND: 0x07,
  BUSY: 0x08,
} as const;

type Base = { id: number; hash: Uint8Array };
export type HaveQuery = Base & { type: 'HAVE_Q' };
export type Have = Base & { type: 'HAVE'; headSize: number; totalSize: number; chunkCount: number; bitfield: Uint8Array };
export type GetHeader = Base & { type: 'GET_HEADER'; offset: number; length: number };
export type Header = Base & { type: 'HEADER'; offset: number; headSize: number; data: Uint8Array };
export type GetPiece = Base & { type: 'GET_PIECE'; chunk: number; offset: number; length: number };
export type Piece = Base & { type: 'PIECE'; chunk: number; offset: number; data: Uint8Array };
export type NotFound = Base & { type: 'NOT_FOUND' };
export type Busy = Base & { type: 'BUSY'; retryAfterMs: number };
export type DistMessage = HaveQuery | Have | GetHeader | Header | GetPiece | Piece | NotFound | Busy;
export type DistRequest = HaveQuery | GetHeader | GetPiece;
export type DistResponse = Have | Header | Piece | NotFound | Busy;

export function isRequest(m: DistMessage): m is DistRequest {
  return m.type === 'HAVE_Q' || m.type === 'GET_HEADER' || m.type === 'GET_PIECE';
}

/** True when a session payload belongs to this protocol (its first byte is 0xc0). */
export function isBundlePayload(data: Uint8Array): boolean {
  return data.length > 0 && data[0] === PAYLOAD_TAG.DAPP_BUNDLE;
}

/** Bytes of a bitfield for `count` chunks. */
export function bitfieldBytes(count: number): number {
  return Math.ceil(count / 8);
}

export function hasBit(bitfield: Uint8Array, i: number): boolean {
  return ((bitfield[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0;
}

export function setBit(bitfield: Uint8Array, i: number): void {
  bitfield[i >> 3]! |= 0x80 >> (i & 7);
}

/** A bitfield with the first `count` bits set (a complete bundle). */
export function fullBitfield(count: number): Uint8Array {
  const b = new Uint8Array(bitfieldBytes(count));
  for (let i = 0; i < count; i++) setBit(b, i);
  return b;
}

function bodyBytes(m: DistMessage): number {
  switch (m.type) {
    case 'HAVE_Q':
    case 'NOT_FOUND':
      return 0;
    case 'HAVE':
      return 10 + m.bitfield.length;
    case 'GET_HEADER':
      return 8;
    case 'HEADER':
      return 8 + m.data.length;
    case 'GET_PIECE':
      return 10;
    case 'PIECE':
      return 6 + m.data.length;
    case 'BUSY':
      return 4;
  }
}

/** Encodes a message; throws TypeError for one no peer would accept (the encoder is as strict as the decoder). */
export function encodeMessage(m: DistMessage): Uint8Array {
  if (m.hash.length !== 32 || !Number.isInteger(m.id) || m.id < 0 || m.id > 0xffffffff) throw new TypeError('bad id or content hash');
  const out = new Uint8Array(PREFIX_BYTES + bodyBytes(m));
  const v = new DataView(out.buffer);
  out[0] = PAYLOAD_TAG.DAPP_BUNDLE;
  out[1] = WIRE_VERSION;
  out[2] = MsgType[m.type];
  v.setUint32(3, m.id);
  out.set(m.hash, 7);
  const o = PREFIX_BYTES;
  switch (m.type) {
    case 'HAVE':
      v.setUint32(o, m.headSize);
      v.setUint32(o + 4, m.totalSize);
      v.setUint16(o + 8, m.chunkCount);
      out.set(m.bitfield, o + 10);
      break;
    case 'GET_HEADER':
      v.setUint32(o, m.offset);
      v.setUint32(o + 4, m.length);
      break;
    case 'HEADER':
      v.setUint32(o, m.offset);
      v.setUint32(o + 4, m.headSize);
      out.set(m.data, o + 8);
      break;
    case 'GET_PIECE':
      v.setUint16(o, m.chunk);
      v.setUint32(o + 2, m.offset);
      v.setUint32(o + 6, m.length);
      break;
    case 'PIECE':
      v.setUint16(o, m.chunk);
      v.setUint32(o + 2, m.offset);
      out.set(m.data, o + 6);
      break;
    case 'BUSY':
      v.setUint32(o, m.retryAfterMs);
      break;
    default:
      break;
  }
  if (decodeMessage(out) === null) throw new TypeError(`${m.type} is outside the protocol's limits`);
  return out;
}

const TYPES: Record<number, DistMessage['type']> = Object.fromEntries(Object.entries(MsgType).map(([k, n]) => [n, k as DistMessage['type']]));

const pieceOk = (chunk: number, offset: number, length: number) => chunk < MAX_CHUNKS && length >= 1 && length <= MAX_PIECE_BYTES && offset + length <= CHUNK_SIZE;
const headOk = (offset: number, length: number, headSize: number) => length >= 1 && length <= MAX_PIECE_BYTES && headSize <= MAX_HEAD_BYTES && offset + length <= headSize;

/** Decodes exactly one message, or null (see the module comment for what is refused). */
export function decodeMessage(data: Uint8Array): DistMessage | null {
  if (data.length < PREFIX_BYTES || data[0] !== PAYLOAD_TAG.DAPP_BUNDLE || data[1] !== WIRE_VERSION) return null;
  const type = TYPES[data[2]!];
  if (type === undefined) return null;
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const id = v.getUint32(3);
  const hash = data.subarray(7, 39);
  const o = PREFIX_BYTES;
  const rest = data.length - o;
  switch (type) {
    case 'HAVE_Q':
    case 'NOT_FOUND':
      return rest === 0 ? { type, id, hash } : null;
    case 'HAVE': {
      if (rest < 10) return null;
      const headSize = v.getUint32(o);
      const totalSize = v.getUint32(o + 4);
      const chunkCount = v.getUint16(o + 8);
      const n = bitfieldBytes(chunkCount);
      if (rest !== 10 + n || chunkCount > MAX_CHUNKS || chunkCount !== Math.ceil(totalSize / CHUNK_SIZE) || headSize > MAX_HEAD_BYTES || headSize < 16) return null;
      const bitfield = data.subarray(o + 10);
      if (chunkCount % 8 !== 0 && n > 0 && (bitfield[n - 1]! & (0xff >> chunkCount % 8)) !== 0) return null;
      return { type, id, hash, headSize, totalSize, chunkCount, bitfield };
    }
    case 'GET_HEADER': {
      if (rest !== 8) return null;
      const offset = v.getUint32(o);
      const length = v.getUint32(o + 4);
      return headOk(offset, length, MAX_HEAD_BYTES) ? { type, id, hash, offset, length } : null;
    }
    case 'HEADER': {
      if (rest < 9) return null;
      const offset = v.getUint32(o);
      const headSize = v.getUint32(o + 4);
      return headOk(offset, rest - 8, headSize) ? { type, id, hash, offset, headSize, data: data.subarray(o + 8) } : null;
    }
    case 'GET_PIECE': {
      if (rest !== 10) return null;
      const chunk = v.getUint16(o);
      const offset = v.getUint32(o + 2);
      const length = v.getUint32(o + 6);
      return pieceOk(chunk, offset, length) ? { type, id, hash, chunk, offset, length } : null;
    }
    case 'PIECE': {
      if (rest < 7) return null;
      const chunk = v.getUint16(o);
      const offset = v.getUint32(o + 2);
      return pieceOk(chunk, offset, rest - 6) ? { type, id, hash, chunk, offset, data: data.subarray(o + 6) } : null;
    }
    case 'BUSY': {
      if (rest !== 4) return null;
      const retryAfterMs = v.getUint32(o);
      return retryAfterMs <= MAX_RETRY_AFTER_MS ? { type, id, hash, retryAfterMs } : null;
    }
  }
}
