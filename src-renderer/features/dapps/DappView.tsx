/**
 * @module renderer/features/dapps/DappView
 * A running dapp: a small top bar (icon, name, origin, the connected account, close) over
 * the dapp's page in a sandboxed iframe (HTML Living Standard §7.4 "sandboxing").
 *
 * `sandbox="allow-scripts allow-same-origin allow-forms"` — scripts run and the page keeps
 * *its own* origin (http://<app id>.localhost:<port> or bu-dapp://<app id>, never the UI's;
 * launchProblem refuses anything else), so it has its own storage; no allow-popups,
 * allow-top-navigation or allow-modals, so it cannot open windows, navigate the app away or
 * block it with alert(). `allow=""` grants no powerful feature (camera, microphone,
 * geolocation, …; Permissions Policy) and `referrerPolicy="no-referrer"` leaks no UI URL.
 * The provider host (provider-host) serves this frame while it is mounted.
 */
import { useEffect, useRef, useState } from 'react';
import type { DappLaunchT } from '../../../src-preload/contract';
import { shortAddress } from '../../lib/format';
import { IconButton } from '../../ui/Button';
import { IconClose } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { connectionOf, useConnectionsStore } from './connections-store';
import { DappIcon } from './DappIcon';
import { showRunning } from './dapps-view';
import { providerHost } from './host-instance';

export const DAPP_SANDBOX = 'allow-scripts allow-same-origin allow-forms';

function AccountChip({ appId }: { appId: string }) {
  const accounts = useConnectionsStore((s) => connectionOf(appId, s.list)?.accounts ?? []);
  const first = accounts[0];
  const label = first ? `Connected: ${accounts.join(', ')}` : 'No account is connected to this dapp';
  return (
    <span className={`dapp-chip${first ? ' is-on' : ''}`} title={label} data-testid="dapp-account-chip">
      <span className="dapp-chip-dot" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
      <span aria-hidden="true">{first ? `${shortAddress(first)}${accounts.length > 1 ? ` +${accounts.length - 1}` : ''}` : 'Not connected'}</span>
    </span>
  );
}

export function DappView({ launch }: { launch: DappLaunchT & { icon: string | null } }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    return providerHost().attach({ appId: launch.appId, origin: launch.origin, window: () => frame.current?.contentWindow ?? null });
  }, [launch.appId, launch.origin]);

  return (
    <section className="dapp-view" aria-label={launch.name} data-testid="dapp-view" data-app-id={launch.appId}>
      <header className="dapp-bar">
        <DappIcon name={launch.name} appId={launch.appId} icon={launch.icon} size="sm" />
        <div className="dapp-bar-title">
          <h1 className="dapp-bar-name">{launch.name}</h1>
          <span className="dapp-bar-origin mono" title={launch.origin} data-testid="dapp-origin">
            {launch.origin}
          </span>
        </div>
        <AccountChip appId={launch.appId} />
        <IconButton label={`Close ${launch.name}`} onClick={() => showRunning(null)} data-testid="dapp-close">
          <IconClose size={20} />
        </IconButton>
      </header>
      <div className="dapp-frame-wrap">
        {!loaded && (
          <p className="dapp-frame-loading muted">
            <Spinner size={16} /> Opening {launch.name}…
          </p>
        )}
        <iframe
          ref={frame}
          key={launch.url}
          className="dapp-frame"
          title={launch.name}
          src={launch.url}
          sandbox={DAPP_SANDBOX}
          allow=""
          referrerPolicy="no-referrer"
          data-testid="dapp-frame"
          onLoad={() => setLoaded(true)}
        />
      </div>
    </section>
  );
}
