/**
 * @module dapps/distribution/source
 * What a seeder serves from: a `BundleSource` answers "do you hold this content hash", gives
 * its head (dapps/distribution/head) and which chunks it holds, and reads one chunk. A source
 * holds only bundles it has verified (openContainer), so a seeder never passes on damage.
 * `MemorySource` keeps whole .bud files in memory (tests, small nodes); the directory-backed
 * one is in directory-source.ts.
 */
import { readFileSync } from 'node:fs';
import { chunkLength, openContainer, type BundleIndex } from '../package';
import { headOf, hashKey } from './head';
import { fullBitfield } from './wire';

export type HeldBundle = {
  contentHash: Uint8Array;
  /** Container header ‖ canonical index ‖ signature section: the .bud without its chunks. */
  head: Uint8Array;
  index: BundleIndex;
  /** Which chunks are held (MSB first); all of them for a complete bundle. */
  bitfield: Uint8Array;
};

export type BundleSource = {
  has(contentHash: Uint8Array): boolean;
  header(contentHash: Uint8Array): HeldBundle | null | Promise<HeldBundle | null>;
  /** Chunk `index` (exactly chunkLength bytes), or null if it is not held (any more). */
  readChunk(contentHash: Uint8Array, index: number): Promise<Uint8Array | null>;
  /** The content hashes held. */
  list(): Uint8Array[];
};

/** The HeldBundle of a complete, verified .bud. */
export function heldOf(bud: Uint8Array): HeldBundle & { dataOffset: number } {
  const opened = openContainer(bud);
  const { head, index, dataOffset } = headOf(bud);
  return { contentHash: opened.contentHash, head, index, bitfield: fullBitfield(index.chunks.length), dataOffset };
}

/** Whole .bud files in memory, each verified when added. */
export class MemorySource implements BundleSource {
  private readonly items = new Map<string, { held: HeldBundle; bud: Uint8Array; dataOffset: number }>();

  /** Verifies and adds a .bud (its bytes, or a path to read); returns its content hash. */
  add(from: Uint8Array | string): Uint8Array {
    const bud = typeof from === 'string' ? new Uint8Array(readFileSync(from)) : from;
    const held = heldOf(bud);
    this.items.set(hashKey(held.contentHash), { held, bud, dataOffset: held.dataOffset });
    return held.contentHash;
  }

  remove(contentHash: Uint8Array): boolean {
    return this.items.delete(hashKey(contentHash));
  }

  has(contentHash: Uint8Array): boolean {
    return this.items.has(hashKey(contentHash));
  }

  header(contentHash: Uint8Array): HeldBundle | null {
    return this.items.get(hashKey(contentHash))?.held ?? null;
  }

  readChunk(contentHash: Uint8Array, i: number): Promise<Uint8Array | null> {
    const it = this.items.get(hashKey(contentHash));
    if (!it || i < 0 || i >= it.held.index.chunks.length) return Promise.resolve(null);
    const start = it.dataOffset + i * it.held.index.chunkSize;
    return Promise.resolve(it.bud.subarray(start, start + chunkLength(it.held.index, i)));
  }

  list(): Uint8Array[] {
    return [...this.items.values()].map((it) => it.held.contentHash);
  }
}
