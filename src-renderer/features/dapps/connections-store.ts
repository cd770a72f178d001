/**
 * @module renderer/features/dapps/connections-store
 * Per dapp, the accounts connected to it, its EIP-2255 permissions (wallet_getPermissions'
 * `parentCapability` with when it was granted) and the friends granted a channel
 * (`dapps.connections`), for Settings → Connected dapps and the running dapp's account chip.
 * `dapps.revoke` answers with the connection as it now is, which replaces the old one; a
 * connection left with nothing is dropped from the list.
 */
import { create } from 'zustand';
import type { DappConnectionT } from '../../../src-preload/contract';
import { call, subscribe } from '../../bridge';
import { currentEpoch } from '../../lib/epoch';
import { errorCode } from '../../lib/errors';
import type { LoadStatus } from './dapps-store';

type ConnectionsStore = { list: DappConnectionT[]; status: LoadStatus };

export const useConnectionsStore = create<ConnectionsStore>()(() => ({ list: [], status: 'idle' }));

export function isEmptyConnection(c: DappConnectionT): boolean {
  return c.accounts.length === 0 && c.permissions.length === 0 && c.channelFriends.length === 0;
}

export async function loadConnections(): Promise<void> {
  const epoch = currentEpoch();
  if (useConnectionsStore.getState().status !== 'ready') useConnectionsStore.setState({ status: 'loading' });
  try {
    const list = await call('dapps.connections', {});
    if (epoch === currentEpoch()) useConnectionsStore.setState({ list: list.filter((c) => !isEmptyConnection(c)), status: 'ready' });
  } catch (error) {
    if (epoch === currentEpoch()) useConnectionsStore.setState({ status: errorCode(error) === 'UNKNOWN_METHOD' ? 'unavailable' : 'error' });
  }
}

export type Revoke = { appId: string; what: 'accounts' | 'channel' | 'all'; friend?: string };

export async function revoke(r: Revoke): Promise<DappConnectionT> {
  const input = r.friend ? { appId: r.appId, what: r.what, friend: r.friend } : { appId: r.appId, what: r.what };
  const next = await call('dapps.revoke', input);
  useConnectionsStore.setState((s) => ({
    list: s.list.flatMap((c) => (c.appId !== next.appId ? [c] : isEmptyConnection(next) ? [] : [next])),
  }));
  return next;
}

export function connectionOf(appId: string, list: DappConnectionT[]): DappConnectionT | null {
  return list.find((c) => c.appId === appId) ?? null;
}

/** Reload on `dapps.changed` (connections) and on accountsChanged events; returns the unsubscribe. */
export function followConnections(): () => void {
  const offChanged = subscribe('dapps.changed', (c) => {
    if (c.kind === 'connections' || c.kind === 'installed') void loadConnections();
  });
  const offEvents = subscribe('dapps.providerEvent', (e) => {
    if (e.event === 'accountsChanged') void loadConnections();
  });
  return () => {
    offChanged();
    offEvents();
  };
}
