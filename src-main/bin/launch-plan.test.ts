import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  NOTICES,
  decideLaunch,
  electronCommand,
  electronEnv,
  electronExecutable,
  exitCodeFor,
  headlessCommand,
  needsBuild,
  parseLauncherArgs,
  relayedSignals,
  requiredOutputs,
  type LaunchFacts,
  type LaunchStep,
} from './launch-plan.mjs';

/** Runs the launcher's loop the way start.mjs does, with scripted outcomes. */
function simulate(start: LaunchFacts, outcomes: { fetchInstalls: boolean; nativeBuilds: boolean }) {
  const facts = { ...start };
  const steps: string[] = [];
  for (let i = 0; i < 10; i++) {
    const step: LaunchStep = decideLaunch(facts);
    steps.push(step.action);
    if (step.action === 'fetch-electron') {
      facts.fetchAttempted = true;
      facts.electronPresent = outcomes.fetchInstalls;
    } else if (step.action === 'build-native') {
      facts.nativeBuildAttempted = true;
      facts.nativeReady = outcomes.nativeBuilds;
    } else {
      return { steps, final: step };
    }
  }
  throw new Error('the launcher loop did not terminate');
}

describe('decideLaunch', () => {
  it('no Electron and no network (this machine): one fetch, then headless with the one-sentence notice', () => {
    const r = simulate({ electronPresent: false }, { fetchInstalls: false, nativeBuilds: false });
    expect(r.steps).toEqual(['fetch-electron', 'headless']);
    expect(r.final).toEqual({ action: 'headless', notice: NOTICES.downloadFailed });
    expect(NOTICES.downloadFailed).toMatch(/^Electron is not available on this machine \(its download failed\).*headless mode.*browser\.$/);
    expect(NOTICES.downloadFailed.match(/[.!?](\s|$)/g)).toHaveLength(1);
  });

  it('a successful lazy fetch goes on to the native build and Electron', () => {
    const r = simulate({ electronPresent: false }, { fetchInstalls: true, nativeBuilds: true });
    expect(r.steps).toEqual(['fetch-electron', 'build-native', 'electron']);
  });

  it('Electron present with its native module: straight to Electron', () => {
    expect(decideLaunch({ electronPresent: true, nativeReady: true })).toEqual({ action: 'electron' });
  });

  it('a failed native build falls back to headless, once', () => {
    const r = simulate({ electronPresent: true, nativeReady: false }, { fetchInstalls: true, nativeBuilds: false });
    expect(r.steps).toEqual(['build-native', 'headless']);
    expect(r.final).toEqual({ action: 'headless', notice: NOTICES.nativeFailed });
  });

  it('--headless wins over everything and fetches nothing', () => {
    expect(decideLaunch({ forceHeadless: true, electronPresent: false })).toEqual({ action: 'headless', notice: NOTICES.requested });
    expect(decideLaunch({ forceHeadless: true, electronPresent: true, nativeReady: true }).action).toBe('headless');
  });
});

describe('launcher arguments and commands', () => {
  const root = join('/', 'repo');

  it('consumes --headless / BITUNICOM_HEADLESS=1 and forwards the rest', () => {
    expect(parseLauncherArgs(['--headless', '--listen', '0.0.0.0:4000'])).toEqual({ forceHeadless: true, forwarded: ['--listen', '0.0.0.0:4000'] });
    expect(parseLauncherArgs([], { BITUNICOM_HEADLESS: '1' })).toEqual({ forceHeadless: true, forwarded: [] });
    expect(parseLauncherArgs(['--x'], { BITUNICOM_HEADLESS: '0' })).toEqual({ forceHeadless: false, forwarded: ['--x'] });
  });

  it('headless: cli.js serve --data <default profile>, then the forwarded args', () => {
    expect(headlessCommand(root, ['--port', '5000'], '/home/a/.config/BitUnicom')).toEqual([
      join(root, 'out', 'main', 'cli.js'),
      'serve',
      '--data',
      '/home/a/.config/BitUnicom',
      '--port',
      '5000',
    ]);
  });

  it('headless: a user-chosen --data replaces the default', () => {
    expect(headlessCommand(root, ['--data', '/p'], '/d')).toEqual([join(root, 'out', 'main', 'cli.js'), 'serve', '--data', '/p']);
    expect(headlessCommand(root, ['--data=/p'], '/d')).toEqual([join(root, 'out', 'main', 'cli.js'), 'serve', '--data=/p']);
  });

  it('electron: the app directory then the forwarded args, never as plain Node', () => {
    expect(electronCommand(root, ['--data', '/p'])).toEqual([root, '--data', '/p']);
    expect(electronEnv({ ELECTRON_RUN_AS_NODE: '1', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });

  it('builds when any output is missing', () => {
    const outs = requiredOutputs(root);
    expect(outs).toContain(join(root, 'out', 'main', 'cli.js'));
    expect(outs).toContain(join(root, 'out', 'preload', 'index.cjs'));
    expect(needsBuild(root, () => true)).toBe(false);
    expect(needsBuild(root, (p) => p !== outs[2])).toBe(true);
  });
});

describe('electronExecutable', () => {
  const root = join('/', 'repo');
  const pkg = join(root, 'node_modules', 'electron');

  it('is null when path.txt is missing (install script never ran)', () => {
    expect(electronExecutable({ root, readText: () => null, exists: () => true })).toBeNull();
  });

  it('is null when path.txt names a file that is not there', () => {
    expect(electronExecutable({ root, readText: () => 'electron', exists: () => false })).toBeNull();
  });

  it('resolves dist/<path.txt>, or ELECTRON_OVERRIDE_DIST_PATH', () => {
    const seen: string[] = [];
    const exists = (p: string) => (seen.push(p), true);
    expect(electronExecutable({ root, readText: (p) => (p === join(pkg, 'path.txt') ? 'electron\n' : null), exists })).toBe(join(pkg, 'dist', 'electron'));
    expect(electronExecutable({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' }, readText: () => 'electron', exists })).toBe(join('/opt/e', 'electron'));
  });
});

describe('signals and exit codes', () => {
  it('does not double-deliver Ctrl+C in a terminal', () => {
    expect(relayedSignals('linux', true)).toEqual(['SIGTERM', 'SIGHUP']);
    expect(relayedSignals('linux', false)).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
    expect(relayedSignals('win32', true)).toEqual(['SIGINT', 'SIGTERM']);
  });

  it("mirrors the child's exit", () => {
    expect(exitCodeFor(0, null)).toBe(0);
    expect(exitCodeFor(3, null)).toBe(3);
    expect(exitCodeFor(null, 'SIGTERM', { SIGTERM: 15 })).toBe(143);
    expect(exitCodeFor(null, 'SIGWHAT', {})).toBe(1);
  });
});
