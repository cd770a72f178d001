/**
 * @module renderer/features/dapps/DappsSearch
 * The store's search box: typing updates the catalog after a short pause (debounced, so each
 * keystroke is not a node call); "/" anywhere on the screen focuses it (unless typing in
 * another field or a dialog is open), Escape clears it.
 */
import { useEffect, useRef, useState } from 'react';
import { IconClose, IconSearch } from '../../ui/Icons';
import { setQuery, useDappsStore } from './dapps-store';

export const DAPPS_SEARCH_ID = 'dapps-search';
const DEBOUNCE_MS = 250;

/** Whether a key press happened while typing somewhere (then "/" is just a character). */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable || /^(?:INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
}

export function DappsSearch() {
  const query = useDappsStore((s) => s.query);
  const [text, setText] = useState(query);
  const input = useRef<HTMLInputElement>(null);
  /** The last query this box sent: any other change came from elsewhere ("Clear search"). */
  const sent = useRef(query);

  useEffect(() => {
    if (text === useDappsStore.getState().query) return;
    const t = window.setTimeout(() => {
      sent.current = text;
      setQuery(text);
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(t);
  }, [text]);

  useEffect(() => {
    if (query === sent.current) return;
    sent.current = query;
    setText(query);
  }, [query]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target) || document.querySelector('dialog[open]')) return;
      if (!input.current || input.current.offsetParent === null) return; // the DApps screen is kept mounted but hidden
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const clear = () => {
    setText('');
    sent.current = '';
    setQuery('');
  };

  return (
    <div className="dapps-search" role="search">
      <IconSearch size={18} />
      <label htmlFor={DAPPS_SEARCH_ID} className="visually-hidden">
        Search dapps
      </label>
      <input
        ref={input}
        id={DAPPS_SEARCH_ID}
        className="dapps-search-input"
        type="search"
        placeholder="Search dapps"
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        value={text}
        aria-keyshortcuts="/"
        data-testid="dapps-search"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text) {
            e.preventDefault();
            e.stopPropagation();
            clear();
          }
        }}
      />
      {text ? (
        <button type="button" className="dapps-search-clear" aria-label="Clear search" title="Clear search (Esc)" onClick={clear}>
          <IconClose size={16} />
        </button>
      ) : (
        <kbd className="dapps-search-key" aria-hidden="true">
          /
        </kbd>
      )}
    </div>
  );
}
