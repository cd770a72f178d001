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
 * Each mount asks `dapps.launch` for a fresh URL (it carries a one-use launch token that the
 * dapp server wants on any navigation not made by the dapp itself); the provider host
 * (provider-host) serves the frame while it is mounted.
 */
import { useEffect, useRef, useState } from 'react';
import type { DappLaunchT } from '../../../src-preload/contract';
import { shortAddress } from '../../lib/format';
import { Button, IconButton } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { IconClose, IconWarning } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { connectionOf, useConnectionsStore } from './connections-store';
import { DappIcon } from './DappIcon';
import { fetchLaunch } from './dapp-actions';
import type { RunningDapp } from './dapps-view';
import { showRunning } from './dapps-view';
import { providerHost } from './host-instance';

export const DAPP_SANDBOX = 'allow-scripts allow-same-origin allow-forms';

const NO_ACCOUNTS: string[] = [];

function AccountChip({ appId }: { appId: string }) {
  // A selector must return a stable value (zustand re-renders on every new reference).
  const accounts = useConnectionsStore((s) => connectionOf(appId, s.list)?.accounts ?? NO_ACCOUNTS);
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

type Launch = { state: 'loading' } | { state: 'ready'; launch: DappLaunchT } | { state: 'failed'; problem: string };

/** The sandboxed frame of one launch, served by the provider host while mounted. */
function DappFrame({ launch, name }: { launch: DappLaunchT; name: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    return providerHost().attach({ appId: launch.appId, origin: launch.origin, window: () => frame.current?.contentWindow ?? null });
  }, [launch.appId, launch.origin]);
  return (
    <div className="dapp-frame-wrap">
      {!loaded && (
        <p className="dapp-frame-loading muted">
          <Spinner size={16} /> Opening {name}…
        </p>
      )}
      <iframe
        ref={frame}
        className="dapp-frame"
        title={name}
        src={launch.url}
        sandbox={DAPP_SANDBOX}
        allow=""
        referrerPolicy="no-referrer"
        data-testid="dapp-frame"
        data-origin={launch.origin}
        onLoad={() => setLoaded(true)}
      />
    </div>
  );
}

export function DappView({ dapp }: { dapp: RunningDapp }) {
  const [launch, setLaunch] = useState<Launch>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setLaunch({ state: 'loading' });
    void fetchLaunch(dapp.appId).then((r) => {
      if (live) setLaunch('launch' in r ? { state: 'ready', launch: r.launch } : { state: 'failed', problem: r.problem });
    });
    return () => {
      live = false;
    };
  }, [dapp.appId, attempt]);

  const origin = launch.state === 'ready' ? launch.launch.origin : null;
  return (
    <section className="dapp-view" aria-label={dapp.name} data-testid="dapp-view" data-app-id={dapp.appId}>
      <header className="dapp-bar">
        <DappIcon name={dapp.name} appId={dapp.appId} icon={dapp.icon} size="sm" />
        <div className="dapp-bar-title">
          <h1 className="dapp-bar-name">{dapp.name}</h1>
          <span className="dapp-bar-origin mono" title={origin ?? undefined} data-testid="dapp-origin">
            {origin ?? '\u00a0'}
          </span>
        </div>
        <AccountChip appId={dapp.appId} />
        <IconButton label={`Close ${dapp.name}`} onClick={() => showRunning(null)} data-testid="dapp-close">
          <IconClose size={20} />
        </IconButton>
      </header>
      {launch.state === 'ready' ? (
        <DappFrame key={launch.launch.url} launch={launch.launch} name={dapp.name} />
      ) : launch.state === 'failed' ? (
        <EmptyState
          icon={<IconWarning size={28} />}
          title={`${dapp.name} could not be opened`}
          action={<Button onClick={() => setAttempt((n) => n + 1)}>Try again</Button>}
          testId="dapp-launch-error"
        >
          {launch.problem}
        </EmptyState>
      ) : (
        <p className="node-loading muted dapp-frame-loading">
          <Spinner size={16} /> Opening {dapp.name}…
        </p>
      )}
    </section>
  );
}
