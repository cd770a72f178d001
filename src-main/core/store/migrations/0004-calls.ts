/**
 * @module store/migrations/0004-calls
 * Calls in a conversation (issue 11): a message may also be of kind 'call', a local record of
 * a call (never transmitted) whose JSON — the contract's CallRecord — lives in `call`.
 *
 * SQLite cannot widen a CHECK constraint in place, so the messages table is rebuilt (the
 * documented create-copy-drop-rename procedure) with every row, seq and index kept. The
 * AUTOINCREMENT counter is carried over too, so a seq is still never reused. The outbox index
 * leaves call rows out, and a call is stored at most once per peer (its id inside the JSON).
 */
import type { Migration } from './types';

const COPIED = 'seq, peer_key, peer, id, direction, text, state, sent_at, local_at, attempts, next_attempt_at, mailboxed_at, kind, payment';

export const m0004Calls: Migration = {
  version: 4,
  name: 'calls',
  up(db) {
    const counter = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'messages'").get() as { seq: number } | undefined;
    db.exec(`
      CREATE TABLE messages_v4 (
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
        mailboxed_at    INTEGER,
        kind            TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'payment', 'call')),
        payment         TEXT CHECK ((kind = 'payment') = (payment IS NOT NULL)),
        call            TEXT CHECK ((kind = 'call') = (call IS NOT NULL)) CHECK (call IS NULL OR json_valid(call)),
        UNIQUE (peer_key, id)
      );
      INSERT INTO messages_v4 (${COPIED}) SELECT ${COPIED} FROM messages;
      DROP TABLE messages;
      ALTER TABLE messages_v4 RENAME TO messages;
      CREATE INDEX messages_by_peer ON messages (peer_key, seq);
      CREATE INDEX messages_outbox ON messages (next_attempt_at, seq)
        WHERE direction = 'out' AND state IN ('sending', 'sent') AND kind <> 'call';
      CREATE INDEX messages_payments ON messages (seq) WHERE kind = 'payment';
      CREATE UNIQUE INDEX messages_calls ON messages (peer_key, json_extract(call, '$.id')) WHERE kind = 'call';
    `);
    // The copy set the counter to the highest seq present; an older, higher one (rows deleted since) wins.
    db.prepare("DELETE FROM sqlite_sequence WHERE name = 'messages'").run();
    db.prepare("INSERT INTO sqlite_sequence (name, seq) SELECT 'messages', max(?, coalesce((SELECT max(seq) FROM messages), 0))").run(counter?.seq ?? 0);
  },
};
