/**
 * @module renderer/features/settings/ConnectedDappsSection
 * Settings → Connected dapps: per dapp, the accounts it may see, its EIP-2255 permissions
 * (with when they were granted) and the friends it may message, each with Revoke
 * (`dapps.revoke`: accounts = wallet_revokePermissions, one friend's channel, or all).
 * Revoking takes effect at once; the dapp is told through `accountsChanged`.
 */
import { useEffect, useState } from 'react';
import type { DappConnectionT } from '../../../src-preload/contract';
import '../../styles/dapps.css';
import { formatFullDate, shortAddress } from '../../lib/format';
import { Avatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';
import { toast } from '../../ui/toast-store';
import { capabilityLabel } from '../dapps/dapp-format';
import { followConnections, loadConnections, revoke, useConnectionsStore } from '../dapps/connections-store';
import type { Revoke } from '../dapps/connections-store';
import { DappIcon } from '../dapps/DappIcon';
import { installedOf, loadInstalled, useDappsStore } from '../dapps/dapps-store';

function ConnectionCard({ c }: { c: DappConnectionT }) {
  const [busy, setBusy] = useState<string | null>(null);
  const icon = useDappsStore((s) => installedOf(c.appId, s.installed)?.icon ?? null);
  const run = async (key: string, r: Revoke, done: string) => {
    setBusy(key);
    try {
      await revoke(r);
      toast.success(done);
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <li className="connection" data-testid={`connected-${c.appId}`}>
      <div className="connection-head">
        <DappIcon name={c.name} appId={c.appId} icon={icon} size="sm" />
        <span className="connection-name">{c.name}</span>
        <Button size="sm" variant="ghost" busy={busy === 'all'} disabled={busy !== null} onClick={() => void run('all', { appId: c.appId, what: 'all' }, `${c.name} is disconnected.`)} data-testid={`revoke-all-${c.appId}`}>
          Disconnect
        </Button>
      </div>
      <dl className="connection-grants">
        <dt>Accounts</dt>
        <dd>
          {c.accounts.length === 0 ? (
            <span className="muted">None</span>
          ) : (
            <div className="connection-line">
              <span className="mono">{c.accounts.map((a) => shortAddress(a)).join(', ')}</span>
              <Button size="sm" busy={busy === 'accounts'} disabled={busy !== null} onClick={() => void run('accounts', { appId: c.appId, what: 'accounts' }, `${c.name} can no longer see your accounts.`)} data-testid={`revoke-accounts-${c.appId}`}>
                Revoke
              </Button>
            </div>
          )}
        </dd>
        <dt>Permissions</dt>
        <dd>
          {c.permissions.length === 0 ? (
            <span className="muted">None</span>
          ) : (
            <ul className="connection-perms">
              {c.permissions.map((p) => (
                <li key={p.parentCapability}>
                  {capabilityLabel(p.parentCapability)} <span className="muted">· since {formatFullDate(p.grantedAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Friends</dt>
        <dd>
          {c.channelFriends.length === 0 ? (
            <span className="muted">None</span>
          ) : (
            <ul className="connection-friends">
              {c.channelFriends.map((f) => (
                <li key={f.address} className="connection-line">
                  <Avatar name={f.name} address={f.address} size="sm" />
                  <span>{f.name || shortAddress(f.address)}</span>
                  <Button
                    size="sm"
                    busy={busy === f.address}
                    disabled={busy !== null}
                    onClick={() => void run(f.address, { appId: c.appId, what: 'channel', friend: f.address }, `${c.name} can no longer message ${f.name || 'that friend'}.`)}
                    data-testid={`revoke-friend-${c.appId}-${f.address}`}
                  >
                    Revoke
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </li>
  );
}

export function ConnectedDappsSection() {
  const list = useConnectionsStore((s) => s.list);
  const status = useConnectionsStore((s) => s.status);
  useEffect(() => {
    const stop = followConnections();
    void loadConnections();
    // For the icons: the installed list may not have been read yet (DApps never opened).
    if (useDappsStore.getState().installedStatus === 'idle') void loadInstalled();
    return stop;
  }, []);
  return (
    <section className="settings-section" aria-labelledby="settings-dapps" data-testid="connected-dapps">
      <h3 id="settings-dapps">Connected dapps</h3>
      {status === 'idle' || (status === 'loading' && list.length === 0) ? (
        <p className="muted node-loading">
          <Spinner size={16} /> Reading connections…
        </p>
      ) : status === 'unavailable' ? (
        <p className="muted">Dapps you connect to your accounts will be listed here once this node offers the dapp store.</p>
      ) : status === 'error' && list.length === 0 ? (
        <p className="muted">The connected dapps could not be read just now. Open Settings again in a moment.</p>
      ) : list.length === 0 ? (
        <p className="muted" data-testid="connected-dapps-empty">
          No dapp can see your accounts or message your friends.
        </p>
      ) : (
        <ul className="connections">
          {list.map((c) => (
            <ConnectionCard key={c.appId} c={c} />
          ))}
        </ul>
      )}
    </section>
  );
}
