import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DappProgressT } from '../../../../src-preload/contract';
import { isBuError, waitFor } from '../../base';
import { DappLibrary } from '../library';
import { memoryKv, tempRoot, testBud, type TestBud } from '../library/test-support';
import { packVersion, type DappListing } from '../registry';
import type { FetchProgressLike } from './bundles';
import { DappStore, type RegistryLike } from './store';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(dirname(r), { recursive: true, force: true });
});

/** A registry that lists what the test publishes. */
function fakeRegistry() {
  const apps = new Map<string, DappListing>();
  let head = 0n;
  const reg: RegistryLike & { publish(b: TestBud, o?: { category?: string }): void; syncs: number } = {
    syncs: 0,
    sync: () => {
      reg.syncs++;
      return Promise.resolve(head);
    },
    app: (id) => apps.get(id.toLowerCase()) ?? null,
    search: (q = '') => [...apps.values()].filter((a) => a.name.toLowerCase().includes(q.toLowerCase())),
    categories: () => [...new Set([...apps.values()].map((a) => a.category))].map((category) => ({ category, count: [...apps.values()].filter((a) => a.category === category).length })),
    publish(b, o = {}) {
      head++;
      const v = { version: packVersion(b.manifest.version), versionText: b.manifest.version, contentHash: b.contentHash, authorKey: b.manifest.author, manifestUri: '', block: head, txHash: `0x${'1'.repeat(64)}`, feePaid: 0n };
      const prev = apps.get(b.manifest.appId);
      const versions = [...(prev?.versions ?? []), v];
      apps.set(b.manifest.appId, {
        appId: b.manifest.appId,
        author: '0x' + '4'.repeat(40),
        name: b.manifest.name,
        category: o.category ?? b.manifest.categories[0]!,
        latest: v,
        versions,
        rating: { sum: 9, count: 2, average: 4.5 },
        reportCount: 1,
        reportsByReason: { 5: 1 },
        delisted: false,
        seeded: false,
      });
    },
  };
  return reg;
}

async function setup() {
  const root = tempRoot();
  roots.push(root);
  const library = await DappLibrary.open({ root, kv: memoryKv(), hostVersion: '0.1.0' });
  const registry = fakeRegistry();
  const held = new Map<string, Uint8Array>();
  const fetched: string[] = [];
  let gate: Promise<void> | null = null;
  const store = new DappStore({
    registry: () => registry,
    library,
    syncEveryMs: 0,
    detailWaitMs: 2000,
    fetcher: async (hash: string, onProgress: (p: FetchProgressLike) => void, signal: AbortSignal) => {
      fetched.push(hash);
      const bud = held.get(hash);
      if (!bud) throw new Error('no peer holds it');
      onProgress({ receivedBytes: 0, totalBytes: bud.length, peers: 1 });
      if (gate) {
        await new Promise<void>((resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
          void gate!.then(resolve);
        });
      }
      onProgress({ receivedBytes: bud.length, totalBytes: bud.length, peers: 1 });
      return bud;
    },
  });
  const progress: DappProgressT[] = [];
  store.on('progress', (p) => progress.push(p));
  return { store, library, registry, held, fetched, progress, setGate: (g: Promise<void> | null) => (gate = g) };
}

describe('DappStore', () => {
  it('lists the registry with the installed state; detail shows the bundle a peer sent; install reports its phases', async () => {
    const t = await setup();
    const v1 = await testBud();
    t.registry.publish(v1);
    t.held.set(v1.contentHash, v1.bud);
    const cat = await t.store.catalog({});
    expect(cat).toMatchObject({ state: 'ok', syncedBlock: '1', categories: [{ name: 'tools', count: 1 }] });
    expect(cat.apps[0]).toMatchObject({ appId: v1.manifest.appId, name: 'Test App', latestVersion: '1.0.0', installedVersion: null, updateAvailable: false, icon: null, rating: { average: 4.5, count: 2 } });
    const d = await t.store.detail(v1.manifest.appId);
    expect(d.bundle).toMatchObject({ contentHash: v1.contentHash, version: '1.0.0', permissions: ['accounts'], files: 4, signatureValid: true, description: 'A dapp made by a test.' });
    expect(d.bundle!.icon).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(d.reportsByReason).toEqual([{ reason: 'broken', count: 1 }]);
    expect(d.versions.map((v) => v.version)).toEqual(['1.0.0']);
    // the summary now shows the icon and description (the header was seen)
    expect((await t.store.catalog({})).apps[0]!.icon).toBe(d.bundle!.icon);
    const inst = await t.store.install(v1.manifest.appId);
    expect(inst).toMatchObject({ appId: v1.manifest.appId, version: '1.0.0', updateAvailable: null });
    expect(t.fetched).toEqual([v1.contentHash]); // the detail's download served the install
    expect(t.progress.map((p) => p.phase)).toEqual(['finding-peers', 'verifying', 'installing', 'done']);
    expect((await t.store.installed()).map((i) => i.version)).toEqual(['1.0.0']);
    expect((await t.store.catalog({})).apps[0]!.installedVersion).toBe('1.0.0');
  });

  it('detects an update, says which permissions it adds, and updates only with them accepted', async () => {
    const t = await setup();
    const v1 = await testBud();
    const v2 = await testBud({ version: '1.1.0', permissions: ['accounts', 'p2p-channel'] });
    for (const b of [v1, v2]) t.held.set(b.contentHash, b.bud);
    t.registry.publish(v1);
    await t.store.install(v1.manifest.appId);
    const changes: unknown[] = [];
    t.store.on('changed', (c) => changes.push(c));
    expect(await t.store.refresh()).toBe(false);
    t.registry.publish(v2);
    expect(await t.store.refresh()).toBe(true);
    expect(changes).toEqual([{ kind: 'catalog', appId: null }]);
    expect((await t.store.installed())[0]!.updateAvailable).toBe('1.1.0');
    expect((await t.store.catalog({})).apps[0]!.updateAvailable).toBe(true);
    expect(await t.store.checkUpdate(v1.manifest.appId)).toEqual({ appId: v1.manifest.appId, from: '1.0.0', to: '1.1.0', added: ['p2p-channel'], removed: [], sizeBytes: expect.any(Number) });
    await expect(t.store.update(v1.manifest.appId, [])).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect((await t.store.update(v1.manifest.appId, ['p2p-channel'])).version).toBe('1.1.0');
    await expect(t.store.install(v1.manifest.appId)).resolves.toMatchObject({ version: '1.1.0' });
    await expect(t.store.update(v1.manifest.appId, [])).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('answers unknown apps, missing peers, refusals and cancels with their codes', async () => {
    const t = await setup();
    await expect(t.store.install(`0x${'9'.repeat(40)}`)).rejects.toMatchObject({ code: 'DAPP_NOT_FOUND' });
    const v1 = await testBud();
    t.registry.publish(v1);
    await expect(t.store.install(v1.manifest.appId)).rejects.toMatchObject({ code: 'DAPP_UNAVAILABLE' });
    expect(t.progress.at(-1)).toMatchObject({ phase: 'failed', message: expect.stringMatching(/no peer holds it/) });
    // a peer serving other content under the listed hash is refused by the library
    const other = await testBud({}, { script: 'alert(1)' });
    t.held.set(v1.contentHash, other.bud);
    const e = await t.store.install(v1.manifest.appId).catch((x: unknown) => x);
    expect(isBuError(e, 'DAPP_REFUSED') && (e as Error).message).toMatch(/CONTENT_MISMATCH/);
    // cancel stops a download in flight
    t.held.set(v1.contentHash, v1.bud);
    t.setGate(new Promise(() => undefined));
    const fetches = t.fetched.length;
    const running = t.store.install(v1.manifest.appId).catch((x: unknown) => x);
    // a second install of the same content joins the running one (one download)
    const joined = t.store.install(v1.manifest.appId).catch((x: unknown) => x);
    await waitFor(() => t.progress.at(-1)?.phase === 'downloading', 2000);
    expect(t.store.cancel(v1.manifest.appId)).toBe(true);
    expect(await running).toMatchObject({ code: 'CANCELLED' });
    expect(await joined).toMatchObject({ code: 'CANCELLED' });
    expect(t.fetched.length).toBe(fetches + 1);
    expect(t.progress.at(-1)?.phase).toBe('cancelled');
    expect(t.library.get(v1.manifest.appId)).toBeNull();
    await expect(t.store.uninstall(v1.manifest.appId)).rejects.toMatchObject({ code: 'NOT_INSTALLED' });
  });

  it('says the catalog is unavailable without a chain', async () => {
    const root = tempRoot();
    roots.push(root);
    const library = await DappLibrary.open({ root, kv: memoryKv(), hostVersion: '0.1.0' });
    const store = new DappStore({ registry: () => null, library, fetcher: () => Promise.reject(new Error('x')) });
    expect(await store.catalog({})).toMatchObject({ state: 'unavailable', apps: [], message: expect.stringMatching(/chain is not running/) });
    await expect(store.detail(`0x${'9'.repeat(40)}`)).rejects.toMatchObject({ code: 'DAPP_UNAVAILABLE' });
  });
});
