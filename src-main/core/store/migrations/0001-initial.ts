/**
 * @module store/migrations/0001-initial
 * First schema: contacts (keyed by lowercase address, with the EIP-55 form kept for
 * display), their network endpoints, the message log with its outbox columns, the
 * replay cache of seen envelopes (seed 000: drop duplicates by ts and signed hash), and
 * key/value settings. `seq` is an AUTOINCREMENT rowid, so it only ever grows and gives a
 * stable order even when clocks disagree. Endpoints and messages reference their contact
 * with DEFERRABLE INITIALLY DEFERRED foreign keys: inside a transaction the contact may be
 * written after its endpoints (checked at COMMIT); alone, a row for an unknown contact fails.
 */
import type { Migration } from './types';

export const m0001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE contacts (
        address_key  TEXT PRIMARY KEY CHECK (length(address_key) = 42 AND substr(address_key, 1, 2) = '0x' AND substr(address_key, 3) NOT GLOB '*[^0-9a-f]*'),
        address      TEXT NOT NULL CHECK (lower(address) = address_key),
        public_key   BLOB NOT NULL CHECK (length(public_key) = 33),
        name         TEXT NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('pending_out', 'pending_in', 'friend', 'declined', 'blocked')),
        unread       INTEGER NOT NULL DEFAULT 0 CHECK (unread >= 0),
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        last_seen_at INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX contacts_by_updated ON contacts (updated_at DESC);

      CREATE TABLE endpoints (
        address_key TEXT NOT NULL REFERENCES contacts (address_key) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        host        TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 255),
        port        INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        source      TEXT NOT NULL CHECK (source IN ('invite', 'ping', 'observed')),
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (address_key, host, port)
      ) WITHOUT ROWID;
      CREATE INDEX endpoints_by_recency ON endpoints (address_key, updated_at DESC);

      CREATE TABLE messages (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        peer_key        TEXT NOT NULL REFERENCES contacts (address_key) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        peer            TEXT NOT NULL,
        id              TEXT NOT NULL CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
        direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        text            TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'delivered', 'received', 'failed')),
        sent_at         INTEGER NOT NULL,
        local_at        INTEGER NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        UNIQUE (peer_key, id)
      );
      CREATE INDEX messages_by_peer ON messages (peer_key, seq);
      CREATE INDEX messages_outbox ON messages (next_attempt_at, seq)
        WHERE direction = 'out' AND state IN ('sending', 'sent');

      CREATE TABLE seen (
        src_key TEXT NOT NULL,
        ts      INTEGER NOT NULL,
        sig     BLOB NOT NULL,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (src_key, ts, sig)
      ) WITHOUT ROWID;
      CREATE INDEX seen_by_time ON seen (seen_at);

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
