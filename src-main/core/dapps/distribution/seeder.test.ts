import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../base';
import { DirectorySource } from './directory-source';
import { headOf, openHead } from './head';
import { BundleSeeder } from './seeder';
import { MemorySource, type BundleSource } from './source';
import { makeBud, tempDir } from './test-support';
import { decodeMessage, encodeMessage, type DistMessage, type DistRequest } from './wire';

function harness(source: BundleSource, limits = {}) {
  const out: DistMessage[] = [];
  const seeder = new BundleSeeder({ source, send: (_, p) => (out.push(decodeMessage(p)!), true), limits });
  const ask = (req: DistRequest, from = '0xPeer') => seeder.onRequest(from, decodeMessage(encodeMessage(req)) as DistRequest);
  return { out, seeder, ask };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('BundleSeeder', () => {
  it('answers HAVE?, GET_HEADER and GET_PIECE from its source, NOT_FOUND for other content', async () => {
    const { bud, contentHash: hash } = await makeBud(700 * 1024, 31);
    const source = new MemorySource();
    source.add(bud);
    const { out, ask } = harness(source);
    const { head, index, dataOffset } = headOf(bud);
    ask({ type: 'HAVE_Q', id: 1, hash });
    ask({ type: 'HAVE_Q', id: 2, hash: new Uint8Array(32) });
    ask({ type: 'GET_HEADER', id: 3, hash, offset: 0, length: head.length });
    ask({ type: 'GET_PIECE', id: 4, hash, chunk: 2, offset: 16384, length: 16384 });
    ask({ type: 'GET_PIECE', id: 5, hash, chunk: 2, offset: index.totalSize - 2 * 262144 - 10, length: 100 }); // past the last chunk's end: ignored
    ask({ type: 'GET_PIECE', id: 6, hash, chunk: 3, offset: 0, length: 10 }); // no such chunk
    await settle();
    const byId = new Map(out.map((m) => [m.id, m]));
    expect(byId.get(1)).toMatchObject({ type: 'HAVE', headSize: head.length, totalSize: index.totalSize, chunkCount: 3, bitfield: Uint8Array.of(0b1110_0000) });
    expect(byId.get(2)?.type).toBe('NOT_FOUND');
    const h = byId.get(3);
    expect(h?.type === 'HEADER' && typeof openHead(h.data, hash)).toBe('object');
    const p = byId.get(4);
    expect(p?.type === 'PIECE' && toHex(p.data)).toBe(toHex(bud.subarray(dataOffset + 2 * 262144 + 16384, dataOffset + 2 * 262144 + 32768)));
    expect(byId.has(5)).toBe(false);
    expect(byId.get(6)?.type).toBe('NOT_FOUND');
  });

  it('rate-limits each peer with BUSY, and bounds chunk reads in progress', async () => {
    const { bud, contentHash: hash } = await makeBud(1.2 * 1024 * 1024, 32);
    const mem = new MemorySource();
    mem.add(bud);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slow: BundleSource = { has: (h) => mem.has(h), header: (h) => mem.header(h), list: () => mem.list(), readChunk: async (h, i) => (await gate, mem.readChunk(h, i)) };
    const { out, seeder, ask } = harness(slow, { ratePerSec: 1, burst: 5, maxConcurrent: 3, maxConcurrentPerPeer: 2 });
    for (let i = 0; i < 8; i++) ask({ type: 'HAVE_Q', id: i, hash });
    await settle();
    expect(out.filter((m) => m.type === 'HAVE')).toHaveLength(5);
    expect(out.filter((m) => m.type === 'BUSY')).toHaveLength(3);
    // another peer has its own bucket; reads: 2 per peer, 3 in all
    out.length = 0;
    for (let c = 0; c < 4; c++) ask({ type: 'GET_PIECE', id: 100 + c, hash, chunk: c, offset: 0, length: 1024 }, '0xOther');
    ask({ type: 'GET_PIECE', id: 200, hash, chunk: 2, offset: 0, length: 1024 }, '0xThird');
    ask({ type: 'GET_PIECE', id: 201, hash, chunk: 3, offset: 0, length: 1024 }, '0xThird');
    await settle();
    expect(seeder.stats().reading).toBe(3);
    expect(out.map((m) => `${m.id}:${m.type}`).sort()).toEqual(['102:BUSY', '103:BUSY', '201:BUSY']);
    release();
    await settle();
    expect(out.filter((m) => m.type === 'PIECE').map((m) => m.id).sort()).toEqual([100, 101, 200]);
    expect(seeder.stats().reading).toBe(0);
  });
});

describe('DirectorySource', () => {
  it('indexes the *.bud files of its folder, skipping one that does not verify', async () => {
    const dir = tempDir();
    const a = await makeBud(300 * 1024, 33);
    const b = await makeBud(300 * 1024, 34);
    writeFileSync(join(dir, 'a.bud'), a.bud);
    writeFileSync(join(dir, 'b.bud'), b.bud);
    const broken = b.bud.slice();
    broken[broken.length - 500]! ^= 1;
    writeFileSync(join(dir, 'broken.bud'), broken);
    writeFileSync(join(dir, 'notes.txt'), 'not a bundle');
    const warned: unknown[] = [];
    const src = new DirectorySource(dir, { debug() {}, info() {}, error() {}, warn: (_m, f) => void warned.push(f) });
    expect(await src.start()).toBe(2);
    expect(warned).toHaveLength(1);
    expect(src.has(a.contentHash) && src.has(b.contentHash)).toBe(true);
    expect(src.pathOf(a.contentHash)).toBe(join(dir, 'a.bud'));
    const c0 = await src.readChunk(a.contentHash, 0);
    expect(c0 && toHex(c0)).toBe(toHex(a.bud.subarray(headOf(a.bud).dataOffset, headOf(a.bud).dataOffset + 262144)));
  });

  it('copies added bundles in as <hash>.bud and stops serving a file damaged on disk', async () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    const a = await makeBud(600 * 1024, 35);
    const b = await makeBud(300 * 1024, 36);
    writeFileSync(join(elsewhere, 'a.bud'), a.bud);
    const src = new DirectorySource(dir);
    await src.start();
    await src.add(join(elsewhere, 'a.bud'));
    await src.add(b.bud);
    expect(readdirSync(dir).sort()).toEqual([`${toHex(a.contentHash)}.bud`, `${toHex(b.contentHash)}.bud`].sort());
    const again = new DirectorySource(dir);
    expect(await again.start()).toBe(2);
    // damage chunk 1 of a on disk: the read is refused and a is no longer served
    const path = src.pathOf(a.contentHash)!;
    const bytes = new Uint8Array(readFileSync(path));
    bytes[headOf(a.bud).dataOffset + 262144 + 5]! ^= 1;
    writeFileSync(path, bytes);
    expect(await src.readChunk(a.contentHash, 0)).not.toBeNull();
    expect(await src.readChunk(a.contentHash, 1)).toBeNull();
    expect(src.has(a.contentHash)).toBe(false);
    expect(await src.remove(b.contentHash, true)).toBe(true);
    expect(existsSync(join(dir, `${toHex(b.contentHash)}.bud`))).toBe(false);
  });
});

describe('BundleSwarm.onPayload', () => {
  it('takes only 0xc0 payloads, counts malformed ones, and routes requests to the seeder', async () => {
    const { BundleSwarm } = await import('./swarm');
    const sent: Uint8Array[] = [];
    const swarm = new BundleSwarm({ send: (_, p) => (sent.push(p), true), peers: () => [], partialDir: tempDir() });
    expect(swarm.onPayload('0xA', Uint8Array.of(0x08, 1, 2))).toBe(false); // a chat envelope
    expect(swarm.onPayload('0xA', Uint8Array.of(0xc0, 1, 0x01))).toBe(true); // truncated
    expect(swarm.malformed).toBe(1);
    swarm.onPayload('0xA', encodeMessage({ type: 'HAVE_Q', id: 9, hash: new Uint8Array(32) }));
    swarm.onPayload('0xA', encodeMessage({ type: 'PIECE', id: 9, hash: new Uint8Array(32), chunk: 0, offset: 0, data: Uint8Array.of(1) })); // unsolicited: ignored
    await settle();
    expect(sent.map((p) => decodeMessage(p)?.type)).toEqual(['NOT_FOUND']);
    await swarm.close();
  });
});
