/**
 * @module store/migrations/0006-search
 * Full-text search over every conversation (issue 13 item 3), with SQLite FTS5
 * (https://www.sqlite.org/fts5.html).
 *
 * `messages_fts` is an external-content FTS5 table (FTS5 docs §4.4.3 "External Content
 * Tables") whose content is the view `messages_search`: one row per text-bearing message —
 * a chat text, or a payment's note — keyed by the message's `seq`. The index stores only the
 * inverted lists; `snippet()` reads the text back from `messages` through the view, so no
 * message text is stored twice. (A contentless table would be as small but cannot run
 * `snippet()`/`highlight()`, and before SQLite 3.43 cannot delete rows.)
 *
 * Columns: `body` (the searchable text) and `peer` (the conversation's lowercase address key,
 * one token), so the per-conversation filter is an index intersection (`peer : "0x…"`) instead
 * of a scan of every match. Tokenizer unicode61 with remove_diacritics 2 (FTS5 docs §4.3.1):
 * case folding and accent folding for every script ("cafe" finds "Café"); prefix indexes for
 * 2- and 3-character prefixes (FTS5 docs §4.2 "Prefix Indexes") keep as-you-type prefix
 * queries fast.
 *
 * Triggers keep the index in step with the table (the external-content recipe: a 'delete'
 * command with the old values, then an insert). Calls and empty texts are never indexed, and
 * the same condition guards every trigger so a 'delete' is never issued for a row that was not
 * inserted (that would corrupt the index). Existing rows are indexed here with 'rebuild'.
 */
import type { Migration } from './types';

/** The indexed text of a messages row (`r` is `new`, `old` or the table itself); NULL: not indexed. */
export const searchBody = (r: string): string =>
  `nullif(CASE ${r}.kind WHEN 'text' THEN ${r}.text WHEN 'payment' THEN json_extract(${r}.payment, '$.note') END, '')`;

export const m0006Search: Migration = {
  version: 6,
  name: 'search',
  up(db) {
    db.exec(`
      CREATE VIEW messages_search (seq, body, peer) AS
        SELECT seq, ${searchBody('messages')}, peer_key FROM messages WHERE ${searchBody('messages')} IS NOT NULL;

      CREATE VIRTUAL TABLE messages_fts USING fts5 (
        body, peer,
        content = 'messages_search', content_rowid = 'seq',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
      );

      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN ${searchBody('new')} IS NOT NULL BEGIN
        INSERT INTO messages_fts (rowid, body, peer) VALUES (new.seq, ${searchBody('new')}, new.peer_key);
      END;

      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN ${searchBody('old')} IS NOT NULL BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body, peer) VALUES ('delete', old.seq, ${searchBody('old')}, old.peer_key);
      END;

      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, kind, payment, peer_key ON messages
        WHEN ${searchBody('old')} IS NOT ${searchBody('new')} OR old.peer_key IS NOT new.peer_key BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body, peer)
          SELECT 'delete', old.seq, ${searchBody('old')}, old.peer_key WHERE ${searchBody('old')} IS NOT NULL;
        INSERT INTO messages_fts (rowid, body, peer)
          SELECT new.seq, ${searchBody('new')}, new.peer_key WHERE ${searchBody('new')} IS NOT NULL;
      END;

      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
    `);
  },
};
