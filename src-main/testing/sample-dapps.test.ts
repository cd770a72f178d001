/**
 * The sample dapps (resources/dapps/tic-tac-toe, shared-todo, poll) through the author's CLI:
 * `bitunicom dapp pack`, `sign` with the public devnet sample key, `verify` against the
 * author key the devnet registry lists; their manifests carry exactly the app ids and author
 * key of the genesis registry (resources/contracts/devnet-samples.mjs); and they stay within
 * the dapp sandbox's rules: no external resources, no inline scripts or handlers, no eval.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../core/base';
import { SAMPLE_AUTHOR_PRIVATE } from '../core/dapps/package/test-support';
import { main } from '../daemon/cli';
import type { CliDeps, CliIO } from '../daemon/context';
// @ts-expect-error — a plain .mjs script without types
import { registryEntry } from '../../resources/contracts/devnet-samples.mjs';

const DAPPS = join(import.meta.dirname, '..', '..', 'resources', 'dapps');
const SAMPLES = [
  { slug: 'tic-tac-toe', name: 'Tic-Tac-Toe', permissions: ['p2p-channel', 'storage'] },
  { slug: 'shared-todo', name: 'Shared To-Do', permissions: ['p2p-channel', 'storage'] },
  { slug: 'poll', name: 'Token Poll', permissions: ['accounts', 'transact', 'storage'] },
];
type Seed = [string, string, string, string, [string, string, string, string, string]];
const seeds = (registryEntry() as { args: [unknown, Seed[]] }).args[1];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-samples-'));
  writeFileSync(join(dir, 'author.key'), `0x${toHex(SAMPLE_AUTHOR_PRIVATE)}\n`, { mode: 0o600 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: {}, stdin: Readable.from([]), platform: 'linux', home: dir, cwd: dir };
  const deps: CliDeps = { io, loadCore: () => Promise.reject(new Error('no node needed')) };
  const code = await main(argv, deps);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sample dapps', () => {
  for (const s of SAMPLES) {
    it(`${s.name}: packs, signs with the devnet sample key and verifies against the registry's author key`, async () => {
      const seed = seeds.find((x) => x[2] === s.name)!;
      expect(seed, `the genesis registry lists ${s.name}`).toBeDefined();
      const [appId, , , , release] = seed;
      const manifest = JSON.parse(readFileSync(join(DAPPS, s.slug, 'manifest.json'), 'utf8')) as { appId: string; author: string; name: string; permissions: string[]; version: string };
      expect([manifest.name, manifest.appId, manifest.author, manifest.version]).toEqual([s.name, appId, release[2], '1.0.0']);
      expect(manifest.permissions).toEqual(s.permissions);

      cpSync(join(DAPPS, s.slug), join(dir, s.slug), { recursive: true });
      const packed = await cli(['dapp', 'pack', s.slug, '-o', `${s.slug}.bud`, '--json']);
      expect(packed.err).toBe('');
      expect(packed.code).toBe(0);
      const p = JSON.parse(packed.out) as { appId: string; contentHash: string; files: number };
      expect(p.appId).toBe(appId);
      expect(p.files).toBe(readdirSync(join(DAPPS, s.slug)).length);
      const signed = await cli(['dapp', 'sign', `${s.slug}.bud`, '--key-file', 'author.key']);
      expect(signed.err).toBe('');
      expect(signed.code).toBe(0);
      const ok = await cli(['dapp', 'verify', `${s.slug}.bud`, '--json', '--author', release[2], '--content-hash', p.contentHash]);
      expect(ok.err).toBe('');
      expect(JSON.parse(ok.out)).toMatchObject({ ok: true, name: s.name, version: '1.0.0', contentHash: p.contentHash });
    });

    it(`${s.name}: keeps to the sandbox (local files only, scripts from files, no eval)`, () => {
      const files = readdirSync(join(DAPPS, s.slug));
      for (const f of files) {
        if (f.endsWith('.svg')) continue; // xmlns names a namespace, nothing is fetched
        // comments may cite specifications by URL; code and markup may not load anything remote
        const text = readFileSync(join(DAPPS, s.slug, f), 'utf8').replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
        expect(text, f).not.toMatch(/\b(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
        expect(text, f).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\.innerHTML\s*=/);
        if (f.endsWith('.html')) {
          for (const m of text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
            expect(m[1], `${f}: scripts come from files`).toMatch(/\ssrc="[a-z-]+\.js"/);
            expect(m[2]!.trim(), `${f}: no inline script`).toBe('');
          }
          expect(text, `${f}: no inline event handlers`).not.toMatch(/\son[a-z]+\s*=/i);
          for (const m of text.matchAll(/\s(?:src|href)="([^"]+)"/g)) expect(files, `${f} refers to ${m[1]}`).toContain(m[1]);
        }
      }
    });
  }
});
