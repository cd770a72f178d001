#!/usr/bin/env node
/**
 * @module native/rebuild-electron
 * Builds better-sqlite3-multiple-ciphers for Electron's ABI into
 * `native/build/electron-<version>/better_sqlite3.node` (see binding-path.mjs), leaving the
 * Node-ABI build in node_modules untouched. Run by `src-main/bin/start.mjs` only when the
 * Electron binary exists; by hand: `node native/rebuild-electron.mjs [--force] [--electron-version X]`.
 *
 * How: copy the package's sources (binding.gyp, src/, deps/) to a scratch directory, run
 * `node-gyp rebuild --target=<electron> --dist-url=https://electronjs.org/headers`, which
 * fetches Electron's headers and compiles against them, then keep only the .node file.
 * (Electron docs, "Native Node Modules" → "Manually building for Electron".)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBindingDir, electronBindingPath, normalizeElectronVersion } from './binding-path.mjs';

export const MODULE_NAME = 'better-sqlite3-multiple-ciphers';
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/**
 * npm exports its config to scripts as npm_config_* (and node-gyp honours them). Some of
 * those would silently retarget the build at Node's headers — on this machine ~/.npmrc sets
 * nodedir=/usr — so they are dropped; the build passes its target explicitly instead.
 */
const RETARGETING_KEYS = /^(npm_config_|npm_package_config_node_gyp_)(nodedir|target|target_arch|arch|runtime|disturl|dist_url|build_from_source)$/i;

export function gypEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !RETARGETING_KEYS.test(k)) out[k] = v;
  return out;
}

/** Pure: everything the build will do, so a unit test can assert it. */
export function planRebuild({ root, electronVersion, arch = process.arch, env = process.env, nodeGyp = 'node-gyp.js' }) {
  const version = normalizeElectronVersion(electronVersion);
  const outDir = electronBindingDir(root, version);
  const workDir = join(outDir, 'work');
  return {
    electronVersion: version,
    sourceDir: join(root, 'node_modules', MODULE_NAME),
    workDir,
    builtFile: join(workDir, 'build', 'Release', 'better_sqlite3.node'),
    outFile: electronBindingPath(root, version),
    // `--runtime=electron` is ignored by node-gyp itself (which keys off --target/--dist-url)
    // but read by prebuild-style tools; kept so the intent is explicit in logs.
    args: [nodeGyp, 'rebuild', '--release', '--jobs=max', `--target=${version}`, `--arch=${arch}`, `--dist-url=${ELECTRON_HEADERS_URL}`, '--runtime=electron'],
    env: gypEnv(env),
  };
}

/** node-gyp: a project copy, then the one bundled with npm, then next to the node binary. */
export function findNodeGyp({ root, env = process.env, execPath = process.execPath, exists = existsSync }) {
  const candidates = [];
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    /* not a project dependency */
  }
  if (env.npm_execpath) candidates.push(join(dirname(env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const nodeDir = dirname(execPath);
  candidates.push(join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(nodeDir, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((p) => exists(p)) ?? null;
}

function electronVersionOf(root) {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** Returns the process exit code. */
export function rebuild({ root, electronVersion, force = false, log = console.error }) {
  const nodeGyp = findNodeGyp({ root });
  const plan = planRebuild({ root, electronVersion: electronVersion ?? electronVersionOf(root), nodeGyp: nodeGyp ?? 'node-gyp' });
  if (existsSync(plan.outFile) && !force) {
    log(`native: ${MODULE_NAME} for Electron ${plan.electronVersion} is already built (${relative(root, plan.outFile)}).`);
    return 0;
  }
  if (!nodeGyp) {
    log('native: node-gyp was not found (it ships with npm); cannot build the Electron copy of the database module.');
    return 1;
  }
  if (!existsSync(plan.sourceDir)) {
    log(`native: ${MODULE_NAME} is not installed; run npm install first.`);
    return 1;
  }
  try {
    return compile(root, plan, log);
  } catch (err) {
    rmSync(plan.workDir, { recursive: true, force: true });
    log(`native: the Electron build of ${MODULE_NAME} failed (${err instanceof Error ? err.message : String(err)}).`);
    return 1;
  }
}

function compile(root, plan, log) {
  // realpath: the package may be a symlink (npm link, workspaces); copy what it points at.
  const source = realpathSync(plan.sourceDir);
  rmSync(plan.workDir, { recursive: true, force: true });
  mkdirSync(plan.workDir, { recursive: true });
  // Sources only: never the Node-ABI build output or nested node_modules.
  cpSync(source, plan.workDir, {
    recursive: true,
    filter: (src) => {
      const rel = relative(source, src);
      return !(rel === 'build' || rel.startsWith(`build${sep}`) || rel.split(sep).includes('node_modules'));
    },
  });
  log(`native: building ${MODULE_NAME} for Electron ${plan.electronVersion} (${process.arch}); this needs Electron's headers from ${ELECTRON_HEADERS_URL} and a C++ toolchain…`);
  const r = spawnSync(process.execPath, plan.args, { cwd: plan.workDir, env: plan.env, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(plan.builtFile)) {
    rmSync(plan.workDir, { recursive: true, force: true });
    log(`native: the Electron build of ${MODULE_NAME} failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`}).`);
    return 1;
  }
  copyFileSync(plan.builtFile, plan.outFile);
  rmSync(plan.workDir, { recursive: true, force: true });
  log(`native: wrote ${relative(root, plan.outFile)}`);
  return 0;
}

function parseArgs(argv) {
  const out = { force: false, electronVersion: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') out.force = true;
    else if (a === '--electron-version') out.electronVersion = argv[++i];
    else if (a.startsWith('--electron-version=')) out.electronVersion = a.slice('--electron-version='.length);
    else throw new Error(`unknown argument: ${a}`);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    process.exitCode = rebuild({ root, ...parseArgs(process.argv.slice(2)) });
  } catch (err) {
    console.error(`native: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
