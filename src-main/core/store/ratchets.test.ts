import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressOf, generatePrivateKey, publicKeyOf } from '../crypto';
import type { Store } from './index';
import { tempStore, type TempStore } from './test-util';

let t: TempStore;
let store: Store;
beforeEach(() => {
  t = tempStore();
  store = t.store;
});
afterEach(() => t.cleanup());

function contact() {
  const pub = publicKeyOf(generatePrivateKey());
  return store.contacts.upsert({ address: addressOf(pub), publicKey: pub, name: 'P', state: 'friend' });
}

describe('ratchet and prekey persistence', () => {
  it('stores and replaces one ratchet state per peer, case-insensitively', () => {
    const c = contact();
    expect(store.ratchets.get(c.address)).toBeNull();
    store.ratchets.put(c.address, Uint8Array.of(1, 2, 3), 10);
    store.ratchets.put(c.address.toLowerCase(), Uint8Array.of(4, 5), 11);
    expect(store.ratchets.get(c.address)).toEqual(Uint8Array.of(4, 5));
  });

  it('keeps prekeys newest first and prunes old ones', () => {
    store.ratchets.addPrekey({ id: 1, secret: Uint8Array.of(1), bundle: Uint8Array.of(9), createdAt: 100 });
    store.ratchets.addPrekey({ id: 2, secret: Uint8Array.of(2), bundle: Uint8Array.of(8), createdAt: 200 });
    expect(store.ratchets.prekeys().map((p) => p.id)).toEqual([2, 1]);
    expect(store.ratchets.prunePrekeys(150)).toBe(1);
    expect(store.ratchets.prekeys().map((p) => p.id)).toEqual([2]);
    store.ratchets.addPrekey({ id: 3, secret: Uint8Array.of(3), bundle: Uint8Array.of(7), createdAt: 300 });
    expect(store.ratchets.keepOnlyPrekeys([3])).toBe(1);
    expect(store.ratchets.prekeys().map((p) => p.id)).toEqual([3]);
  });

  it('records when an outgoing message went to a mailbox', () => {
    const c = contact();
    const m = store.messages.insertOutgoing({ id: 'ab'.repeat(16), peer: c.address, text: 'x', sentAt: 1, localAt: 1 });
    expect(m.mailboxedAt).toBeNull();
    store.messages.markMailboxed(c.address, m.id, 5);
    expect(store.messages.get(c.address, m.id)!.mailboxedAt).toBe(5);
  });
});
