/**
 * @module renderer/features/dapps/DappCard
 * One listing in the store's grid or list: icon, name, category, stars, and badges for
 * installed / update available / sample. The whole card is one button that opens the detail.
 */
import type { DappSummaryT } from '../../../src-preload/contract';
import { DappIcon } from './DappIcon';
import { showDetail } from './dapps-view';
import { Stars } from './Stars';

export function DappBadges({ d }: { d: Pick<DappSummaryT, 'installedVersion' | 'updateAvailable' | 'sample' | 'reportCount'> }) {
  return (
    <span className="dapp-badges">
      {d.updateAvailable ? (
        <span className="dapp-badge is-update" data-testid="badge-update">
          Update
        </span>
      ) : d.installedVersion ? (
        <span className="dapp-badge is-installed" data-testid="badge-installed">
          Installed
        </span>
      ) : null}
      {d.sample && <span className="dapp-badge">Sample</span>}
      {d.reportCount > 0 && (
        <span className="dapp-badge is-warn" title={`${d.reportCount} reports`}>
          Reported
        </span>
      )}
    </span>
  );
}

export function DappCard({ d }: { d: DappSummaryT }) {
  return (
    <li className="dapp-card-item">
      <button type="button" className="dapp-card" onClick={() => showDetail(d.appId)} data-testid={`dapp-card-${d.appId}`} data-app-id={d.appId} data-focus-id={d.appId}>
        <DappIcon name={d.name} appId={d.appId} icon={d.icon} size="lg" />
        <span className="dapp-card-main">
          <span className="dapp-card-name">{d.name}</span>
          <span className="dapp-card-category">{d.category}</span>
          {d.description && <span className="dapp-card-desc">{d.description}</span>}
          <span className="dapp-card-meta">
            <Stars average={d.rating.average} count={d.rating.count} />
            <DappBadges d={d} />
          </span>
        </span>
      </button>
    </li>
  );
}
