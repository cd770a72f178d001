/**
 * @module renderer/features/dapps/DappsScreen
 * The rail's "DApps" screen (issue 12): the store (Browse and Installed tabs, search,
 * categories, sort, a listing's detail) or, once one is opened, the running dapp in its
 * sandboxed frame; the confirm dialogs of its provider requests; the screen's dialogs; and
 * the hidden frames that clear an uninstalled dapp's storage. Loads on mount and follows
 * `dapps.progress`, `dapps.changed`, `dapps.pending` and provider events while shown.
 */
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import '../../styles/dapps.css';
import { Tabs } from '../../ui/Tabs';
import { BrowseView } from './BrowseView';
import { ClearFrames } from './ClearFrames';
import { followConnections, loadConnections } from './connections-store';
import { DappDetail } from './DappDetail';
import { DappsDialogHost } from './DappsDialogHost';
import { DappsSearch } from './DappsSearch';
import { DappView } from './DappView';
import { followDapps, loadCatalog, loadInstalled, useDappsStore } from './dapps-store';
import type { DappsTab } from './dapps-view';
import { showTab, useDappsView } from './dapps-view';
import { InstalledView } from './InstalledView';
import { followPending } from './pending-store';

function Store() {
  const tab = useDappsView((s) => s.tab);
  const detail = useDappsView((s) => s.detail);
  const installedCount = useDappsStore((s) => s.installed.length);
  const updates = useDappsStore((s) => s.installed.filter((d) => d.updateAvailable).length);
  const tabs: Array<{ key: DappsTab; label: ReactNode; testId: string }> = [
    { key: 'browse', label: 'Browse', testId: 'dapps-tab-browse' },
    {
      key: 'installed',
      label: (
        <>
          Installed{installedCount > 0 ? ` (${installedCount})` : ''}
          {updates > 0 && <span className="dapp-tab-dot" aria-label={`${updates} updates`} />}
        </>
      ),
      testId: 'dapps-tab-installed',
    },
  ];
  return (
    <>
      <header className="screen-header dapps-header">
        <div>
          <h1 className="screen-title">DApps</h1>
          <p className="screen-sub">Apps published on the network, fetched from peers and checked against the author’s signature.</p>
        </div>
        <DappsSearch />
      </header>
      <div className="screen-scroll">
        <div className="screen-inner dapps-inner">
          <Tabs tabs={tabs} active={tab} onChange={showTab} label="Store">
            {detail ? <DappDetail appId={detail} /> : tab === 'browse' ? <BrowseView /> : <InstalledView />}
          </Tabs>
        </div>
      </div>
    </>
  );
}

export function DappsScreen() {
  const running = useDappsView((s) => s.running);

  useEffect(() => {
    const stops = [followDapps(), followPending(), followConnections()];
    void loadCatalog();
    void loadInstalled();
    void loadConnections();
    return () => stops.forEach((stop) => stop());
  }, []);

  return (
    <div className="node-screen dapps-screen" data-testid="dapps-screen" data-running={running ? running.appId : undefined}>
      {running ? <DappView key={running.appId} dapp={running} /> : <Store />}
      <DappsDialogHost />
      <ClearFrames />
    </div>
  );
}
