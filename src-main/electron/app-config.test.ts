import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dataDirArg, preloadPath, rendererHtmlPath, rendererLocation } from './app-config';
import { createStderrLogger, formatLogLine, parseLogLevel } from './logger';

const root = join('/', 'opt', 'BitUnicom');

describe('app-config', () => {
  it('points at the build outputs electron.vite.config.ts produces', () => {
    expect(preloadPath(root)).toBe(join(root, 'out', 'preload', 'index.cjs'));
    expect(rendererHtmlPath(root)).toBe(join(root, 'out', 'renderer', 'electron.html'));
  });

  it('uses the built page unless an unpackaged run has a loopback dev server', () => {
    const file = { kind: 'file', url: pathToFileURL(rendererHtmlPath(root)).href };
    expect(rendererLocation({ appRoot: root, isPackaged: false })).toEqual(file);
    expect(rendererLocation({ appRoot: root, isPackaged: false, devUrl: 'http://localhost:5173' })).toEqual({ kind: 'dev', url: 'http://localhost:5173/' });
    expect(rendererLocation({ appRoot: root, isPackaged: true, devUrl: 'http://localhost:5173' })).toEqual(file);
    expect(rendererLocation({ appRoot: root, isPackaged: false, devUrl: 'http://evil.example:5173' })).toEqual(file);
    expect(rendererLocation({ appRoot: root, isPackaged: false, devUrl: 'https://localhost:5173' })).toEqual(file);
    expect(rendererLocation({ appRoot: root, isPackaged: false, devUrl: 'nonsense' })).toEqual(file);
  });

  it('reads --data like the CLI does', () => {
    expect(dataDirArg(['electron', '.', '--data', '/p/alice'], '/cwd')).toBe('/p/alice');
    expect(dataDirArg(['electron', '.', '--data=rel/bob'], '/cwd')).toBe(join('/cwd', 'rel', 'bob'));
    expect(dataDirArg(['electron', '.', '--data'], '/cwd')).toBeNull();
    expect(dataDirArg(['electron', '.', '--data', '--other'], '/cwd')).toBeNull();
    expect(dataDirArg(['electron', '.'], '/cwd')).toBeNull();
  });
});

describe('logger', () => {
  it('formats one line and filters by level', () => {
    const lines: string[] = [];
    const log = createStderrLogger('warn', (l) => lines.push(l));
    log.info('hidden');
    log.warn('shown', { a: 1 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT.* WARN shown \{"a":1\}$/);
    expect(formatLogLine('error', 'x', { b: 1n }, new Date(0))).toBe('1970-01-01T00:00:00.000Z ERROR x {"fields":"unserialisable"}');
    expect(parseLogLevel('debug')).toBe('debug');
    expect(parseLogLevel('loud')).toBe('info');
    expect(parseLogLevel(undefined, 'warn')).toBe('warn');
  });
});
