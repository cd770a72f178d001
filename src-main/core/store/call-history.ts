/**
 * @module store/call-history
 * Call records across every conversation (the Calls screen and `bitunicom calls history`):
 * pages newest first with a cursor, and the missed-calls badge with its "seen" marker.
 *
 * A page is ordered by (local_at, id) descending — the time the call was recorded, then the
 * message id so that two calls recorded in the same millisecond still have one order — and
 * continues strictly below the cursor `{ at, id }` of its last row, read through the partial
 * index `messages_call_history` (migration 0005).
 *
 * The badge counts incoming calls whose outcome is one of the caller's "missed" outcomes and
 * that were recorded after the marker: the highest incoming-call seq at the last `markSeen`,
 * kept in settings (`calls.missedSeenSeq`), so it survives reloads and restarts. A seq rather
 * than a time: a call that rang before the screen was opened and is recorded as missed after
 * it still counts (seq grows with every insert, whatever the clocks say).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';
import { MESSAGE_COLUMNS, toRow, type MessageRow, type Raw } from './messages';
import type { SettingsRepo } from './settings';

export type CallCursor = { at: number; id: string };
export type CallPage = { rows: MessageRow[]; next: CallCursor | null };

export const DEFAULT_CALL_PAGE = 50;
export const MAX_CALL_PAGE = 200;
export const MISSED_SEEN_KEY = 'calls.missedSeenSeq';
const MESSAGE_ID = /^[0-9a-f]{32}$/;

function cursorOf(c: CallCursor | undefined): CallCursor | null {
  if (c === undefined) return null;
  if (typeof c !== 'object' || c === null || !Number.isSafeInteger(c.at)) throw new BuError('BAD_INPUT', 'A cursor has an integer time `at`.');
  const id = typeof c.id === 'string' ? c.id.toLowerCase() : '';
  if (!MESSAGE_ID.test(id)) throw new BuError('BAD_INPUT', 'A cursor id is a message id (16 bytes of hex).');
  return { at: c.at, id };
}

function outcomesJson(outcomes: readonly string[]): string {
  if (!Array.isArray(outcomes) || outcomes.some((o) => typeof o !== 'string')) throw new BuError('BAD_INPUT', 'Outcomes are a list of names.');
  return JSON.stringify(outcomes);
}

export class CallHistoryRepo {
  private readonly sFirst: Database.Statement<[number], Raw>;
  private readonly sAfter: Database.Statement<[number, string, number], Raw>;
  private readonly sMissed: Database.Statement<[number, string], { n: number }>;
  private readonly sLastIn: Database.Statement<[], { seq: number | null }>;

  constructor(
    db: Database.Database,
    private readonly settings: SettingsRepo,
  ) {
    const order = 'ORDER BY local_at DESC, id DESC LIMIT ?';
    this.sFirst = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages INDEXED BY messages_call_history WHERE kind = 'call' ${order}`);
    this.sAfter = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages INDEXED BY messages_call_history WHERE kind = 'call' AND (local_at, id) < (?, ?) ${order}`,
    );
    this.sMissed = db.prepare(
      `SELECT count(*) AS n FROM messages INDEXED BY messages_calls_in
       WHERE kind = 'call' AND direction = 'in' AND seq > ? AND json_extract(call, '$.outcome') IN (SELECT value FROM json_each(?))`,
    );
    this.sLastIn = db.prepare(`SELECT max(seq) AS seq FROM messages INDEXED BY messages_calls_in WHERE kind = 'call' AND direction = 'in'`);
  }

  /** Up to `limit` (default 50, at most 200) call records older than `before`, newest first; `next` continues after the last. */
  page(opts: { before?: CallCursor; limit?: number } = {}): CallPage {
    const before = cursorOf(opts.before);
    const limit = opts.limit ?? DEFAULT_CALL_PAGE;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_CALL_PAGE) throw new BuError('BAD_INPUT', `limit must be an integer from 1 to ${MAX_CALL_PAGE}.`);
    // One row more than asked tells whether there is a next page.
    const raw = before ? this.sAfter.all(before.at, before.id, limit + 1) : this.sFirst.all(limit + 1);
    const rows = raw.slice(0, limit).map(toRow);
    const last = rows[rows.length - 1];
    return { rows, next: raw.length > limit && last ? { at: last.localAt, id: last.id } : null };
  }

  /** The seen marker: the highest incoming-call seq when the history was last marked seen (0: never). */
  seenSeq(): number {
    const v = Number(this.settings.get(MISSED_SEEN_KEY) ?? 0);
    return Number.isSafeInteger(v) && v > 0 ? v : 0;
  }

  /** Incoming calls with one of `outcomes` recorded after the seen marker. */
  missed(outcomes: readonly string[]): number {
    return this.sMissed.get(this.seenSeq(), outcomesJson(outcomes))!.n;
  }

  /** Every incoming call recorded so far counts as seen; returns the new marker. */
  markSeen(): number {
    const seq = Math.max(this.sLastIn.get()?.seq ?? 0, this.seenSeq());
    this.settings.set(MISSED_SEEN_KEY, String(seq));
    return seq;
  }
}
