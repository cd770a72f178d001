/**
 * @module store/migrate
 * Applies pending migrations. The schema version lives in PRAGMA user_version (a header
 * field of the database file, so it is updated atomically with the schema): each migration
 * runs in its own IMMEDIATE transaction together with the user_version bump, so a crash or
 * a failing migration leaves the database at the previous version, never half-migrated.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';
import { MIGRATIONS, type Migration } from './migrations';

export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new BuError('INTERNAL', `Migration ${m.name} has version ${m.version}, expected ${i + 1}.`);
  });
  const from = schemaVersion(db);
  const latest = migrations.length;
  if (from > latest) {
    throw new BuError('INTERNAL', `The message database has schema ${from}, newer than this app knows (${latest}). Update BitUnicom.`);
  }
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: latest };
}
