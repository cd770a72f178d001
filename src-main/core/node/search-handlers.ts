/**
 * @module node/search-handlers
 * `messages.search` (issue 13 item 3): the store's full-text search (store/search.ts, SQLite
 * FTS5 https://www.sqlite.org/fts5.html) with each result's friend name. Needs an unlocked
 * account (the store is open only then): LOCKED otherwise.
 */
import type { BridgeHandlers } from '../../../src-preload/contract';
import type { SearchResultT } from '../../../src-preload/contract/search';
import type { NodeCore } from './node';

type SearchHandlers = Pick<BridgeHandlers, 'messages.search'>;

export function searchHandlers(node: NodeCore): SearchHandlers {
  return {
    'messages.search': ({ query, peer, limit, before }) => {
      const store = node.requireRuntime().store;
      const page = store.search(query, { peer, limit, before });
      const names = new Map<string, string>();
      const nameOf = (address: string): string => {
        let n = names.get(address);
        if (n === undefined) names.set(address, (n = store.contacts.get(address)?.name ?? ''));
        return n;
      };
      const results: SearchResultT[] = page.hits.map((h) => ({ ...h, peerName: nameOf(h.peer) }));
      return { results, next: page.next };
    },
  };
}
