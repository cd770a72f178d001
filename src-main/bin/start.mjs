#!/usr/bin/env node
/**
 * @module bin/start
 * What `npm start` runs. Builds `out/` if missing, then launches the Electron shell when its
 * binary is installed (fetching it once, lazily, if not) and otherwise the headless shell
 * (`node out/main/cli.js serve`), which prints a loopback UI link to open in a browser.
 * Every decision is made by `launch-plan.mjs` (pure, unit-tested); this file only performs
 * the steps. Extra arguments are forwarded to the shell; its exit code / signal is mirrored.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBindingPath } from '../../native/binding-path.mjs';
import { rebuild } from '../../native/rebuild-electron.mjs';
import {
  FETCH_TIMEOUT_MS,
  decideLaunch,
  electronCommand,
  electronEnv,
  electronExecutable,
  exitCodeFor,
  headlessCommand,
  needsBuild,
  parseLauncherArgs,
  relayedSignals,
} from './launch-plan.mjs';
import { defaultProfileDir } from './profile-dir.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const debug = process.env.BITUNICOM_DEBUG === '1';

function readText(p) {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

function build() {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  return r.status === 0;
}

/** One attempt at the electron package's own download script (skipped at npm install time). */
function fetchElectron() {
  const script = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(script)) return;
  const r = spawnSync(process.execPath, [script], {
    cwd: dirname(script),
    timeout: FETCH_TIMEOUT_MS,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (debug) process.stderr.write(`[start] electron install.js: status=${r.status} signal=${r.signal}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
}

function electronVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** Runs the child with our stdio, relays termination signals, mirrors how it ended. */
function runChild(command, args, env) {
  const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
  const signals = relayedSignals(process.platform, Boolean(process.stdin.isTTY));
  const relays = signals.map((sig) => {
    const relay = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    };
    process.on(sig, relay);
    return [sig, relay];
  });
  child.on('error', (err) => {
    console.error(`Could not start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const [sig, relay] of relays) process.off(sig, relay);
    if (signal && code === null) {
      // Die the same way, so a supervisor sees what the shell saw.
      process.kill(process.pid, signal);
      setTimeout(() => process.exit(exitCodeFor(code, signal, constants.signals)), 200).unref();
      return;
    }
    process.exit(exitCodeFor(code, signal, constants.signals));
  });
}

function main() {
  const { forceHeadless, forwarded } = parseLauncherArgs(process.argv.slice(2), process.env);
  if (needsBuild(root, existsSync)) {
    if (debug) process.stderr.write('[start] out/ is incomplete; running electron-vite build\n');
    if (!build()) {
      console.error('BitUnicom could not be built (see the errors above); fix them and run npm start again.');
      process.exit(1);
    }
  }

  const detect = () => electronExecutable({ root, env: process.env, readText, exists: existsSync });
  const facts = { forceHeadless, electronPresent: detect() !== null, fetchAttempted: false, nativeReady: false, nativeBuildAttempted: false };
  if (facts.electronPresent) facts.nativeReady = existsSync(electronBindingPath(root, electronVersion()));

  for (;;) {
    const step = decideLaunch(facts);
    switch (step.action) {
      case 'fetch-electron':
        facts.fetchAttempted = true;
        fetchElectron();
        facts.electronPresent = detect() !== null;
        if (facts.electronPresent) facts.nativeReady = existsSync(electronBindingPath(root, electronVersion()));
        continue;
      case 'build-native':
        facts.nativeBuildAttempted = true;
        try {
          facts.nativeReady = rebuild({ root, electronVersion: electronVersion() }) === 0;
        } catch (err) {
          console.error(`native: ${err instanceof Error ? err.message : String(err)}`);
        }
        continue;
      case 'electron': {
        const exe = detect();
        if (!exe) throw new Error('Electron vanished while starting');
        runChild(exe, electronCommand(root, forwarded), electronEnv(process.env));
        return;
      }
      case 'headless':
        console.log(step.notice);
        runChild(process.execPath, headlessCommand(root, forwarded, defaultProfileDir()), process.env);
        return;
    }
  }
}

main();
