/**
 * @module renderer/features/dapps/use-pending-badge
 * The DApps rail entry's badge: how many provider requests wait for the user. The rail is
 * mounted for as long as the account is unlocked, so following here means a request left
 * waiting before a reload is counted (and shown again on the DApps screen) from the start.
 */
import { useEffect } from 'react';
import { followPending, usePendingStore } from './pending-store';

export function usePendingBadge(): number {
  useEffect(() => followPending(), []);
  return usePendingStore((s) => s.queue.length);
}
