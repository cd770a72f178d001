/**
 * @module store/test-util
 * Helpers shared by the store's tests: a temp-dir encrypted store and real key pairs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBuError } from '../base';
import { addressOf, generatePrivateKey, publicKeyOf, randomBytes } from '../crypto';
import { openStore, type Store } from './store';

export type TempStore = { store: Store; dir: string; file: string; key: Uint8Array; clock: { now: number }; cleanup(): void };

export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'bu-store-'));
  const file = join(dir, 'bu.db');
  const key = randomBytes(32);
  const clock = { now: 1_000 };
  const store = openStore(file, key, { now: () => clock.now });
  return {
    store,
    dir,
    file,
    key,
    clock,
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function keyPair(): { address: string; publicKey: Uint8Array } {
  const publicKey = publicKeyOf(generatePrivateKey());
  return { address: addressOf(publicKey), publicKey };
}

export function msgId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** The BuError code `f` throws ('ok' if it returns, 'not a BuError' for anything else). */
export function code(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (err) {
    return isBuError(err) ? err.code : 'not a BuError';
  }
}

/** Two friends in the store; returns their addresses. */
export function twoFriends(store: Store): { peer: string; other: string } {
  const a = keyPair();
  const b = keyPair();
  store.contacts.upsert({ ...a, name: 'a', state: 'friend' });
  store.contacts.upsert({ ...b, name: 'b', state: 'friend' });
  return { peer: a.address, other: b.address };
}
