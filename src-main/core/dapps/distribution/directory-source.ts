/**
 * @module dapps/distribution/directory-source
 * A BundleSource backed by a folder of `.bud` files (a router's `--dapps DIR`, a node's
 * installed bundles). `start()` indexes every `*.bud` in the folder by content hash, each
 * verified in full (openContainer) once; `add()` copies a .bud in (as `<content hash>.bud`,
 * written to a temporary name and renamed, so a crash never leaves half a file under a served
 * name) or indexes one already there. Only heads stay in memory; chunks are read from disk
 * when asked for and re-hashed against the index on every read, so a file damaged or replaced
 * on disk afterwards is dropped instead of served.
 */
import { open, readdir, readFile, rename, writeFile, mkdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { silentLogger, type Logger } from '../../base';
import { chunkLength, chunkMatches } from '../package';
import { hashKey } from './head';
import { heldOf, type BundleSource, type HeldBundle } from './source';

type Entry = { held: HeldBundle; path: string; dataOffset: number };

export class DirectorySource implements BundleSource {
  private readonly items = new Map<string, Entry>();
  readonly dir: string;

  constructor(
    dir: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.dir = resolve(dir);
  }

  /** Indexes every `*.bud` in the folder (creating it if missing); returns how many were accepted. */
  async start(): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.bud')).sort();
    let n = 0;
    for (const name of names) {
      if (await this.indexFile(join(this.dir, name)).catch((e: unknown) => this.skip(name, e))) n++;
    }
    return n;
  }

  private skip(name: string, e: unknown): null {
    this.logger.warn('not serving a .bud that does not verify', { file: name, error: (e as Error).message });
    return null;
  }

  private async indexFile(path: string): Promise<Uint8Array> {
    const bud = new Uint8Array(await readFile(path));
    const held = heldOf(bud);
    this.items.set(hashKey(held.contentHash), { held: { contentHash: held.contentHash, head: held.head, index: held.index, bitfield: held.bitfield }, path, dataOffset: held.dataOffset });
    return held.contentHash;
  }

  /** Adds a .bud (a path, or its bytes): verified, copied into the folder unless it is there already; returns its content hash. */
  async add(from: string | Uint8Array): Promise<Uint8Array> {
    const bud = typeof from === 'string' ? new Uint8Array(await readFile(from)) : from;
    const held = heldOf(bud);
    const key = hashKey(held.contentHash);
    if (typeof from === 'string' && resolve(dirname(from)) === this.dir) {
      this.items.set(key, { held, path: resolve(from), dataOffset: held.dataOffset });
      return held.contentHash;
    }
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, `${key}.bud`);
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bud);
    await rename(tmp, target);
    this.items.set(key, { held, path: target, dataOffset: held.dataOffset });
    this.logger.info('seeding a dapp bundle', { file: basename(target) });
    return held.contentHash;
  }

  has(contentHash: Uint8Array): boolean {
    return this.items.has(hashKey(contentHash));
  }

  header(contentHash: Uint8Array): HeldBundle | null {
    return this.items.get(hashKey(contentHash))?.held ?? null;
  }

  /** The file a content hash is served from. */
  pathOf(contentHash: Uint8Array): string | null {
    return this.items.get(hashKey(contentHash))?.path ?? null;
  }

  async readChunk(contentHash: Uint8Array, i: number): Promise<Uint8Array | null> {
    const key = hashKey(contentHash);
    const e = this.items.get(key);
    if (!e || i < 0 || i >= e.held.index.chunks.length) return null;
    const len = chunkLength(e.held.index, i);
    const buf = new Uint8Array(len);
    let ok: boolean;
    try {
      const fh = await open(e.path, 'r');
      try {
        const { bytesRead } = await fh.read(buf, 0, len, e.dataOffset + i * e.held.index.chunkSize);
        ok = bytesRead === len && chunkMatches(e.held.index, i, buf);
      } finally {
        await fh.close();
      }
    } catch {
      ok = false;
    }
    if (ok) return buf;
    if (this.items.get(key) === e) this.items.delete(key);
    this.logger.warn('a served .bud changed on disk; no longer serving it', { file: basename(e.path), chunk: i });
    return null;
  }

  /** Stops serving a content hash; with `deleteFile`, removes its file too. */
  async remove(contentHash: Uint8Array, deleteFile = false): Promise<boolean> {
    const key = hashKey(contentHash);
    const e = this.items.get(key);
    if (!e) return false;
    this.items.delete(key);
    if (deleteFile) await unlink(e.path).catch(() => undefined);
    return true;
  }

  list(): Uint8Array[] {
    return [...this.items.values()].map((e) => e.held.contentHash);
  }
}
