/**
 * @module store/migrations/0005-call-history
 * The Calls screen's history (issue 11): call records of every conversation paged newest
 * first. Two partial indexes over the call rows only:
 *
 * - `messages_call_history (local_at, id)`: a page is a range scan from the cursor
 *   (`(local_at, id) < (?, ?)`, descending), whatever the number of conversations;
 * - `messages_calls_in (seq)`: incoming calls by arrival order, which the missed-calls badge
 *   counts from the "seen" marker (a seq kept in settings) without reading older rows.
 */
import type { Migration } from './types';

export const m0005CallHistory: Migration = {
  version: 5,
  name: 'call-history',
  up(db) {
    db.exec(`
      CREATE INDEX messages_call_history ON messages (local_at, id) WHERE kind = 'call';
      CREATE INDEX messages_calls_in ON messages (seq) WHERE kind = 'call' AND direction = 'in';
    `);
  },
};
