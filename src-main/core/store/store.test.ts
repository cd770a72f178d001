import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyPair, msgId, tempStore, type TempStore } from './test-util';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('Store', () => {
  it('tx commits on success and rolls everything back on throw', () => {
    const p = keyPair();
    const result = t.store.tx(() => {
      t.store.contacts.upsert({ ...p, name: 'p', state: 'friend' });
      t.store.messages.insertIncoming({ id: msgId(1), peer: p.address, text: 'a', sentAt: 1, localAt: 1 });
      return 'done';
    });
    expect(result).toBe('done');

    expect(() =>
      t.store.tx(() => {
        t.store.messages.insertIncoming({ id: msgId(2), peer: p.address, text: 'b', sentAt: 2, localAt: 2 });
        t.store.contacts.addUnread(p.address, 5);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(t.store.messages.list(p.address).map((m) => m.text)).toEqual(['a']);
    expect(t.store.contacts.get(p.address)?.unread).toBe(0);
  });

  it('tx nests (inner failure rolls back only the inner part when caught)', () => {
    t.store.tx(() => {
      t.store.settings.set('outer', '1');
      try {
        t.store.tx(() => {
          t.store.settings.set('inner', '1');
          throw new Error('inner');
        });
      } catch {
        // swallowed on purpose
      }
    });
    expect(t.store.settings.get('outer')).toBe('1');
    expect(t.store.settings.get('inner')).toBeNull();
  });

  it('persists across close and reopen, and close is idempotent', async () => {
    const { openStore } = await import('./store');
    const p = keyPair();
    t.store.contacts.upsert({ ...p, name: 'persist', state: 'friend' });
    t.store.close();
    t.store.close();
    expect(t.store.db.open).toBe(false);
    const again = openStore(t.file, t.key);
    expect(again.contacts.get(p.address)?.name).toBe('persist');
    again.close();
  });
});

describe('Store.tx and foreign keys', () => {
  it('lets a transaction write endpoints before the contact they belong to', () => {
    const p = keyPair();
    t.store.tx(() => {
      t.store.endpoints.put(p.address, '192.0.2.5', 4242, 'invite', 10);
      t.store.contacts.upsert({ ...p, name: 'late', state: 'pending_out' });
    });
    expect(t.store.endpoints.list(p.address)).toEqual([{ host: '192.0.2.5', port: 4242, source: 'invite', updatedAt: 10 }]);
  });

  it('aborts with NOT_FOUND when a transaction leaves rows without their contact', () => {
    const p = keyPair();
    let err: unknown;
    try {
      t.store.tx(() => {
        t.store.settings.set('side-effect', 'x');
        t.store.endpoints.put(p.address, '192.0.2.5', 4242, 'invite', 10);
      });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
    expect(t.store.endpoints.list(p.address)).toEqual([]);
    expect(t.store.settings.get('side-effect')).toBeNull();
    expect(t.store.db.inTransaction).toBe(false);
  });
});
