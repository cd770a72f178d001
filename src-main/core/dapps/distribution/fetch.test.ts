import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isBuError, toHex, waitFor } from '../../base';
import { chunkLength, verifyBundle } from '../package';
import { partialPaths } from './partial';
import { CorruptSource, ImpostorSource, makeBud, MemoryNet, tempDir } from './test-support';
import { DirectorySource } from './directory-source';
import { MemorySource } from './source';
import type { FetchProgress } from './types';

let net: MemoryNet;
afterEach(async () => {
  await net?.close();
});

function seeders(n: number, bud: Uint8Array, from = 0): void {
  for (let i = from; i < from + n; i++) {
    const source = new MemorySource();
    source.add(bud);
    net.add(`seed${i}`, { source });
  }
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    if (isBuError(e)) return e.code;
    throw e;
  }
}

const MiB = 1024 * 1024;

describe('BundleFetcher over an in-memory network', () => {
  it('fetches a multi-chunk bundle from 3 peers, verifying it, with progress to the end', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(1.6 * MiB, 1);
    seeders(3, bud);
    const me = net.add('me', { seed: false });
    const seen: FetchProgress[] = [];
    const r = await me.fetch(contentHash, { onProgress: (p) => seen.push(p) });
    expect(Buffer.from(r.bytes).equals(Buffer.from(bud))).toBe(true);
    expect(r.bundle.index.chunks.length).toBeGreaterThanOrEqual(7);
    verifyBundle(r.bytes, { contentHash: `0x${toHex(contentHash)}`, authorKey: r.bundle.manifest.author });
    expect(r.path).toBe(partialPaths(me.fetcher['o'].partialDir, contentHash).final);
    expect(new Set(r.servedBy).size).toBeGreaterThanOrEqual(2);
    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({ chunksDone: last.chunksTotal, receivedBytes: last.totalBytes, resumedChunks: 0 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.chunksDone).toBeGreaterThanOrEqual(seen[i - 1]!.chunksDone);
    expect(Math.max(...seen.map((p) => p.peers))).toBe(3);
    // a second fetch of a finished hash needs no network
    const again = await me.fetch(contentHash, { peers: () => [] });
    expect(again.path).toBe(r.path);
  });

  it('resumes after the fetcher is closed mid-way: verified chunks are kept and re-checked', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(2.5 * MiB, 2);
    seeders(2, bud);
    const partialDir = tempDir();
    const first = net.add('me', { seed: false, partialDir });
    let stoppedAt = 0;
    const run1 = first.fetch(contentHash, {
      onProgress: (p) => {
        if (p.chunksDone >= 4 && stoppedAt === 0) {
          stoppedAt = p.chunksDone;
          void first.close();
        }
      },
    });
    expect(await codeOf(run1)).toBe('CANCELLED');
    expect(existsSync(partialPaths(partialDir, contentHash).part)).toBe(true);
    // a new node process: a new fetcher on the same folder
    const second = net.add('me', { seed: false, partialDir });
    const seen: FetchProgress[] = [];
    const r = await second.fetch(contentHash, { onProgress: (p) => seen.push(p) });
    expect(seen[0]!.chunksDone).toBeGreaterThanOrEqual(stoppedAt);
    expect(seen[0]!.resumedChunks).toBe(seen[0]!.chunksDone);
    expect(seen[0]!.receivedBytes).toBeGreaterThan(0);
    expect(r.resumedChunks).toBeGreaterThanOrEqual(stoppedAt);
    expect(r.resumedChunks).toBeLessThan(r.bundle.index.chunks.length);
    expect(Buffer.from(r.bytes).equals(Buffer.from(bud))).toBe(true);
    expect(readdirSync(partialDir).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('re-verifies on resume: a chunk damaged on disk is fetched again', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(1.2 * MiB, 3);
    seeders(1, bud);
    const me = net.add('me', { seed: false });
    await me.fetch(contentHash);
    // turn the finished file back into a partial one with a damaged chunk 1
    const { final, part } = partialPaths(me.fetcher['o'].partialDir, contentHash);
    const { readFileSync, writeFileSync, unlinkSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(final));
    const { headOf } = await import('./head');
    const at = headOf(bytes).dataOffset + 256 * 1024 + 10;
    bytes[at]! ^= 1;
    writeFileSync(part, bytes);
    unlinkSync(final);
    const again = await me.fetch(contentHash, { onProgress: () => {} });
    expect(again.resumedChunks).toBe(again.bundle.index.chunks.length - 1);
    expect(Buffer.from(again.bytes).equals(Buffer.from(bud))).toBe(true);
  });

  it('drops a peer that serves a corrupted chunk and completes from the others', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(1.6 * MiB, 4);
    const bad = new CorruptSource('all');
    bad.add(bud);
    net.add('liar', { source: bad });
    seeders(2, bud);
    const warnings: Record<string, unknown>[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (_: string, f?: Record<string, unknown>) => void warnings.push(f ?? {}) };
    const me = net.add('me', { seed: false, logger });
    const r = await me.fetch(contentHash);
    expect(Buffer.from(r.bytes).equals(Buffer.from(bud))).toBe(true);
    expect(r.servedBy).not.toContain('liar');
    expect(warnings.some((w) => w.peer === 'liar' && String(w.why).includes('does not match its hash'))).toBe(true);
  });

  it('refuses a peer that serves the head of another bundle (DAPP_REFUSED when it is the only holder)', async () => {
    net = new MemoryNet();
    const wanted = await makeBud(600 * 1024, 5);
    const other = await makeBud(600 * 1024, 6);
    net.add('impostor', { source: new ImpostorSource(wanted.contentHash, other.bud) });
    const me = net.add('me', { seed: false });
    expect(await codeOf(me.fetch(wanted.contentHash))).toBe('DAPP_REFUSED');
    // with an honest holder beside it, the fetch completes from that one
    seeders(1, wanted.bud);
    const r = await me.fetch(wanted.contentHash);
    expect(r.servedBy).toEqual(['seed0']);
    expect(Buffer.from(r.bytes).equals(Buffer.from(wanted.bud))).toBe(true);
  });

  it('DAPP_UNAVAILABLE when no peer holds it, none answers, or there is no peer', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(300 * 1024, 7);
    const other = await makeBud(300 * 1024, 8);
    seeders(2, other.bud);
    const me = net.add('me', { seed: false, limits: { fetch: { unavailableAfterMs: 800 } } });
    expect(await codeOf(me.fetch(contentHash))).toBe('DAPP_UNAVAILABLE');
    expect(await codeOf(me.fetch(contentHash, { peers: () => [] }))).toBe('DAPP_UNAVAILABLE');
    expect(await codeOf(me.fetch(contentHash, { peers: () => ['nobody'] }))).toBe('DAPP_UNAVAILABLE');
    net.filter = (from) => from !== 'silent'; // a holder whose answers never arrive
    const s = new MemorySource();
    s.add(bud);
    net.add('silent', { source: s });
    expect(await codeOf(me.fetch(contentHash, { peers: () => ['silent'] }))).toBe('DAPP_UNAVAILABLE');
  });

  it('cancels on abort with CANCELLED and keeps the partial file', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(2 * MiB, 9);
    seeders(2, bud);
    const me = net.add('me', { seed: false });
    const ac = new AbortController();
    const run = me.fetch(contentHash, { signal: ac.signal, onProgress: (p) => p.chunksDone >= 1 && ac.abort() });
    expect(await codeOf(run)).toBe('CANCELLED');
    expect(existsSync(partialPaths(me.fetcher['o'].partialDir, contentHash).part)).toBe(true);
    expect(await codeOf(me.fetch(contentHash, { signal: AbortSignal.abort() }))).toBe('CANCELLED');
    expect(me.fetcher.active()).toEqual([]);
    // closing the fetcher while a fetch is still re-checking its partial file
    const early = me.fetch(contentHash);
    await me.fetcher.close();
    expect(await codeOf(early)).toBe('CANCELLED');
    expect(await codeOf(me.fetch(contentHash))).toBe('CANCELLED');
  });

  it('completes with 10 % of payloads lost in both directions', async () => {
    net = new MemoryNet(11);
    net.loss = 0.1;
    const { bud, contentHash } = await makeBud(1.6 * MiB, 10);
    seeders(3, bud);
    const me = net.add('me', { seed: false, limits: { fetch: { unavailableAfterMs: 30_000 } } });
    const r = await me.fetch(contentHash);
    expect(Buffer.from(r.bytes).equals(Buffer.from(bud))).toBe(true);
    expect(net.dropped).toBeGreaterThan(10);
  });

  it('rides out a rate-limited seeder (BUSY) and seeds what it fetched', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(1.1 * MiB, 12);
    const source = new MemorySource();
    source.add(bud);
    const slow = net.add('slow', { source, limits: { seeder: { ratePerSec: 60, burst: 8 } } });
    const me = net.add('me');
    const r = await me.fetch(contentHash, { peers: () => ['slow'] });
    expect(Buffer.from(r.bytes).equals(Buffer.from(bud))).toBe(true);
    expect(slow.seeder!.counters.busy).toBeGreaterThan(0);
    // `me` serves it on: a third node fetches it from `me` alone
    expect(me.source.has(contentHash)).toBe(true);
    const third = net.add('third', { seed: false });
    const r3 = await third.fetch(contentHash, { peers: () => ['me'] });
    expect(r3.servedBy).toEqual(['me']);
    await waitFor(() => me.seeder!.counters.pieces > 0, 5000, 'me to serve pieces');
  });

  it('fetches the head in several pieces when it is larger than a piece, with pieces of an odd size', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(300 * 1024, 13);
    seeders(2, bud);
    let headerRequests = 0;
    net.filter = (_from, _to, p) => (p[2] === 0x03 && headerRequests++, true);
    const me = net.add('me', { seed: false, limits: { fetch: { pieceBytes: 300 } } });
    const r = await me.fetch(contentHash);
    expect(Buffer.from(r.bytes).equals(Buffer.from(bud))).toBe(true);
    const head = r.bytes.length - r.bundle.index.totalSize;
    expect(head).toBeGreaterThan(600);
    expect(headerRequests).toBeGreaterThanOrEqual(Math.ceil(head / 300));
    const served = [...net.nodes.values()].map((n) => (n as { seeder?: { counters: { pieces: number } } | null }).seeder?.counters.pieces ?? 0);
    expect(served.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(r.bundle.index.chunks.reduce((n, _, i) => n + Math.ceil(chunkLength(r.bundle.index, i) / 300), 0));
  });

  it('asks a partial holder only for what it holds; alone it cannot complete (DAPP_UNAVAILABLE)', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(700 * 1024, 14);
    class Partial extends MemorySource {
      override header(h: Uint8Array) {
        const held = super.header(h);
        return held && { ...held, bitfield: Uint8Array.of(0b1100_0000) }; // no chunk 2
      }
    }
    const partial = new Partial();
    partial.add(bud);
    net.add('partial', { source: partial });
    const me = net.add('me', { seed: false, limits: { fetch: { unavailableAfterMs: 500 } } });
    const seen: FetchProgress[] = [];
    expect(await codeOf(me.fetch(contentHash, { onProgress: (p) => seen.push(p) }))).toBe('DAPP_UNAVAILABLE');
    expect(seen.at(-1)?.chunksDone).toBe(2);
    seeders(1, bud);
    const r = await me.fetch(contentHash);
    expect(r.resumedChunks).toBe(2);
    expect(r.servedBy).toEqual(['seed0']);
  });

  it('with `expect`, refuses an unsigned copy of the right content and verifies the signature', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(300 * 1024, 15);
    const unsigned = new MemorySource();
    unsigned.add(bud.subarray(0, bud.length - 135)); // the same content, signature section cut off
    net.add('unsigned', { source: unsigned });
    const me = net.add('me', { seed: false });
    const { SAMPLE_AUTHOR_PRIVATE } = await import('../package/test-support');
    const { publicKeyOf } = await import('../../crypto');
    const authorKey = `0x${toHex(publicKeyOf(SAMPLE_AUTHOR_PRIVATE))}`;
    expect(await codeOf(me.fetch(contentHash, { expect: { authorKey } }))).toBe('DAPP_REFUSED');
    seeders(1, bud);
    const r = await me.fetch(contentHash, { expect: { authorKey } });
    expect(r.bundle.signature).not.toBeNull();
    expect(r.servedBy).toEqual(['seed0']);
    // a listing by another author: refused, and the file is not kept
    const other = `0x${toHex(publicKeyOf(new Uint8Array(32).fill(7)))}`;
    expect(await codeOf(me.fetch(contentHash, { expect: { authorKey: other } }))).toBe('DAPP_REFUSED');
    expect(existsSync(r.path)).toBe(false);
  });

  it('seeds a finished download in place when the partial folder is the seed folder', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(300 * 1024, 16);
    seeders(1, bud);
    const dir = tempDir();
    const me = net.add('me', { partialDir: dir, seedDir: dir });
    expect(await me.start()).toBe(0);
    const r = await me.fetch(contentHash);
    expect(readdirSync(dir)).toEqual([`${toHex(contentHash)}.bud`]);
    expect((me.source as DirectorySource).pathOf(contentHash)).toBe(r.path);
  });

  it('gives the head to another holder when the first one does not answer for it', async () => {
    net = new MemoryNet();
    const { bud, contentHash } = await makeBud(300 * 1024, 17);
    seeders(2, bud);
    let toMute = 0;
    net.filter = (from, to, p) => {
      if (to === 'seed0' && p[2] === 0x03) toMute++;
      return !(from === 'seed0' && p[2] === 0x04); // seed0 never gets a HEADER through
    };
    const me = net.add('me', { seed: false });
    const r = await me.fetch(contentHash);
    expect(Buffer.from(r.bytes).equals(Buffer.from(bud))).toBe(true);
    expect(toMute).toBeGreaterThanOrEqual(1);
    expect(toMute).toBeLessThanOrEqual(3);
  });
});
