/**
 * @module electron/app-config
 * Where the Electron shell finds its pieces and its profile, as pure functions of the app
 * root (`app.getAppPath()`, the folder holding package.json) and the command line.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppLocation } from './links';

export function preloadPath(appRoot: string): string {
  return join(appRoot, 'out', 'preload', 'index.cjs');
}

/** The CSP-carrying copy of the UI emitted by electron.vite.config.ts. */
export function rendererHtmlPath(appRoot: string): string {
  return join(appRoot, 'out', 'renderer', 'electron.html');
}

export function iconPath(appRoot: string): string {
  return join(appRoot, 'resources', 'icon.png');
}

/**
 * The UI's location. The electron-vite dev server (ELECTRON_RENDERER_URL) is honoured only
 * for unpackaged runs and only on loopback, so a packaged app cannot be pointed elsewhere.
 */
export function rendererLocation(o: { appRoot: string; isPackaged: boolean; devUrl?: string }): AppLocation {
  if (!o.isPackaged && o.devUrl) {
    try {
      const u = new URL(o.devUrl);
      if (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return { kind: 'dev', url: u.href };
    } catch {
      /* fall through to the built UI */
    }
  }
  return { kind: 'file', url: pathToFileURL(rendererHtmlPath(o.appRoot)).href };
}

/** `--data <dir>` or `--data=<dir>` (same flag as the CLI); relative paths resolve against cwd. */
export function dataDirArg(argv: readonly string[], cwd: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    let v: string | undefined;
    if (a === '--data') v = argv[i + 1];
    else if (a.startsWith('--data=')) v = a.slice('--data='.length);
    else continue;
    if (!v || v.startsWith('--')) return null;
    return isAbsolute(v) ? v : resolve(cwd, v);
  }
  return null;
}
