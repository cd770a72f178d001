/**
 * @module electron/window-options
 * The main window's BrowserWindow options as data (a unit test asserts every security flag).
 * Follows the Electron security checklist: context isolation, the OS sandbox, no Node in the
 * renderer, web security on, no insecure content, no <webview>. The page gets exactly one
 * capability: the preload's `window.bitunicom = { invoke, on }`.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export const WINDOW_SIZE = { width: 1120, height: 760, minWidth: 720, minHeight: 520 } as const;

/** Matches the UI's light/dark page background so a resize never flashes white or black. */
export const BACKGROUND = { light: '#ffffff', dark: '#15171c' } as const;

export type WindowOptionsInput = {
  /** Absolute path of the built preload (out/preload/index.cjs). */
  preloadPath: string;
  /** App icon (PNG) for Linux/Windows task bars; macOS uses the bundle icon. */
  iconPath?: string;
  dark?: boolean;
  /** DevTools only for unpackaged development builds. */
  devTools?: boolean;
};

export function windowOptions(o: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'BitUnicom',
    width: WINDOW_SIZE.width,
    height: WINDOW_SIZE.height,
    minWidth: WINDOW_SIZE.minWidth,
    minHeight: WINDOW_SIZE.minHeight,
    show: false, // shown on 'ready-to-show', so the user never sees an unpainted window
    backgroundColor: o.dark ? BACKGROUND.dark : BACKGROUND.light,
    autoHideMenuBar: true,
    ...(o.iconPath ? { icon: o.iconPath } : {}),
    webPreferences: {
      preload: o.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      devTools: o.devTools === true,
    },
  };
}
