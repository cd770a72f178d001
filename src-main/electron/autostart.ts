/**
 * @module electron/autostart
 * Start at login (so the node keeps sealing while the user is away), as data:
 *
 * - Windows, macOS: `app.setLoginItemSettings({ openAtLogin, args: ['--hidden'] })` (Electron API;
 *   the args are used on Windows; macOS login items start the app bundle as is);
 * - Linux: a desktop entry in `$XDG_CONFIG_HOME/autostart/` (default `~/.config/autostart/`) per the
 *   XDG Autostart Specification 0.5 (a Desktop Entry Specification 1.5 file; removing it turns
 *   autostart off). The AppImage's own path is `$APPIMAGE` (the mounted executable changes every
 *   run), otherwise `process.execPath`.
 *
 * `--hidden` starts in the tray without a window. autostart-glue in tray.ts does the I/O.
 */
import { join } from 'node:path';

export const HIDDEN_FLAG = '--hidden';
export const AUTOSTART_FILE = 'bitunicom.desktop';

export type AutostartPlan =
  | { kind: 'login-item'; settings: { openAtLogin: boolean; args: string[] } }
  | { kind: 'xdg'; file: string; content: string | null }
  | { kind: 'unsupported' };

export function xdgAutostartPath(env: NodeJS.ProcessEnv, home: string): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'autostart', AUTOSTART_FILE);
}

/** Desktop Entry Specification: Exec arguments with spaces or specials are double-quoted, `"`, `` ` ``, `$`, `\` escaped. */
export function execArg(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

export function xdgAutostartEntry(o: { exec: string; args: readonly string[] }): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    'Name=BitUnicom',
    'Comment=Start BitUnicom in the tray at login (keeps sealing while idle)',
    `Exec=${[o.exec, ...o.args, HIDDEN_FLAG].map(execArg).join(' ').replace(/%/g, '%%')}`,
    'Icon=bitunicom',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function autostartPlan(o: {
  platform: NodeJS.Platform;
  enable: boolean;
  env: NodeJS.ProcessEnv;
  home: string;
  execPath: string;
  /** app path and profile args for an unpackaged run (electron . --data …), else []. */
  extraArgs: readonly string[];
}): AutostartPlan {
  if (o.platform === 'win32' || o.platform === 'darwin') return { kind: 'login-item', settings: { openAtLogin: o.enable, args: [...o.extraArgs, HIDDEN_FLAG] } };
  if (o.platform === 'linux' || o.platform === 'freebsd') {
    const exec = o.env.APPIMAGE || o.execPath;
    return { kind: 'xdg', file: xdgAutostartPath(o.env, o.home), content: o.enable ? xdgAutostartEntry({ exec, args: o.extraArgs }) : null };
  }
  return { kind: 'unsupported' };
}

/** Is this entry ours and enabled (`Hidden=true` or X-GNOME-Autostart-enabled=false turn it off)? */
export function xdgEntryEnabled(content: string | null): boolean {
  if (content === null || !/^\[Desktop Entry\]/m.test(content)) return false;
  return !/^Hidden\s*=\s*true\s*$/m.test(content) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(content);
}

export function startHidden(argv: readonly string[]): boolean {
  return argv.includes(HIDDEN_FLAG);
}
