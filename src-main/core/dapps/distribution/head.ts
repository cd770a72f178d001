/**
 * @module dapps/distribution/head
 * A bundle's "head": every byte of its .bud container except the chunks — the 16-byte
 * container header, the canonical index, and the signature section if signed
 * (dapps/package/container). A peer sends the head first; `openHead` checks, before anything
 * else, that SHA-256 of the index in it is the content hash asked for (dapps/package
 * `openIndex`), so a peer answering with another bundle's head is caught at once, like a
 * BitTorrent client checking the info dictionary against its info hash (BEP 3, BEP 9).
 */
import { bytesEqual, toHex, utf8 } from '../../base';
import { BUD_MAGIC, openIndex, readHeader, type BundleIndex } from '../package';
import { CONTAINER_HEADER_BYTES, MAX_INDEX_BYTES, SIGNATURE_BYTES } from './constants';

export type OpenedHead = {
  index: BundleIndex;
  /** Where the chunks start in the .bud (container header + index). */
  dataOffset: number;
  /** The signature section (0 or 135 bytes). */
  trailer: Uint8Array;
};

const SIG_MAGIC = utf8('BSIG');

export const hashKey = (hash: Uint8Array): string => toHex(hash);

/** The head of a complete .bud (after readHeader: BAD_CONTAINER / INDEX_INVALID on a bad one). */
export function headOf(bud: Uint8Array): { head: Uint8Array; index: BundleIndex; dataOffset: number } {
  const { index, dataOffset } = readHeader(bud);
  const head = new Uint8Array(bud.length - index.totalSize);
  head.set(bud.subarray(0, dataOffset), 0);
  head.set(bud.subarray(dataOffset + index.totalSize), dataOffset);
  return { head, index, dataOffset };
}

/**
 * Checks a head received for `contentHash`; returns why not as a string (a peer's fault), or the
 * opened head. The index hash comes first; then the container header, the index's own rules,
 * and a signature section that must name the same content hash.
 */
export function openHead(head: Uint8Array, contentHash: Uint8Array): OpenedHead | string {
  if (head.length < CONTAINER_HEADER_BYTES) return 'the head is shorter than a container header';
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const indexLength = view.getUint32(12);
  if (indexLength > MAX_INDEX_BYTES || CONTAINER_HEADER_BYTES + indexLength > head.length) return 'the head ends inside its index';
  const dataOffset = CONTAINER_HEADER_BYTES + indexLength;
  let index: BundleIndex;
  try {
    index = openIndex(head.subarray(CONTAINER_HEADER_BYTES, dataOffset), contentHash);
  } catch (e) {
    return `the index is refused: ${(e as Error).message}`;
  }
  if (!bytesEqual(head.subarray(0, 8), BUD_MAGIC)) return 'the container magic is wrong';
  try {
    readHeader(head.subarray(0, dataOffset));
  } catch (e) {
    return `the container header is refused: ${(e as Error).message}`;
  }
  const trailer = head.subarray(dataOffset);
  if (trailer.length !== 0) {
    if (trailer.length !== SIGNATURE_BYTES || !bytesEqual(trailer.subarray(0, 4), SIG_MAGIC) || trailer[4] !== 1) return 'the bytes after the index are not a signature section';
    if (!bytesEqual(trailer.subarray(5, 37), contentHash)) return 'the signature section is for other content';
  }
  return { index, dataOffset, trailer };
}
