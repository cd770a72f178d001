// .config/electron-builder.json (what `npm run dist` packages) asserted as data: targets,
// protocol, icons on disk and in the formats each target needs, files, asar unpacking.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_SCHEME } from './protocol-links';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = JSON.parse(readFileSync(join(root, '.config', 'electron-builder.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder config', () => {
  it('names the app as the shell does (AppUserModelID, app.setName)', () => {
    expect(config.appId).toBe('org.bitunicom.desktop');
    expect(config.productName).toBe('BitUnicom');
    expect(readFileSync(join(root, 'src-main/electron/main.ts'), 'utf8')).toContain(`setAppUserModelId('${config.appId}')`);
  });

  it('builds AppImage + deb, NSIS and dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.linux.category).toBe('Network;InstantMessaging');
  });

  it('registers bitunicom: as a protocol, also in the Linux desktop entry', () => {
    expect(config.protocols).toEqual([{ name: 'BitUnicom invite', schemes: [PROTOCOL_SCHEME] }]);
    expect(config.linux.desktop.entry.MimeType).toBe(`x-scheme-handler/${PROTOCOL_SCHEME};`);
  });

  it('ships the built app, resources, the Electron addon and package.json; the addon outside the asar', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'resources/**', 'native/build/electron-*/better_sqlite3.node', 'package.json']));
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(false); // the Electron-ABI addon is native/rebuild-electron.mjs's job
    expect(pkg.main).toMatch(/^\.\/out\//); // the entry point is inside files
  });

  it('points at icons that exist, in the sizes and formats each target needs', () => {
    const dir = join(root, config.linux.icon);
    for (const n of [16, 32, 48, 64, 128, 256, 512]) expect(pngSize(join(dir, `${n}x${n}.png`))).toEqual([n, n]);

    const ico = readFileSync(join(root, config.win.icon));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]); // ICONDIR: reserved, type icon
    const widths = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i] || 256);
    expect(widths).toContain(256); // NSIS/electron-builder want at least 256×256

    const icns = readFileSync(join(root, config.mac.icon));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let o = 8; o < icns.length; o += icns.readUInt32BE(o + 4)) types.push(icns.subarray(o, o + 4).toString('ascii'));
    expect(types).toEqual(['ic07', 'ic08', 'ic09', 'ic10']);
    expect(existsSync(join(root, config.directories.buildResources))).toBe(true);
  });

  it("passes electron-builder's own schema validation (and the validation does refuse an unknown key)", async () => {
    // app-builder-lib is electron-builder's engine (its dependency); getConfig also resolves `extends`
    const { getConfig, validateConfiguration } = createRequire(import.meta.url)('app-builder-lib/out/util/config/config') as {
      getConfig(dir: string, file: string, opts: null): Promise<Record<string, unknown>>;
      validateConfiguration(c: Record<string, unknown>, log: { isEnabled: boolean; add(k: string, v: unknown): void }): Promise<void>;
    };
    const log = { isEnabled: false, add: () => undefined };
    const loaded = await getConfig(root, join(root, '.config', 'electron-builder.json'), null);
    await expect(validateConfiguration(loaded, log)).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...loaded, bogus: 1 }, log)).rejects.toThrow(/bogus/);
  });
});
