/**
 * @module dht/record
 * Signed endpoint records (issue 3, item 3), in the spirit of BEP 44 mutable items: the key is
 * SHA-256("BU-DHT-REC\0" ‖ address(20) ‖ u32be(appId)), the value lists ⟨host, port, appId,
 * agent, via?⟩ entries and is signed by the identity's secp256k1 key (SEC 1 ECDSA, RFC 6979,
 * low-s, r ‖ s ‖ v as in Ethereum) over SHA-256("BU-DHT-REC-v1\0" ‖ canonical encoding),
 * with a sequence number (uint53) and an absolute expiry (unix seconds, u32).
 * The encoding is canonical: strict decoding + deterministic encoding means one record has
 * exactly one byte form, so "same seq, different bytes" is a well-defined conflict.
 */
import { BuError, fromHex, utf8 } from '../base';
import { addressOf, recoverPublicKey, sha256, signHash } from '../crypto';
import { isValidHost, isValidPort, parseEndpoint } from '../net';
import { MAX_AGENT_BYTES, MAX_ENTRIES, MAX_EXTRA_BYTES } from './constants';
import { DhtWireError, Reader, Writer, utf8Bytes } from './wire';

export type RecordEntry = { host: string; port: number; appId: number; agent: string; via?: string };

export type DhtRecord = {
  publicKey: Uint8Array; // 33-byte compressed secp256k1
  appId: number; // u32
  seq: number; // uint53
  expiresAt: number; // unix seconds (u32)
  entries: RecordEntry[];
  extra?: Uint8Array; // ≤ 512 bytes, opaque (e.g. a prekey bundle)
  signature: Uint8Array; // 65 bytes r ‖ s ‖ v
};

export type UnsignedRecord = Omit<DhtRecord, 'signature'>;
export type DhtIdentity = { privateKey: Uint8Array; publicKey: Uint8Array; address: string };

const RECORD_VERSION = 1;
const KEY_LABEL = utf8('BU-DHT-REC\0');
const SIG_LABEL = utf8('BU-DHT-REC-v1\0');
/** secp256k1 group order n / 2 (SEC 2 §2.4.1), for the low-s rule. */
const HALF_N = fromHex('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0');

function isU32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;
}

function addressBytes(address: string | Uint8Array): Uint8Array {
  if (address instanceof Uint8Array) {
    if (address.length !== 20) throw new BuError('BAD_INPUT', 'address must be 20 bytes');
    return address;
  }
  const hex = address.replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) throw new BuError('BAD_INPUT', 'address must be 20 hex bytes');
  return fromHex(hex);
}

/** DHT key of the record of `address` for application `appId`. */
export function recordKey(address: string | Uint8Array, appId: number): Uint8Array {
  if (!isU32(appId)) throw new BuError('BAD_INPUT', 'appId must be a u32');
  const a = new Uint8Array([(appId >>> 24) & 0xff, (appId >>> 16) & 0xff, (appId >>> 8) & 0xff, appId & 0xff]);
  return sha256(KEY_LABEL, addressBytes(address), a);
}

function writeShort(w: Writer, s: string, max: number, what: string, min = 0): void {
  const b = utf8Bytes(s);
  if (b.length < min || b.length > max) throw new DhtWireError(`${what} length out of range`);
  w.u8(b.length).bytes(b);
}

function encodeBody(r: UnsignedRecord, w: Writer): void {
  if (!(r.publicKey instanceof Uint8Array) || r.publicKey.length !== 33) throw new DhtWireError('publicKey must be 33 bytes');
  if (!isU32(r.appId)) throw new DhtWireError('appId must be a u32');
  if (!Number.isSafeInteger(r.seq) || r.seq < 0) throw new DhtWireError('seq must be a uint53');
  if (!isU32(r.expiresAt)) throw new DhtWireError('expiresAt must be a u32');
  if (!Array.isArray(r.entries) || r.entries.length > MAX_ENTRIES) throw new DhtWireError('too many entries');
  const extra = r.extra ?? new Uint8Array(0);
  if (extra.length > MAX_EXTRA_BYTES) throw new DhtWireError('extra too large');
  w.u8(RECORD_VERSION).bytes(r.publicKey).u32(r.appId).u53(r.seq).u32(r.expiresAt).u8(r.entries.length);
  for (const e of r.entries) {
    if (!isValidHost(e.host)) throw new DhtWireError('entry host invalid');
    if (!isValidPort(e.port)) throw new DhtWireError('entry port invalid');
    if (!isU32(e.appId)) throw new DhtWireError('entry appId must be a u32');
    writeShort(w, e.host, 253, 'host', 1);
    w.u16(e.port).u32(e.appId);
    writeShort(w, e.agent, MAX_AGENT_BYTES, 'agent');
    if (e.via !== undefined) {
      try {
        parseEndpoint(e.via);
      } catch {
        throw new DhtWireError('entry via must be host:port');
      }
    }
    writeShort(w, e.via ?? '', 261, 'via');
  }
  w.u16(extra.length).bytes(extra);
}

/** Canonical bytes that are signed (everything but the signature). */
export function encodeUnsignedRecord(r: UnsignedRecord): Uint8Array {
  const w = new Writer(256);
  encodeBody(r, w);
  return w.finish();
}

export function encodeRecord(r: DhtRecord): Uint8Array {
  if (!(r.signature instanceof Uint8Array) || r.signature.length !== 65) throw new DhtWireError('signature must be 65 bytes');
  const w = new Writer(320);
  encodeBody(r, w);
  w.bytes(r.signature);
  return w.finish();
}

/** Strict decode; throws `DhtWireError` only. Does not verify the signature. */
export function decodeRecord(b: Uint8Array): DhtRecord {
  const r = new Reader(b);
  const version = r.u8('record version');
  if (version !== RECORD_VERSION) throw new DhtWireError(`unsupported record version ${version}`);
  const publicKey = r.bytes(33, 'publicKey');
  if (publicKey[0] !== 2 && publicKey[0] !== 3) throw new DhtWireError('publicKey must be compressed');
  const appId = r.u32('appId');
  const seq = r.u53('seq');
  const expiresAt = r.u32('expiresAt');
  const count = r.u8('entry count');
  if (count > MAX_ENTRIES) throw new DhtWireError('too many entries');
  const entries: RecordEntry[] = [];
  for (let i = 0; i < count; i++) {
    const hostLen = r.u8('host length');
    if (hostLen === 0 || hostLen > 253) throw new DhtWireError('host length out of range');
    const host = r.string(hostLen, 'host');
    if (!isValidHost(host)) throw new DhtWireError('entry host invalid');
    const port = r.u16('port');
    if (!isValidPort(port)) throw new DhtWireError('entry port invalid');
    const entryApp = r.u32('entry appId');
    const agentLen = r.u8('agent length');
    if (agentLen > MAX_AGENT_BYTES) throw new DhtWireError('agent too long');
    const agent = r.string(agentLen, 'agent');
    const viaLen = r.u8('via length');
    if (viaLen > 261) throw new DhtWireError('via too long');
    const via = viaLen ? r.string(viaLen, 'via') : undefined;
    if (via !== undefined) {
      try {
        parseEndpoint(via);
      } catch {
        throw new DhtWireError('entry via must be host:port');
      }
    }
    entries.push(via === undefined ? { host, port, appId: entryApp, agent } : { host, port, appId: entryApp, agent, via });
  }
  const extraLen = r.u16('extra length');
  if (extraLen > MAX_EXTRA_BYTES) throw new DhtWireError('extra too large');
  const extra = extraLen ? r.bytes(extraLen, 'extra') : undefined;
  const signature = r.bytes(65, 'signature');
  r.end('record');
  const rec: DhtRecord = { publicKey, appId, seq, expiresAt, entries, signature };
  if (extra) rec.extra = extra;
  return rec;
}

export function recordSigningHash(r: UnsignedRecord): Uint8Array {
  return sha256(SIG_LABEL, encodeUnsignedRecord(r));
}

/** Sign `body` with the identity key (the body's publicKey must be the identity's). */
export function signRecord(identity: Pick<DhtIdentity, 'privateKey' | 'publicKey'>, body: UnsignedRecord): DhtRecord {
  if (body.publicKey.length !== 33 || !body.publicKey.every((x, i) => x === identity.publicKey[i])) {
    throw new BuError('BAD_INPUT', 'record publicKey is not the signing identity');
  }
  const { signature: _ignored, ...clean } = body as DhtRecord;
  return { ...clean, signature: signHash(recordSigningHash(clean), identity.privateKey) };
}

/** Address (EIP-55) that owns a record; null if the public key is not a curve point. */
export function recordAddress(r: Pick<DhtRecord, 'publicKey'>): string | null {
  try {
    return addressOf(r.publicKey);
  } catch {
    return null;
  }
}

function isLowS(sig: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const d = sig[32 + i]! - HALF_N[i]!;
    if (d !== 0) return d < 0;
  }
  return true;
}

/**
 * The expensive check: the signature is canonical (v ∈ {0,1}, low s) and recovers exactly the
 * record's public key. One EC operation (recovery binds v, so no malleable byte is left).
 */
export function verifyRecord(r: DhtRecord): boolean {
  const sig = r.signature;
  if (!(sig instanceof Uint8Array) || sig.length !== 65 || sig[64]! > 1 || !isLowS(sig)) return false;
  let hash: Uint8Array;
  try {
    hash = recordSigningHash(r);
  } catch {
    return false;
  }
  const pub = recoverPublicKey(hash, sig);
  if (!pub || pub.length !== r.publicKey.length) return false;
  for (let i = 0; i < pub.length; i++) if (pub[i] !== r.publicKey[i]) return false;
  return true;
}
