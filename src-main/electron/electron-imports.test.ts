// Only the Electron shell (src-main/electron) and the Electron preload may import 'electron' at
// run time; everything else (core, bridge, daemon, renderer) must run under plain Node.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RUNTIME_IMPORT = /^\s*import\s+(?!type\b)[^'"]*from\s*['"]electron(?:\/[^'"]*)?['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/m;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

describe("runtime imports of 'electron'", () => {
  const files = ['src-main', 'src-preload', 'src-renderer'].flatMap((d) => walk(join(root, d)));
  const importers = files.filter((f) => RUNTIME_IMPORT.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f).split(sep).join('/'));

  it('appear only in src-main/electron and the Electron preload', () => {
    const outside = importers.filter((f) => !f.startsWith('src-main/electron/') && f !== 'src-preload/electron-preload.ts');
    expect(outside).toEqual([]);
    expect(importers).toEqual(expect.arrayContaining(['src-main/electron/main.ts', 'src-preload/electron-preload.ts']));
  });

  it('the pure, unit-tested modules of the shell import it for types only', () => {
    const pure = ['app-config', 'autostart', 'csp', 'links', 'logger', 'notifications', 'permissions', 'protocol-links', 'security', 'tray', 'tray-model', 'window-options'];
    expect(importers.filter((f) => pure.some((m) => f === `src-main/electron/${m}.ts`))).toEqual([]);
  });

  it('the pattern does catch a runtime import and ignores a type-only one', () => {
    expect(RUNTIME_IMPORT.test("import { app } from 'electron';")).toBe(true);
    expect(RUNTIME_IMPORT.test("import type { App } from 'electron';")).toBe(false);
  });
});
