/**
 * @module store/search
 * Full-text search over every conversation (issue 13 item 3) on the FTS5 index of migration
 * 0006 (SQLite FTS5: https://www.sqlite.org/fts5.html).
 *
 * Query building (FTS5 docs §3 "Full-text Query Syntax"): the user's text is never passed to
 * MATCH. It is split into words the way unicode61 splits them (letters, digits and marks;
 * everything else separates), each word becomes a quoted prefix phrase on the body column
 * (`body : "word" *`), and the words are ANDed. A word cannot contain a quote, an operator or
 * a column name, so no FTS5 syntax the user types has any effect. No word → no results.
 *
 * Ranking: bm25 (FTS5 docs §5.1.1; the `peer` column weighs 0), ties broken newest first,
 * over a window of the newest WINDOW matches. Ranking all matches of a frequent word means
 * scoring hundreds of thousands of rows (hundreds of ms on a million messages); scanning the
 * rowid index newest-first stops after WINDOW rows, so a page costs the same whatever the
 * word. Pages walk one window by offset, then continue with the next (older) window; the
 * cursor is opaque (`<window top seq>.<offset>`).
 *
 * Highlighting: `snippet()` (FTS5 docs §5.1.3) marks matches with the private-use characters
 * MARK_OPEN / MARK_CLOSE; the UI turns them into <mark> elements. Nothing from the database
 * is ever treated as HTML.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';
import { addressKey } from './address';

/** Private-use characters around each match in a snippet. */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';
/** Shown where a snippet cuts the text. */
export const ELLIPSIS = '…';
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;
/** The newest matches ranked together (see the module comment). */
export const WINDOW = 1000;
/** Words of a query used (the rest are ignored), and the longest word kept. */
export const MAX_TERMS = 8;
const MAX_TERM = 64;
/** Longest query text accepted. */
export const MAX_QUERY = 1000;
/** Tokens around a match in a snippet. */
const SNIPPET_TOKENS = 16;

export type SearchHit = {
  id: string;
  /** The conversation (EIP-55 address). */
  peer: string;
  seq: number;
  /** When the message arrived or was written here (local_at, ms). */
  at: number;
  direction: 'in' | 'out';
  /** The matched text around the matches, each match between MARK_OPEN and MARK_CLOSE. */
  snippet: string;
};
export type SearchOptions = { limit?: number; peer?: string; before?: string };
export type SearchPage = { hits: SearchHit[]; next: string | null };

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The words of a query as unicode61 would see them (at most MAX_TERMS, each ≤ MAX_TERM characters). */
export function queryTerms(text: string): string[] {
  const words = (text.normalize('NFC').match(WORD) ?? []).map((w) => [...w].slice(0, MAX_TERM).join(''));
  return [...new Set(words)].slice(0, MAX_TERMS);
}

/** The FTS5 MATCH expression for a query, or null if it has no words. `peerKey` is a validated lowercase address. */
export function ftsQuery(text: string, peerKey?: string): string | null {
  const terms = queryTerms(text);
  if (terms.length === 0) return null;
  const body = terms.map((t) => `body : "${t}" *`).join(' AND ');
  return peerKey ? `(${body}) AND peer : "${peerKey}"` : body;
}

type Cursor = { top: number; offset: number };

function parseCursor(c: string | undefined): Cursor {
  if (c === undefined) return { top: Number.MAX_SAFE_INTEGER, offset: 0 };
  const m = typeof c === 'string' ? /^(\d{1,16})\.(\d{1,6})$/.exec(c) : null;
  const top = m ? Number(m[1]) : NaN;
  const offset = m ? Number(m[2]) : NaN;
  if (!Number.isSafeInteger(top) || !Number.isSafeInteger(offset) || offset >= WINDOW) throw new BuError('BAD_INPUT', 'That search cursor is not one this search returned.');
  return { top, offset };
}

type RawHit = { id: string; peer: string; seq: number; local_at: number; direction: 'in' | 'out'; snippet: string | null };

export class SearchRepo {
  private readonly sWindow: Database.Statement<[string, number, number], { seq: number; score: number }>;
  private readonly sHits: Database.Statement<[string, number, number, string], RawHit>;

  // The rowid bounds are CAST: with SQLite 3.53's FTS5 a bare `rowid = ?` next to MATCH was
  // not applied (every match came back; the snippet tests guard this).
  constructor(db: Database.Database) {
    this.sWindow = db.prepare(
      `SELECT rowid AS seq, bm25(messages_fts, 1.0, 0.0) AS score FROM messages_fts
       WHERE messages_fts MATCH ? AND rowid < CAST(? AS INTEGER) ORDER BY rowid DESC LIMIT ?`,
    );
    // One pass over the matches inside [lowest, highest] chosen seq, the FTS table outermost
    // (CROSS JOIN) and the IN list a plain filter (`+rowid`), so MATCH is evaluated once, not
    // once per chosen row; snippet() runs only for the rows that pass (columns come after WHERE).
    this.sHits = db.prepare(
      `SELECT m.id, m.peer, m.seq, m.local_at, m.direction,
              snippet(messages_fts, 0, '${MARK_OPEN}', '${MARK_CLOSE}', '${ELLIPSIS}', ${SNIPPET_TOKENS}) AS snippet
       FROM messages_fts CROSS JOIN messages m ON m.seq = messages_fts.rowid
       WHERE messages_fts MATCH ? AND messages_fts.rowid >= CAST(? AS INTEGER) AND messages_fts.rowid <= CAST(? AS INTEGER)
         AND +messages_fts.rowid IN (SELECT value FROM json_each(?))`,
    );
  }

  /**
   * Messages matching every word of `query` (each as a prefix), best first: bm25, then newest.
   * `peer` limits it to one conversation; `before` is the `next` of the previous page.
   */
  search(query: string, opts: SearchOptions = {}): SearchPage {
    if (typeof query !== 'string') throw new BuError('BAD_INPUT', 'A search query must be text.');
    if (query.length > MAX_QUERY) throw new BuError('BAD_INPUT', `A search query is at most ${MAX_QUERY} characters.`);
    const limit = opts.limit ?? DEFAULT_SEARCH_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) throw new BuError('BAD_INPUT', `limit must be 1 to ${MAX_SEARCH_LIMIT}.`);
    const cursor = parseCursor(opts.before);
    const match = ftsQuery(query, opts.peer === undefined ? undefined : addressKey(opts.peer));
    if (match === null) return { hits: [], next: null };

    let { top, offset } = cursor;
    const hits: SearchHit[] = [];
    let next: string | null = null;
    while (hits.length < limit) {
      const win = this.sWindow.all(match, top, WINDOW);
      win.sort((a, b) => a.score - b.score || b.seq - a.seq);
      const take = win.slice(offset, offset + limit - hits.length);
      if (take.length > 0) {
        const seqs = take.map((w) => w.seq);
        const found = new Map(this.sHits.all(match, Math.min(...seqs), Math.max(...seqs), JSON.stringify(seqs)).map((r) => [r.seq, r]));
        for (const w of take) {
          const r = found.get(w.seq);
          if (r) hits.push({ id: r.id, peer: r.peer, seq: r.seq, at: r.local_at, direction: r.direction, snippet: r.snippet ?? '' });
        }
      }
      offset += take.length;
      if (offset < win.length) {
        next = `${top}.${offset}`;
        break;
      }
      if (win.length < WINDOW) {
        next = null; // the oldest match has been seen
        break;
      }
      top = win.reduce((min, w) => Math.min(min, w.seq), top);
      offset = 0;
      next = `${top}.0`;
    }
    return { hits, next };
  }
}
