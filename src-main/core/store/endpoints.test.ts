import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ENDPOINTS_PER_CONTACT } from './endpoints';
import { code, keyPair, tempStore, type TempStore } from './test-util';

let t: TempStore;
let peer: { address: string; publicKey: Uint8Array };
beforeEach(() => {
  t = tempStore();
  peer = keyPair();
  t.store.contacts.upsert({ ...peer, name: 'p', state: 'friend' });
});
afterEach(() => t.cleanup());

describe('endpoints', () => {
  it('lists most recent first and upserts on (host, port)', () => {
    t.store.endpoints.put(peer.address, '198.51.100.7', 4000, 'invite', 100);
    t.store.endpoints.put(peer.address, '203.0.113.9', 5000, 'observed', 300);
    t.store.endpoints.put(peer.address.toLowerCase(), '192.0.2.1', 6000, 'ping', 200);
    expect(t.store.endpoints.list(peer.address)).toEqual([
      { host: '203.0.113.9', port: 5000, source: 'observed', updatedAt: 300 },
      { host: '192.0.2.1', port: 6000, source: 'ping', updatedAt: 200 },
      { host: '198.51.100.7', port: 4000, source: 'invite', updatedAt: 100 },
    ]);
    t.store.endpoints.put(peer.address, '198.51.100.7', 4000, 'ping', 400); // same endpoint: updated, not duplicated
    expect(t.store.endpoints.list(peer.address)[0]).toEqual({ host: '198.51.100.7', port: 4000, source: 'ping', updatedAt: 400 });
    expect(t.store.endpoints.list(peer.address)).toHaveLength(3);
  });

  it('never moves an endpoint back in time', () => {
    t.store.endpoints.put(peer.address, 'h', 1, 'ping', 500);
    t.store.endpoints.put(peer.address, 'h', 1, 'observed', 100);
    expect(t.store.endpoints.list(peer.address)).toEqual([{ host: 'h', port: 1, source: 'observed', updatedAt: 500 }]);
  });

  it('keeps only the most recent endpoints per contact', () => {
    for (let i = 0; i < MAX_ENDPOINTS_PER_CONTACT + 5; i++) t.store.endpoints.put(peer.address, '10.0.0.1', 1000 + i, 'observed', i);
    const list = t.store.endpoints.list(peer.address);
    expect(list).toHaveLength(MAX_ENDPOINTS_PER_CONTACT);
    expect(list[0]!.port).toBe(1000 + MAX_ENDPOINTS_PER_CONTACT + 4);
    expect(list.at(-1)!.port).toBe(1005);
  });

  it('keeps contacts apart', () => {
    const other = keyPair();
    t.store.contacts.upsert({ ...other, name: 'o', state: 'friend' });
    t.store.endpoints.put(other.address, 'o', 2, 'invite', 1);
    t.store.endpoints.put(peer.address, 'p', 3, 'invite', 1);
    expect(t.store.endpoints.list(other.address).map((e) => e.host)).toEqual(['o']);
    expect(t.store.endpoints.list(keyPair().address)).toEqual([]);
  });

  it('validates input and requires a known contact', () => {
    expect(code(() => t.store.endpoints.put(keyPair().address, 'h', 1, 'ping', 1))).toBe('NOT_FOUND');
    expect(code(() => t.store.endpoints.put(peer.address, '', 1, 'ping', 1))).toBe('BAD_INPUT');
    expect(code(() => t.store.endpoints.put(peer.address, 'h', 0, 'ping', 1))).toBe('BAD_INPUT');
    expect(code(() => t.store.endpoints.put(peer.address, 'h', 70000, 'ping', 1))).toBe('BAD_INPUT');
    expect(code(() => t.store.endpoints.put(peer.address, 'h', 1, 'gossip' as 'ping', 1))).toBe('BAD_INPUT');
    expect(t.store.endpoints.list(peer.address)).toEqual([]);
  });
});
