/**
 * @module store/migrations/0002-mailbox
 * Offline delivery (issue 3): Double Ratchet state per peer, our signed prekey secrets (the
 * current one and the previous one during rotation), and when an outgoing message was last
 * handed to a router's mailbox.
 */
import type { Migration } from './types';

export const m0002Mailbox: Migration = {
  version: 2,
  name: 'mailbox',
  up(db) {
    db.exec(`
      CREATE TABLE ratchets (
        peer_key   TEXT PRIMARY KEY REFERENCES contacts (address_key) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        state      BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE prekeys (
        id         INTEGER PRIMARY KEY,
        secret     BLOB NOT NULL,
        bundle     BLOB NOT NULL,
        created_at INTEGER NOT NULL
      );

      ALTER TABLE messages ADD COLUMN mailboxed_at INTEGER;
    `);
  },
};
