import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../base';
import { generatePrivateKey } from '../../crypto';
import { isPackageError } from './errors';
import { appIdHex, checkManifest, compareSemver, hostSupports, parseManifest, parseSemver, type DappManifestT } from './manifest';
import { GENESIS_FILE, HELLO_DIR, manifestFor, SAMPLE_AUTHOR_PRIVATE } from './test-support';

const base = manifestFor(SAMPLE_AUTHOR_PRIVATE);

/** The MANIFEST_INVALID message for a manifest with `over` applied. */
function refusal(over: Record<string, unknown>, drop: string[] = []): string {
  const m: Record<string, unknown> = { ...base, ...over };
  for (const k of drop) delete m[k];
  try {
    checkManifest(m);
  } catch (e) {
    expect(isPackageError(e, 'MANIFEST_INVALID')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('the manifest was accepted');
}

describe('manifest', () => {
  it('accepts the sample hello manifest, whose app id is the devnet registry’s “Hello” seed', () => {
    const m = parseManifest(readFileSync(`${HELLO_DIR}/manifest.json`));
    const genesis = JSON.parse(readFileSync(GENESIS_FILE, 'utf8')) as { bitunicom: { contracts: { artifact: string; args: unknown[] }[] } };
    const seeds = genesis.bitunicom.contracts.find((c) => c.artifact === 'DappRegistry')!.args[1] as [string, string, string, string, string[]][];
    const hello = seeds.find((s) => s[2] === m.name)!;
    expect(hello[0]).toBe(m.appId);
    expect(hello[4][2]).toBe(m.author); // the seed's authorKey
    expect(appIdHex(m.author, m.name)).toBe(m.appId);
  });

  it('derives different ids for another author or another name', () => {
    const other = manifestFor(generatePrivateKey());
    expect(other.appId).not.toBe(base.appId);
    expect(appIdHex(base.author, 'Test App 2')).not.toBe(base.appId);
    expect(base.appId).toMatch(/^0x[0-9a-f]{40}$/);
  });

  it('names the field of each mistake', () => {
    expect(refusal({ name: '' })).toContain("field 'name'");
    expect(refusal({ name: 'x'.repeat(65) })).toMatch(/field 'name'.*64 bytes/);
    expect(refusal({ name: ' padded' })).toContain("field 'name'");
    for (const v of ['1.0', '01.0.0', '1.0.0-beta.1', '1.0.0+build', '65536.0.0', 'v1.0.0']) expect(refusal({ version: v })).toMatch(/field 'version'.*MAJOR\.MINOR\.PATCH/);
    expect(refusal({ version: '0.0.0' })).toMatch(/field 'version'.*above 0\.0\.0/);
    expect(refusal({ minHostVersion: 'latest' })).toContain("field 'minHostVersion'");
    expect(refusal({ author: '0x04' + 'ab'.repeat(32) })).toContain("field 'author'");
    expect(refusal({ author: '0x02' + 'ff'.repeat(32) })).toMatch(/field 'author'.*not a point/);
    expect(refusal({ permissions: ['accounts', 'camera'] })).toContain("field 'permissions.1'");
    expect(refusal({ permissions: ['sign', 'sign'] })).toMatch(/field 'permissions'.*repeat/);
    expect(refusal({ categories: [] })).toContain("field 'categories'");
    expect(refusal({ categories: ['Games'] })).toContain("field 'categories.0'");
    expect(refusal({ icon: '../icon.svg' })).toMatch(/field 'icon'.*"\.\." segment/);
    expect(refusal({ icon: 'icon.gif' })).toMatch(/field 'icon'.*svg or png/);
    expect(refusal({ entry: '/index.html' })).toMatch(/field 'entry'.*absolute/);
    expect(refusal({ entry: 'app.js' })).toMatch(/field 'entry'.*html/);
    expect(refusal({ screenshots: ['shot.svg'] })).toContain("field 'screenshots.0'");
    expect(refusal({ description: 'bell\u0007' })).toContain("field 'description'");
    expect(refusal({ homepage: 'https://example.org' })).toMatch(/unknown field 'homepage'/);
    expect(refusal({}, ['entry'])).toContain("field 'entry'");
  });

  it('refuses an app id that is not derived from the author key and name, and says which it should be', () => {
    const msg = refusal({ appId: '0x' + '00'.repeat(20) });
    expect(msg).toContain("field 'appId'");
    expect(msg).toContain(base.appId);
    // the author key swapped for another: the id no longer matches
    const other = manifestFor(generatePrivateKey());
    expect(refusal({ author: other.author })).toContain(`expected ${other.appId}`);
  });

  it('refuses manifest.json that is not UTF-8 JSON', () => {
    expect(() => parseManifest(utf8('{"name": '))).toThrow(/not valid UTF-8 JSON/);
    expect(() => parseManifest(Uint8Array.of(0x7b, 0xff, 0x7d))).toThrow(/not valid UTF-8 JSON/);
    const ok: DappManifestT = parseManifest(utf8(JSON.stringify(base)));
    expect(ok).toEqual(base);
  });

  it('orders versions by semver precedence and checks the host version', () => {
    expect(parseSemver('1.2.3')).toEqual([1, 2, 3]);
    expect(compareSemver('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareSemver('2.0.0', '10.0.0')).toBeLessThan(0);
    expect(compareSemver('0.1.0', '0.1.0')).toBe(0);
    expect(hostSupports({ ...base, minHostVersion: '0.2.0' }, '0.1.9')).toBe(false);
    expect(hostSupports({ ...base, minHostVersion: '0.2.0' }, '0.2.0')).toBe(true);
  });
});
