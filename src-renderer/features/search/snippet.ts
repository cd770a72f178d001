/**
 * @module features/search/snippet
 * A search snippet (contract/search.ts; SQLite FTS5 snippet(), https://www.sqlite.org/fts5.html
 * §5.1.3) is plain text in which each match sits between SEARCH_MARK_OPEN and
 * SEARCH_MARK_CLOSE. This splits it into text runs for React to render — marked runs inside
 * <mark> — so nothing from the database is ever parsed as HTML. Stray or unbalanced markers
 * (a message that itself contains U+E000/U+E001) never produce an empty or unclosed mark.
 */
import { SEARCH_MARK_CLOSE, SEARCH_MARK_OPEN } from '../../../src-preload/contract/search';

export type SnippetPart = { text: string; mark: boolean };

export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  let run = '';
  const flush = () => {
    if (run === '') return;
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += run;
    else parts.push({ text: run, mark });
    run = '';
  };
  for (const ch of snippet) {
    if (ch === SEARCH_MARK_OPEN || ch === SEARCH_MARK_CLOSE) {
      flush();
      mark = ch === SEARCH_MARK_OPEN;
    } else run += ch;
  }
  flush();
  return parts;
}
