/**
 * @module seal/context
 * What every check at one height depends on, fixed before the height starts: the chain id,
 * the seed and the validator set, both taken from block max(0, h − lookback). Each block's
 * mixHash is its proposer's ticket (a hash of a unique BLS signature), so seeds chain
 * unique signatures and no one can grind them; a proposer can only withhold (one bit of
 * bias per block it wins), as in Algorand's seed.
 */
import type { Block } from '@ethereumjs/block';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { PoeParams } from './params';
import { byAddress, type Validator, type ValidatorSet } from './types';

export type HeightContext = {
  chainId: bigint;
  height: bigint;
  seed: Uint8Array;
  set: ValidatorSet;
  primaries: Map<string, Validator>;
  sealers: Map<string, Validator>;
  params: PoeParams;
};

export type ChainView = {
  chainId: bigint;
  genesisHash: Uint8Array;
  blockByNumber(n: bigint): Block | undefined;
};

export type SetReader = (reference: Block) => Promise<ValidatorSet>;

/** The reference block of height h: max(0, h − lookback). */
export function referenceNumber(params: PoeParams, height: bigint): bigint {
  const n = height - BigInt(params.lookback);
  return n > 0n ? n : 0n;
}

export function seedOf(chain: ChainView, reference: Block): Uint8Array {
  return reference.header.number === 0n ? keccak_256(chain.genesisHash) : reference.header.mixHash;
}

export class ContextCache {
  private readonly cache = new Map<string, Promise<HeightContext>>();
  constructor(
    private readonly chain: ChainView,
    private readonly params: PoeParams,
    private readonly readSet: SetReader,
  ) {}

  /** The context of `height`; its reference block must be stored (it is ≤ the head). */
  forHeight(height: bigint): Promise<HeightContext> {
    const key = height.toString();
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.build(height);
      hit.catch(() => this.cache.delete(key));
      this.cache.set(key, hit);
      if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value!);
    }
    return hit;
  }

  /** Forget everything (the chain was reset). */
  clear(): void {
    this.cache.clear();
  }

  private async build(height: bigint): Promise<HeightContext> {
    const ref = this.chain.blockByNumber(referenceNumber(this.params, height));
    if (!ref) throw new Error(`reference block of height ${height} is not stored yet`);
    const set = await this.readSet(ref);
    return {
      chainId: this.chain.chainId,
      height,
      seed: seedOf(this.chain, ref),
      set,
      primaries: byAddress(set.primaries),
      sealers: byAddress(set.sealers),
      params: this.params,
    };
  }
}
