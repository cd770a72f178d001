import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../migrate';
import { MIGRATIONS } from './index';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 5));
});
afterEach(() => db.close());

const A = '0x' + 'ab'.repeat(20);
const match = (q: string) => (db.prepare('SELECT rowid AS seq FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid').all(q) as { seq: number }[]).map((r) => r.seq);

describe('migration 0006-search on a version-5 database with data', () => {
  it('indexes the existing texts and payment notes (not calls, not empty texts); user_version = 6', () => {
    db.prepare("INSERT INTO contacts (address_key, address, public_key, name, state, created_at, updated_at) VALUES (?, ?, ?, 'n', 'friend', 1, 1)").run(A, A, Buffer.alloc(33, 2));
    const ins = db.prepare("INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at, kind, payment, call) VALUES (?, 'P', ?, 'in', ?, 'received', 1, 1, ?, ?, ?)");
    ins.run(A, '1'.repeat(32), 'hello old friend', 'text', null, null);
    ins.run(A, '2'.repeat(32), 'You received 1 ETH', 'payment', '{"note":"hello rent","status":"pending"}', null);
    ins.run(A, '3'.repeat(32), 'hello call', 'call', null, '{"id":"c"}');
    ins.run(A, '4'.repeat(32), '', 'text', null, null);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(match('hello')).toEqual([1, 2]);
    expect(match('received')).toEqual([]);
    expect(match(`peer : "${A}"`)).toEqual([1, 2]);
    db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run();
    // New rows are indexed by the trigger.
    ins.run(A, '5'.repeat(32), 'hello again', 'text', null, null);
    expect(match('again')).toEqual([5]);
  });
});
