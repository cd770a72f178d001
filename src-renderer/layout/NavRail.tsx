/**
 * @module renderer/layout/NavRail
 * The vertical navigation rail at the window's left edge (as in Signal Desktop): one button
 * per screen from NAV_ITEMS with its icon, label and badge, `aria-current="page"` on the
 * active one; ↑/↓/Home/End move between entries, Ctrl/⌘+n (layout/use-shortcuts) jumps to
 * the n-th. Settings sits at the bottom: it opens a dialog, it is not a screen.
 */
import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { shortcutLabel } from '../lib/browser';
import { IconSettings } from '../ui/Icons';
import { useDialogStore } from './dialog-store';
import { NAV_ITEMS, type NavItem } from './nav-items';
import { railFocusIndex } from './nav-keys';
import { useNavStore } from './nav-store';

function Badge({ item }: { item: NavItem }) {
  const n = item.useBadge?.() ?? 0;
  if (n <= 0) return null;
  return (
    <span className="nav-badge" data-testid={`nav-${item.id}-badge`}>
      {n > 99 ? '99+' : n}
      <span className="visually-hidden"> unread</span>
    </span>
  );
}

export function NavRail() {
  const view = useNavStore((s) => s.view);
  const setView = useNavStore((s) => s.setView);
  const openDialog = useDialogStore((s) => s.open);
  const list = useRef<HTMLUListElement>(null);

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('button.nav-item') ?? [])];
    const current = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const next = railFocusIndex(e.key, current, buttons.length);
    if (next === null) return;
    e.preventDefault();
    buttons[next]?.focus();
  };

  return (
    <nav className="nav-rail" aria-label="Main" data-testid="nav-rail">
      <ul className="nav-list" ref={list} onKeyDown={onKeyDown}>
        {NAV_ITEMS.map((item, i) => {
          const active = item.id === view;
          const Icon = item.icon;
          const keys = shortcutLabel(String(i + 1));
          return (
            <li key={item.id}>
              <button
                type="button"
                className={`nav-item${active ? ' is-active' : ''}`}
                aria-current={active ? 'page' : undefined}
                aria-keyshortcuts={`Control+${i + 1} Meta+${i + 1}`}
                title={`${item.label} (${keys})`}
                data-testid={`nav-${item.id}`}
                onClick={() => setView(item.id)}
              >
                <span className="nav-icon">
                  <Icon size={22} />
                  <Badge item={item} />
                </span>
                <span className="nav-label">{item.label}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <div className="nav-bottom">
        <button type="button" className="nav-item" title="Settings" aria-label="Settings" data-testid="settings-button" onClick={() => openDialog({ kind: 'settings' })}>
          <span className="nav-icon">
            <IconSettings size={22} />
          </span>
        </button>
      </div>
    </nav>
  );
}
