/**
 * @module renderer/features/contacts/SearchBox
 * Filters conversations and requests by name or address. Ctrl/Cmd+K focuses it (see
 * layout/use-shortcuts); Escape clears it.
 */
import { shortcutLabel } from '../../lib/browser';
import { IconButton } from '../../ui/Button';
import { IconClose, IconSearch } from '../../ui/Icons';
import { useContactsStore } from './contacts-store';

export const SEARCH_INPUT_ID = 'conversation-search';

export function SearchBox() {
  const query = useContactsStore((s) => s.query);
  const setQuery = useContactsStore((s) => s.setQuery);
  return (
    <div className="search" role="search">
      <IconSearch size={16} className="search-icon" />
      <input
        id={SEARCH_INPUT_ID}
        className="search-input"
        type="search"
        placeholder={`Search  (${shortcutLabel('K')})`}
        aria-label="Search conversations"
        value={query}
        autoComplete="off"
        spellCheck={false}
        data-testid="search-input"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && query) {
            e.preventDefault();
            setQuery('');
          }
        }}
      />
      {query && (
        <IconButton label="Clear search" size="sm" className="search-clear" onClick={() => setQuery('')}>
          <IconClose size={14} />
        </IconButton>
      )}
    </div>
  );
}
