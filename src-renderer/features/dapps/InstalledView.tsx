/**
 * @module renderer/features/dapps/InstalledView
 * The Installed tab: every installed dapp (filtered by the search box) with its version,
 * size, install date and an update badge; Open / Update inline, the row opens its detail.
 */
import { formatFullDate } from '../../lib/format';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { IconApps, IconSearch } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { StoreUnavailable } from './BrowseView';
import { formatBytes } from './dapp-format';
import { DappIcon } from './DappIcon';
import { filterInstalled, setQuery, useDappsStore } from './dapps-store';
import { restoreFocus, showDetail, showTab } from './dapps-view';
import { InstallControls } from './InstallControls';

export function InstalledView() {
  const installed = useDappsStore((s) => s.installed);
  const status = useDappsStore((s) => s.installedStatus);
  const query = useDappsStore((s) => s.query);
  if (status === 'unavailable') return <StoreUnavailable />;
  if (status === 'loading' || status === 'idle')
    return (
      <p className="node-loading muted">
        <Spinner size={16} /> Reading your dapps…
      </p>
    );
  if (status === 'error')
    return (
      <EmptyState icon={<IconApps size={28} />} title="Your dapps could not be read" testId="installed-error">
        The node did not answer just now. They are still installed; try again in a moment.
      </EmptyState>
    );
  if (installed.length === 0)
    return (
      <EmptyState icon={<IconApps size={28} />} title="No dapps installed yet" action={<Button variant="primary" onClick={() => showTab('browse')}>Browse the store</Button>} testId="installed-empty">
        Dapps you install run here, each in its own sandbox, and ask before they see an account or sign anything.
      </EmptyState>
    );
  const rows = filterInstalled(installed, query);
  if (rows.length === 0)
    return (
      <EmptyState icon={<IconSearch size={28} />} title={`No installed dapp matches “${query.trim()}”`} action={<Button onClick={() => setQuery('')}>Clear search</Button>} testId="installed-empty" />
    );
  return (
    <ul className="dapp-installed" aria-label="Installed dapps" data-testid="installed-list" ref={(el) => restoreFocus(el)}>
      {rows.map((d) => (
        <li key={d.appId} className="dapp-installed-row" data-testid={`installed-${d.appId}`}>
          <button type="button" className="dapp-installed-open" onClick={() => showDetail(d.appId)} aria-label={`${d.name}, details`} data-focus-id={d.appId}>
            <DappIcon name={d.name} appId={d.appId} icon={d.icon} size="md" />
            <span className="dapp-installed-main">
              <span className="dapp-card-name">{d.name}</span>
              <span className="muted dapp-installed-sub">
                Version {d.version} · {formatBytes(d.sizeBytes)} · installed {formatFullDate(d.installedAt)}
              </span>
            </span>
            {d.updateAvailable && (
              <span className="dapp-badge is-update" data-testid="badge-update">
                Update to {d.updateAvailable}
              </span>
            )}
          </button>
          <InstallControls appId={d.appId} name={d.name} icon={d.icon} installedVersion={d.version} updateAvailable={!!d.updateAvailable} compact />
        </li>
      ))}
    </ul>
  );
}
