/**
 * `bitunicom dapp list|search|info|install|update|uninstall` end to end: a real node served in
 * this process (`serve` over the real core and its embedded devnet, whose genesis lists the
 * sample dapps; the app's resources ship the signed Hello bundle, so it installs without a
 * peer) and the CLI over the loopback bridge: search finds Hello, info shows its listing and
 * bundle, install prints progress and the permissions, list shows it, update says it is up to
 * date, uninstall needs --yes without a terminal, JSON shapes are the bridge's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DappCatalogT, DappDetailT, InstalledDappT } from '../../../src-preload/contract';
import { main } from '../cli';
import type { CliDeps, CliIO } from '../context';

const HELLO = '0x0faed322521b51d70016067b15e618d3fb61f219';
const dir = mkdtempSync(join(tmpdir(), 'bu-dapp-cli-'));
const data = join(dir, 'profile');
let stopServe: (() => Promise<number>) | null = null;

function deps(opts: { signal?: AbortSignal } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: { BITUNICOM_PASSWORD: 'correct horse' },
    stdin: Readable.from([]),
    platform: 'linux',
    home: dir,
    cwd: dir,
  };
  const d: CliDeps = {
    io,
    shutdownSignal: opts.signal,
    loadCore: async () => {
      const core = await import('../../core');
      return {
        generateMnemonic: core.generateMnemonic,
        createNode: (o) => core.createNode({ ...o, scryptN: 2 ** 10, listen: { host: '127.0.0.1', port: 0 }, chain: { ...o.chain, rpcPort: 0, intervalMs: 500 } }),
      };
    },
  };
  return { d, out, err };
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string[] }> {
  const h = deps();
  const code = await main([...argv, '--data', data], h.d);
  return { code, out: h.out.join('\n'), err: h.err };
}

async function json<T>(...argv: string[]): Promise<T> {
  const r = await cli(...argv, '--json');
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.err.join(' | ')}`);
  return JSON.parse(r.out) as T;
}

beforeAll(async () => {
  const ac = new AbortController();
  const h = deps({ signal: ac.signal });
  expect((await cli('init', '--name', 'Dapper')).code).toBe(0);
  const served = main(['serve', '--data', data, '--log-level', 'error'], h.d);
  stopServe = async () => {
    ac.abort();
    return served;
  };
  const end = Date.now() + 60_000;
  while (!h.out.some((l) => l.startsWith('UI: '))) {
    const early = await Promise.race([served, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    if (early !== null) throw new Error(`serve exited (${early}): ${h.err.join(' | ')}`);
    if (Date.now() > end) throw new Error('serve did not start');
  }
  // the registry is read from the devnet once the chain runs
  while ((await json<DappCatalogT>('dapp', 'search', 'hello')).state !== 'ok') {
    if (Date.now() > end) throw new Error('the registry was never read');
    await new Promise((r) => setTimeout(r, 200));
  }
}, 90_000);

afterAll(async () => {
  await stopServe?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('bitunicom dapp (store)', () => {
  it('search and info find the Hello sample by name', async () => {
    const s = await cli('dapp', 'search', 'hel');
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/^NAME +VERSION +CATEGORY +RATING +STATE +APP ID$/m);
    expect(s.out).toMatch(new RegExp(`^Hello +0\\.1\\.0 +tools +— +${HELLO}$`, 'm'));
    const d = await json<DappDetailT>('dapp', 'info', 'hello');
    expect(d).toMatchObject({ appId: HELLO, name: 'Hello', sample: true, installedVersion: null });
    const info = await cli('dapp', 'info', HELLO.toUpperCase().replace('0X', '0x'));
    expect(info.out).toContain(`app id        ${HELLO}`);
    expect(info.out).toMatch(/versions:\n {4}0\.1\.0 +0x[0-9a-f]{64}/);
    const none = await cli('dapp', 'info', 'no such app');
    expect([none.code, none.err.join('\n')]).toEqual([1, expect.stringMatching(/^error: That dapp is not listed in the store\. \(No dapp called "no such app"/)]);
  });

  it('install prints progress and the permissions; list shows it; update says it is current', async () => {
    const r = await cli('dapp', 'install', 'Hello');
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.err).toContain('Verifying the bundle (every chunk, the author signature, the registry listing)…');
    expect(r.out).toMatch(/^Installed Hello 0\.1\.0 \(0x0faed322521b51d70016067b15e618d3fb61f219\)\n {2}permissions: accounts, sign, transact/);
    const list = await json<InstalledDappT[]>('dapp', 'list');
    expect(list.map((d) => [d.name, d.version, d.updateAvailable])).toEqual([['Hello', '0.1.0', null]]);
    expect((await cli('dapp', 'list')).out).toMatch(/^Hello +0\.1\.0 +0x0faed3\S+ +accounts, sign, transact +\d/m);
    const up = await cli('dapp', 'update', 'hello', '--yes');
    expect([up.code, up.out]).toEqual([0, 'Hello 0.1.0 is up to date.']);
  });

  it('uninstall asks for --yes without a terminal, then removes it', async () => {
    const refused = await cli('dapp', 'uninstall', 'hello');
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toMatch(/stdin is not a terminal: add --yes/);
    expect(await json<{ ok: boolean }>('dapp', 'uninstall', 'hello', '--yes')).toEqual({ ok: true, appId: HELLO });
    expect(await json<InstalledDappT[]>('dapp', 'list')).toEqual([]);
    const again = await cli('dapp', 'uninstall', HELLO, '--yes');
    expect([again.code, again.err.join('\n')]).toEqual([1, expect.stringMatching(/^error: That dapp is not installed\./)]);
  });
});
