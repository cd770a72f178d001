/**
 * @module renderer/layout/MainLayout
 * The unlocked app: the navigation rail | the screen it selects, the dialogs, and the
 * global shortcuts. Only the active screen is mounted (so, e.g., a conversation is not
 * marked read while another screen is shown) — except screens marked `keepAlive` (DApps: a
 * running dapp, say a game with a friend, must not unload when you glance at a chat), which
 * stay mounted but hidden once opened.
 */
import { useEffect, useState } from 'react';
import { CallHost } from '../features/calls/CallHost';
import { PendingHost } from '../features/dapps/PendingHost';
import { DialogHost } from './DialogHost';
import { NAV_ITEMS } from './nav-items';
import { useNavStore } from './nav-store';
import { NavRail } from './NavRail';
import { useShortcuts } from './use-shortcuts';
import { useUnreadTitle } from './use-unread-title';

export function MainLayout() {
  useShortcuts();
  useUnreadTitle();
  const view = useNavStore((s) => s.view);
  const item = NAV_ITEMS.find((i) => i.id === view) ?? NAV_ITEMS[0]!;
  const [kept, setKept] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => {
    if (item.keepAlive && !kept.has(item.id)) setKept(new Set([...kept, item.id]));
  }, [item, kept]);
  return (
    <div className="main-layout" data-testid="main-layout" data-view={item.id}>
      <NavRail />
      {NAV_ITEMS.filter((i) => i.id === item.id || (i.keepAlive && kept.has(i.id))).map((i) => {
        const Screen = i.screen;
        const active = i.id === item.id;
        return (
          <main key={i.id} className="main-view" aria-label={i.label} hidden={!active} style={active ? undefined : { display: 'none' }}>
            <Screen />
          </main>
        );
      })}
      <DialogHost />
      {/* a running dapp's request is answered wherever you are (the DApps screen may be hidden) */}
      <PendingHost />
      <CallHost />
    </div>
  );
}
