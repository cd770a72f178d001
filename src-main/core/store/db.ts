/**
 * @module store/db
 * Opens the encrypted SQLite database with better-sqlite3-multiple-ciphers (SQLite3
 * Multiple Ciphers): cipher 'sqlcipher' (SQLCipher 4 format: AES-256-CBC pages with
 * HMAC-SHA512), keyed with the vault's random 32-byte key as a raw key (x'…'), so no
 * password KDF runs here — the vault already did that once.
 *
 * Order matters: cipher, then key, then a read of sqlite_master to prove the key (a wrong key
 * surfaces as SQLITE_NOTADB → WRONG_PASSWORD), then the connection pragmas:
 *   journal_mode=WAL    readers never block the writer; the WAL is encrypted too
 *   synchronous=FULL    a commit is on disk before we acknowledge a message
 *   foreign_keys=ON, busy_timeout=5000, temp_store=MEMORY (no plaintext temp files)
 */
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { BuError, toHex } from '../base';

export type OpenDatabaseOptions = { nativeBinding?: string };

export function openDatabase(file: string, key: Uint8Array, opts: OpenDatabaseOptions = {}): Database.Database {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new BuError('BAD_INPUT', 'The database key must be 32 bytes.');
  let db: Database.Database;
  try {
    // Create it owner-only (like the vault) before SQLite opens it; WAL/SHM files inherit the mode.
    if (file !== ':memory:') closeSync(openSync(file, 'a', 0o600));
    db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  } catch (err) {
    throw new BuError('INTERNAL', `The message database could not be opened: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma(`key="x'${toHex(key)}'"`); // hex of our own bytes: nothing to escape
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'SQLITE_NOTADB') {
        throw new BuError('WRONG_PASSWORD', 'The message database cannot be decrypted with this account key.', { cause: err });
      }
      throw err;
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal' && file !== ':memory:') {
      throw new BuError('INTERNAL', `The message database refused WAL mode (${String(mode)}).`);
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db.close();
    if (err instanceof BuError) throw err;
    throw new BuError('INTERNAL', `The message database could not be opened: ${(err as Error).message}`, { cause: err });
  }
}
