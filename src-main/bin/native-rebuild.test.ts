// The Electron-ABI build plan of native/rebuild-electron.mjs (the build itself needs Electron's
// headers from the network and cannot run in CI here).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { electronBindingPath, normalizeElectronVersion } from '../../native/binding-path.mjs';
import { ELECTRON_HEADERS_URL, findNodeGyp, gypEnv, planRebuild } from '../../native/rebuild-electron.mjs';

const root = join('/', 'repo');

describe('electron binding path', () => {
  it('is native/build/electron-<version>/better_sqlite3.node', () => {
    expect(electronBindingPath(root, 'v41.7.1')).toBe(join(root, 'native', 'build', 'electron-41.7.1', 'better_sqlite3.node'));
  });

  it('refuses anything that is not a version (no path tricks)', () => {
    for (const bad of ['', '../../etc', '41', '41.7', '41.7.1/../../x', 'latest']) expect(() => normalizeElectronVersion(bad)).toThrow();
    expect(normalizeElectronVersion('42.0.0-beta.3')).toBe('42.0.0-beta.3');
  });
});

describe('planRebuild', () => {
  const plan = planRebuild({
    root,
    electronVersion: '41.7.1',
    arch: 'x64',
    nodeGyp: '/npm/node-gyp.js',
    env: { PATH: '/bin', npm_config_nodedir: '/usr', npm_config_target: '20.0.0', npm_config_runtime: 'node', npm_config_proxy: 'http://p:3128', NPM_CONFIG_DISTURL: 'x' },
  });

  it('targets Electron headers explicitly', () => {
    expect(plan.args).toEqual([
      '/npm/node-gyp.js',
      'rebuild',
      '--release',
      '--jobs=max',
      '--target=41.7.1',
      '--arch=x64',
      `--dist-url=${ELECTRON_HEADERS_URL}`,
      '--runtime=electron',
    ]);
  });

  it("drops npm config that would retarget the build at Node's headers, keeps the rest", () => {
    expect(plan.env).toEqual({ PATH: '/bin', npm_config_proxy: 'http://p:3128' });
    expect(gypEnv({ npm_package_config_node_gyp_nodedir: '/usr', HOME: '/h' })).toEqual({ HOME: '/h' });
  });

  it('builds in a scratch copy and writes only the shared binding path', () => {
    expect(plan.sourceDir).toBe(join(root, 'node_modules', 'better-sqlite3-multiple-ciphers'));
    expect(plan.workDir.startsWith(join(root, 'native', 'build', 'electron-41.7.1'))).toBe(true);
    expect(plan.outFile).toBe(electronBindingPath(root, '41.7.1'));
  });
});

describe('findNodeGyp', () => {
  it("prefers npm's bundled node-gyp when the project has none", () => {
    const npmGyp = join('/usr/lib/node_modules/npm/bin', '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const found = findNodeGyp({ root: '/nowhere', env: { npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' }, execPath: '/x/bin/node', exists: (p) => p === npmGyp });
    expect(found).toBe(npmGyp);
    expect(findNodeGyp({ root: '/nowhere', env: {}, execPath: '/x/bin/node', exists: () => false })).toBeNull();
  });
});
