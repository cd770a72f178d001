/**
 * The export-file reader across read-chunk boundaries (reads are 1 MiB): short and long RLP
 * lists, one item larger than a chunk, plain and gzip; and the atomic writer.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RLP } from '@ethereumjs/rlp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockFileWriter, readBlockFile, rlpListLength } from './block-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-block-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic RLP lists of many sizes: empty, short (< 56 bytes), long, and one of 3 MiB. */
function items(): Uint8Array[] {
  const out: Uint8Array[] = [RLP.encode([])];
  for (let i = 0; i < 4000; i++) {
    const len = (i * 7919) % 1500;
    out.push(RLP.encode([new Uint8Array(len).fill(i & 0xff), [Uint8Array.of(i >> 8, i & 0xff)]]));
    if (i === 2000) out.push(RLP.encode([new Uint8Array(3 * 1024 * 1024).fill(0xab)]));
  }
  return out;
}

async function readAll(file: string): Promise<{ bytes: Buffer; offset: number; index: number }[]> {
  const got = [];
  for await (const b of readBlockFile(file)) got.push({ bytes: Buffer.from(b.bytes), offset: b.offset, index: b.index });
  return got;
}

describe('readBlockFile', () => {
  it('yields every item whole, with its offset, whatever the chunking', async () => {
    const want = items();
    const file = join(dir, 'many.rlp');
    writeFileSync(file, Buffer.concat(want));
    const got = await readAll(file);
    expect(got).toHaveLength(want.length);
    let offset = 0;
    got.forEach((g, i) => {
      expect(g.index).toBe(i);
      expect(g.offset).toBe(offset);
      expect(Buffer.compare(g.bytes, Buffer.from(want[i]!))).toBe(0);
      offset += want[i]!.length;
    });
  });

  it('reads the same items through gzip (written by BlockFileWriter)', async () => {
    const want = items().slice(0, 600);
    const out = join(dir, 'x.rlp.gz');
    const w = new BlockFileWriter(out);
    for (const b of want) await w.write(b);
    await w.finish();
    expect(readFileSync(out).subarray(0, 2).toString('hex')).toBe('1f8b');
    expect(readdirSync(dir)).toEqual(['x.rlp.gz']); // no temp file left
    const got = await readAll(out);
    expect(got.map((g) => g.bytes.toString('hex'))).toEqual(want.map((b) => Buffer.from(b).toString('hex')));
  });

  it('length prefixes: short, long, incomplete, not a list', () => {
    expect(rlpListLength(Uint8Array.of(0xc0), 0)).toBe(1);
    expect(rlpListLength(Uint8Array.of(0xf7), 0)).toBe(56);
    expect(rlpListLength(Uint8Array.of(0xf9, 0x02), 0)).toBeNull();
    expect(rlpListLength(Uint8Array.of(0xf9, 0x02, 0xec), 0)).toBe(3 + 0x2ec);
    expect(() => rlpListLength(Uint8Array.of(0x80), 7)).toThrow('byte 7 starts an RLP string');
    expect(() => rlpListLength(Uint8Array.of(0xf9, 0x00, 0x10), 0)).toThrow('malformed RLP length');
  });
});

describe('BlockFileWriter', () => {
  it('an aborted export leaves neither the file nor its temp file', async () => {
    const out = join(dir, 'y.rlp');
    const w = new BlockFileWriter(out);
    await w.write(RLP.encode([]));
    w.abort();
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
