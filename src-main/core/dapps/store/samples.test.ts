/**
 * The sample bundles the app ships (resources/dapps/bundles/<slug>.bud, built by
 * resources/dapps/bundles/build.ts) are current with their folders, signed by the sample
 * author, and are what the devnet genesis lists — so the Hello listing is installable.
 * When this fails: npx tsx resources/dapps/bundles/build.ts && node resources/contracts/devnet-samples.mjs --write
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleDirectory, contentHashHex, verifyBundle } from '../package';

const RESOURCES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'resources');
const DAPPS = join(RESOURCES, 'dapps');

type Seed = [string, string, string, string, [string, string, string, string, string]];

describe('shipped sample bundles', () => {
  const genesis = JSON.parse(readFileSync(join(RESOURCES, 'chain', 'devnet-genesis.json'), 'utf8')) as { bitunicom: { contracts: { artifact: string; args: unknown[] }[] } };
  const seeds = genesis.bitunicom.contracts.find((c) => c.artifact === 'DappRegistry')!.args[1] as Seed[];
  const slugs = readdirSync(join(DAPPS, 'bundles')).filter((n) => n.endsWith('.bud')).map((n) => n.slice(0, -4));

  it('include Hello', () => expect(slugs).toContain('hello'));

  it.each(slugs)('%s.bud is current, signed, and listed in the devnet genesis', async (slug) => {
    const bud = new Uint8Array(readFileSync(join(DAPPS, 'bundles', `${slug}.bud`)));
    expect(existsSync(join(DAPPS, slug, 'manifest.json'))).toBe(true);
    const fresh = await bundleDirectory(join(DAPPS, slug));
    const seed = seeds.find((s) => s[0] === fresh.manifest.appId)!;
    expect(seed, `the genesis lists ${fresh.manifest.name}`).toBeTruthy();
    const v = verifyBundle(bud, { contentHash: seed[4][1], authorKey: seed[4][2], appId: seed[0] });
    expect(contentHashHex(v), `${slug}.bud is stale: rebuild it`).toBe(contentHashHex(fresh));
  });
});
