/**
 * @module chain/block-file
 * geth's block export format: RLP-encoded blocks written one after another, nothing else
 * (go-ethereum core/blockchain.go `Export`, cmd/utils `ExportChain`/`ImportChain`); a file
 * whose name ends in `.gz` is gzip-compressed, as geth reads and writes it.
 *
 * `readBlockFile` streams the file and yields one block's bytes at a time, so a large export
 * is never held in memory: it reads the RLP list prefix (0xc0–0xf7 short list, 0xf8–0xff long
 * list with a big-endian length, Yellow Paper appendix B) to know how many bytes the block
 * needs and waits for them. Anything that is not a list, or a file that ends inside a block,
 * is a BAD_INPUT error naming the byte offset. `BlockFileWriter` writes the same format to a
 * temporary file and renames it into place on `finish()`, so a half-written export is never
 * visible under its final name.
 */
import { createReadStream, createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { BuError } from '../base';

/** Larger than any block a real chain has (geth caps a block message at 10 MB). */
const MAX_BLOCK_BYTES = 256 * 1024 * 1024;

export type BlockBytes = {
  /** The block's RLP (a view into the read buffer: copy it to keep it). */
  bytes: Uint8Array;
  /** 0-based position of the block in the file. */
  index: number;
  /** Byte offset of the block in the (decompressed) stream. */
  offset: number;
};

export const isGzipName = (file: string): boolean => /\.gz$/i.test(file);

/**
 * Total length (prefix + payload) of the RLP list starting at buf[0], or null when the
 * buffer does not hold the whole prefix yet.
 */
export function rlpListLength(buf: Uint8Array, offset: number): number | null {
  if (buf.length === 0) return null;
  const b0 = buf[0]!;
  if (b0 < 0xc0) {
    throw new BuError('BAD_INPUT', `The blocks file is not a block export: byte ${offset} starts an RLP string (0x${b0.toString(16)}), not a block (an RLP list).`);
  }
  if (b0 <= 0xf7) return 1 + (b0 - 0xc0);
  const lenOfLen = b0 - 0xf7;
  if (buf.length < 1 + lenOfLen) return null;
  if (buf[1] === 0) throw new BuError('BAD_INPUT', `The blocks file has a malformed RLP length at byte ${offset}.`);
  let len = 0;
  for (let i = 1; i <= lenOfLen; i++) len = len * 256 + buf[i]!;
  if (len > MAX_BLOCK_BYTES) throw new BuError('BAD_INPUT', `The block at byte ${offset} claims ${len} bytes; that is not a block export.`);
  return 1 + lenOfLen + len;
}

/** Yields the blocks of a geth export file one at a time. */
export async function* readBlockFile(file: string): AsyncGenerator<BlockBytes> {
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  const stream: Readable = isGzipName(file) ? source.pipe(createGunzip()) : source;
  if (stream !== source) source.on('error', (e) => stream.destroy(e));
  let buf: Buffer = Buffer.alloc(0);
  let offset = 0;
  let index = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        const need = rlpListLength(buf, offset);
        if (need === null || buf.length < need) break;
        yield { bytes: buf.subarray(0, need), index: index++, offset };
        buf = buf.subarray(need);
        offset += need;
      }
    }
  } catch (e) {
    throw readError(e, file);
  } finally {
    stream.destroy();
    source.destroy();
  }
  if (buf.length) {
    const need = rlpListLength(buf, offset);
    throw new BuError(
      'BAD_INPUT',
      `The blocks file is truncated: block ${index} at byte ${offset} ${need === null ? 'has an incomplete length prefix' : `needs ${need} bytes but the file ends after ${buf.length}`}.`,
    );
  }
}

function readError(e: unknown, file: string): BuError {
  if (e instanceof BuError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR') return new BuError('BAD_INPUT', `${file} is not a valid gzip file (${err.message}).`);
  if (err.code === 'ENOENT') return new BuError('BAD_INPUT', `The blocks file ${file} does not exist.`);
  return new BuError('BAD_INPUT', `Cannot read the blocks file ${file}: ${err.message}`);
}

/** Writes a geth export (gzip for a `.gz` name) atomically: a temp file renamed on finish(). */
export class BlockFileWriter {
  private readonly tmp: string;
  private readonly file: WriteStream;
  private readonly sink: Writable;
  private failed: Error | null = null;

  constructor(readonly path: string) {
    this.tmp = `${path}.partial-${process.pid}`;
    this.file = createWriteStream(this.tmp, { flags: 'wx' });
    this.sink = isGzipName(path) ? createGzip() : this.file;
    if (this.sink !== this.file) this.sink.pipe(this.file);
    for (const s of [this.file, this.sink]) s.on('error', (e: Error) => (this.failed ??= e));
  }

  async write(block: Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.sink.write(block)) await once(this.sink, 'drain');
  }

  async finish(): Promise<void> {
    if (this.failed) throw this.failed;
    this.sink.end();
    await once(this.file, 'close');
    if (this.failed) throw this.failed;
    renameSync(this.tmp, this.path);
  }

  /** Drop the temp file (after an error). */
  abort(): void {
    this.sink.destroy();
    this.file.destroy();
    rmSync(this.tmp, { force: true });
  }
}
