import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../migrate';
import { m0001Initial } from './0001-initial';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:'); // an empty database
  db.pragma('foreign_keys = ON');
  migrate(db, [m0001Initial]);
});
afterEach(() => db.close());

const columns = (t: string): string[] => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
const A = '0x' + 'ab'.repeat(20);
const PUB = Buffer.alloc(33, 2);

function insertContact(key = A, state = 'friend'): void {
  db.prepare('INSERT INTO contacts (address_key, address, public_key, name, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1)').run(
    key,
    key.toUpperCase().replace('0X', '0x'),
    PUB,
    'n',
    state,
  );
}

describe('migration 0001-initial from an empty database', () => {
  it('creates every table with its columns and sets user_version = 1', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(columns('contacts')).toEqual([
      'address_key', 'address', 'public_key', 'name', 'state', 'unread', 'created_at', 'updated_at', 'last_seen_at',
    ]);
    expect(columns('endpoints')).toEqual(['address_key', 'host', 'port', 'source', 'updated_at']);
    expect(columns('messages')).toEqual([
      'seq', 'peer_key', 'peer', 'id', 'direction', 'text', 'state', 'sent_at', 'local_at', 'attempts', 'next_attempt_at',
    ]);
    expect(columns('seen')).toEqual(['src_key', 'ts', 'sig', 'seen_at']);
    expect(columns('settings')).toEqual(['key', 'value']);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[])
      .map((r) => r.name)
      .sort();
    expect(indexes).toEqual(['contacts_by_updated', 'endpoints_by_recency', 'messages_by_peer', 'messages_outbox', 'seen_by_time']);
  });

  it('enforces its CHECK constraints', () => {
    expect(() => insertContact('0x' + 'AB'.repeat(20))).toThrow(/CHECK/); // key must be lowercase
    expect(() => insertContact('0x' + 'zz'.repeat(20))).toThrow(/CHECK/);
    expect(() => insertContact(A, 'enemy')).toThrow(/CHECK/);
    insertContact();
    const msg = db.prepare(
      "INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at) VALUES (?, 'P', ?, ?, 't', ?, 1, 1)",
    );
    expect(() => msg.run(A, 'xyz', 'in', 'received')).toThrow(/CHECK/);
    expect(() => msg.run(A, '0'.repeat(32), 'sideways', 'received')).toThrow(/CHECK/);
    expect(() => msg.run(A, '0'.repeat(32), 'in', 'lost')).toThrow(/CHECK/);
    msg.run(A, '0'.repeat(32), 'in', 'received');
    expect(() => msg.run(A, '0'.repeat(32), 'out', 'sending')).toThrow(/UNIQUE/);
    const ep = db.prepare('INSERT INTO endpoints (address_key, host, port, source, updated_at) VALUES (?, ?, ?, ?, 1)');
    expect(() => ep.run(A, 'h', 0, 'ping')).toThrow(/CHECK/);
    expect(() => ep.run(A, 'h', 1, 'rumour')).toThrow(/CHECK/);
  });

  it('ties endpoints and messages to contacts, deleting them with the contact', () => {
    const msg = db.prepare(
      "INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at) VALUES (?, 'P', ?, 'in', 't', 'received', 1, 1)",
    );
    expect(() => msg.run(A, '0'.repeat(32))).toThrow(/FOREIGN KEY/);
    insertContact();
    msg.run(A, '0'.repeat(32));
    db.prepare("INSERT INTO endpoints (address_key, host, port, source, updated_at) VALUES (?, 'h', 1, 'ping', 1)").run(A);
    db.prepare('DELETE FROM contacts WHERE address_key = ?').run(A);
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM endpoints').get()).toEqual({ n: 0 });
  });

  it('never reuses a seq (AUTOINCREMENT)', () => {
    insertContact();
    const ins = db.prepare(
      "INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at) VALUES (?, 'P', ?, 'in', 't', 'received', 1, 1)",
    );
    const s1 = Number(ins.run(A, '1'.repeat(32)).lastInsertRowid);
    db.prepare('DELETE FROM messages').run();
    const s2 = Number(ins.run(A, '2'.repeat(32)).lastInsertRowid);
    expect(s2).toBeGreaterThan(s1);
  });
});
