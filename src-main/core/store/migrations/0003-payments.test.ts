import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../migrate';
import { m0001Initial } from './0001-initial';
import { m0002Mailbox } from './0002-mailbox';
import { m0003Payments } from './0003-payments';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, [m0001Initial, m0002Mailbox]);
});
afterEach(() => db.close());

const columns = (t: string): string[] => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
const A = '0x' + 'ab'.repeat(20);
const W = '0x' + 'Cd'.repeat(20);
const msg = (id: string, kind?: string, payment?: string | null) =>
  kind === undefined
    ? db.prepare("INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at) VALUES (?, 'P', ?, 'in', 't', 'received', 1, 1)").run(A, id)
    : db
        .prepare("INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at, kind, payment) VALUES (?, 'P', ?, 'in', 't', 'received', 1, 1, ?, ?)")
        .run(A, id, kind, payment ?? null);

describe('migration 0003-payments on a version-2 database with data', () => {
  it('keeps existing rows as text messages without wallets; user_version = 3', () => {
    db.prepare("INSERT INTO contacts (address_key, address, public_key, name, state, created_at, updated_at) VALUES (?, ?, ?, 'n', 'friend', 1, 1)").run(A, A, Buffer.alloc(33, 2));
    msg('1'.repeat(32));
    migrate(db, [m0001Initial, m0002Mailbox, m0003Payments]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(columns('messages').slice(-2)).toEqual(['kind', 'payment']);
    expect(columns('contacts')).toContain('wallet');
    expect(db.prepare('SELECT kind, payment FROM messages').get()).toEqual({ kind: 'text', payment: null });
    expect(db.prepare('SELECT wallet FROM contacts').get()).toEqual({ wallet: null });
  });

  it('enforces kind, payment-iff-kind and the wallet shape', () => {
    db.prepare("INSERT INTO contacts (address_key, address, public_key, name, state, created_at, updated_at) VALUES (?, ?, ?, 'n', 'friend', 1, 1)").run(A, A, Buffer.alloc(33, 2));
    migrate(db, [m0001Initial, m0002Mailbox, m0003Payments]);
    expect(() => msg('2'.repeat(32), 'gift', '{}')).toThrow(/CHECK/);
    expect(() => msg('3'.repeat(32), 'payment', null)).toThrow(/CHECK/);
    expect(() => msg('4'.repeat(32), 'text', '{}')).toThrow(/CHECK/);
    msg('5'.repeat(32), 'payment', '{"status":"pending"}');
    const setWallet = db.prepare('UPDATE contacts SET wallet = ? WHERE address_key = ?');
    expect(() => setWallet.run('0x12', A)).toThrow(/CHECK/);
    expect(() => setWallet.run('0x' + 'zz'.repeat(20), A)).toThrow(/CHECK/);
    setWallet.run(W, A);
    expect(db.prepare('SELECT wallet FROM contacts').get()).toEqual({ wallet: W });
  });
});
