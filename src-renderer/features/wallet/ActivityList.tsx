/**
 * @module renderer/features/wallet/ActivityList
 * The chosen account's transactions on the selected network, newest first: direction and
 * token, signed amount, counterparty, status pill, time, fee, explorer link, and Speed up /
 * Cancel on our own pending transactions (each through a confirmation).
 */
import type { ActivityItemT } from '../../../src-preload/contract';
import { formatListTime, shortAddress } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { Button } from '../../ui/Button';
import { activityStatusLabel, activityStatusTone, activityTitle, counterparty, signedAmount } from './wallet-format';
import { openWalletDialog } from './wallet-dialogs';
import { useWalletStore } from './wallet-store';

function Item({ item, now }: { item: ActivityItemT; now: number }) {
  const other = counterparty(item);
  return (
    <li className="wallet-activity-item" data-testid="activity-item" data-hash={item.hash} data-status={item.status} data-direction={item.direction}>
      <div className="wallet-activity-main">
        <span className="wallet-activity-title">{activityTitle(item)}</span>
        <span className="wallet-activity-sub muted">
          {other ? (
            <>
              {item.direction === 'in' ? 'from ' : 'to '}
              <span className="mono" title={other} data-testid="activity-counterparty">
                {shortAddress(other)}
              </span>
              {' · '}
            </>
          ) : null}
          <time dateTime={new Date(item.at).toISOString()}>{formatListTime(item.at, now)}</time>
          {item.fee && (
            <span data-testid="activity-fee">
              {' · fee '}
              {item.status === 'pending' ? `at most ${item.fee.formatted}` : item.fee.formatted}
            </span>
          )}
          {item.explorerUrl && (
            <>
              {' · '}
              <a href={item.explorerUrl} target="_blank" rel="noreferrer noopener" data-testid="activity-explorer">
                View in explorer
              </a>
            </>
          )}
        </span>
      </div>
      <div className="wallet-activity-side">
        <span className={`wallet-activity-amount dir-${item.direction}`} data-testid="activity-amount">
          {signedAmount(item)}
        </span>
        <span className={`pay-pill pay-pill-${activityStatusTone(item.status)}`} data-testid="activity-status">
          {activityStatusLabel(item.status)}
        </span>
      </div>
      {item.replaceable && (
        <div className="wallet-activity-actions">
          <Button size="sm" onClick={() => openWalletDialog({ kind: 'replace', item, action: 'speed-up' })} data-testid="activity-speed-up">
            Speed up
          </Button>
          <Button size="sm" variant="ghost" onClick={() => openWalletDialog({ kind: 'replace', item, action: 'cancel' })} data-testid="activity-cancel">
            Cancel
          </Button>
        </div>
      )}
    </li>
  );
}

export function ActivityList() {
  const activity = useWalletStore((s) => s.activity);
  const now = useNow(30_000);
  return (
    <section className="node-card" aria-labelledby="wallet-activity-title" data-testid="wallet-activity">
      <h2 id="wallet-activity-title" className="wallet-section-title">
        Activity
      </h2>
      {activity.length === 0 ? (
        <p className="muted" data-testid="activity-empty">
          No transactions on this network yet.
        </p>
      ) : (
        <ul className="wallet-activity">
          {activity.map((i) => (
            <Item key={i.hash} item={i} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
