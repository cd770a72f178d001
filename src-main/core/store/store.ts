/**
 * @module store/store
 * The Store: one encrypted connection and one instance of each repository, whose prepared
 * statements are compiled once here and reused for the life of the Store.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';
import { isForeignKeyError } from './address';
import { CallHistoryRepo } from './call-history';
import { ContactsRepo } from './contacts';
import { openDatabase } from './db';
import { EndpointsRepo } from './endpoints';
import { MessagesRepo } from './messages';
import { migrate } from './migrate';
import { SearchRepo, type SearchOptions, type SearchPage } from './search';
import { SeenRepo } from './seen';
import { SettingsRepo } from './settings';
import { RatchetsRepo } from './ratchets';

export type StoreOptions = {
  /** Path of the better_sqlite3.node built for the running runtime (Electron needs its own). */
  nativeBinding?: string;
  /** Clock for contact timestamps (createdAt/updatedAt); Date.now by default. */
  now?: () => number;
};

export class Store {
  readonly db: Database.Database;
  readonly contacts: ContactsRepo;
  readonly endpoints: EndpointsRepo;
  readonly messages: MessagesRepo;
  readonly seen: SeenRepo;
  readonly settings: SettingsRepo;
  readonly ratchets: RatchetsRepo;
  /** Call records across conversations and the missed-calls marker. */
  readonly calls: CallHistoryRepo;
  private readonly searchRepo: SearchRepo;

  constructor(db: Database.Database, opts: { now?: () => number } = {}) {
    this.db = db;
    const now = opts.now ?? Date.now;
    this.contacts = new ContactsRepo(db, now);
    this.endpoints = new EndpointsRepo(db);
    this.messages = new MessagesRepo(db);
    this.seen = new SeenRepo(db);
    this.settings = new SettingsRepo(db);
    this.ratchets = new RatchetsRepo(db);
    this.calls = new CallHistoryRepo(db, this.settings);
    this.searchRepo = new SearchRepo(db);
  }

  /** Full-text search over every conversation (store/search.ts): best matches first, snippets marked. */
  search(query: string, opts?: SearchOptions): SearchPage {
    return this.searchRepo.search(query, opts);
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction (takes the write lock up front; nests as a
   * savepoint). Foreign keys are checked at COMMIT: a row left pointing at a missing
   * contact aborts the whole transaction with BuError NOT_FOUND.
   */
  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      if (isForeignKeyError(err)) throw new BuError('NOT_FOUND', 'That contact does not exist.', { cause: err });
      throw err;
    }
  }

  /** Closes the connection (idempotent); SQLite checkpoints the WAL on the last close. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating if needed) the encrypted database at `file` with the vault's 32-byte key and migrates it. */
export function openStore(file: string, key: Uint8Array, opts: StoreOptions = {}): Store {
  const db = openDatabase(file, key, { nativeBinding: opts.nativeBinding });
  try {
    migrate(db);
    return new Store(db, { now: opts.now });
  } catch (err) {
    db.close();
    throw err;
  }
}
