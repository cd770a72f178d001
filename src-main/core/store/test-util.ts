/**
 * @module store/test-util
 * Helpers shared by the store's tests: a temp-dir encrypted store and real key pairs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
