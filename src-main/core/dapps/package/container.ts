/**
 * @module dapps/package/container
 * The single-file form of a bundle, `.bud` (big-endian integers):
 *
 *   offset      size  field
 *   0           8     magic 89 42 55 44 0D 0A 1A 0A ("\x89BUD\r\n\x1a\n", PNG-style: catches
 *                     7-bit and line-ending mangling)
 *   8           2     container version (1)
 *   10          2     flags (0; anything else is refused)
 *   12          4     L, the length of the index
 *   16          L     the canonical index (dapps/package/bundle); SHA-256 of it = content hash
 *   16+L        T     the chunks back to back (T = the index's total size; chunk i at i·256 KiB)
 *   16+L+T      0|135 the author signature, if signed: "BSIG" | u8 scheme (1) | content hash
 *                     (32) | author key (33, SEC 1 compressed) | r ‖ s ‖ v (65)
 *
 * and nothing after it. `openContainer` checks all of it: the header, the index, every chunk
 * against its hash, every file against its hash, and the manifest inside (it does not judge
 * the signature: dapps/package/sign does).
 */
import { bytesEqual, concatBytes, utf8 } from '../../base';
import { sha256 } from '../../crypto';
import { buildBundle, chunkLength, decodeIndex, LIMITS, type Bundle, type BundleFile, type BundleIndex } from './bundle';
import { PackageError } from './errors';

export const BUD_MAGIC = Uint8Array.of(0x89, 0x42, 0x55, 0x44, 0x0d, 0x0a, 0x1a, 0x0a);
export const BUD_VERSION = 1;
export const HEADER_BYTES = 16;
export const SIG_MAGIC = utf8('BSIG');
export const SIG_SCHEME = 1;
export const SIG_SECTION_BYTES = 4 + 1 + 32 + 33 + 65;
const MAX_INDEX_BYTES = 16 + LIMITS.maxFiles * (2 + 255 + 8 + 32) + 12 + Math.ceil(LIMITS.maxTotalBytes / (256 * 1024)) * 32;

export type SignatureRecord = { contentHash: Uint8Array; authorKey: Uint8Array; signature: Uint8Array };
export type OpenedBundle = Bundle & { signature: SignatureRecord | null; containerBytes: number };

function bad(why: string): never {
  throw new PackageError('BAD_CONTAINER', `This is not a valid .bud file: ${why}.`);
}

export function encodeSignature(sig: SignatureRecord): Uint8Array {
  if (sig.contentHash.length !== 32 || sig.authorKey.length !== 33 || sig.signature.length !== 65) throw new TypeError('bad signature record');
  return concatBytes(SIG_MAGIC, Uint8Array.of(SIG_SCHEME), sig.contentHash, sig.authorKey, sig.signature);
}

export function decodeSignature(bytes: Uint8Array): SignatureRecord {
  if (bytes.length !== SIG_SECTION_BYTES || !bytesEqual(bytes.subarray(0, 4), SIG_MAGIC)) bad('the bytes after the chunks are not a signature section');
  if (bytes[4] !== SIG_SCHEME) bad(`the signature scheme ${bytes[4]} is not known`);
  return { contentHash: bytes.slice(5, 37), authorKey: bytes.slice(37, 70), signature: bytes.slice(70, 135) };
}

/** The .bud bytes of a bundle, with its signature section when `sig` is given. */
export function encodeContainer(b: Pick<Bundle, 'indexBytes' | 'data'>, sig?: SignatureRecord | null): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  header.set(BUD_MAGIC, 0);
  const view = new DataView(header.buffer);
  view.setUint16(8, BUD_VERSION);
  view.setUint16(10, 0);
  view.setUint32(12, b.indexBytes.length);
  return concatBytes(header, b.indexBytes, b.data, ...(sig ? [encodeSignature(sig)] : []));
}

/** Whether `chunk` is chunk `i` of `index` (length and SHA-256) — what a downloader checks per chunk. */
export function chunkMatches(index: BundleIndex, i: number, chunk: Uint8Array): boolean {
  return i >= 0 && i < index.chunks.length && chunk.length === chunkLength(index, i) && bytesEqual(sha256(chunk), index.chunks[i]!);
}

/**
 * The index a peer sent for `contentHash` (what a downloader asks for first): CONTENT_MISMATCH
 * unless SHA-256(indexBytes) is that hash, INDEX_INVALID unless it is canonical. Every chunk
 * fetched afterwards is checked with chunkMatches, so a download can resume at any chunk.
 */
export function openIndex(indexBytes: Uint8Array, contentHash: Uint8Array): BundleIndex {
  if (!bytesEqual(sha256(indexBytes), contentHash)) throw new PackageError('CONTENT_MISMATCH', 'The index received does not hash to the content hash asked for.');
  return decodeIndex(indexBytes);
}

/** Splits the header and index off a .bud (BAD_CONTAINER / INDEX_INVALID). */
export function readHeader(bytes: Uint8Array): { index: BundleIndex; indexBytes: Uint8Array; dataOffset: number } {
  if (bytes.length < HEADER_BYTES) bad('it is shorter than its header');
  if (!bytesEqual(bytes.subarray(0, 8), BUD_MAGIC)) bad('its magic number is wrong');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(8);
  if (version !== BUD_VERSION) bad(`its container version is ${version}, this host reads ${BUD_VERSION}`);
  if (view.getUint16(10) !== 0) bad('it sets flags this host does not know');
  const len = view.getUint32(12);
  if (len > MAX_INDEX_BYTES) bad(`its index is ${len} bytes long`);
  if (HEADER_BYTES + len > bytes.length) bad('it ends inside its index');
  const indexBytes = bytes.slice(HEADER_BYTES, HEADER_BYTES + len);
  return { index: decodeIndex(indexBytes), indexBytes, dataOffset: HEADER_BYTES + len };
}

/** Opens a .bud and verifies everything but the signature. */
export function openContainer(bytes: Uint8Array): OpenedBundle {
  const { index, indexBytes, dataOffset } = readHeader(bytes);
  const end = dataOffset + index.totalSize;
  if (end > bytes.length) bad(`it ends inside its chunks (${bytes.length - dataOffset} of ${index.totalSize} bytes)`);
  const data = bytes.slice(dataOffset, end);
  for (let i = 0; i < index.chunks.length; i++) {
    const chunk = data.subarray(i * index.chunkSize, i * index.chunkSize + chunkLength(index, i));
    if (!chunkMatches(index, i, chunk)) throw new PackageError('CHUNK_MISMATCH', `Chunk ${i} of ${index.chunks.length} does not match its SHA-256 in the index: the bundle was altered or damaged.`);
  }
  const files: BundleFile[] = [];
  let off = 0;
  for (const f of index.files) {
    const fileBytes = data.slice(off, off + f.size);
    off += f.size;
    if (!bytesEqual(sha256(fileBytes), f.sha256)) throw new PackageError('FILE_MISMATCH', `"${f.path}" does not match its SHA-256 in the index.`);
    files.push({ path: f.path, bytes: fileBytes });
  }
  const trailer = bytes.subarray(end);
  const signature = trailer.length === 0 ? null : decodeSignature(trailer);
  // Rebuilding from the files must give the same index: the canonical form is the only form.
  const rebuilt = buildBundle(files);
  if (!bytesEqual(rebuilt.indexBytes, indexBytes)) throw new PackageError('INDEX_INVALID', 'The bundle index is not the canonical index of its files.');
  return { ...rebuilt, signature, containerBytes: bytes.length };
}
