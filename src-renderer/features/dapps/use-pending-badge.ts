/**
 * @module renderer/features/dapps/use-pending-badge
 * The DApps rail entry's badge: how many provider requests wait for the user. The rail is
 * mounted for exactly as long as the account is unlocked, so this hook also bounds the DApps
 * data's lifetime: following `dapps.pending` from unlock means a request left waiting before
 * a reload is counted (and shown again on the DApps screen) from the start, and leaving the
 * unlocked app (lock, reset) drops everything the DApps stores held — connected accounts,
 * the catalog, the running dapp — as the rest of the UI drops its account data.
 */
import { useEffect } from 'react';
import { useConnectionsStore } from './connections-store';
import { resetDapps } from './dapps-store';
import { resetDappsView } from './dapps-view';
import { followPending, usePendingStore } from './pending-store';

/** Forget every DApps store's content (the account is no longer unlocked). */
export function dropDappsData(): void {
  resetDapps();
  resetDappsView();
  useConnectionsStore.setState({ list: [], status: 'idle' });
}

export function usePendingBadge(): number {
  useEffect(() => {
    const stop = followPending();
    return () => {
      stop();
      dropDappsData();
    };
  }, []);
  return usePendingStore((s) => s.queue.length);
}
