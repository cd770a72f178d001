/**
 * @module dapps/distribution/partial
 * The file a download writes into: `<partialDir>/<content hash>.part` is laid out exactly as
 * the finished .bud (container header and index at 0, chunk i at dataOffset + i·256 KiB, the
 * signature section after the chunks), sized in full from the start, so finishing is a rename
 * and no byte is copied. Only chunks that matched their hash are written. Resuming trusts
 * nothing on disk: the head is checked against the content hash again and every chunk is
 * re-hashed (what BitTorrent clients call a "recheck"); chunks that match are kept, the rest
 * fetched. A head that no longer checks out means the file is discarded.
 */
import { open, readFile, rename, stat, unlink, mkdir, type FileHandle } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BuError } from '../../base';
import { chunkLength, chunkMatches, openContainer, openIndex, verifyBundle, type BundleExpectation, type OpenedBundle } from '../package';
import { CONTAINER_HEADER_BYTES, MAX_INDEX_BYTES, SIGNATURE_BYTES } from './constants';
import { hashKey, openHead, type OpenedHead } from './head';

export function partialPaths(dir: string, contentHash: Uint8Array): { part: string; final: string } {
  const key = hashKey(contentHash);
  return { part: join(dir, `${key}.part`), final: join(dir, `${key}.bud`) };
}

async function readAt(fh: FileHandle, length: number, position: number): Promise<Uint8Array | null> {
  const buf = new Uint8Array(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return bytesRead === length ? buf : null;
}

/** The total size of the index in `front` if it is this content's index (hash checked first), else null. */
function totalOf(front: Uint8Array, contentHash: Uint8Array): number | null {
  try {
    return openIndex(front.subarray(CONTAINER_HEADER_BYTES), contentHash).totalSize;
  } catch {
    return null;
  }
}

export class PartialFile {
  private constructor(
    private readonly fh: FileHandle,
    readonly paths: { part: string; final: string },
    readonly head: Uint8Array,
    readonly opened: OpenedHead,
    readonly done: boolean[],
  ) {}

  get index() {
    return this.opened.index;
  }

  /** Re-opens `<hash>.part` if it holds this content's head; re-verifies its chunks. Null if there is none (or it was discarded). */
  static async resume(dir: string, contentHash: Uint8Array): Promise<PartialFile | null> {
    const paths = partialPaths(dir, contentHash);
    const fh = await open(paths.part, 'r+').catch(() => null);
    if (!fh) return null;
    try {
      const size = (await fh.stat()).size;
      const prefix = await readAt(fh, CONTAINER_HEADER_BYTES, 0);
      const indexLength = prefix ? new DataView(prefix.buffer).getUint32(12) : 0;
      const front = prefix && indexLength <= MAX_INDEX_BYTES ? await readAt(fh, CONTAINER_HEADER_BYTES + indexLength, 0) : null;
      const totalSize = front ? totalOf(front, contentHash) : null;
      const trailerLength = totalSize === null || !front ? -1 : size - front.length - totalSize;
      if (front && totalSize !== null && (trailerLength === 0 || trailerLength === SIGNATURE_BYTES)) {
        const trailer = (await readAt(fh, trailerLength, front.length + totalSize)) ?? new Uint8Array(0);
        const head = new Uint8Array(front.length + trailerLength);
        head.set(front, 0);
        head.set(trailer, front.length);
        const opened = openHead(head, contentHash);
        if (typeof opened !== 'string') {
          const done: boolean[] = [];
          for (let i = 0; i < opened.index.chunks.length; i++) {
            const c = await readAt(fh, chunkLength(opened.index, i), opened.dataOffset + i * opened.index.chunkSize);
            done.push(c !== null && chunkMatches(opened.index, i, c));
          }
          return new PartialFile(fh, paths, head, opened, done);
        }
      }
    } catch {
      // unreadable: discarded below
    }
    await fh.close();
    await unlink(paths.part).catch(() => undefined);
    return null;
  }

  /** Starts `<hash>.part` for a head already checked with openHead. */
  static async create(dir: string, contentHash: Uint8Array, head: Uint8Array, opened: OpenedHead): Promise<PartialFile> {
    await mkdir(dir, { recursive: true });
    const paths = partialPaths(dir, contentHash);
    const fh = await open(paths.part, 'w+');
    try {
      await fh.write(head, 0, opened.dataOffset, 0);
      if (opened.trailer.length) await fh.write(opened.trailer, 0, opened.trailer.length, opened.dataOffset + opened.index.totalSize);
      await fh.truncate(opened.dataOffset + opened.index.totalSize + opened.trailer.length);
    } catch (e) {
      await fh.close();
      throw e;
    }
    return new PartialFile(fh, paths, head, opened, opened.index.chunks.map(() => false));
  }

  /** Writes a chunk that matched its hash. */
  async writeChunk(i: number, bytes: Uint8Array): Promise<void> {
    await this.fh.write(bytes, 0, bytes.length, this.opened.dataOffset + i * this.index.chunkSize);
    this.done[i] = true;
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }

  /**
   * Closes the file, verifies the whole container (openContainer: header, index, every chunk
   * and file, the manifest) and renames it to `<hash>.bud`. DAPP_REFUSED (and the file is
   * deleted) if it does not verify.
   */
  async finish(): Promise<{ path: string; bytes: Uint8Array; bundle: OpenedBundle }> {
    await this.fh.sync().catch(() => undefined);
    await this.close();
    const bytes = new Uint8Array(await readFile(this.paths.part));
    let bundle: OpenedBundle;
    try {
      bundle = openContainer(bytes);
    } catch (e) {
      await unlink(this.paths.part).catch(() => undefined);
      throw new BuError('DAPP_REFUSED', `The downloaded bundle does not verify: ${(e as Error).message}`, { cause: e });
    }
    await rename(this.paths.part, this.paths.final);
    return { path: this.paths.final, bytes, bundle };
  }
}

/** A finished `<hash>.bud` from an earlier download, if it is there and verifies. */
export async function finishedBundle(dir: string, contentHash: Uint8Array): Promise<{ path: string; bytes: Uint8Array; bundle: OpenedBundle } | null> {
  const { final } = partialPaths(dir, contentHash);
  if (!(await stat(final).catch(() => null))) return null;
  try {
    const bytes = new Uint8Array(await readFile(final));
    const bundle = openContainer(bytes);
    if (hashKey(bundle.contentHash) !== hashKey(contentHash)) return null;
    return { path: final, bytes, bundle };
  } catch {
    return null;
  }
}

/** Throws DAPP_REFUSED (deleting the file) unless the finished bundle passes `expect` (verifyBundle). */
export function checkExpected(path: string, bytes: Uint8Array, expect: BundleExpectation | undefined): void {
  if (!expect) return;
  try {
    verifyBundle(bytes, expect);
  } catch (e) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
    throw new BuError('DAPP_REFUSED', `The bundle is not the one listed: ${(e as Error).message}`, { cause: e });
  }
}
