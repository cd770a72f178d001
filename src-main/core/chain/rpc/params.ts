/**
 * @module chain/rpc/params
 * Decoding of JSON-RPC parameters the way geth decodes them (go-ethereum common/hexutil and
 * rpc/types.go), because tools test against geth's strictness:
 *   - QUANTITY: "0x"-prefixed hex, no leading zeros, at most 256 bits ("hex number with leading
 *     zero digits", "hex string without 0x prefix", …);
 *   - DATA: "0x"-prefixed hex of even length; addresses 20 bytes, hashes 32 bytes;
 *   - block tags: latest, pending, safe, finalized, earliest or a number; EIP-1898 objects
 *     `{ blockNumber }` / `{ blockHash, requireCanonical }` (and a bare 32-byte hash) where a
 *     state method takes a block.
 * Every failure is JSON-RPC -32602 "invalid argument N: why", as geth reports it.
 */
import { RPC_CODES, RpcError } from '../errors';

export type BlockTag = 'latest' | 'pending' | 'safe' | 'finalized' | 'earliest';
export type BlockRef = { tag: BlockTag } | { number: bigint } | { hash: Uint8Array; requireCanonical: boolean };

export const LATEST: BlockRef = { tag: 'latest' };
const TAGS = new Set<string>(['latest', 'pending', 'safe', 'finalized', 'earliest']);
const HEX = /^[0-9a-fA-F]*$/;

export function invalidParams(message: string): RpcError {
  return new RpcError(RPC_CODES.invalidParams, message);
}

/** Thrown by the decoders below; the dispatcher prefixes the argument's position. */
export class ParamError extends Error {}

/**
 * The positional parameters of a call: checks the count like geth ("too many arguments, want
 * at most N", "missing value for required argument N") and runs each decoder with the
 * argument's position in its error message.
 */
export class Params {
  private readonly list: unknown[];
  constructor(raw: unknown, readonly max: number) {
    if (raw === undefined || raw === null) this.list = [];
    else if (Array.isArray(raw)) this.list = raw;
    else throw invalidParams('non-array args');
    if (this.list.length > max) throw invalidParams(`too many arguments, want at most ${max}`);
  }

  get length(): number {
    return this.list.length;
  }

  /** A required argument. */
  req<T>(i: number, decode: (v: unknown) => T): T {
    const v = this.list[i];
    if (v === undefined || v === null) throw invalidParams(`missing value for required argument ${i}`);
    return this.at(i, v, decode);
  }

  /** An optional argument (absent or null → undefined). */
  opt<T>(i: number, decode: (v: unknown) => T): T | undefined {
    const v = this.list[i];
    if (v === undefined || v === null) return undefined;
    return this.at(i, v, decode);
  }

  private at<T>(i: number, v: unknown, decode: (v: unknown) => T): T {
    try {
      return decode(v);
    } catch (err) {
      if (err instanceof ParamError) throw invalidParams(`invalid argument ${i}: ${err.message}`);
      throw err;
    }
  }
}

function hexBody(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new ParamError(`json: cannot unmarshal non-string into Go value of type ${what}`);
  if (v.length === 0) throw new ParamError('empty hex string');
  if (v[0] !== '0' || (v[1] !== 'x' && v[1] !== 'X')) throw new ParamError('hex string without 0x prefix');
  const body = v.slice(2);
  if (!HEX.test(body)) throw new ParamError('invalid hex string');
  return body;
}

/** A QUANTITY of at most `bits` bits. */
export function quantity(v: unknown, bits = 256): bigint {
  const body = hexBody(v, bits <= 64 ? 'hexutil.Uint64' : '*hexutil.Big');
  if (body.length === 0) throw new ParamError('hex string "0x"');
  if (body.length > 1 && body[0] === '0') throw new ParamError('hex number with leading zero digits');
  if (body.length * 4 > bits && BigInt('0x' + body) >> BigInt(bits) !== 0n) throw new ParamError(`hex number > ${bits} bits`);
  return BigInt('0x' + body);
}

export const uint64 = (v: unknown): bigint => quantity(v, 64);

/** A small count or index as a JS number. */
export function index(v: unknown): number {
  const n = quantity(v, 64);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ParamError('hex number > 53 bits');
  return Number(n);
}

/** geth's math.HexOrDecimal64: a JSON number, a decimal string or a hex QUANTITY. */
export function hexOrDecimal(v: unknown): number {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw new ParamError(`invalid unsigned integer ${v}`);
    return v;
  }
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return Number(v);
  if (typeof v === 'string' && /^0x/i.test(v)) return Number(quantity(v, 64));
  throw new ParamError(`invalid unsigned integer ${JSON.stringify(v)}`);
}

/** DATA of any length (even number of hex digits). */
export function data(v: unknown): Uint8Array {
  const body = hexBody(v, 'hexutil.Bytes');
  if (body.length % 2 !== 0) throw new ParamError('hex string of odd length');
  return Uint8Array.from(Buffer.from(body, 'hex'));
}

function fixed(v: unknown, size: number, type: string): Uint8Array {
  const body = hexBody(v, type);
  if (body.length !== size * 2) throw new ParamError(`hex string has length ${body.length}, want ${size * 2} for ${type}`);
  return Uint8Array.from(Buffer.from(body, 'hex'));
}

export const address = (v: unknown): Uint8Array => fixed(v, 20, 'common.Address');
export const hash32 = (v: unknown): Uint8Array => fixed(v, 32, 'common.Hash');

/** A storage slot: up to 32 bytes, left-padded (geth's decodeHash accepts short and odd hex). */
export function slot(v: unknown): Uint8Array {
  if (typeof v !== 'string') throw new ParamError('json: cannot unmarshal non-string into Go value of type string');
  let body = /^0x/i.test(v) ? v.slice(2) : v;
  if (!HEX.test(body)) throw new ParamError('unable to decode storage key: hex string invalid');
  if (body.length > 64) throw new ParamError('unable to decode storage key: hex string too long, want at most 32 bytes');
  if (body.length % 2 === 1) body = '0' + body;
  const out = new Uint8Array(32);
  out.set(Buffer.from(body, 'hex'), 32 - body.length / 2);
  return out;
}

export function bool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ParamError('json: cannot unmarshal into Go value of type bool');
  return v;
}

/** A block number or tag (block methods: eth_getBlockByNumber, …). */
export function blockTag(v: unknown): BlockRef {
  if (typeof v === 'string' && TAGS.has(v)) return { tag: v as BlockTag };
  const n = quantity(v, 64);
  if (n > 0x7fffffffffffffffn) throw new ParamError('block number larger than int64');
  return { number: n };
}

/** EIP-1898: a tag, a number, a bare block hash, or `{ blockNumber }` / `{ blockHash, requireCanonical }`. */
export function blockRef(v: unknown): BlockRef {
  if (typeof v === 'string') {
    if (v.length === 66 && /^0x/i.test(v)) return { hash: hash32(v), requireCanonical: false };
    return blockTag(v);
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { blockNumber?: unknown; blockHash?: unknown; requireCanonical?: unknown };
    if (o.blockHash !== undefined && o.blockNumber !== undefined) {
      throw new ParamError('cannot specify both BlockHash and BlockNumber, choose one or the other');
    }
    if (o.blockHash !== undefined) {
      return { hash: hash32(o.blockHash), requireCanonical: o.requireCanonical === undefined ? false : bool(o.requireCanonical) };
    }
    if (o.blockNumber !== undefined) return blockTag(o.blockNumber);
  }
  throw new ParamError('invalid block number or hash');
}

/** An array of decoded items. */
export function arrayOf<T>(decode: (v: unknown) => T): (v: unknown) => T[] {
  return (v) => {
    if (!Array.isArray(v)) throw new ParamError('json: cannot unmarshal non-array into Go value of type []');
    return v.map(decode);
  };
}

/** A plain JSON object. */
export function object(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ParamError('json: cannot unmarshal non-object into Go value');
  return v as Record<string, unknown>;
}
