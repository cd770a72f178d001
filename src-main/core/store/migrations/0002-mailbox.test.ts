import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../migrate';
import { m0001Initial } from './0001-initial';
import { m0002Mailbox } from './0002-mailbox';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:'); // an empty database
  db.pragma('foreign_keys = ON');
  migrate(db, [m0001Initial, m0002Mailbox]);
});
afterEach(() => db.close());

const columns = (t: string): string[] => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);

describe('migration 0002-mailbox from an empty database', () => {
  it('adds ratchets, prekeys and messages.mailboxed_at; user_version = 2', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(columns('ratchets')).toEqual(['peer_key', 'state', 'updated_at']);
    expect(columns('prekeys')).toEqual(['id', 'secret', 'bundle', 'created_at']);
    expect(columns('messages')).toContain('mailboxed_at');
  });

  it('ratchet rows need their contact (checked at commit) and go with it', () => {
    const A = '0x' + 'cd'.repeat(20);
    expect(() => db.prepare('INSERT INTO ratchets VALUES (?, ?, 1)').run(A, Buffer.alloc(4))).toThrow(/FOREIGN KEY/);
    db.prepare('INSERT INTO contacts (address_key, address, public_key, name, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1)').run(
      A,
      A,
      Buffer.alloc(33, 2),
      'n',
      'friend',
    );
    db.prepare('INSERT INTO ratchets VALUES (?, ?, 1)').run(A, Buffer.alloc(4));
    db.prepare('DELETE FROM contacts WHERE address_key = ?').run(A);
    expect(db.prepare('SELECT count(*) AS n FROM ratchets').get()).toEqual({ n: 0 });
  });
});
