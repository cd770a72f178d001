import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { isBuError } from '../base';
import { randomBytes } from '../crypto';
import { openDatabase } from './db';
import { openStore } from './store';
import { keyPair, msgId } from './test-util';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-db-'));
  file = join(dir, 'bu.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRET_TEXT = 'meet me at the old lighthouse at nine';

function wrongKeyError(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return null;
}

describe('encrypted database', () => {
  it('keeps no plaintext on disk, in the main file or the WAL', () => {
    const key = randomBytes(32);
    const store = openStore(file, key);
    const peer = keyPair();
    store.contacts.upsert({ ...peer, name: 'Lighthouse Keeper', state: 'friend' });
    store.messages.insertIncoming({ id: msgId(1), peer: peer.address, text: SECRET_TEXT, sentAt: 1, localAt: 2 });
    store.db.pragma('wal_checkpoint(PASSIVE)'); // ensure pages reached the main file too
    store.messages.insertIncoming({ id: msgId(2), peer: peer.address, text: SECRET_TEXT, sentAt: 3, localAt: 4 }); // and this one sits in the WAL

    for (const f of [file, `${file}-wal`]) {
      if (!existsSync(f)) continue;
      const bytes = readFileSync(f);
      expect(bytes.includes(Buffer.from('lighthouse'))).toBe(false);
      expect(bytes.includes(Buffer.from('Lighthouse Keeper'))).toBe(false);
      expect(bytes.includes(Buffer.from('CREATE TABLE'))).toBe(false);
      expect(bytes.includes(Buffer.from(peer.address.slice(2).toLowerCase()))).toBe(false);
    }
    expect(readFileSync(`${file}-wal`).length).toBeGreaterThan(0);
    store.close();

    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(4096);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(bytes.includes(Buffer.from('lighthouse'))).toBe(false);

    const again = openStore(file, key);
    expect(again.messages.list(peer.address).map((m) => m.text)).toEqual([SECRET_TEXT, SECRET_TEXT]);
    again.close();
  });

  it('fails cleanly with WRONG_PASSWORD on a wrong key and leaves the file usable', () => {
    const key = randomBytes(32);
    const store = openStore(file, key);
    store.settings.set('theme', 'dark');
    store.close();
    const before = readFileSync(file);

    const err = wrongKeyError(() => openStore(file, randomBytes(32)));
    expect(isBuError(err, 'WRONG_PASSWORD')).toBe(true);
    expect(readFileSync(file).equals(before)).toBe(true);

    const ok = openStore(file, key);
    expect(ok.settings.get('theme')).toBe('dark');
    ok.close();
  });

  it('refuses a plaintext SQLite file as undecryptable', () => {
    const plain = new Database(file);
    plain.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('hello')");
    plain.close();
    expect(isBuError(wrongKeyError(() => openDatabase(file, randomBytes(32))), 'WRONG_PASSWORD')).toBe(true);
  });

  it('sets the connection pragmas', () => {
    const db = openDatabase(file, randomBytes(32));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    db.close();
  });

  it('requires a 32-byte key', () => {
    expect(isBuError(wrongKeyError(() => openDatabase(file, randomBytes(16))), 'BAD_INPUT')).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('migrates a new database to the latest schema and reopens without re-running', () => {
    const key = randomBytes(32);
    const s1 = openStore(file, key);
    expect(s1.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    s1.close();
    s1.close(); // idempotent
    const s2 = openStore(file, key);
    expect(s2.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    s2.close();
  });
});
