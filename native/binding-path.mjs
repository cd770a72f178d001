/**
 * @module native/binding-path
 * Where the Electron-ABI copy of better-sqlite3-multiple-ciphers lives. One rule shared by the
 * builder (`rebuild-electron.mjs`), the launcher (`src-main/bin/start.mjs`) and the Electron
 * main process, which passes the path to the core as `nativeBinding`.
 *
 *   native/build/electron-<electron version>/better_sqlite3.node
 *
 * The Node-ABI copy stays where `npm install` put it (node_modules/.../build/Release) and is what
 * the headless CLI and the tests load; the two never overwrite each other.
 */
import { join } from 'node:path';

const VERSION_RE = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** "v41.7.1" → "41.7.1"; throws on anything that is not a plain semver (keeps paths tame). */
export function normalizeElectronVersion(version) {
  const v = String(version ?? '').trim().replace(/^v/, '');
  if (!VERSION_RE.test(v)) throw new Error(`not an Electron version: ${JSON.stringify(version)}`);
  return v;
}

export function electronBindingDir(root, electronVersion) {
  return join(root, 'native', 'build', `electron-${normalizeElectronVersion(electronVersion)}`);
}

export function electronBindingPath(root, electronVersion) {
  return join(electronBindingDir(root, electronVersion), 'better_sqlite3.node');
}
