import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_BUILDER, NO_ELECTRON, decideDist } from './dist.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = '/r/node_modules/electron-builder/cli.js';

describe('npm run dist', () => {
  it('refuses in one sentence without the Electron binary, then without electron-builder', () => {
    expect(decideDist({ root: '/r', electronExe: null, builderCli: cli, nativeReady: true })).toEqual({ action: 'refuse', message: NO_ELECTRON });
    expect(NO_ELECTRON).toBe('Packaging needs the Electron binary, which is not installed here (it downloads on first `npm start` with internet); nothing was built.');
    expect(decideDist({ root: '/r', electronExe: '/r/node_modules/electron/dist/electron', builderCli: null, nativeReady: true })).toEqual({ action: 'refuse', message: NO_BUILDER });
  });

  it('packages for this platform with the Electron already here, building the addon if missing', () => {
    const p = decideDist({ root: '/r', electronExe: '/r/node_modules/electron/dist/electron', builderCli: cli, nativeReady: false });
    expect(p).toEqual({
      action: 'package',
      buildNative: true,
      builderArgs: [cli, '--config', '/r/.config/electron-builder.json', '--publish', 'never', '--config.electronDist=/r/node_modules/electron/dist'],
    });
  });

  it('forwards target flags; another platform downloads its own Electron', () => {
    const p = decideDist({ root: '/r', electronExe: '/r/e', builderCli: cli, nativeReady: true, forwarded: ['--win', 'nsis'] });
    expect(p).toEqual({ action: 'package', buildNative: false, builderArgs: [cli, '--config', '/r/.config/electron-builder.json', '--publish', 'never', '--win', 'nsis'] });
  });

  it.runIf(!existsSync(join(root, 'node_modules', 'electron', 'dist')))('on this machine (no Electron binary) prints the sentence and exits 1', () => {
    const r = spawnSync(process.execPath, [join(root, 'src-main', 'bin', 'dist.mjs')], { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '' } });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(NO_ELECTRON);
    expect(r.stdout).toBe('');
  });
});
