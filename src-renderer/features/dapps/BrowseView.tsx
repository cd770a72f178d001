/**
 * @module renderer/features/dapps/BrowseView
 * The Browse tab: category chips (with counts), sort, grid or list, and the catalog — or,
 * in words, why there is nothing to show: still reading, no store on this node, the node's
 * error (with Try again), no match for the search, an empty category, an empty store.
 */
import type { ReactNode } from 'react';
import { Button, IconButton } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { IconApps, IconList, IconSearch, IconWarning } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { catalogNotice } from './dapp-format';
import { DappCard } from './DappCard';
import type { Sort } from './dapps-store';
import { loadCatalog, setCategory, setQuery, setSort, useDappsStore } from './dapps-store';
import { restoreFocus, setLayout, useDappsView } from './dapps-view';

const SORTS: Array<{ key: Sort; label: string }> = [
  { key: 'rating', label: 'Top rated' },
  { key: 'recent', label: 'Recently updated' },
  { key: 'name', label: 'Name' },
];

const NO_CATEGORIES: Array<{ name: string; count: number }> = [];

function Toolbar() {
  // A selector must return a stable value (zustand re-renders on every new reference).
  const categories = useDappsStore((s) => s.catalog?.categories ?? NO_CATEGORIES);
  const category = useDappsStore((s) => s.category);
  const sort = useDappsStore((s) => s.sort);
  const layout = useDappsView((s) => s.layout);
  const chip = (key: string | null, label: ReactNode) => (
    <button type="button" key={key ?? '*'} className={`chip${category === key ? ' is-on' : ''}`} aria-pressed={category === key} onClick={() => setCategory(key)} data-testid={`dapps-category-${key ?? 'all'}`}>
      {label}
    </button>
  );
  return (
    <div className="dapps-toolbar">
      <div className="chips" role="group" aria-label="Categories">
        {chip(null, 'All')}
        {categories.map((c) =>
          chip(
            c.name,
            <>
              {c.name} <span className="chip-count">{c.count}</span>
            </>,
          ),
        )}
      </div>
      <div className="dapps-toolbar-end">
        <label className="dapps-sort">
          <span className="visually-hidden">Sort by</span>
          <select className="input dapps-select" value={sort} onChange={(e) => setSort(e.target.value as Sort)} data-testid="dapps-sort">
            {SORTS.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <div className="dapps-layout" role="group" aria-label="Layout">
          <IconButton label="Grid" size="sm" aria-pressed={layout === 'grid'} onClick={() => setLayout('grid')}>
            <IconApps size={18} />
          </IconButton>
          <IconButton label="List" size="sm" aria-pressed={layout === 'list'} onClick={() => setLayout('list')}>
            <IconList size={18} />
          </IconButton>
        </div>
      </div>
    </div>
  );
}

function Empty() {
  const query = useDappsStore((s) => s.query);
  const category = useDappsStore((s) => s.category);
  if (query.trim())
    return (
      <EmptyState icon={<IconSearch size={28} />} title={`No dapps match “${query.trim()}”`} action={<Button onClick={() => setQuery('')}>Clear search</Button>} testId="dapps-empty">
        Try another word, or look in all categories.
      </EmptyState>
    );
  if (category)
    return (
      <EmptyState icon={<IconApps size={28} />} title={`Nothing in ${category} yet`} action={<Button onClick={() => setCategory(null)}>Show all</Button>} testId="dapps-empty">
        No dapp in this category is listed on this network.
      </EmptyState>
    );
  return (
    <EmptyState icon={<IconApps size={28} />} title="The store is empty" testId="dapps-empty">
      No dapp has been published to the registry on this network yet.
    </EmptyState>
  );
}

export function BrowseView() {
  const status = useDappsStore((s) => s.catalogStatus);
  const catalog = useDappsStore((s) => s.catalog);
  const error = useDappsStore((s) => s.catalogError);
  const layout = useDappsView((s) => s.layout);

  if (status === 'unavailable') return <StoreUnavailable />;
  if (!catalog) {
    if (status === 'error')
      return (
        <EmptyState icon={<IconWarning size={28} />} title="The store could not be read" action={<Button onClick={() => void loadCatalog()}>Try again</Button>} testId="dapps-error">
          {error}
        </EmptyState>
      );
    return (
      <p className="node-loading muted" data-testid="dapps-loading">
        <Spinner size={16} /> Reading the store…
      </p>
    );
  }
  const notice = catalogNotice(catalog);
  return (
    <>
      <Toolbar />
      {notice && (
        <p className={`callout ${catalog.state === 'unavailable' ? 'callout-warning' : 'callout-info'}`} role="status" data-testid="dapps-notice">
          {catalog.state === 'syncing' ? <Spinner size={14} /> : <IconWarning size={16} />}
          <span>{notice}</span>
        </p>
      )}
      {status === 'error' && error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {catalog.apps.length === 0 ? (
        <Empty />
      ) : (
        <ul className={`dapp-grid is-${layout}`} aria-label="Dapps" data-testid="dapps-grid" aria-busy={status === 'loading' || undefined} ref={(el) => restoreFocus(el)}>
          {catalog.apps.map((d) => (
            <DappCard key={d.appId} d={d} />
          ))}
        </ul>
      )}
    </>
  );
}

export function StoreUnavailable() {
  return (
    <EmptyState icon={<IconApps size={28} />} title="The dapp store is not available" testId="dapps-unavailable">
      This BitUnicom node does not offer the dapp store yet. Once it does, dapps published on the network appear here.
    </EmptyState>
  );
}
