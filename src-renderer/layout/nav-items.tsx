/**
 * @module renderer/layout/nav-items
 * The navigation rail as data: one entry per screen, in rail order (entry n answers
 * Ctrl/⌘+n). Adding a screen is one line here plus its id in nav-store's `ViewId`.
 */
import type { ComponentType } from 'react';
import { unreadTotal, useContactsStore } from '../features/contacts/contacts-store';
import { NodeScreen } from '../features/node/NodeScreen';
import { WalletScreen } from '../features/wallet/WalletScreen';
import { IconApps, IconChat, IconNode, IconWallet } from '../ui/Icons';
import { ChatsScreen } from './ChatsScreen';
import { CallsScreen } from '../features/calls/CallsScreen';
import { IconPhone } from '../features/calls/call-icons';
import { useMissedCallsBadge } from '../features/calls/missed-store';
import { DappsScreen } from '../features/dapps/DappsScreen';
import { usePendingBadge } from '../features/dapps/use-pending-badge';
import type { ViewId } from './nav-store';

export type NavItem = {
  id: ViewId;
  label: string;
  icon: ComponentType<{ size?: number }>;
  screen: ComponentType;
  /** A count shown on the icon (e.g. unread messages); 0 hides it. */
  useBadge?: () => number;
  /** Stays mounted (hidden) once opened, so what runs there keeps running (a dapp). */
  keepAlive?: boolean;
};

const useUnreadBadge = () => useContactsStore((s) => unreadTotal(s.byKey));

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'chats', label: 'Chats', icon: IconChat, screen: ChatsScreen, useBadge: useUnreadBadge },
  { id: 'calls', label: 'Calls', icon: IconPhone, screen: CallsScreen, useBadge: useMissedCallsBadge },
  { id: 'wallet', label: 'Wallet', icon: IconWallet, screen: WalletScreen },
  { id: 'dapps', label: 'DApps', icon: IconApps, screen: DappsScreen, useBadge: usePendingBadge, keepAlive: true },
  { id: 'node', label: 'Node', icon: IconNode, screen: NodeScreen },
];
