/**
 * @module dapps/package/bundle
 * A dapp's content, made deterministic and content-addressed. `collectDirectory` reads a
 * static web app (hidden entries skipped; symlinks, special files, bad paths, disallowed
 * extensions, case-insensitive collisions and oversize files refused), `buildBundle` sorts
 * the files by path (UTF-8 byte order), concatenates their bytes in that order and cuts them
 * into 256 KiB chunks, and writes the canonical index:
 *
 *   "BUDI" | u8 index version (1) | u32 chunk size | u32 file count N |
 *   N × ( u16 path length | path (UTF-8, NFC) | u64 size | SHA-256 of the file ) |
 *   u64 total size | u32 chunk count M | M × SHA-256 of the chunk          (big-endian)
 *
 * The content hash is SHA-256 (FIPS 180-4) of the index: a two-level hash tree (like a
 * BitTorrent v1 info hash over its piece hashes), so a peer serving a bundle by its content
 * hash sends the index first and each chunk is checked on arrival, and a download resumes at
 * any chunk. Same files → same bytes → same hash, whatever the creation order or mtimes.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesEqual, concatBytes, toHex, u32be, u64be, utf8 } from '../../base';
import { sha256 } from '../../crypto';
import { PackageError } from './errors';
import { MANIFEST_FILE, parseManifest, referencedPaths, type DappManifestT } from './manifest';
import { checkBundlePath } from './paths';

export const CHUNK_SIZE = 256 * 1024;
export const INDEX_MAGIC = utf8('BUDI');
export const INDEX_VERSION = 1;
export const LIMITS = { maxFiles: 2000, maxFileBytes: 16 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024, maxDepth: 16 } as const;

export type BundleFile = { path: string; bytes: Uint8Array };
export type IndexEntry = { path: string; size: number; sha256: Uint8Array };
export type BundleIndex = { chunkSize: number; files: IndexEntry[]; totalSize: number; chunks: Uint8Array[] };

export type Bundle = {
  manifest: DappManifestT;
  index: BundleIndex;
  /** The canonical encoding of `index`. */
  indexBytes: Uint8Array;
  /** SHA-256 of `indexBytes`. */
  contentHash: Uint8Array;
  /** The files' bytes concatenated in index order (the chunks, back to back). */
  data: Uint8Array;
  files: BundleFile[];
};

/** Byte order of the UTF-8 encodings (not UTF-16 code units, which sort astral characters differently). */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Reads every non-hidden regular file under `dir`; refuses whatever a bundle cannot hold. */
export async function collectDirectory(dir: string): Promise<{ files: BundleFile[]; skipped: string[] }> {
  const top = await lstat(dir).catch(() => null);
  if (!top || !top.isDirectory()) throw new PackageError('NOT_A_DIRECTORY', `${dir} is not a directory.`);
  const files: BundleFile[] = [];
  const skipped: string[] = [];
  let total = 0;
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    if (depth > LIMITS.maxDepth) throw new PackageError('BAD_PATH', `"${rel}" is nested deeper than ${LIMITS.maxDepth} folders.`);
    const names = (await readdir(abs)).sort(comparePaths);
    for (const name of names) {
      const path = rel ? `${rel}/${name}` : name;
      if (name.startsWith('.')) {
        skipped.push(path);
        continue;
      }
      const full = join(abs, name);
      const st = await lstat(full);
      if (st.isSymbolicLink()) throw new PackageError('SYMLINK', `"${path}" is a symbolic link; a bundle holds only regular files.`);
      if (st.isDirectory()) {
        await walk(full, path, depth + 1);
        continue;
      }
      if (!st.isFile()) throw new PackageError('NOT_A_FILE', `"${path}" is not a regular file.`);
      checkBundlePath(path, 'file');
      if (st.size > LIMITS.maxFileBytes) throw new PackageError('TOO_LARGE', `"${path}" is ${st.size} bytes; a file may be at most ${LIMITS.maxFileBytes}.`);
      total += st.size;
      if (total > LIMITS.maxTotalBytes) throw new PackageError('TOO_LARGE', `The files add up to more than ${LIMITS.maxTotalBytes} bytes.`);
      if (files.length >= LIMITS.maxFiles) throw new PackageError('TOO_MANY_FILES', `A bundle may hold at most ${LIMITS.maxFiles} files.`);
      files.push({ path, bytes: new Uint8Array(await readFile(full)) });
    }
  };
  await walk(dir, '', 0);
  return { files, skipped };
}

/** Checks the file list a bundle is made from: paths, limits, no duplicates or case collisions. */
export function checkFiles(files: readonly BundleFile[]): void {
  if (files.length > LIMITS.maxFiles) throw new PackageError('TOO_MANY_FILES', `A bundle may hold at most ${LIMITS.maxFiles} files.`);
  const seen = new Map<string, string>();
  let total = 0;
  for (const f of files) {
    checkBundlePath(f.path, 'file');
    if (f.bytes.length > LIMITS.maxFileBytes) throw new PackageError('TOO_LARGE', `"${f.path}" is ${f.bytes.length} bytes; a file may be at most ${LIMITS.maxFileBytes}.`);
    total += f.bytes.length;
    const folded = f.path.toLowerCase();
    const other = seen.get(folded);
    if (other !== undefined) throw new PackageError('PATH_COLLISION', `"${f.path}" and "${other}" differ only in case (they collide on macOS and Windows).`);
    seen.set(folded, f.path);
  }
  if (total > LIMITS.maxTotalBytes) throw new PackageError('TOO_LARGE', `The files add up to ${total} bytes; a bundle may hold at most ${LIMITS.maxTotalBytes}.`);
}

export function encodeIndex(index: BundleIndex): Uint8Array {
  const parts: Uint8Array[] = [INDEX_MAGIC, Uint8Array.of(INDEX_VERSION), u32be(index.chunkSize), u32be(index.files.length)];
  for (const f of index.files) {
    const p = utf8(f.path);
    parts.push(Uint8Array.of(p.length >> 8, p.length & 0xff), p, u64be(BigInt(f.size)), f.sha256);
  }
  parts.push(u64be(BigInt(index.totalSize)), u32be(index.chunks.length), ...index.chunks);
  return concatBytes(...parts);
}

/** Decodes and checks the canonical index (INDEX_INVALID on any deviation, including a non-canonical order). */
export function decodeIndex(bytes: Uint8Array): BundleIndex {
  const bad = (why: string): never => {
    throw new PackageError('INDEX_INVALID', `The bundle index ${why}.`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  const need = (n: number) => {
    if (off + n > bytes.length) bad('is truncated');
  };
  need(13);
  if (!bytesEqual(bytes.subarray(0, 4), INDEX_MAGIC)) bad('does not start with "BUDI"');
  if (bytes[4] !== INDEX_VERSION) bad(`has version ${bytes[4]}, not ${INDEX_VERSION}`);
  const chunkSize = view.getUint32(5);
  if (chunkSize !== CHUNK_SIZE) bad(`has chunk size ${chunkSize}, not ${CHUNK_SIZE}`);
  const count = view.getUint32(9);
  off = 13;
  if (count > LIMITS.maxFiles) bad(`lists ${count} files (at most ${LIMITS.maxFiles})`);
  const files: IndexEntry[] = [];
  let sum = 0;
  for (let i = 0; i < count; i++) {
    need(2);
    const len = view.getUint16(off);
    off += 2;
    need(len + 40);
    let path: string;
    try {
      path = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(off, off + len));
    } catch {
      return bad(`has a path that is not UTF-8 (file ${i})`);
    }
    off += len;
    const size = view.getBigUint64(off);
    off += 8;
    if (size > BigInt(LIMITS.maxFileBytes)) bad(`gives "${path}" ${size} bytes (at most ${LIMITS.maxFileBytes})`);
    const prev = files[files.length - 1];
    if (prev && comparePaths(prev.path, path) >= 0) bad(`is not sorted by path ("${prev.path}" before "${path}")`);
    try {
      checkBundlePath(path, 'file');
    } catch (e) {
      bad(`lists a bad path: ${(e as Error).message}`);
    }
    files.push({ path, size: Number(size), sha256: bytes.slice(off, off + 32) });
    sum += Number(size);
    off += 32;
  }
  need(12);
  const totalSize = Number(view.getBigUint64(off));
  off += 8;
  if (totalSize !== sum) bad(`gives a total of ${totalSize} bytes, but its files add up to ${sum}`);
  if (totalSize > LIMITS.maxTotalBytes) bad(`gives a total of ${totalSize} bytes (at most ${LIMITS.maxTotalBytes})`);
  const chunkCount = view.getUint32(off);
  off += 4;
  const expected = Math.ceil(totalSize / chunkSize);
  if (chunkCount !== expected) bad(`lists ${chunkCount} chunks for ${totalSize} bytes (expected ${expected})`);
  need(chunkCount * 32);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < chunkCount; i++, off += 32) chunks.push(bytes.slice(off, off + 32));
  if (off !== bytes.length) bad('has bytes after its last chunk hash');
  checkFiles(files.map((f) => ({ path: f.path, bytes: new Uint8Array(0) })));
  return { chunkSize, files, totalSize, chunks };
}

/** The size of chunk `i` of an index. */
export function chunkLength(index: BundleIndex, i: number): number {
  return Math.min(index.chunkSize, index.totalSize - i * index.chunkSize);
}

/** The manifest of a file set, checked against the files it names. */
export function manifestOf(files: readonly BundleFile[]): DappManifestT {
  const file = files.find((f) => f.path === MANIFEST_FILE);
  if (!file) throw new PackageError('MANIFEST_MISSING', `The bundle has no ${MANIFEST_FILE} at its root.`);
  const manifest = parseManifest(file.bytes);
  const paths = new Set(files.map((f) => f.path));
  for (const p of referencedPaths(manifest)) {
    if (!paths.has(p)) throw new PackageError('MANIFEST_INVALID', `${MANIFEST_FILE}: "${p}" is not in the bundle.`);
  }
  return manifest;
}

/** The deterministic bundle of a set of files (any order in, sorted out). */
export function buildBundle(input: readonly BundleFile[]): Bundle {
  checkFiles(input);
  const files = [...input].sort((a, b) => comparePaths(a.path, b.path));
  const manifest = manifestOf(files);
  const data = concatBytes(...files.map((f) => f.bytes));
  const chunks: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += CHUNK_SIZE) chunks.push(sha256(data.subarray(off, off + CHUNK_SIZE)));
  const index: BundleIndex = {
    chunkSize: CHUNK_SIZE,
    files: files.map((f) => ({ path: f.path, size: f.bytes.length, sha256: sha256(f.bytes) })),
    totalSize: data.length,
    chunks,
  };
  const indexBytes = encodeIndex(index);
  return { manifest, index, indexBytes, contentHash: sha256(indexBytes), data, files };
}

/** Reads `dir` and builds its bundle. */
export async function bundleDirectory(dir: string): Promise<Bundle & { skipped: string[] }> {
  const { files, skipped } = await collectDirectory(dir);
  return { ...buildBundle(files), skipped };
}

export function contentHashHex(b: Pick<Bundle, 'contentHash'>): string {
  return `0x${toHex(b.contentHash)}`;
}
