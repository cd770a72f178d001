/**
 * @module dapps/provider/grants
 * Per-dapp grants, persisted in the encrypted store's key-value table (no SQL migration):
 *   dapps.provider.apps           JSON array of the app ids that hold a grant
 *   dapps.provider.app.<appId>    JSON { v: 1, accounts: [EIP-55], grantedAt: ms }
 * The accounts are the EIP-2255 `eth_accounts` permission with its restrictReturnedAccounts
 * caveat (https://eips.ethereum.org/EIPS/eip-2255). A value that does not parse is treated as
 * no grant (fail closed: the dapp must ask again), never as a wider one.
 */
import { getAddress } from 'ethers';
import type { SettingsStore } from './types';

export const SETTINGS_PREFIX = 'dapps.provider.';
const INDEX_KEY = `${SETTINGS_PREFIX}apps`;
const appKey = (appId: string) => `${SETTINGS_PREFIX}app.${appId}`;
/** A dapp may be given at most this many accounts (the bridge's decide limit). */
export const MAX_GRANTED_ACCOUNTS = 64;

export type Grant = { accounts: string[]; grantedAt: number };

function parseJson(s: string | null): unknown {
  if (s === null || s === '') return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

function toAddress(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  try {
    return getAddress(v);
  } catch {
    return null;
  }
}

export class Grants {
  constructor(private readonly settings: SettingsStore) {}

  /** The dapp's grant, or null (never connected, revoked, or unreadable). */
  get(appId: string): Grant | null {
    const v = parseJson(this.settings.get(appKey(appId))) as { v?: unknown; accounts?: unknown; grantedAt?: unknown } | null;
    if (!v || v.v !== 1 || !Array.isArray(v.accounts) || typeof v.grantedAt !== 'number') return null;
    const accounts = v.accounts.map(toAddress);
    if (accounts.length === 0 || accounts.length > MAX_GRANTED_ACCOUNTS || accounts.some((a) => a === null)) return null;
    return { accounts: accounts as string[], grantedAt: v.grantedAt };
  }

  accounts(appId: string): string[] {
    return this.get(appId)?.accounts ?? [];
  }

  /** Replaces the dapp's accounts (an empty list revokes). */
  set(appId: string, accounts: string[], now = Date.now()): void {
    const index = new Set(this.apps());
    if (accounts.length === 0) {
      this.settings.set(appKey(appId), '');
      index.delete(appId);
    } else {
      const unique = [...new Set(accounts.map((a) => getAddress(a)))].slice(0, MAX_GRANTED_ACCOUNTS);
      this.settings.set(appKey(appId), JSON.stringify({ v: 1, accounts: unique, grantedAt: now }));
      index.add(appId);
    }
    this.settings.set(INDEX_KEY, JSON.stringify([...index].sort()));
  }

  /** The app ids holding a grant. */
  apps(): string[] {
    const v = parseJson(this.settings.get(INDEX_KEY));
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && /^0x[0-9a-f]{40}$/.test(x)) : [];
  }
}
