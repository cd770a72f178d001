/**
 * @module store/settings
 * Small key/value preferences kept inside the encrypted database.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';

export class SettingsRepo {
  private readonly sGet: Database.Statement<[string], { value: string }>;
  private readonly sSet: Database.Statement<[string, string]>;
  private readonly sDel: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.sGet = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.sDel = db.prepare('DELETE FROM settings WHERE key = ?');
    this.sSet = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  get(key: string): string | null {
    return this.sGet.get(key)?.value ?? null;
  }

  set(key: string, value: string): void {
    if (typeof key !== 'string' || typeof value !== 'string') throw new BuError('BAD_INPUT', 'Settings keys and values are text.');
    this.sSet.run(key, value);
  }

  delete(key: string): void {
    this.sDel.run(key);
  }
}
