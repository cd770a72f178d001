import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../migrate';
import { m0001Initial } from './0001-initial';
import { m0002Mailbox } from './0002-mailbox';
import { m0003Payments } from './0003-payments';
import { m0004Calls } from './0004-calls';

/** Every migration up to this one (later ones add their own indexes). */
const MIGRATIONS = [m0001Initial, m0002Mailbox, m0003Payments, m0004Calls];

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, [m0001Initial, m0002Mailbox, m0003Payments]); // a version-3 database, as shipped
});
afterEach(() => db.close());

const A = '0x' + 'ab'.repeat(20);
const B = '0x' + 'cd'.repeat(20);
const id = (n: number) => n.toString(16).padStart(32, '0');
const columns = (t: string): string[] => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
const indexes = (): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[])
    .map((r) => r.name)
    .sort();
function contact(key: string): void {
  db.prepare("INSERT INTO contacts (address_key, address, public_key, name, state, created_at, updated_at) VALUES (?, ?, ?, 'n', 'friend', 1, 1)").run(key, key, Buffer.alloc(33, 2));
}
const insert = (peer: string, mid: string, kind: string, extra: { payment?: string | null; call?: string | null; direction?: string; state?: string } = {}) =>
  db
    .prepare(
      `INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at, kind, payment${kind === 'call' || extra.call !== undefined ? ', call' : ''})
       VALUES (?, 'P', ?, ?, 't', ?, 1, 1, ?, ?${kind === 'call' || extra.call !== undefined ? ', ?' : ''})`,
    )
    .run(peer, mid, extra.direction ?? 'in', extra.state ?? 'received', kind, extra.payment ?? null, ...(kind === 'call' || extra.call !== undefined ? [extra.call ?? null] : []));

describe('migration 0004-calls on a version-3 database with data', () => {
  it('keeps every row, seq and column value, adds `call`, and sets user_version = 4', () => {
    contact(A);
    insert(A, id(1), 'text');
    insert(A, id(2), 'payment', { payment: '{"status":"pending"}', direction: 'out', state: 'sending' });
    db.prepare('UPDATE messages SET attempts = 3, next_attempt_at = 99, mailboxed_at = 7 WHERE id = ?').run(id(2));
    const before = db.prepare('SELECT * FROM messages ORDER BY seq').all();
    migrate(db, MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(columns('messages').slice(-3)).toEqual(['kind', 'payment', 'call']);
    expect(db.prepare('SELECT * FROM messages ORDER BY seq').all()).toEqual(before.map((r) => ({ ...(r as object), call: null })));
    expect(indexes()).toEqual(['messages_by_peer', 'messages_calls', 'messages_outbox', 'messages_payments']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('never reuses a seq: the AUTOINCREMENT counter survives the rebuild, even above the last row', () => {
    contact(A);
    for (let n = 1; n <= 5; n++) insert(A, id(n), 'text');
    db.prepare('DELETE FROM messages WHERE seq > 2').run(); // the counter is at 5, the rows stop at 2
    migrate(db, MIGRATIONS);
    const next = Number(insert(A, id(9), 'text').lastInsertRowid);
    expect(next).toBe(6);
  });

  it('allows kind call only with its JSON, keeps payments as they were, and one record per (peer, call id)', () => {
    contact(A);
    contact(B);
    migrate(db, MIGRATIONS);
    const rec = '{"id":"' + 'e'.repeat(32) + '","outcome":"missed"}';
    expect(() => insert(A, id(1), 'call', { call: null })).toThrow(/CHECK/);
    expect(() => insert(A, id(2), 'text', { call: rec })).toThrow(/CHECK/);
    expect(() => insert(A, id(3), 'call', { call: 'not json' })).toThrow(/CHECK/);
    expect(() => insert(A, id(4), 'gift')).toThrow(/CHECK/);
    expect(() => insert(A, id(5), 'payment', { payment: null })).toThrow(/CHECK/);
    insert(A, id(6), 'call', { call: rec });
    expect(() => insert(A, id(7), 'call', { call: rec })).toThrow(/UNIQUE/);
    insert(B, id(8), 'call', { call: rec }); // the same call id with another peer is another record
    insert(A, id(9), 'payment', { payment: '{}' });
    expect(db.prepare('SELECT kind, count(*) AS n FROM messages GROUP BY kind ORDER BY kind').all()).toEqual([
      { kind: 'call', n: 2 },
      { kind: 'payment', n: 1 },
    ]);
  });

  it('leaves call rows out of the outbox index, which the outbox query can still use', () => {
    contact(A);
    migrate(db, MIGRATIONS);
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_outbox'").get() as { sql: string };
    expect(sql.sql).toMatch(/kind <> 'call'/);
    // INDEXED BY fails to prepare unless the query's WHERE implies the partial index's.
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT seq FROM messages INDEXED BY messages_outbox WHERE direction = 'out' AND state IN ('sending', 'sent') AND kind <> 'call' AND next_attempt_at <= 5 ORDER BY seq")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/messages_outbox/);
  });
});
