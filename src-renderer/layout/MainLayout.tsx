/**
 * @module renderer/layout/MainLayout
 * The unlocked app: the navigation rail | the screen it selects, the dialogs, and the
 * global shortcuts. Only the active screen is mounted (so, e.g., a conversation is not
 * marked read while another screen is shown).
 */
import { CallHost } from '../features/calls/CallHost';
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
  const Screen = item.screen;
  return (
    <div className="main-layout" data-testid="main-layout" data-view={item.id}>
      <NavRail />
      <main className="main-view" aria-label={item.label}>
        <Screen />
      </main>
      <DialogHost />
      <CallHost />
    </div>
  );
}
