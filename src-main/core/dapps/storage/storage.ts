/**
 * @module dapps/storage
 * A dapp's own persistent key-value storage, kept by the node (manifest permission 'storage';
 * provider methods `bitunicom_storage*`, an extension of the EIP-1193 provider).
 *
 * Why the node and not the frame's `localStorage`: the UI and a dapp are different sites, so a
 * framed dapp is third-party, and a browser that blocks third-party storage (Chromium with
 * third-party-cookie deprecation, Safari, Brave, Firefox strict mode) throws on `localStorage`
 * in the frame. Here the data is scoped by the app id the host gave the request (never by
 * anything the dapp says), encrypted at rest with the rest of the store, the same in both
 * shells and every browser, and removed with the dapp.
 *
 *   bitunicom_storageGet    [key]          → string | null
 *   bitunicom_storageSet    [key, value]   → true      (key ≤ 256 chars, value ≤ 64 KiB text)
 *   bitunicom_storageRemove [key]          → true
 *   bitunicom_storageKeys   []             → string[]  (sorted)
 *   bitunicom_storageClear  []             → true
 *
 * Quota: 1,000 keys and 1 MiB (keys + values, UTF-16 code units as `localStorage` counts) per
 * dapp; a write beyond it is refused with BAD_INPUT and changes nothing.
 */
import { BuError } from '../../base';
import type { ExtensionMethod, MethodAnswer, ProviderExtension } from '../provider';

export const STORAGE_LIMITS = { keyChars: 256, valueChars: 64 * 1024, keys: 1000, totalChars: 1024 * 1024 } as const;
const PREFIX = 'dapps.storage.';

export type StorageKv = { get(key: string): string | null; set(key: string, value: string): void; delete(key: string): void };

export class DappStorage {
  constructor(private readonly kv: StorageKv) {}

  private read(appId: string): Record<string, string> {
    const raw = this.kv.get(PREFIX + appId.toLowerCase());
    if (!raw) return {};
    try {
      const v = JSON.parse(raw) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  private write(appId: string, data: Record<string, string>): void {
    if (Object.keys(data).length === 0) this.kv.delete(PREFIX + appId.toLowerCase());
    else this.kv.set(PREFIX + appId.toLowerCase(), JSON.stringify(data));
  }

  get(appId: string, key: string): string | null {
    const data = this.read(appId);
    return Object.hasOwn(data, key) ? data[key]! : null;
  }

  set(appId: string, key: string, value: string): void {
    if (key.length === 0 || key.length > STORAGE_LIMITS.keyChars) throw new BuError('BAD_INPUT', `A storage key is 1 to ${STORAGE_LIMITS.keyChars} characters.`);
    if (value.length > STORAGE_LIMITS.valueChars) throw new BuError('BAD_INPUT', `A stored value is at most ${STORAGE_LIMITS.valueChars} characters.`);
    const data = this.read(appId);
    const next = { ...data, [key]: value };
    const keys = Object.keys(next);
    if (keys.length > STORAGE_LIMITS.keys) throw new BuError('BAD_INPUT', `This dapp already stores ${STORAGE_LIMITS.keys} keys (the most it may).`);
    const total = keys.reduce((n, k) => n + k.length + next[k]!.length, 0);
    if (total > STORAGE_LIMITS.totalChars) throw new BuError('BAD_INPUT', 'This dapp’s storage is full (1 MiB).');
    this.write(appId, next);
  }

  remove(appId: string, key: string): void {
    const data = this.read(appId);
    if (!Object.hasOwn(data, key)) return;
    delete data[key];
    this.write(appId, data);
  }

  keys(appId: string): string[] {
    return Object.keys(this.read(appId)).sort();
  }

  clear(appId: string): void {
    this.kv.delete(PREFIX + appId.toLowerCase());
  }
}

function args(params: unknown, method: string, count: number): string[] {
  const list = params === undefined ? [] : params;
  if (!Array.isArray(list) || list.length < count || list.slice(0, count).some((v) => typeof v !== 'string')) {
    throw new BuError('BAD_INPUT', `${method} takes ${count === 0 ? 'no parameters' : `${count} text parameter${count > 1 ? 's' : ''}`}.`);
  }
  return list.slice(0, count) as string[];
}

const result = (value: unknown): MethodAnswer => ({ kind: 'result', result: value });

/** The provider extension: every method needs the manifest's 'storage' permission. */
export function storageExtension(storage: DappStorage): ProviderExtension {
  const m = (count: number, run: (appId: string, a: string[]) => unknown, name: string): ExtensionMethod => ({
    permission: 'storage',
    handle: async (ctx, params) => result(run(ctx.appId, args(params, name, count))),
  });
  return {
    methods: {
      bitunicom_storageGet: m(1, (id, [k]) => storage.get(id, k!), 'bitunicom_storageGet'),
      bitunicom_storageSet: m(2, (id, [k, v]) => (storage.set(id, k!, v!), true), 'bitunicom_storageSet'),
      bitunicom_storageRemove: m(1, (id, [k]) => (storage.remove(id, k!), true), 'bitunicom_storageRemove'),
      bitunicom_storageKeys: m(0, (id) => storage.keys(id), 'bitunicom_storageKeys'),
      bitunicom_storageClear: m(0, (id) => (storage.clear(id), true), 'bitunicom_storageClear'),
    },
  };
}
