#!/usr/bin/env node
/**
 * @module bin/dist
 * What `npm run dist` runs: builds the installable packages (.config/electron-builder.json:
 * AppImage + deb, NSIS, dmg) when the Electron binary is installed, and otherwise says in one
 * sentence that it cannot and exits 1 — the Electron binary is what electron-builder wraps, and
 * on an offline machine it is missing (it downloads on the first `npm start` with internet).
 * `decideDist` is the whole decision, pure and unit-tested (dist.test.ts); `main` performs it:
 * electron-vite build → the Electron-ABI SQLCipher addon (native/rebuild-electron.mjs) when it
 * is missing → electron-builder. Extra arguments go to electron-builder (`-- --linux deb`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronExecutable } from './launch-plan.mjs';

export const NO_ELECTRON =
  'Packaging needs the Electron binary, which is not installed here (it downloads on first `npm start` with internet); nothing was built.';
export const NO_BUILDER = 'Packaging needs electron-builder, which is not installed here (run `npm install`); nothing was built.';
export const BUILDER_CONFIG = join('.config', 'electron-builder.json');
const PLATFORM_FLAGS = ['--linux', '-l', '--win', '-w', '--windows', '--mac', '-m', '--macos'];

/**
 * @param {{ root: string, electronExe: string | null, builderCli: string | null, nativeReady: boolean, forwarded?: string[] }} f
 * @returns {{ action: 'refuse', message: string } | { action: 'package', buildNative: boolean, builderArgs: string[] }}
 */
export function decideDist(f) {
  if (!f.electronExe) return { action: 'refuse', message: NO_ELECTRON };
  if (!f.builderCli) return { action: 'refuse', message: NO_BUILDER };
  const forwarded = f.forwarded ?? [];
  const args = [f.builderCli, '--config', join(f.root, BUILDER_CONFIG), '--publish', 'never'];
  // For this machine's own platform, package the Electron that is already here instead of
  // downloading it again (electronDist); other platforms need electron-builder's download.
  if (!forwarded.some((a) => PLATFORM_FLAGS.includes(a))) args.push(`--config.electronDist=${join(f.root, 'node_modules', 'electron', 'dist')}`);
  return { action: 'package', buildNative: !f.nativeReady, builderArgs: [...args, ...forwarded] };
}

function run(root, args) {
  return spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status === 0;
}

async function main() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const readText = (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return null;
    }
  };
  const electronExe = electronExecutable({ root, env: process.env, readText, exists: existsSync });
  const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
  let nativeReady = false;
  let electronVersion = null;
  if (electronExe) {
    const { electronBindingPath } = await import('../../native/binding-path.mjs');
    electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
    nativeReady = existsSync(electronBindingPath(root, electronVersion));
  }
  const plan = decideDist({ root, electronExe, builderCli: existsSync(cli) ? cli : null, nativeReady, forwarded: process.argv.slice(2) });
  if (plan.action === 'refuse') {
    console.error(plan.message);
    process.exit(1);
  }
  if (!run(root, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'])) {
    console.error('The app could not be built (see the errors above); nothing was packaged.');
    process.exit(1);
  }
  if (plan.buildNative) {
    const { rebuild } = await import('../../native/rebuild-electron.mjs');
    if (rebuild({ root, electronVersion }) !== 0) {
      console.error('The database module could not be built for Electron (see above); nothing was packaged.');
      process.exit(1);
    }
  }
  process.exit(run(root, plan.builderArgs) ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
