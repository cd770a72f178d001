import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { isBuError } from '../base';
import { migrate, schemaVersion } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';

const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

const fake: Migration[] = [
  { version: 1, name: 'a', up: (db) => db.exec('CREATE TABLE a (x)') },
  { version: 2, name: 'b', up: (db) => db.exec('CREATE TABLE b (x)') },
];

describe('migration runner', () => {
  it('lists the shipped migrations in order, numbered from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(MIGRATIONS[0]!.name).toBe('initial');
  });

  it('applies pending migrations in order and records user_version', () => {
    const db = new Database(':memory:');
    expect(migrate(db, fake.slice(0, 1))).toEqual({ from: 0, to: 1 });
    expect(tables(db)).toEqual(['a']);
    expect(migrate(db, fake)).toEqual({ from: 1, to: 2 }); // only the new one runs
    expect(tables(db)).toEqual(['a', 'b']);
    expect(schemaVersion(db)).toBe(2);
    expect(migrate(db, fake)).toEqual({ from: 2, to: 2 }); // nothing pending
    db.close();
  });

  it('rolls a failing migration back completely, keeping the previous version', () => {
    const db = new Database(':memory:');
    const broken: Migration[] = [
      fake[0]!,
      {
        version: 2,
        name: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE half (x)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['a']);
    db.close();
  });

  it('refuses a database from a newer app version', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 7');
    try {
      migrate(db, fake);
      expect.unreachable();
    } catch (err) {
      expect(isBuError(err, 'INTERNAL')).toBe(true);
    }
    db.close();
  });

  it('rejects a gap in migration numbers', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [fake[1]!])).toThrow(/expected 1/);
    expect(schemaVersion(db)).toBe(0);
    db.close();
  });
});
