/**
 * @module renderer/features/dapps/dapps-store.test
 * The DApps store against a fake bridge: the catalog is asked with the search, category and
 * sort; an answer for a search that has since changed is dropped; a node without the store
 * is "unavailable" (not an error) and other failures keep their sentence; progress events
 * merge per app; `dapps.changed` reloads only what changed; the Installed filter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DappCatalogT, DappDetailT, InstalledDappT } from '../../../src-preload/contract';
import { BridgeError } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import { filterInstalled, followDapps, loadCatalog, loadDetail, loadInstalled, resetDapps, setCategory, setQuery, setSort, useDappsStore } from './dapps-store';
import { fakeBridge, settle } from './test-bridge';

const APP = '0x0faed322521b51d70016067b15e618d3fb61f219';
const catalog = (names: string[]): DappCatalogT => ({
  state: 'ok',
  syncedBlock: '10',
  message: null,
  categories: [{ name: 'tools', count: names.length }],
  apps: names.map((name, i) => ({ appId: `0x${String(i).padStart(40, '0')}`, name, category: 'tools', author: '0x1111111111111111111111111111111111111111', latestVersion: '1.0.0', description: null, icon: null, rating: { average: null, count: 0 }, reportCount: 0, installedVersion: null, updateAvailable: false, sample: false })),
});
const installed = (name: string, appId = APP): InstalledDappT => ({ appId, name, version: '1.0.0', contentHash: `0x${'1'.repeat(64)}`, permissions: [], icon: null, installedAt: 1, sizeBytes: 10, updateAvailable: null });

afterEach(() => {
  installBridge(null);
  resetDapps();
});

describe('dapps store', () => {
  it('asks the catalog with the search, category and sort', async () => {
    const f = fakeBridge({ 'dapps.catalog': () => catalog(['Hello']) });
    await loadCatalog();
    expect(useDappsStore.getState().catalogStatus).toBe('ready');
    setSort('name');
    setCategory('tools');
    setQuery('  hel ');
    await settle();
    expect(f.calls.map((c) => c.input)).toEqual([{ sort: 'rating' }, { sort: 'name' }, { sort: 'name', category: 'tools' }, { sort: 'name', category: 'tools', query: 'hel' }]);
  });

  it('drops a catalog answer for a search that has since changed', async () => {
    const releases: Array<() => void> = [];
    fakeBridge({
      'dapps.catalog': async (input: { query?: string }) => {
        await new Promise<void>((r) => releases.push(r));
        return catalog([input.query ?? 'all']);
      },
    });
    setQuery('a');
    setQuery('ab');
    await settle();
    releases[1]!();
    await settle();
    releases[0]!();
    await settle();
    expect(useDappsStore.getState().catalog?.apps.map((a) => a.name)).toEqual(['ab']);
  });

  it('is "unavailable" on a node without the store, and keeps the sentence of other failures', async () => {
    fakeBridge({});
    await Promise.all([loadCatalog(), loadInstalled(), loadDetail(APP)]);
    const s = useDappsStore.getState();
    expect([s.catalogStatus, s.installedStatus, s.detailStatus[APP]]).toEqual(['unavailable', 'unavailable', 'unavailable']);
    fakeBridge({ 'dapps.catalog': () => Promise.reject(new BridgeError('NETWORK', 'no route')) });
    await loadCatalog();
    expect(useDappsStore.getState().catalogStatus).toBe('error');
    expect(useDappsStore.getState().catalogError).toBe('The network is not available right now. No route.');
  });

  it('merges progress events and reloads what dapps.changed names', async () => {
    let n = 0;
    const detail = { appId: APP, name: 'Hello' } as DappDetailT;
    const f = fakeBridge({ 'dapps.catalog': () => catalog(['Hello']), 'dapps.installed': () => [installed(`Hello ${++n}`)], 'dapps.detail': () => detail });
    const stop = followDapps();
    f.emit('dapps.progress', { appId: APP, phase: 'downloading', receivedBytes: 5, totalBytes: 10, peers: 1, message: null });
    f.emit('dapps.progress', { appId: APP, phase: 'verifying', receivedBytes: 10, totalBytes: 10, peers: 1, message: null });
    expect(useDappsStore.getState().progress[APP]?.phase).toBe('verifying');
    await loadDetail(APP);
    f.calls.length = 0;
    f.emit('dapps.changed', { kind: 'installed', appId: APP });
    await settle();
    expect(f.methods().sort()).toEqual(['dapps.catalog', 'dapps.detail', 'dapps.installed']);
    expect(useDappsStore.getState().installed[0]?.name).toBe('Hello 1');
    f.calls.length = 0;
    f.emit('dapps.changed', { kind: 'connections', appId: APP });
    f.emit('dapps.changed', { kind: 'catalog', appId: null });
    await settle();
    expect(f.methods()).toEqual(['dapps.catalog']);
    stop();
    expect(f.listening('dapps.progress') + f.listening('dapps.changed')).toBe(0);
  });

  it('filters the installed list by name or app id, sorted by name', () => {
    const list = [installed('Zed', '0x2222222222222222222222222222222222222222'), installed('alpha'), installed('Hello', '0x3333333333333333333333333333333333333333')];
    expect(filterInstalled(list, '').map((d) => d.name)).toEqual(['alpha', 'Hello', 'Zed']);
    expect(filterInstalled(list, 'HEL').map((d) => d.name)).toEqual(['Hello']);
    expect(filterInstalled(list, '0x2222').map((d) => d.name)).toEqual(['Zed']);
  });
});
