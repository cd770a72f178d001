/**
 * @module contract/search
 * Full-text search over every conversation (issue 13 item 3) on the bridge. The node runs the
 * query on the SQLite FTS5 index of the encrypted store (https://www.sqlite.org/fts5.html):
 * every word of `query` must match (as a word prefix; case and Latin accents ignored), best
 * matches first (bm25, then newest).
 *
 * A snippet is plain text in which each match sits between SEARCH_MARK_OPEN and
 * SEARCH_MARK_CLOSE (two private-use characters); the UI turns those into <mark> elements and
 * never treats any part of a snippet as HTML.
 */
import { z } from 'zod';
import { Address } from './primitives';

export const SEARCH_MARK_OPEN = '\uE000';
export const SEARCH_MARK_CLOSE = '\uE001';
export const MAX_SEARCH_RESULTS = 100;

/** Opaque: the previous page's `next`. */
export const SearchCursor = z.string().regex(/^\d{1,16}\.\d{1,6}$/, 'a search cursor is the `next` of a previous page');

export const SearchResult = z.object({
  /** The message id (32 hex digits) in its conversation. */
  id: z.string(),
  peer: Address,
  /** The friend's current name ('' if the contact is gone). */
  peerName: z.string(),
  /** The message's place in the conversation (open it there: messages.list with beforeSeq = seq + 1). */
  seq: z.number().int(),
  /** When the message was written or arrived here (ms since the epoch). */
  at: z.number(),
  direction: z.enum(['in', 'out']),
  snippet: z.string(),
});

export const SearchPage = z.object({ results: z.array(SearchResult), next: SearchCursor.nullable() });

export const SEARCH_METHODS = {
  /** Messages of every conversation (or of `peer`'s) matching `query`; blank queries find nothing. */
  'messages.search': {
    input: z.strictObject({
      query: z.string().max(1000),
      peer: Address.optional(),
      limit: z.number().int().min(1).max(MAX_SEARCH_RESULTS).optional(),
      before: SearchCursor.optional(),
    }),
    output: SearchPage,
  },
} as const;

export type SearchResultT = z.infer<typeof SearchResult>;
export type SearchPageT = z.infer<typeof SearchPage>;
