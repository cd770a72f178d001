/**
 * @module resources/dapps/bundles/build
 * Packs and signs every sample dapp `resources/dapps/<slug>/` that has a manifest.json into
 * `resources/dapps/bundles/<slug>.bud` — the bundles every node seeds (node/dapp-host) and the
 * content hashes the devnet genesis lists (resources/contracts/devnet-samples.mjs reads them).
 * Signed with the public, devnet-only sample author key keccak256("bitunicom devnet sample dapp
 * author"). Deterministic: the same folders give the same bytes (the package format and RFC
 * 6979 signatures are), so `--check` exits 1 when a committed bundle is stale.
 *
 *   npx tsx resources/dapps/bundles/build.ts [--check]
 *   node resources/contracts/devnet-samples.mjs --write     (then the genesis lists the new hashes)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak256 } from '../../../src-main/core/crypto';
import { bundleDirectory, contentHashHex, encodeContainer, keySigner, signContainer } from '../../../src-main/core/dapps/package';

const HERE = dirname(fileURLToPath(import.meta.url));
const DAPPS = join(HERE, '..');
export const SAMPLE_AUTHOR_PRIVATE = keccak256(new TextEncoder().encode('bitunicom devnet sample dapp author'));

/** The sample folders (those with a manifest.json), by slug. */
export function sampleSlugs(): string[] {
  return readdirSync(DAPPS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'bundles' && existsSync(join(DAPPS, d.name, 'manifest.json')))
    .map((d) => d.name)
    .sort();
}

export async function buildSample(slug: string): Promise<{ file: string; bytes: Uint8Array; contentHash: string; name: string; version: string }> {
  const b = await bundleDirectory(join(DAPPS, slug));
  const { bytes } = await signContainer(encodeContainer(b), keySigner(SAMPLE_AUTHOR_PRIVATE));
  return { file: join(HERE, `${slug}.bud`), bytes, contentHash: contentHashHex(b), name: b.manifest.name, version: b.manifest.version };
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  let stale = 0;
  for (const slug of sampleSlugs()) {
    const s = await buildSample(slug);
    const same = existsSync(s.file) && Buffer.compare(readFileSync(s.file), Buffer.from(s.bytes)) === 0;
    if (check) {
      if (!same) stale++;
      console.log(`${same ? 'up to date' : 'STALE'}  ${slug}.bud  ${s.name} ${s.version}  ${s.contentHash}`);
    } else {
      if (!same) writeFileSync(s.file, s.bytes);
      console.log(`${same ? 'unchanged' : 'wrote'}  ${slug}.bud  ${s.name} ${s.version}  ${s.contentHash}  (${s.bytes.length} bytes)`);
    }
  }
  if (stale) console.error(`${stale} sample bundle(s) are stale: run npx tsx resources/dapps/bundles/build.ts, then node resources/contracts/devnet-samples.mjs --write`);
  return stale ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
}
