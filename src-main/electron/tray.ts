/**
 * @module electron/tray
 * Glue for the tray icon, the badge count and start-at-login. What they show and do is data in
 * tray-model.ts and autostart.ts; this file turns it into Electron objects, which are passed in
 * (types only from 'electron', as security.ts does), so the glue itself runs against fakes in
 * tray.test.ts. On Linux the tray needs a StatusNotifier/AppIndicator host (GNOME: the
 * AppIndicator extension); without one the icon is simply not shown.
 */
import type { App, Menu as MenuT, MenuItemConstructorOptions, Tray as TrayT } from 'electron';
import { autostartPlan, xdgEntryEnabled, type AutostartPlan } from './autostart';
import { badgeCount, trayMenu, trayTooltip, type TrayAction, type TrayMenuItem, type TrayState } from './tray-model';

export type TrayDeps = {
  Tray: new (icon: string) => Pick<TrayT, 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): MenuT };
  app: Pick<App, 'setBadgeCount'>;
};

export function menuTemplate(items: readonly TrayMenuItem[], run: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((i): MenuItemConstructorOptions => {
    if (i.kind === 'separator') return { type: 'separator' };
    if (i.kind === 'checkbox') return { type: 'checkbox', label: i.label, checked: i.checked, enabled: i.enabled, click: () => run(i.action) };
    return { label: i.label, enabled: i.enabled, click: () => run(i.action) };
  });
}

/** Shows the tray icon; `update` re-renders tooltip, menu and badge from the new state. */
export function startTray(d: TrayDeps, o: { iconPath: string; initial: TrayState; run: (a: TrayAction) => void; onError: (e: unknown) => void }) {
  let state = o.initial;
  const tray = new d.Tray(o.iconPath);
  tray.on('click', () => o.run('open'));
  const render = () => {
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(d.Menu.buildFromTemplate(menuTemplate(trayMenu(state), o.run)));
    try {
      d.app.setBadgeCount(badgeCount(state)); // macOS dock, Unity/KDE launchers; a no-op elsewhere
    } catch (e) {
      o.onError(e);
    }
  };
  render();
  return {
    get state(): TrayState {
      return state;
    },
    update(patch: Partial<TrayState>): void {
      const next = { ...state, ...patch };
      if (next.unread === state.unread && next.sealingMode === state.sealingMode && next.autostart === state.autostart) return;
      state = next;
      render();
    },
    destroy(): void {
      tray.destroy();
    },
  };
}

export type AutostartDeps = {
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;
  fs: { readFile(p: string): string | null; writeFile(p: string, data: string): void; remove(p: string): void };
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  execPath: string;
  extraArgs: readonly string[];
};

function plan(d: AutostartDeps, enable: boolean): AutostartPlan {
  return autostartPlan({ platform: d.platform, enable, env: d.env, home: d.home, execPath: d.execPath, extraArgs: d.extraArgs });
}

/** Whether the app starts at login now; null where it cannot. */
export function readAutostart(d: AutostartDeps): boolean | null {
  const p = plan(d, true);
  if (p.kind === 'login-item') return d.app.getLoginItemSettings({ args: p.settings.args }).openAtLogin;
  if (p.kind === 'xdg') return xdgEntryEnabled(d.fs.readFile(p.file));
  return null;
}

export function writeAutostart(d: AutostartDeps, enable: boolean): boolean | null {
  const p = plan(d, enable);
  if (p.kind === 'login-item') d.app.setLoginItemSettings(p.settings);
  else if (p.kind === 'xdg') {
    if (p.content === null) d.fs.remove(p.file);
    else d.fs.writeFile(p.file, p.content);
  }
  return readAutostart(d);
}
