import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { readAutostart, startTray, writeAutostart, type AutostartDeps, type TrayDeps } from './tray';
import type { TrayAction } from './tray-model';

function fakes() {
  const log: { tooltip?: string; menu?: MenuItemConstructorOptions[]; badge?: number; icon?: string; click?: () => void; destroyed?: boolean } = {};
  const d: TrayDeps = {
    Tray: class {
      constructor(icon: string) {
        log.icon = icon;
      }
      setToolTip(t: string) {
        log.tooltip = t;
      }
      setContextMenu(m: unknown) {
        log.menu = m as MenuItemConstructorOptions[];
      }
      on(_e: string, fn: () => void) {
        log.click = fn;
        return this;
      }
      destroy() {
        log.destroyed = true;
      }
    } as unknown as TrayDeps['Tray'],
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t as never },
    app: {
      setBadgeCount: (n?: number) => {
        log.badge = n;
        return true;
      },
    },
  };
  return { d, log };
}

describe('tray glue', () => {
  it('renders tooltip, menu and badge, and runs the actions of clicked items', () => {
    const { d, log } = fakes();
    const ran: TrayAction[] = [];
    const t = startTray(d, { iconPath: '/i.png', initial: { unread: 0, sealingMode: 'idle', autostart: false }, run: (a) => ran.push(a), onError: () => undefined });
    expect(log.icon).toBe('/i.png');
    expect(log.tooltip).toBe('BitUnicom');
    expect(log.badge).toBe(0);
    t.update({ unread: 3 });
    expect(log.tooltip).toBe('BitUnicom — 3 unread');
    expect(log.badge).toBe(3);
    const menu = log.menu!;
    expect(menu.map((m) => m.label ?? m.type)).toEqual(['Open BitUnicom', '3 unread', 'separator', 'Sealing when idle', 'Start at login (in the tray, to seal)', 'separator', 'Quit BitUnicom']);
    expect(menu[3]).toMatchObject({ type: 'checkbox', checked: true });
    for (const i of [0, 3, 4, 6]) (menu[i]!.click as () => void)();
    log.click!();
    expect(ran).toEqual(['open', 'toggle-sealing', 'toggle-autostart', 'quit', 'open']);
    t.destroy();
    expect(log.destroyed).toBe(true);
  });
});

describe('start-at-login glue', () => {
  function deps(platform: NodeJS.Platform) {
    const files = new Map<string, string>();
    let login = { openAtLogin: false, args: [] as string[] };
    const d: AutostartDeps = {
      app: {
        getLoginItemSettings: () => ({ openAtLogin: login.openAtLogin }) as never,
        setLoginItemSettings: (s) => {
          login = { openAtLogin: !!s.openAtLogin, args: s.args ?? [] };
        },
      },
      fs: { readFile: (p) => files.get(p) ?? null, writeFile: (p, s) => void files.set(p, s), remove: (p) => void files.delete(p) },
      platform,
      env: {},
      home: '/home/ann',
      execPath: '/opt/BitUnicom/bitunicom',
      extraArgs: [],
    };
    return { d, files, login: () => login };
  }

  it('Linux: writes and removes the XDG autostart entry', () => {
    const { d, files } = deps('linux');
    expect(readAutostart(d)).toBe(false);
    expect(writeAutostart(d, true)).toBe(true);
    expect(files.get('/home/ann/.config/autostart/bitunicom.desktop')).toContain('Exec=/opt/BitUnicom/bitunicom --hidden');
    expect(writeAutostart(d, false)).toBe(false);
    expect(files.size).toBe(0);
  });

  it('Windows/macOS: a login item with --hidden', () => {
    const { d, login } = deps('win32');
    expect(writeAutostart(d, true)).toBe(true);
    expect(login()).toEqual({ openAtLogin: true, args: ['--hidden'] });
    expect(writeAutostart(d, false)).toBe(false);
  });
});
