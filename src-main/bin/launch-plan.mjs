/**
 * @module bin/launch-plan
 * The launcher's decisions as pure functions over plain facts, so a unit test can walk every
 * branch without Electron, a network or a build. `start.mjs` gathers the facts, asks
 * `decideLaunch` for the next step, performs it, updates the facts and asks again.
 *
 *   forced headless ─────────────────────────────────────────────► headless (requested)
 *   no Electron binary ─► fetch once ─► still none ──────────────► headless (download failed)
 *   Electron, no native DB module for its ABI ─► build once ─► fail ► headless (native failed)
 *   Electron + native module ─────────────────────────────────────► electron
 */
import { join } from 'node:path';

export const NOTICES = {
  downloadFailed:
    'Electron is not available on this machine (its download failed), so BitUnicom is starting in headless mode — open the UI link below in your browser.',
  nativeFailed:
    'The database module could not be built for Electron on this machine, so BitUnicom is starting in headless mode — open the UI link below in your browser.',
  requested: 'BitUnicom is starting in headless mode as requested — open the UI link below in your browser.',
};

/** How long the one lazy Electron download may take before we give up. */
export const FETCH_TIMEOUT_MS = 60_000;

/** Flags the launcher consumes itself; everything else is forwarded to the shell. */
export const HEADLESS_FLAG = '--headless';

/**
 * @param {{ forceHeadless?: boolean, electronPresent: boolean, fetchAttempted?: boolean,
 *           nativeReady?: boolean, nativeBuildAttempted?: boolean }} f
 */
export function decideLaunch(f) {
  if (f.forceHeadless) return { action: 'headless', notice: NOTICES.requested };
  if (!f.electronPresent) {
    return f.fetchAttempted ? { action: 'headless', notice: NOTICES.downloadFailed } : { action: 'fetch-electron' };
  }
  if (!f.nativeReady) {
    return f.nativeBuildAttempted ? { action: 'headless', notice: NOTICES.nativeFailed } : { action: 'build-native' };
  }
  return { action: 'electron' };
}

/** Build outputs `npm start` needs; any missing one triggers `electron-vite build`. */
export function requiredOutputs(root) {
  return [
    join(root, 'out', 'main', 'index.js'),
    join(root, 'out', 'main', 'cli.js'),
    join(root, 'out', 'preload', 'index.cjs'),
    join(root, 'out', 'renderer', 'index.html'),
  ];
}

export function needsBuild(root, exists) {
  return requiredOutputs(root).some((p) => !exists(p));
}

/**
 * Where the Electron executable is, mirroring node_modules/electron/index.js: path.txt (written
 * by the package's install script) names the executable inside dist/ (or inside
 * ELECTRON_OVERRIDE_DIST_PATH). null when not installed.
 * @param {{ root: string, env?: Record<string, string | undefined>, readText: (p: string) => string | null, exists: (p: string) => boolean }} a
 */
export function electronExecutable(a) {
  const pkgDir = join(a.root, 'node_modules', 'electron');
  const rel = a.readText(join(pkgDir, 'path.txt'))?.trim();
  if (!rel) return null;
  const override = a.env?.ELECTRON_OVERRIDE_DIST_PATH;
  const exe = override ? join(override, rel) : join(pkgDir, 'dist', rel);
  return a.exists(exe) ? exe : null;
}

function hasFlag(args, name) {
  return args.some((a) => a === name || a.startsWith(`${name}=`));
}

/** Splits the launcher's own flags from the ones it forwards. */
export function parseLauncherArgs(args, env = {}) {
  const forwarded = args.filter((a) => a !== HEADLESS_FLAG);
  const forceHeadless = forwarded.length !== args.length || env.BITUNICOM_HEADLESS === '1';
  return { forceHeadless, forwarded };
}

/** argv for `node <this> …` in headless mode: `serve --data <profile>` unless the user chose a profile. */
export function headlessCommand(root, forwarded, profileDir) {
  const data = hasFlag(forwarded, '--data') ? [] : ['--data', profileDir];
  return [join(root, 'out', 'main', 'cli.js'), 'serve', ...data, ...forwarded];
}

/** argv for the Electron executable: the app directory, then the user's flags. */
export function electronCommand(root, forwarded) {
  return [root, ...forwarded];
}

/** Child env for Electron: ELECTRON_RUN_AS_NODE would turn the GUI into a plain Node process. */
export function electronEnv(env) {
  const out = { ...env };
  delete out.ELECTRON_RUN_AS_NODE;
  return out;
}

/**
 * Signals the launcher relays to its child. In an interactive terminal Ctrl+C already reaches
 * the child (same process group), so relaying SIGINT would deliver it twice.
 */
export function relayedSignals(platform, interactive) {
  if (platform === 'win32') return ['SIGINT', 'SIGTERM'];
  return interactive ? ['SIGTERM', 'SIGHUP'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
}

/** Exit status to mirror a child's: same code, or 128+n for a signal we cannot re-raise. */
export function exitCodeFor(code, signal, signalNumbers = {}) {
  if (typeof code === 'number') return code;
  const n = signal ? signalNumbers[signal] : undefined;
  return typeof n === 'number' ? 128 + n : 1;
}
