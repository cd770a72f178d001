/**
 * @module seal/codec
 * Wire and storage formats of POE (README "Formats"): RLP (Ethereum Yellow Paper, App. B)
 * lists behind a one-byte message type. Decoders check every length and refuse anything
 * else with BAD_INPUT before a signature is looked at.
 *
 *   PROPOSAL  01 ‖ rlp[height, round, proposer(20), ticketSig(96), validRound+1, block, body, sig(96)]
 *   SEAL      02 ‖ rlp[height, blockRound, blockHash(32), sealer(20), ticketSig(96), sig(96)]
 *   PREVOTE   03 ‖ rlp[height, round, blockHash(32, zero = nil), voter(20), sig(96)]
 *   PRECOMMIT 04 ‖ (same as PREVOTE)
 *   COMMIT    05 ‖ certificate
 *   TX        06 ‖ raw signed transaction
 *
 *   poeBody     rlp[1, round, ticketSig(96), lastCert]             keccak256 = header.extraData
 *   certificate rlp[height, round, blockHash, sealRound, [[sealer, ticketSig]…], sealAgg,
 *                   precommitBits, precommitAgg]
 */
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes, bytesToBigInt, bytesToHex, hexToBytes } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { BuError } from '../base';

export enum MsgType {
  PROPOSAL = 1,
  SEAL = 2,
  PREVOTE = 3,
  PRECOMMIT = 4,
  COMMIT = 5,
  TX = 6,
}

export type Hex = `0x${string}`;
export type ProposalMsg = {
  type: MsgType.PROPOSAL;
  height: bigint;
  round: number;
  proposer: Hex;
  ticketSig: Uint8Array;
  /** The round in which this block got a polka before (re-proposal), or -1. */
  validRound: number;
  block: Uint8Array;
  body: Uint8Array;
  sig: Uint8Array;
};
export type SealMsg = { type: MsgType.SEAL; height: bigint; blockRound: number; blockHash: Uint8Array; sealer: Hex; ticketSig: Uint8Array; sig: Uint8Array };
export type VoteMsg = { type: MsgType.PREVOTE | MsgType.PRECOMMIT; height: bigint; round: number; blockHash: Uint8Array; voter: Hex; sig: Uint8Array };
export type CommitMsg = { type: MsgType.COMMIT; cert: Certificate };
export type TxMsg = { type: MsgType.TX; raw: Uint8Array };
export type PoeMessage = ProposalMsg | SealMsg | VoteMsg | CommitMsg | TxMsg;

export type PoeBody = { version: 1; round: number; ticketSig: Uint8Array; lastCert: Uint8Array };
export type CertSeal = { sealer: Hex; ticketSig: Uint8Array };
export type Certificate = {
  height: bigint;
  round: number;
  blockHash: Uint8Array;
  /** The block's own round (its seals sign that round's digest). */
  sealRound: number;
  seals: CertSeal[];
  /** Aggregate of the seals' SEAL signatures (empty when there are none). */
  sealAgg: Uint8Array;
  /** Bit i set = primary i of the height's validator set signed the precommit. */
  precommitBits: Uint8Array;
  precommitAgg: Uint8Array;
};

const MAX_BLOCK_BYTES = 4 * 1024 * 1024;
const SIG = 96;

const bad = (what: string): never => {
  throw new BuError('BAD_INPUT', `Malformed POE ${what}`);
};
const num = (n: bigint | number) => bigIntToUnpaddedBytes(BigInt(n));
const addr = (a: Hex) => hexToBytes(a);

function bytesAt(list: unknown[], i: number, len: number | null, what: string): Uint8Array {
  const v = list[i];
  if (!(v instanceof Uint8Array)) return bad(what);
  if (len !== null && v.length !== len) return bad(what);
  return v;
}
function uint(list: unknown[], i: number, what: string, max: bigint): bigint {
  const v = bytesAt(list, i, null, what);
  if (v.length > 8 || (v.length > 0 && v[0] === 0)) return bad(what);
  const n = v.length === 0 ? 0n : bytesToBigInt(v);
  if (n > max) return bad(what);
  return n;
}
const U32 = 0xffff_ffffn;
const U64 = (1n << 64n) - 1n;
const hexAddr = (b: Uint8Array) => bytesToHex(b) as Hex;

function asList(data: Uint8Array, what: string, n: number): unknown[] {
  let v: unknown;
  try {
    v = RLP.decode(data);
  } catch {
    return bad(what);
  }
  if (!Array.isArray(v) || v.length !== n) return bad(what);
  return v;
}

export function encodeMessage(m: PoeMessage): Uint8Array {
  let payload: Uint8Array;
  switch (m.type) {
    case MsgType.PROPOSAL:
      payload = RLP.encode([num(m.height), num(m.round), addr(m.proposer), m.ticketSig, num(m.validRound + 1), m.block, m.body, m.sig]);
      break;
    case MsgType.SEAL:
      payload = RLP.encode([num(m.height), num(m.blockRound), m.blockHash, addr(m.sealer), m.ticketSig, m.sig]);
      break;
    case MsgType.PREVOTE:
    case MsgType.PRECOMMIT:
      payload = RLP.encode([num(m.height), num(m.round), m.blockHash, addr(m.voter), m.sig]);
      break;
    case MsgType.COMMIT:
      payload = encodeCertificate(m.cert);
      break;
    case MsgType.TX:
      payload = m.raw;
      break;
  }
  const out = new Uint8Array(1 + payload.length);
  out[0] = m.type;
  out.set(payload, 1);
  return out;
}

export function decodeMessage(data: Uint8Array): PoeMessage {
  if (data.length < 2 || data.length > MAX_BLOCK_BYTES + 1024) return bad('message');
  const type = data[0] as MsgType;
  const p = data.subarray(1);
  switch (type) {
    case MsgType.PROPOSAL: {
      const l = asList(p, 'proposal', 8);
      const validRound = Number(uint(l, 4, 'proposal', U32)) - 1;
      return {
        type,
        height: uint(l, 0, 'proposal', U64),
        round: Number(uint(l, 1, 'proposal', U32)),
        proposer: hexAddr(bytesAt(l, 2, 20, 'proposal')),
        ticketSig: bytesAt(l, 3, SIG, 'proposal'),
        validRound,
        block: bytesAt(l, 5, null, 'proposal'),
        body: bytesAt(l, 6, null, 'proposal'),
        sig: bytesAt(l, 7, SIG, 'proposal'),
      };
    }
    case MsgType.SEAL: {
      const l = asList(p, 'seal', 6);
      return {
        type,
        height: uint(l, 0, 'seal', U64),
        blockRound: Number(uint(l, 1, 'seal', U32)),
        blockHash: bytesAt(l, 2, 32, 'seal'),
        sealer: hexAddr(bytesAt(l, 3, 20, 'seal')),
        ticketSig: bytesAt(l, 4, SIG, 'seal'),
        sig: bytesAt(l, 5, SIG, 'seal'),
      };
    }
    case MsgType.PREVOTE:
    case MsgType.PRECOMMIT: {
      const l = asList(p, 'vote', 5);
      return {
        type,
        height: uint(l, 0, 'vote', U64),
        round: Number(uint(l, 1, 'vote', U32)),
        blockHash: bytesAt(l, 2, 32, 'vote'),
        voter: hexAddr(bytesAt(l, 3, 20, 'vote')),
        sig: bytesAt(l, 4, SIG, 'vote'),
      };
    }
    case MsgType.COMMIT:
      return { type, cert: decodeCertificate(p) };
    case MsgType.TX:
      return { type, raw: p };
    default:
      return bad('message type');
  }
}

export function encodeBody(b: PoeBody): Uint8Array {
  return RLP.encode([num(b.version), num(b.round), b.ticketSig, b.lastCert]);
}

export function decodeBody(data: Uint8Array): PoeBody {
  const l = asList(data, 'block body', 4);
  if (uint(l, 0, 'block body', 1n) !== 1n) bad('block body version');
  return { version: 1, round: Number(uint(l, 1, 'block body', U32)), ticketSig: bytesAt(l, 2, SIG, 'block body'), lastCert: bytesAt(l, 3, null, 'block body') };
}

/** header.extraData of a POE block. */
export function bodyHash(body: Uint8Array): Uint8Array {
  return keccak_256(body);
}

export function encodeCertificate(c: Certificate): Uint8Array {
  return RLP.encode([
    num(c.height),
    num(c.round),
    c.blockHash,
    num(c.sealRound),
    c.seals.map((s) => [addr(s.sealer), s.ticketSig]),
    c.sealAgg,
    c.precommitBits,
    c.precommitAgg,
  ]);
}

export function decodeCertificate(data: Uint8Array): Certificate {
  const l = asList(data, 'certificate', 8);
  const seals = l[4];
  if (!Array.isArray(seals) || seals.length > 4096) return bad('certificate');
  const sealAgg = bytesAt(l, 5, null, 'certificate');
  if (sealAgg.length !== 0 && sealAgg.length !== SIG) bad('certificate');
  return {
    height: uint(l, 0, 'certificate', U64),
    round: Number(uint(l, 1, 'certificate', U32)),
    blockHash: bytesAt(l, 2, 32, 'certificate'),
    sealRound: Number(uint(l, 3, 'certificate', U32)),
    seals: seals.map((s: unknown) => {
      if (!Array.isArray(s) || s.length !== 2) return bad('certificate seal');
      return { sealer: hexAddr(bytesAt(s, 0, 20, 'certificate seal')), ticketSig: bytesAt(s, 1, SIG, 'certificate seal') };
    }),
    sealAgg,
    precommitBits: bytesAt(l, 6, null, 'certificate'),
    precommitAgg: bytesAt(l, 7, SIG, 'certificate'),
  };
}

export function bitsGet(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
}
export function bitsFrom(indices: number[], size: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(size / 8));
  for (const i of indices) out[i >> 3]! |= 1 << (i & 7);
  return out;
}
