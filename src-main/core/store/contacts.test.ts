import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressOf, generatePrivateKey, publicKeyOf } from '../crypto';
import { code, keyPair, tempStore, type TempStore } from './test-util';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('contacts', () => {
  it('upserts, keeping createdAt/unread and storing the checksummed address', () => {
    const p = keyPair();
    const row = t.store.contacts.upsert({ address: p.address.toLowerCase(), publicKey: p.publicKey, name: 'Ann', state: 'pending_out' });
    expect(row).toEqual({
      address: p.address,
      publicKey: p.publicKey,
      name: 'Ann',
      state: 'pending_out',
      unread: 0,
      createdAt: 1000,
      updatedAt: 1000,
      lastSeenAt: null,
      wallet: null,
    });
    t.store.contacts.addUnread(p.address, 2);
    t.clock.now = 2000;
    const again = t.store.contacts.upsert({ address: p.address.toUpperCase().replace('0X', '0x'), publicKey: p.publicKey, name: 'Annie', state: 'friend' });
    expect(again).toMatchObject({ address: p.address, name: 'Annie', state: 'friend', unread: 2, createdAt: 1000, updatedAt: 2000 });
    expect(t.store.contacts.list()).toHaveLength(1);
  });

  it('stores an uncompressed public key in compressed form', () => {
    const priv = generatePrivateKey();
    const full = publicKeyOf(priv, false);
    const row = t.store.contacts.upsert({ address: addressOf(full), publicKey: full, name: 'U', state: 'friend' });
    expect(full).toHaveLength(65);
    expect(row.publicKey).toEqual(publicKeyOf(priv, true));
  });

  it('gets case-insensitively and returns null for unknown contacts', () => {
    const p = keyPair();
    t.store.contacts.upsert({ ...p, name: 'B', state: 'friend' });
    expect(t.store.contacts.get(p.address.toLowerCase())?.name).toBe('B');
    expect(t.store.contacts.get(p.address.toUpperCase().replace('0X', '0x'))?.name).toBe('B');
    expect(t.store.contacts.get(keyPair().address)).toBeNull();
    expect(code(() => t.store.contacts.get('0x1234'))).toBe('BAD_INPUT');
  });

  it('rejects a public key that does not belong to the address, and bad states', () => {
    const a = keyPair();
    const b = keyPair();
    expect(code(() => t.store.contacts.upsert({ address: a.address, publicKey: b.publicKey, name: 'x', state: 'friend' }))).toBe('BAD_INPUT');
    expect(code(() => t.store.contacts.upsert({ address: a.address, publicKey: new Uint8Array(33), name: 'x', state: 'friend' }))).toBe('BAD_INPUT');
    expect(code(() => t.store.contacts.upsert({ ...a, name: 'x', state: 'enemy' as 'friend' }))).toBe('BAD_INPUT');
    expect(t.store.contacts.list()).toEqual([]);
  });

  it('lists by updatedAt, most recent first', () => {
    const [a, b, c] = [keyPair(), keyPair(), keyPair()];
    t.clock.now = 10;
    t.store.contacts.upsert({ ...a, name: 'a', state: 'friend' });
    t.clock.now = 30;
    t.store.contacts.upsert({ ...b, name: 'b', state: 'friend' });
    t.clock.now = 20;
    t.store.contacts.upsert({ ...c, name: 'c', state: 'friend' });
    expect(t.store.contacts.list().map((r) => r.name)).toEqual(['b', 'c', 'a']);
    t.clock.now = 40;
    t.store.contacts.rename(a.address, 'A');
    expect(t.store.contacts.list().map((r) => r.name)).toEqual(['A', 'b', 'c']);
  });

  it('setState and rename return the updated row, NOT_FOUND for unknown contacts', () => {
    const p = keyPair();
    t.store.contacts.upsert({ ...p, name: 'n', state: 'pending_in' });
    t.clock.now = 5000;
    expect(t.store.contacts.setState(p.address, 'friend')).toMatchObject({ state: 'friend', updatedAt: 5000 });
    expect(t.store.contacts.rename(p.address, 'Neo')).toMatchObject({ name: 'Neo', state: 'friend' });
    expect(t.store.contacts.get(p.address)).toMatchObject({ name: 'Neo', state: 'friend' });
    const stranger = keyPair().address;
    expect(code(() => t.store.contacts.setState(stranger, 'blocked'))).toBe('NOT_FOUND');
    expect(code(() => t.store.contacts.rename(stranger, 'x'))).toBe('NOT_FOUND');
    expect(code(() => t.store.contacts.setState(p.address, 'nope' as 'friend'))).toBe('BAD_INPUT');
  });

  it('touch moves lastSeenAt forward only and leaves updatedAt alone', () => {
    const p = keyPair();
    t.store.contacts.upsert({ ...p, name: 'n', state: 'friend' });
    t.store.contacts.touch(p.address, 500);
    expect(t.store.contacts.get(p.address)).toMatchObject({ lastSeenAt: 500, updatedAt: 1000 });
    t.store.contacts.touch(p.address, 400);
    expect(t.store.contacts.get(p.address)?.lastSeenAt).toBe(500);
    t.store.contacts.touch(p.address, 900);
    expect(t.store.contacts.get(p.address)?.lastSeenAt).toBe(900);
    t.store.contacts.touch(keyPair().address, 1); // unknown: no-op
  });

  it('adds and clears unread counts', () => {
    const p = keyPair();
    t.store.contacts.upsert({ ...p, name: 'n', state: 'friend' });
    t.store.contacts.addUnread(p.address, 1);
    t.store.contacts.addUnread(p.address, 3);
    expect(t.store.contacts.get(p.address)?.unread).toBe(4);
    t.store.contacts.clearUnread(p.address);
    expect(t.store.contacts.get(p.address)?.unread).toBe(0);
    expect(code(() => t.store.contacts.addUnread(p.address, -1))).toBe('BAD_INPUT');
    expect(code(() => t.store.contacts.addUnread(p.address, 1.5))).toBe('BAD_INPUT');
  });

  it('setWallet stores, replaces and clears the profile wallet, kept across upserts', () => {
    const p = keyPair();
    t.store.contacts.upsert({ ...p, name: 'n', state: 'friend' });
    const w1 = keyPair().address;
    const w2 = keyPair().address;
    t.clock.now = 5000;
    expect(t.store.contacts.setWallet(p.address.toLowerCase(), w1)).toMatchObject({ wallet: w1, updatedAt: 1000 });
    expect(t.store.contacts.get(p.address)?.wallet).toBe(w1);
    t.store.contacts.upsert({ ...p, name: 'renamed', state: 'friend' });
    expect(t.store.contacts.get(p.address)?.wallet).toBe(w1);
    expect(t.store.contacts.setWallet(p.address, w2).wallet).toBe(w2);
    expect(t.store.contacts.setWallet(p.address, null).wallet).toBeNull();
    expect(code(() => t.store.contacts.setWallet(p.address, '0x1234'))).toBe('BAD_INPUT');
    expect(code(() => t.store.contacts.setWallet(p.address, 'zz' + w1.slice(2)))).toBe('BAD_INPUT');
    expect(code(() => t.store.contacts.setWallet(keyPair().address, w1))).toBe('NOT_FOUND');
  });
});
