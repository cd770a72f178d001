import { describe, expect, it } from 'vitest';
import { APP, APP2, codeOf, errorOf, setup } from '../provider/test-support';
import { DappStorage, STORAGE_LIMITS, storageExtension } from './storage';

function withStorage(perms: Record<string, ('storage' | 'accounts')[]> = { [APP]: ['storage'], [APP2]: ['storage'] }) {
  const s = setup(Object.fromEntries(Object.entries(perms).map(([id, permissions]) => [id, { permissions }])));
  const storage = new DappStorage({ get: (k) => s.settings.get(k), set: (k, v) => s.settings.set(k, v), delete: (k) => void s.settings.map.delete(k) });
  s.provider.addExtension(storageExtension(storage));
  const call = async (appId: string, method: string, params?: unknown) => {
    const a = await s.provider.request(appId, method, params);
    if (a.kind !== 'result') throw new Error('expected a result');
    return a.result;
  };
  return { ...s, storage, call };
}

describe('dapp storage through the provider', () => {
  it('stores, lists, removes and clears values per dapp', async () => {
    const s = withStorage();
    expect(await s.call(APP, 'bitunicom_storageGet', ['todo'])).toBeNull();
    expect(await s.call(APP, 'bitunicom_storageSet', ['todo', '[1,2]'])).toBe(true);
    expect(await s.call(APP, 'bitunicom_storageSet', ['a', 'x'])).toBe(true);
    expect(await s.call(APP, 'bitunicom_storageGet', ['todo'])).toBe('[1,2]');
    expect(await s.call(APP, 'bitunicom_storageKeys')).toEqual(['a', 'todo']);
    expect(await s.call(APP, 'bitunicom_storageRemove', ['a'])).toBe(true);
    expect(await s.call(APP, 'bitunicom_storageKeys', [])).toEqual(['todo']);
    expect(await s.call(APP, 'bitunicom_storageClear')).toBe(true);
    expect(await s.call(APP, 'bitunicom_storageKeys')).toEqual([]);
    expect([...s.settings.map.keys()].filter((k) => k.startsWith('dapps.storage.'))).toEqual([]);
  });

  it('scopes by the app id the host gave, whatever the dapp asks for', async () => {
    const s = withStorage();
    await s.call(APP, 'bitunicom_storageSet', ['secret', 'only mine']);
    expect(await s.call(APP2, 'bitunicom_storageGet', ['secret'])).toBeNull();
    expect(await s.call(APP2, 'bitunicom_storageKeys')).toEqual([]);
    // A key that looks like another app's record is just a key of this app.
    await s.call(APP2, 'bitunicom_storageSet', [`../${APP}`, 'x']);
    expect(await s.call(APP, 'bitunicom_storageKeys')).toEqual(['secret']);
    expect(await s.call(APP2, 'bitunicom_storageGet', ['__proto__'])).toBeNull();
  });

  it('needs the manifest permission', async () => {
    const s = withStorage({ [APP]: ['accounts'] });
    expect(await codeOf(s.provider.request(APP, 'bitunicom_storageGet', ['k']))).toBe('PERMISSION_DENIED');
  });

  it('refuses bad parameters and writes over the quota, changing nothing', async () => {
    const s = withStorage();
    expect((await errorOf(s.provider.request(APP, 'bitunicom_storageSet', ['k']))).code).toBe('BAD_INPUT');
    expect((await errorOf(s.provider.request(APP, 'bitunicom_storageGet', [42]))).code).toBe('BAD_INPUT');
    expect((await errorOf(s.provider.request(APP, 'bitunicom_storageSet', ['', 'v']))).code).toBe('BAD_INPUT');
    expect((await errorOf(s.provider.request(APP, 'bitunicom_storageSet', ['k', 'x'.repeat(STORAGE_LIMITS.valueChars + 1)]))).code).toBe('BAD_INPUT');
    for (let i = 0; i < 16; i++) s.storage.set(APP, `big${i}`, 'y'.repeat(STORAGE_LIMITS.valueChars - 10));
    const full = await errorOf(s.provider.request(APP, 'bitunicom_storageSet', ['one-more', 'z'.repeat(1000)]));
    expect(full.message).toMatch(/full/);
    expect(s.storage.keys(APP)).toHaveLength(16);
  });

  it('survives a damaged record as empty storage', () => {
    const s = withStorage();
    s.settings.set(`dapps.storage.${APP}`, '{not json');
    expect(s.storage.keys(APP)).toEqual([]);
    s.storage.set(APP, 'k', 'v');
    expect(s.storage.get(APP, 'k')).toBe('v');
  });
});
