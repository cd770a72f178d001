/**
 * @module renderer/layout/use-shortcuts
 * Global keys in the main window: Ctrl/Cmd+1…n shows the n-th screen of the navigation
 * rail, Ctrl/Cmd+K focuses search, Alt+↑/↓ moves to the previous/next conversation in list
 * order (requests first, as shown); the last two bring the Chats screen forward first.
 * Escape is handled by each dialog, menu and the search box.
 */
import { useEffect } from 'react';
import { conversationList, incomingRequests, outgoingRequests, useContactsStore } from '../features/contacts/contacts-store';
import { SEARCH_INPUT_ID } from '../features/contacts/SearchBox';
import { useChatStore } from '../features/chat/chat-store';
import { openConversation } from '../features/chat/open-conversation';
import { useDialogStore } from './dialog-store';
import { NAV_ITEMS } from './nav-items';
import { railShortcutIndex } from './nav-keys';
import { useNavStore } from './nav-store';

/** Addresses in the order the sidebar shows them. */
export function visibleOrder(): string[] {
  const { byKey, query } = useContactsStore.getState();
  return [...incomingRequests(byKey, query), ...outgoingRequests(byKey, query), ...conversationList(byKey, query)].map((c) => c.address);
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (useDialogStore.getState().dialog || document.querySelector('dialog[open]')) return;
      const rail = railShortcutIndex(e, NAV_ITEMS.length);
      if (rail !== null) {
        e.preventDefault();
        const item = NAV_ITEMS[rail]!;
        useNavStore.getState().setView(item.id);
        // Focus follows to the rail entry, so the user (and a screen reader) knows where they are.
        requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="nav-${item.id}"]`)?.focus());
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        useNavStore.getState().setView('chats');
        // The search box mounts with the Chats screen: wait for it if it is not there yet.
        requestAnimationFrame(() => {
          const input = document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;
          input?.focus();
          input?.select();
        });
        return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        const order = visibleOrder();
        if (order.length === 0) return;
        e.preventDefault();
        const selected = useChatStore.getState().selected?.toLowerCase();
        const i = order.findIndex((a) => a.toLowerCase() === selected);
        const next = i < 0 ? (e.key === 'ArrowDown' ? 0 : order.length - 1) : i + (e.key === 'ArrowDown' ? 1 : -1);
        const address = order[Math.max(0, Math.min(order.length - 1, next))];
        if (address) {
          useNavStore.getState().setView('chats');
          openConversation(address);
          requestAnimationFrame(() => document.querySelector(`[data-address="${address}"]`)?.scrollIntoView({ block: 'nearest' }));
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
