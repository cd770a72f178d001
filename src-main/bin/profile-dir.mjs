/**
 * @module bin/profile-dir
 * The one rule for where a BitUnicom profile lives when no `--data` is given. Shared by the
 * launcher (`start.mjs`), the Electron shell and the headless CLI so all three open the same
 * profile. Plain JS (no build step) because `start.mjs` runs before anything is compiled.
 *
 *   Linux/BSD: $XDG_CONFIG_HOME/BitUnicom, else ~/.config/BitUnicom (XDG Base Directory spec)
 *   Windows:   %APPDATA%\BitUnicom, else <home>\AppData\Roaming\BitUnicom
 *   macOS:     ~/Library/Application Support/BitUnicom
 *
 * These are the same directories Electron's `app.getPath('appData')` returns, so the Electron
 * shell's `userData` and the CLI's profile coincide.
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export const APP_DIR_NAME = 'BitUnicom';

/**
 * @param {{ platform?: string, env?: Record<string, string | undefined>, home?: string }} [opts]
 * @returns {string}
 */
export function defaultProfileDir(opts = {}) {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const home = opts.home ?? homedir();
  if (platform === 'win32') {
    const appData = env.APPDATA && win32.isAbsolute(env.APPDATA) ? env.APPDATA : win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, APP_DIR_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME && posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : posix.join(home, '.config');
  return posix.join(xdg, APP_DIR_NAME);
}
