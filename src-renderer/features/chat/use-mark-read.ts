/**
 * @module renderer/features/chat/use-mark-read
 * Marks a conversation read (`messages.markRead`) while it is on screen and the window is
 * visible and focused: when it opens, when new messages arrive, and when the window comes
 * back into focus. The unread count comes from the node, so a late `contact.updated`
 * simply triggers another (idempotent) call.
 */
import { useEffect } from 'react';
import { useWindowActive } from '../../lib/hooks';
import { markRead } from './chat-actions';

export function useMarkRead(address: string | null, unread: number, enabled: boolean): void {
  const active = useWindowActive();
  useEffect(() => {
    if (!address || !enabled || !active || unread === 0) return;
    // A short delay so a conversation flicked past with Alt+Down is not marked read.
    const t = window.setTimeout(() => void markRead(address), 400);
    return () => window.clearTimeout(t);
  }, [address, unread, active, enabled]);
}
