/**
 * @module renderer/features/dapps/DappDetail
 * A listing's page: back to the list, the hero (icon, name, category, author address with
 * copy, stars, Install / Open / Update / Uninstall) and the sections below. Loads the detail
 * when shown and keeps what it had while reloading; a failure is said in words with Try again.
 */
import { useEffect, useRef } from 'react';
import { shortAddress } from '../../lib/format';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { EmptyState } from '../../ui/EmptyState';
import { IconArrowLeft, IconWarning } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { ratingLabel } from './dapp-format';
import { DappBadges } from './DappCard';
import { DappIcon } from './DappIcon';
import { loadDetail, useDappsStore } from './dapps-store';
import { showDetail } from './dapps-view';
import { Information, Permissions, Reviews, Screenshots, Versions } from './DetailSections';
import { InstallControls } from './InstallControls';
import { Stars } from './Stars';

export function DappDetail({ appId }: { appId: string }) {
  const d = useDappsStore((s) => s.details[appId]);
  const status = useDappsStore((s) => s.detailStatus[appId] ?? 'idle');
  const error = useDappsStore((s) => s.detailError[appId]);
  const summary = useDappsStore((s) => s.catalog?.apps.find((a) => a.appId === appId));

  const backRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void loadDetail(appId);
    // Keyboard and screen-reader users land on the page they opened, not on the old card.
    backRef.current?.focus();
  }, [appId]);

  const back = (
    <Button variant="ghost" size="sm" icon={<IconArrowLeft size={18} />} onClick={() => showDetail(null)} data-testid="dapp-back" ref={backRef}>
      All dapps
    </Button>
  );

  const description = d ? d.bundle?.description || d.description : null;
  // One tree for every state, so the back button (which takes focus) is never remounted.
  return (
    <article className="dapp-detail" aria-labelledby={d ? 'dapp-detail-name' : undefined} aria-label={d ? undefined : summary?.name ?? 'Dapp'} data-testid={d ? 'dapp-detail' : undefined} data-app-id={appId}>
      {back}
      {!d ? (
        status === 'error' || status === 'unavailable' ? (
          <EmptyState icon={<IconWarning size={28} />} title={summary ? `${summary.name} could not be read` : 'This dapp could not be read'} action={<Button onClick={() => void loadDetail(appId)}>Try again</Button>} testId="dapp-detail-error">
            {error}
          </EmptyState>
        ) : (
          <p className="node-loading muted">
            <Spinner size={16} /> Reading {summary?.name ?? 'the listing'}…
          </p>
        )
      ) : (
        <>
          <header className="dapp-hero">
            <DappIcon name={d.name} appId={d.appId} icon={d.icon ?? d.bundle?.icon ?? null} size="xl" />
            <div className="dapp-hero-main">
              <h1 id="dapp-detail-name" className="dapp-hero-name">
                {d.name}
              </h1>
              <p className="muted">
                <span className="dapp-category">{d.category}</span> · version {d.latestVersion}
              </p>
              <p className="dapp-author">
                <span className="muted">By</span>
                <span className="mono" title={d.author} data-testid="dapp-author">
                  {shortAddress(d.author)}
                </span>
                <CopyButton value={d.author} label="Copy author address" testId="copy-dapp-author" />
              </p>
              <p className="dapp-hero-rating">
                <Stars average={d.rating.average} />
                <span className="muted">{ratingLabel(d.rating)}</span>
                <DappBadges d={d} />
              </p>
            </div>
            <InstallControls appId={d.appId} name={d.name} icon={d.icon} installedVersion={d.installedVersion} updateAvailable={d.updateAvailable} />
          </header>
          {description ? <p className="dapp-description">{description}</p> : <p className="muted">The author gave no description.</p>}
          {!d.bundle && (
            <p className="callout callout-info" role="status">
              <IconWarning size={16} />
              <span>No peer holding this dapp has answered yet, so its size, permissions and screenshots are not known. Installing looks for peers again.</span>
            </p>
          )}
          <Screenshots d={d} />
          <Permissions d={d} />
          <Information d={d} />
          <Versions d={d} />
          <Reviews d={d} />
        </>
      )}
    </article>
  );
}
