/**
 * @module electron/tray-model
 * What the tray icon shows, as data (no 'electron' import): icon file, tooltip, context menu
 * (Open · "3 unread" · Sealing when idle ☑ · Start at login ☑ · Quit) and the badge count
 * (`app.setBadgeCount`: the macOS dock and Unity/KDE launchers). The unread total is the same as
 * the renderer's (`unreadTotal` in contacts-store.ts: friends' `unread` summed), kept from the
 * node's `contact.updated` events. tray.ts turns this into Electron objects.
 */
import { join } from 'node:path';
import type { ContactT, SealingModeT } from '../../src-preload/contract';

export type TrayAction = 'open' | 'toggle-sealing' | 'toggle-autostart' | 'quit';

export type TrayMenuItem =
  | { kind: 'action'; label: string; action: TrayAction; enabled: boolean }
  | { kind: 'checkbox'; label: string; action: TrayAction; checked: boolean; enabled: boolean }
  | { kind: 'separator' };

export type TrayState = {
  unread: number;
  /** null while the node has no sealer (locked, no account, or no POE role). */
  sealingMode: SealingModeT | null;
  /** null where the platform cannot start apps at login. */
  autostart: boolean | null;
};

/** Unread messages per contact address; friends only, as the renderer counts them. */
export class UnreadCounter {
  private readonly byAddress = new Map<string, number>();

  update(c: Pick<ContactT, 'address' | 'state' | 'unread'>): void {
    const key = c.address.toLowerCase();
    if (c.state === 'friend' && c.unread > 0) this.byAddress.set(key, c.unread);
    else this.byAddress.delete(key);
  }

  reset(list: readonly Pick<ContactT, 'address' | 'state' | 'unread'>[]): void {
    this.byAddress.clear();
    for (const c of list) this.update(c);
  }

  get total(): number {
    let n = 0;
    for (const v of this.byAddress.values()) n += v;
    return n;
  }
}

export function unreadLabel(n: number): string {
  if (n <= 0) return 'No unread messages';
  return `${n > 999 ? '999+' : n} unread`;
}

export function trayTooltip(s: Pick<TrayState, 'unread'>): string {
  return s.unread > 0 ? `BitUnicom — ${unreadLabel(s.unread)}` : 'BitUnicom';
}

/** The tray icon: 16 px on macOS's menu bar, 32 px elsewhere (scaled down by the shell as needed). */
export function trayIconPath(appRoot: string, platform: NodeJS.Platform): string {
  const n = platform === 'darwin' ? 16 : 32;
  return join(appRoot, 'resources', 'icons', `${n}x${n}.png`);
}

/** "Sealing when idle" is on unless the mode is 'never'; turning it on picks 'idle' (the default). */
export function nextSealingMode(mode: SealingModeT): SealingModeT {
  return mode === 'never' ? 'idle' : 'never';
}

export function trayMenu(s: TrayState): TrayMenuItem[] {
  const items: TrayMenuItem[] = [
    { kind: 'action', label: 'Open BitUnicom', action: 'open', enabled: true },
    { kind: 'action', label: unreadLabel(s.unread), action: 'open', enabled: s.unread > 0 },
    { kind: 'separator' },
  ];
  if (s.sealingMode !== null) {
    items.push({ kind: 'checkbox', label: s.sealingMode === 'always' ? 'Sealing (always)' : 'Sealing when idle', action: 'toggle-sealing', checked: s.sealingMode !== 'never', enabled: true });
  }
  if (s.autostart !== null) {
    items.push({ kind: 'checkbox', label: 'Start at login (in the tray, to seal)', action: 'toggle-autostart', checked: s.autostart, enabled: true });
  }
  if (s.sealingMode !== null || s.autostart !== null) items.push({ kind: 'separator' });
  items.push({ kind: 'action', label: 'Quit BitUnicom', action: 'quit', enabled: true });
  return items;
}

/** `app.setBadgeCount` value: the unread total, 0 clears it. */
export function badgeCount(s: Pick<TrayState, 'unread'>): number {
  return Math.max(0, Math.floor(s.unread));
}
