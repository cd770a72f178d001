import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isBuError } from '../../base';
import { generatePrivateKey } from '../../crypto';
import { DappDisk } from './disk';
import { isDappRefused } from './errors';
import { DappLibrary, STATE_PREFIX, type LibraryEvents } from './library';
import { memoryKv, tempRoot, testBud } from './test-support';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(dirname(r), { recursive: true, force: true });
});

async function library(o: { kv?: ReturnType<typeof memoryKv>; root?: string; disk?: DappDisk } = {}) {
  const root = o.root ?? tempRoot();
  if (!o.root) roots.push(root);
  const kv = o.kv ?? memoryKv();
  const lib = await DappLibrary.open({ root, kv, hostVersion: '0.1.0', disk: o.disk });
  return { lib, kv, root };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    if (isDappRefused(e)) return e.reason;
    if (isBuError(e)) return e.code;
    throw e;
  }
}

const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : null);

describe('DappLibrary', () => {
  it('installs a verified bundle: files under apps/<id>/<hash>, the .bud kept, the record in the store', async () => {
    const { lib, kv, root } = await library();
    const v1 = await testBud();
    const events: LibraryEvents['changed'][] = [];
    lib.on('changed', (e) => events.push(e));
    const r = await lib.install(v1.bud, v1.listing);
    expect(r).toMatchObject({ appId: v1.manifest.appId, version: '1.0.0', contentHash: v1.contentHash, permissions: ['accounts'], entry: 'index.html' });
    expect(readdirSync(join(root, 'apps', v1.manifest.appId))).toEqual([v1.contentHash]);
    expect(existsSync(join(root, 'bundles', `${v1.contentHash.slice(2)}.bud`))).toBe(true);
    expect(lib.bundleFiles()).toEqual([join(root, 'bundles', `${v1.contentHash.slice(2)}.bud`)]);
    expect(JSON.parse(kv.get(`${STATE_PREFIX}${v1.manifest.appId}`)!)).toMatchObject({ version: '1.0.0' });
    expect(text((await lib.resolve(v1.manifest.appId, 'js/app.js'))?.bytes)).toBe('console.log("1.0.0");');
    expect((await lib.resolve(v1.manifest.appId, ''))?.mime).toBe('text/html; charset=utf-8');
    expect(await lib.iconDataUrl(v1.manifest.appId)).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(events.map((e) => e.kind)).toEqual(['installed']);
    // installing the same content again changes nothing
    expect((await lib.install(v1.bud, v1.listing)).installedAt).toBe(r.installedAt);
    // a reopened library (next start) knows it
    const again = await DappLibrary.open({ root, kv, hostVersion: '0.1.0' });
    expect(again.get(v1.manifest.appId)?.contentHash).toBe(v1.contentHash);
  });

  it('updates to a newer version only with the added permissions accepted, then drops the old files', async () => {
    const { lib, root } = await library();
    const v1 = await testBud();
    const v2 = await testBud({ version: '1.1.0', permissions: ['sign', 'storage'] });
    await lib.install(v1.bud, v1.listing);
    const c = lib.check(v2.bud, v2.listing);
    expect({ added: c.added, removed: c.removed }).toEqual({ added: ['sign', 'storage'], removed: ['accounts'] });
    expect(await refusal(lib.install(v2.bud, v2.listing, { acceptPermissions: ['sign'] }))).toBe('PERMISSION_DENIED');
    expect(lib.get(v1.manifest.appId)?.version).toBe('1.0.0');
    const r = await lib.install(v2.bud, v2.listing, { acceptPermissions: ['sign', 'storage'] });
    expect(r.version).toBe('1.1.0');
    expect(readdirSync(join(root, 'apps', v1.manifest.appId))).toEqual([v2.contentHash]);
    expect(readdirSync(join(root, 'bundles'))).toEqual([`${v2.contentHash.slice(2)}.bud`]);
    expect(text((await lib.resolve(v1.manifest.appId, 'js/app.js'))?.bytes)).toBe('console.log("1.1.0");');
  });

  it('refuses a downgrade, a same-version replacement, replaced content, tampering and bad signatures', async () => {
    const { lib } = await library();
    const v1 = await testBud();
    const v2 = await testBud({ version: '1.1.0' });
    await lib.install(v2.bud, v2.listing);
    expect(await refusal(lib.install(v1.bud, v1.listing))).toBe('DOWNGRADE');
    const other = await testBud({ version: '1.1.0' }, { script: 'alert(1)' });
    expect(await refusal(lib.install(other.bud, other.listing))).toBe('NOT_NEWER');
    // the registry lists one content hash; a bundle with other content is not it
    const v3 = await testBud({ version: '1.2.0' });
    expect(await refusal(lib.install(v3.bud, { ...v3.listing, contentHash: other.contentHash }))).toBe('CONTENT_MISMATCH');
    // a chunk byte flipped
    const tampered = v3.bud.slice();
    tampered[tampered.length - 200]! ^= 1;
    expect(await refusal(lib.install(tampered, v3.listing))).toBe('CHUNK_MISMATCH');
    // the signature bytes altered
    const badSig = v3.bud.slice();
    badSig[badSig.length - 10]! ^= 1;
    expect(await refusal(lib.install(badSig, v3.listing))).toBe('BAD_SIGNATURE');
    // a thief's bundle claiming the listing (another author key → another app id)
    const thief = await testBud({ version: '1.2.0' }, { key: generatePrivateKey() });
    expect(await refusal(lib.install(thief.bud, { ...v3.listing, contentHash: thief.contentHash }))).toBe('APP_ID_CHANGED');
    // the listing names another version than the bundle
    expect(await refusal(lib.install(v3.bud, { ...v3.listing, version: '1.3.0' }))).toBe('LISTING_MISMATCH');
    // a host older than minHostVersion
    const future = await testBud({ version: '2.0.0', minHostVersion: '9.0.0' });
    expect(await refusal(lib.install(future.bud, future.listing))).toBe('HOST_TOO_OLD');
    // every refusal is DAPP_REFUSED on the bridge with a sentence naming it
    const err = await lib.install(v1.bud, v1.listing).then(() => null, (e: unknown) => e);
    expect(isBuError(err, 'DAPP_REFUSED')).toBe(true);
    expect((err as Error).message).toMatch(/^Refused \(DOWNGRADE\): .*older than the installed 1\.1\.0/);
    expect(lib.get(v1.manifest.appId)?.version).toBe('1.1.0');
  });

  it('a crash in the middle of an update leaves the old version working; the next open sweeps the leftovers', async () => {
    class CrashingDisk extends DappDisk {
      crash = false;
      override async keepBundle(contentHash: string, bud: Uint8Array): Promise<string> {
        if (this.crash) throw new Error('power lost');
        return super.keepBundle(contentHash, bud);
      }
    }
    const root = tempRoot();
    roots.push(root);
    const disk = new CrashingDisk(root);
    const { lib, kv } = await library({ root, disk });
    const v1 = await testBud();
    const v2 = await testBud({ version: '1.1.0' });
    await lib.install(v1.bud, v1.listing);
    disk.crash = true;
    await expect(lib.install(v2.bud, v2.listing)).rejects.toThrow('power lost');
    // the new version's folder was renamed in, but no record points at it: v1 still serves
    expect(text((await lib.resolve(v1.manifest.appId, 'js/app.js'))?.bytes)).toBe('console.log("1.0.0");');
    const appDir = join(root, 'apps', v1.manifest.appId);
    expect(readdirSync(appDir).sort()).toEqual([v1.contentHash, v2.contentHash].sort());
    mkdirSync(join(appDir, '.tmp-deadbeef'));
    writeFileSync(join(root, 'bundles', `${v2.contentHash.slice(2)}.bud.tmp-00`), 'partial');
    const reopened = await DappLibrary.open({ root, kv, hostVersion: '0.1.0' });
    expect(readdirSync(appDir)).toEqual([v1.contentHash]);
    expect(readdirSync(join(root, 'bundles'))).toEqual([`${v1.contentHash.slice(2)}.bud`]);
    expect(text((await reopened.resolve(v1.manifest.appId, 'js/app.js'))?.bytes)).toBe('console.log("1.0.0");');
    // and the update then goes through
    expect((await reopened.install(v2.bud, v2.listing)).version).toBe('1.1.0');
  });

  it('uninstall removes the files, the bundle and the state, and says so', async () => {
    const { lib, kv, root } = await library();
    const v1 = await testBud();
    await lib.install(v1.bud, v1.listing);
    const events: LibraryEvents['changed'][] = [];
    lib.on('changed', (e) => events.push(e));
    expect(await lib.uninstall(v1.manifest.appId)).toBe(true);
    expect(existsSync(join(root, 'apps', v1.manifest.appId))).toBe(false);
    expect(readdirSync(join(root, 'bundles'))).toEqual([]);
    expect([...kv.map.keys()].filter((k) => k !== `${STATE_PREFIX}ids`)).toEqual([]);
    expect(JSON.parse(kv.get(`${STATE_PREFIX}ids`)!)).toEqual([]);
    expect(events).toEqual([{ appId: v1.manifest.appId, kind: 'uninstalled', record: null }]);
    expect(await lib.resolve(v1.manifest.appId, 'index.html')).toBeNull();
    expect(await lib.uninstall(v1.manifest.appId)).toBe(false);
  });

  it('the resolver serves only the files of the installed version (its file list is the allow-list)', async () => {
    const { lib, root } = await library();
    const v1 = await testBud();
    await lib.install(v1.bud, v1.listing);
    const id = v1.manifest.appId;
    // a file planted next to the installed ones is not in the bundle's list
    writeFileSync(join(root, 'apps', id, v1.contentHash, 'planted.js'), 'evil()');
    writeFileSync(join(root, 'secret.txt'), 'secret');
    for (const p of ['planted.js', '../secret.txt', '../../secret.txt', '/etc/passwd', 'js/../index.html', './index.html', 'JS/APP.JS', 'js\\app.js', '%2e%2e/secret.txt', 'js', 'js/', 'index.html\0']) {
      expect(await lib.resolve(id, p), p).toBeNull();
    }
    expect(await lib.resolve('0x' + '1'.repeat(40), 'index.html')).toBeNull();
    expect((await lib.resolve(id, 'manifest.json'))?.mime).toBe('application/json');
    expect(text((await lib.resolve(id, 'index.html'))?.bytes)).toContain('<script src="js/app.js">');
  });
});
