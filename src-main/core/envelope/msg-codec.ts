/**
 * @module envelope/msg-codec
 * The seed's outer envelope (BitUnicom white paper, "Message Format"), unchanged:
 *
 * ```proto
 * syntax = "proto2";
 * message Msg {
 *   required int32 version = 1;  required int32 ts = 2;
 *   required string src_addr = 3; required string dst_addr = 4;
 *   required bytes signed_data_hash = 5; required bytes encrypted_data = 6;
 * }
 * ```
 *
 * Encoded with protobufjs (Protocol Buffers encoding spec: tag = field << 3 | wire type,
 * varints, length-delimited strings/bytes). The type is built in code from a JSON descriptor
 * (no .proto parsing at run time, nothing done at import: it is built on first use). proto2
 * `required` semantics are enforced twice: protobufjs's generated decoder rejects a missing
 * field, and `decodeMsg` re-checks every value's type and range, so a caller never sees a
 * half-filled Msg. Unknown fields (future additions at new numbers) are skipped.
 */
import protobuf from 'protobufjs';
import { BuError } from '../base';

export type Msg = {
  version: number;
  ts: number;
  srcAddr: string;
  dstAddr: string;
  signedDataHash: Uint8Array;
  encryptedData: Uint8Array;
  /**
   * Extension at a new field number (7, optional int32): how `encryptedData` is encrypted.
   * Absent/0 = the live session's envelope key (AES-256-GCM); 2 = Double Ratchet (mailbox).
   */
  scheme?: number;
};

export const ENVELOPE_VERSION = 1;
export const SCHEME_SESSION = 0;
export const SCHEME_RATCHET = 2;

/** Largest encoded envelope accepted or produced (70 KiB: a 64 KiB payload plus headroom). */
export const MAX_ENVELOPE_BYTES = 70 * 1024;

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

/** JSON descriptor of the seed's message; field names are protobufjs's camelCase of the seed's. */
export const MSG_DESCRIPTOR = {
  nested: {
    Msg: {
      edition: 'proto2',
      fields: {
        version: { rule: 'required', type: 'int32', id: 1 },
        ts: { rule: 'required', type: 'int32', id: 2 },
        srcAddr: { rule: 'required', type: 'string', id: 3 },
        dstAddr: { rule: 'required', type: 'string', id: 4 },
        signedDataHash: { rule: 'required', type: 'bytes', id: 5 },
        encryptedData: { rule: 'required', type: 'bytes', id: 6 },
        scheme: { rule: 'optional', type: 'int32', id: 7 },
      },
    },
  },
} as const;

let cached: protobuf.Type | null = null;

/** The protobufjs `Msg` type (built once, lazily). */
export function msgType(): protobuf.Type {
  if (!cached) cached = protobuf.Root.fromJSON(MSG_DESCRIPTOR).lookupType('Msg');
  return cached;
}

function isInt32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;
}

/** Shape check shared by encode (caller bug → BAD_INPUT) and decode (peer input → BAD_ENVELOPE). */
function shapeProblem(m: Record<string, unknown>): string | null {
  if (!isInt32(m.version)) return 'version must be an int32';
  if (!isInt32(m.ts)) return 'ts must be an int32';
  if (typeof m.srcAddr !== 'string') return 'srcAddr must be a string';
  if (typeof m.dstAddr !== 'string') return 'dstAddr must be a string';
  if (!(m.signedDataHash instanceof Uint8Array)) return 'signedDataHash must be bytes';
  if (!(m.encryptedData instanceof Uint8Array)) return 'encryptedData must be bytes';
  if (m.scheme !== undefined && m.scheme !== null && !isInt32(m.scheme)) return 'scheme must be an int32';
  return null;
}

/** Protobuf-encode a Msg (all six fields are always written, as proto2 `required` demands). */
export function encodeMsg(m: Msg): Uint8Array {
  const problem = shapeProblem(m as unknown as Record<string, unknown>);
  if (problem) throw new BuError('BAD_INPUT', `cannot encode envelope: ${problem}`);
  // scheme 0 is the default: leave field 7 out so seed-only peers see exactly fields 1–6
  const { scheme, ...seedFields } = m;
  const out = msgType().encode(scheme ? m : seedFields).finish();
  if (out.length > MAX_ENVELOPE_BYTES) throw new BuError('TOO_LONG', `envelope is ${out.length} bytes (max ${MAX_ENVELOPE_BYTES})`);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Decode and validate a Msg. Every failure — truncation, bad wire types, missing required
 * fields, oversize input, anything protobufjs throws — becomes `BuError('BAD_ENVELOPE')`.
 * Byte fields are copied so the result never aliases the caller's (possibly reused) buffer.
 */
export function decodeMsg(b: Uint8Array): Msg {
  if (!(b instanceof Uint8Array)) throw new BuError('BAD_ENVELOPE', 'envelope must be bytes');
  if (b.length > MAX_ENVELOPE_BYTES) throw new BuError('BAD_ENVELOPE', `envelope too large (${b.length} bytes)`);
  let decoded: Record<string, unknown>;
  try {
    decoded = msgType().decode(b) as unknown as Record<string, unknown>;
  } catch (e) {
    throw new BuError('BAD_ENVELOPE', `malformed envelope: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problem = shapeProblem(decoded);
  if (problem) throw new BuError('BAD_ENVELOPE', `malformed envelope: ${problem}`);
  return {
    version: decoded.version as number,
    ts: decoded.ts as number,
    srcAddr: decoded.srcAddr as string,
    dstAddr: decoded.dstAddr as string,
    signedDataHash: Uint8Array.from(decoded.signedDataHash as Uint8Array),
    encryptedData: Uint8Array.from(decoded.encryptedData as Uint8Array),
    ...(typeof decoded.scheme === 'number' && decoded.scheme !== 0 ? { scheme: decoded.scheme } : {}),
  };
}
