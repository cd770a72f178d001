import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesEqual, toHex, utf8 } from '../../base';
import { sha256 } from '../../crypto';
import { buildBundle, bundleDirectory, CHUNK_SIZE, decodeIndex, encodeIndex, LIMITS, type BundleFile } from './bundle';
import { chunkMatches, encodeContainer, HEADER_BYTES, openContainer, openIndex } from './container';
import { isPackageError, type PackageRefusal } from './errors';
import { appFiles, helloFiles, HELLO_DIR, manifestFile, manifestFor, SAMPLE_AUTHOR_PRIVATE, writeFiles } from './test-support';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-bundle-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const m = manifestFor(SAMPLE_AUTHOR_PRIVATE);

function reasonOf(fn: () => unknown): PackageRefusal | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (e) {
    if (isPackageError(e)) return e.reason;
    throw e;
  }
}

async function reasonOfAsync(p: Promise<unknown>): Promise<PackageRefusal | 'accepted'> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    if (isPackageError(e)) return e.reason;
    throw e;
  }
}

describe('bundle', () => {
  it('packs the sample hello dapp and reads it back file for file', async () => {
    const b = await bundleDirectory(HELLO_DIR);
    expect(b.manifest.name).toBe('Hello');
    expect(b.index.files.map((f) => f.path)).toEqual(['app.js', 'icon.svg', 'index.html', 'manifest.json', 'style.css']);
    const opened = openContainer(encodeContainer(b));
    expect(bytesEqual(opened.contentHash, b.contentHash)).toBe(true);
    expect(bytesEqual(opened.contentHash, sha256(b.indexBytes))).toBe(true);
    const byPath = new Map(helloFiles().map((f) => [f.path, f.bytes]));
    for (const f of opened.files) expect(bytesEqual(f.bytes, byPath.get(f.path)!)).toBe(true);
    expect(opened.signature).toBeNull();
  });

  it('is deterministic: same files → same bytes, whatever the creation order and mtimes', async () => {
    const files = [...appFiles(m), { path: 'css/z.css', bytes: utf8('b{}') }, { path: 'css/a.css', bytes: utf8('a{}') }];
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeFiles(a, files);
    writeFiles(b, [...files].reverse());
    utimesSync(join(a, 'index.html'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    utimesSync(join(b, 'js', 'app.js'), new Date(2030, 1, 1), new Date(2030, 1, 1));
    const [x, y] = await Promise.all([bundleDirectory(a), bundleDirectory(b)]);
    expect(toHex(x.contentHash)).toBe(toHex(y.contentHash));
    expect(bytesEqual(encodeContainer(x), encodeContainer(y))).toBe(true);
    // and in memory, in any order
    expect(toHex(buildBundle([...files].reverse()).contentHash)).toBe(toHex(x.contentHash));
    // one byte more anywhere changes it
    const changed = files.map((f) => (f.path === 'css/a.css' ? { ...f, bytes: utf8('a{ }') } : f));
    expect(toHex(buildBundle(changed).contentHash)).not.toBe(toHex(x.contentHash));
  });

  it('cuts the content into 256 KiB chunks, each hashed, the last one short', () => {
    const big = new Uint8Array(2 * CHUNK_SIZE + 1000).map((_, i) => (i * 31) & 0xff);
    const files = [...appFiles(m), { path: 'data.wasm', bytes: big }];
    const b = buildBundle(files);
    const total = files.reduce((n, f) => n + f.bytes.length, 0);
    expect(b.index.totalSize).toBe(total);
    expect(b.index.chunks).toHaveLength(Math.ceil(total / CHUNK_SIZE));
    for (let i = 0; i < b.index.chunks.length; i++) {
      expect(bytesEqual(b.index.chunks[i]!, sha256(b.data.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE)))).toBe(true);
    }
    expect(decodeIndex(b.indexBytes)).toEqual(b.index);
    expect(bytesEqual(encodeIndex(decodeIndex(b.indexBytes)), b.indexBytes)).toBe(true);
    const opened = openContainer(encodeContainer(b));
    expect(bytesEqual(opened.files.find((f) => f.path === 'data.wasm')!.bytes, big)).toBe(true);
  });

  it('lets a downloader check the index against the content hash, then each chunk as it arrives', () => {
    const big = new Uint8Array(CHUNK_SIZE + 5).map((_, i) => (i * 7) & 0xff);
    const b = buildBundle([...appFiles(m), { path: 'blob.wasm', bytes: big }]);
    const index = openIndex(b.indexBytes, b.contentHash);
    expect(index.chunks).toHaveLength(2);
    const first = b.data.subarray(0, CHUNK_SIZE);
    const second = b.data.subarray(CHUNK_SIZE);
    expect(chunkMatches(index, 0, first)).toBe(true);
    expect(chunkMatches(index, 1, second)).toBe(true);
    expect(chunkMatches(index, 0, second)).toBe(false); // right bytes, wrong place
    expect(chunkMatches(index, 2, second)).toBe(false);
    const flipped = second.slice();
    flipped[0] = flipped[0]! ^ 1;
    expect(chunkMatches(index, 1, flipped)).toBe(false);
    expect(reasonOf(() => openIndex(b.indexBytes, sha256(utf8('another bundle'))))).toBe('CONTENT_MISMATCH');
  });

  it('skips hidden files and refuses symlinks, special names and oversize files in a folder', async () => {
    writeFiles(dir, appFiles(m));
    writeFileSync(join(dir, '.DS_Store'), 'x');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref');
    const ok = await bundleDirectory(dir);
    expect(ok.skipped.sort()).toEqual(['.DS_Store', '.git']);
    expect(ok.index.files.some((f) => f.path.startsWith('.'))).toBe(false);

    symlinkSync('/etc/passwd', join(dir, 'passwd.txt'));
    expect(await reasonOfAsync(bundleDirectory(dir))).toBe('SYMLINK');
    rmSync(join(dir, 'passwd.txt'));
    symlinkSync(join(dir, 'js'), join(dir, 'lib'));
    expect(await reasonOfAsync(bundleDirectory(dir))).toBe('SYMLINK');
    rmSync(join(dir, 'lib'));

    writeFileSync(join(dir, 'setup.exe'), 'MZ');
    expect(await reasonOfAsync(bundleDirectory(dir))).toBe('BAD_EXTENSION');
    rmSync(join(dir, 'setup.exe'));

    writeFileSync(join(dir, 'huge.wasm'), '');
    truncateSync(join(dir, 'huge.wasm'), LIMITS.maxFileBytes + 1); // sparse: no real disk use
    expect(await reasonOfAsync(bundleDirectory(dir))).toBe('TOO_LARGE');
    rmSync(join(dir, 'huge.wasm'));

    expect(await reasonOfAsync(bundleDirectory(join(dir, 'index.html')))).toBe('NOT_A_DIRECTORY');
    expect(await reasonOfAsync(bundleDirectory(dir))).toBe('accepted');
  });

  it('refuses traversal, absolute and odd paths, collisions and too many files', () => {
    const files = appFiles(m);
    const plus = (f: BundleFile) => () => buildBundle([...files, f]);
    const tiny = utf8('x');
    expect(reasonOf(plus({ path: '../evil.js', bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: 'js/../../evil.js', bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: '/etc/evil.js', bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: 'C:/evil.js', bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: 'js\\evil.js', bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: 'js//evil.js', bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: './evil.js', bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: 'cafe\u0301.js', bytes: tiny }))).toBe('BAD_PATH'); // not NFC
    expect(reasonOf(plus({ path: `${'a'.repeat(260)}.js`, bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: 'a\u0001b.js', bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: 'a:b.js', bytes: tiny }))).toBe('BAD_PATH');
    expect(reasonOf(plus({ path: 'run.sh', bytes: tiny }))).toBe('BAD_EXTENSION');
    expect(reasonOf(plus({ path: 'INDEX.html', bytes: tiny }))).toBe('PATH_COLLISION');
    expect(reasonOf(plus({ path: 'big.wasm', bytes: new Uint8Array(LIMITS.maxFileBytes + 1) }))).toBe('TOO_LARGE');
    const many = Array.from({ length: LIMITS.maxFiles }, (_, i) => ({ path: `f/${i}.txt`, bytes: tiny }));
    expect(reasonOf(() => buildBundle([...files, ...many]))).toBe('TOO_MANY_FILES');
  });

  it('refuses a bundle without a manifest or whose manifest names missing files', () => {
    const files = appFiles(m);
    expect(reasonOf(() => buildBundle(files.filter((f) => f.path !== 'manifest.json')))).toBe('MANIFEST_MISSING');
    expect(reasonOf(() => buildBundle(files.filter((f) => f.path !== 'icon.svg')))).toBe('MANIFEST_INVALID');
    const shots = [...files.filter((f) => f.path !== 'manifest.json'), manifestFile({ ...m, screenshots: ['shots/1.png'] })];
    expect(reasonOf(() => buildBundle(shots))).toBe('MANIFEST_INVALID');
  });

  it('refuses a damaged container: magic, version, truncation, trailing bytes, altered chunk or index', () => {
    const b = buildBundle(appFiles(m));
    const bud = encodeContainer(b);
    const edit = (f: (x: Uint8Array) => void) => {
      const x = bud.slice();
      f(x);
      return () => openContainer(x);
    };
    expect(reasonOf(() => openContainer(bud))).toBe('accepted');
    expect(reasonOf(edit((x) => (x[1] = 0x58)))).toBe('BAD_CONTAINER');
    expect(reasonOf(edit((x) => (x[9] = 2)))).toBe('BAD_CONTAINER');
    expect(reasonOf(edit((x) => (x[11] = 1)))).toBe('BAD_CONTAINER');
    expect(reasonOf(() => openContainer(bud.subarray(0, bud.length - 1)))).toBe('BAD_CONTAINER');
    expect(reasonOf(() => openContainer(bud.subarray(0, 10)))).toBe('BAD_CONTAINER');
    expect(reasonOf(() => openContainer(new Uint8Array([...bud, 0])))).toBe('BAD_CONTAINER');
    // one byte of content flipped: its chunk no longer matches
    expect(reasonOf(edit((x) => (x[x.length - 3] = x[x.length - 3]! ^ 1)))).toBe('CHUNK_MISMATCH');
    // the chunk hash in the index changed too (the altered content hashed again): the file hash catches it
    const data = b.data.slice();
    data[data.length - 3] = data[data.length - 3]! ^ 1;
    const forged = { ...b.index, chunks: [sha256(data)] };
    const forgedBud = encodeContainer({ indexBytes: encodeIndex(forged), data });
    expect(reasonOf(() => openContainer(forgedBud))).toBe('FILE_MISMATCH');
    // an index that is not in canonical order
    const unsorted = { ...b.index, files: [...b.index.files].reverse() };
    expect(reasonOf(() => openContainer(encodeContainer({ indexBytes: encodeIndex(unsorted), data: b.data })))).toBe('INDEX_INVALID');
    // a lying total size
    expect(reasonOf(() => decodeIndex(encodeIndex({ ...b.index, totalSize: b.index.totalSize + 1 })))).toBe('INDEX_INVALID');
    expect(reasonOf(edit((x) => (x[HEADER_BYTES] = 0x41)))).toBe('INDEX_INVALID');
  });
});
