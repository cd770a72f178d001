/**
 * @module store/migrations/types
 * A schema migration: `up` runs inside the runner's transaction, which then sets
 * PRAGMA user_version = version. Migrations are append-only: never edit a shipped one.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

export type Migration = {
  /** 1, 2, 3, … — equals PRAGMA user_version once applied. */
  version: number;
  name: string;
  up(db: Database.Database): void;
};
