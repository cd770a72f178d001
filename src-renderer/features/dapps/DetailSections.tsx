/**
 * @module renderer/features/dapps/DetailSections
 * The sections of a listing's detail page: screenshots, permissions (each explained in a
 * sentence), information (version, size, files, peers holding it, signature, app id),
 * versions with their dates, and ratings and reports with Rate / Report.
 */
import type { DappDetailT } from '../../../src-preload/contract';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { IconFlag, IconShield, IconStar, IconWarning } from '../../ui/Icons';
import { formatBytes, holdersLabel, permissionSentence, permissionTitle, ratingLabel, reasonLabel, reportsLabel, safeImage, shortId, versionDate } from './dapp-format';
import { useDappsStore } from './dapps-store';
import { openDialog } from './dapps-view';
import { Stars } from './Stars';

export function Screenshots({ d }: { d: DappDetailT }) {
  const shots = (d.bundle?.screenshots ?? []).map(safeImage).filter((s): s is string => !!s);
  if (shots.length === 0) return null;
  return (
    <section className="dapp-section" aria-labelledby="dapp-shots">
      <h2 id="dapp-shots" className="dapp-section-title">
        Screenshots
      </h2>
      <ul className="dapp-shots">
        {shots.map((src, i) => (
          <li key={i}>
            <img src={src} alt={`${d.name} screenshot ${i + 1} of ${shots.length}`} loading="lazy" />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Permissions({ d }: { d: DappDetailT }) {
  const perms = d.bundle?.permissions;
  return (
    <section className="dapp-section" aria-labelledby="dapp-perms" data-testid="dapp-permissions">
      <h2 id="dapp-perms" className="dapp-section-title">
        What it can do
      </h2>
      {!perms ? (
        <p className="muted">Its permissions are known once a peer holding it answers.</p>
      ) : perms.length === 0 ? (
        <p className="muted">It asks for no permissions: it cannot see your accounts, ask for signatures or message your friends.</p>
      ) : (
        <ul className="dapp-perms">
          {perms.map((p) => (
            <li key={p} data-permission={p}>
              <IconShield size={18} />
              <span>
                <strong>{permissionTitle(p)}</strong>
                <span className="muted"> {permissionSentence(p)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Information({ d }: { d: DappDetailT }) {
  const b = d.bundle;
  return (
    <section className="dapp-section" aria-labelledby="dapp-info">
      <h2 id="dapp-info" className="dapp-section-title">
        Information
      </h2>
      <dl className="kv dapp-kv">
        <dt>Version</dt>
        <dd>{d.latestVersion}{d.installedVersion && d.installedVersion !== d.latestVersion ? ` (you have ${d.installedVersion})` : ''}</dd>
        <dt>Size</dt>
        <dd data-testid="dapp-size">{b ? `${formatBytes(b.sizeBytes)} · ${b.files === 1 ? '1 file' : `${b.files} files`}` : 'Known once a peer answers'}</dd>
        <dt>Availability</dt>
        <dd data-testid="dapp-holders">{holdersLabel(d.holders)}</dd>
        {b && (
          <>
            <dt>Signature</dt>
            <dd className={b.signatureValid ? 'ok-text' : 'warn-text'}>
              {b.signatureValid ? 'Signed by the author listed in the registry' : 'The signature does not match the registry’s author: it will not install'}
            </dd>
          </>
        )}
        <dt>App id</dt>
        <dd className="dapp-copyable">
          <span className="mono" title={d.appId}>
            {shortId(d.appId)}
          </span>
          <CopyButton value={d.appId} label="Copy app id" />
        </dd>
      </dl>
    </section>
  );
}

export function Versions({ d }: { d: DappDetailT }) {
  if (d.versions.length === 0) return null;
  const list = [...d.versions].reverse();
  return (
    <section className="dapp-section" aria-labelledby="dapp-versions">
      <h2 id="dapp-versions" className="dapp-section-title">
        Versions
      </h2>
      <ol className="dapp-versions" data-testid="dapp-versions">
        {list.map((v) => (
          <li key={v.contentHash}>
            <span className="dapp-version">{v.version}</span>
            {v.version === d.installedVersion && <span className="dapp-badge is-installed">Installed</span>}
            <span className="muted">{versionDate(v.publishedAt)}</span>
            <span className="mono muted dapp-version-hash" title={v.contentHash}>
              {shortId(v.contentHash)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function Reviews({ d }: { d: DappDetailT }) {
  const sent = useDappsStore((s) => s.sentRatings[d.appId]);
  const mine = sent ?? d.myRating;
  const waiting = sent !== undefined && sent !== d.myRating;
  return (
    <section className="dapp-section" aria-labelledby="dapp-reviews">
      <h2 id="dapp-reviews" className="dapp-section-title">
        Ratings and reports
      </h2>
      <div className="dapp-reviews">
        <div className="dapp-rating-big">
          <span className="dapp-rating-number">{d.rating.average === null ? '–' : d.rating.average.toFixed(1)}</span>
          <Stars average={d.rating.average} size={18} />
          <span className="muted" data-testid="dapp-rating">
            {ratingLabel(d.rating)}
          </span>
          {mine !== null && (
            <span className="muted" data-testid="dapp-my-rating">
              You rated it {mine} of 5{waiting ? ' (counts once its transaction is in a block)' : ''}.
            </span>
          )}
        </div>
        <div className="dapp-reports">
          <p className={d.reportCount > 0 ? 'warn-text' : 'muted'} data-testid="dapp-reports">
            {d.reportCount > 0 && <IconWarning size={16} />} {reportsLabel(d.reportCount)}
          </p>
          {d.reportsByReason.length > 0 && (
            <ul className="dapp-report-reasons">
              {d.reportsByReason.map((r) => (
                <li key={r.reason}>
                  {reasonLabel(r.reason)}: {r.count}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <div className="dapp-review-actions">
        <Button icon={<IconStar size={18} />} onClick={() => openDialog({ kind: 'rate', appId: d.appId, name: d.name, current: mine })} data-testid="dapp-rate">
          {mine === null ? 'Rate' : 'Change rating'}
        </Button>
        <Button variant="ghost" icon={<IconFlag size={18} />} onClick={() => openDialog({ kind: 'report', appId: d.appId, name: d.name })} data-testid="dapp-report">
          Report
        </Button>
      </div>
    </section>
  );
}
