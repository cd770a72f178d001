/**
 * @module seal/digest
 * What every BLS signature in POE signs: a 32-byte digest that Solidity can recompute
 * (PoeStaking.reportEquivocation proves double signing on chain):
 *
 *   keccak256(abi.encodePacked(bytes6 "BUPOE1", uint8 kind, uint64 chainId,
 *                              uint64 height, uint32 round, bytes32 data))
 *
 * The chain id, height and round are always inside, so a signature can never be replayed on
 * another chain, height or round. Tickets (the draw) sign the seed, not the block: the block
 * being proposed never feeds its own draw (seed 003 signed the previous block's hash, which
 * its proposer could grind; see README "What differs from seed 003").
 */
import { keccak_256 } from '@noble/hashes/sha3.js';

export enum Kind {
  PROPOSE_TICKET = 1,
  SEAL_TICKET = 2,
  PROPOSAL = 3,
  SEAL = 4,
  PREVOTE = 5,
  PRECOMMIT = 6,
}

const TAG = new TextEncoder().encode('BUPOE1');
export const ZERO32 = new Uint8Array(32);

export function poeDigest(kind: Kind, chainId: bigint, height: bigint, round: number, data: Uint8Array): Uint8Array {
  if (data.length !== 32) throw new RangeError('POE digests sign 32 bytes of data');
  const buf = new Uint8Array(59);
  buf.set(TAG, 0);
  buf[6] = kind;
  const v = new DataView(buf.buffer);
  v.setBigUint64(7, chainId);
  v.setBigUint64(15, height);
  v.setUint32(23, round);
  buf.set(data, 27);
  return keccak_256(buf);
}
