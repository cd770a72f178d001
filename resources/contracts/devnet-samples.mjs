#!/usr/bin/env node
/**
 * @module resources/contracts/devnet-samples
 * Derives the DappRegistry entry of `resources/chain/devnet-genesis.json` (`bitunicom.contracts`):
 * deployer, constructor `Config` and the sample dapps ("seeds") the devnet publishes in its
 * genesis. Prints the entry (JSON) to paste into the template; `--check` exits 1 if the
 * template's entry differs. Deterministic: every value is derived from fixed strings.
 *
 * Sample author: the secp256k1 key keccak256("bitunicom devnet sample dapp author") — a
 * PUBLIC, devnet-only key (like anvil's test keys), so sample bundles can be signed in tests.
 * appId = the first 20 bytes of SHA-256("bitunicom-dapp-appid-v1" ‖ authorKey(33) ‖ name)
 * (FIPS 180-4). contentHash and version come from the signed sample bundle
 * `resources/dapps/bundles/<slug>.bud` (built by `npx tsx resources/dapps/bundles/build.ts`):
 * the content hash is SHA-256 of the bundle's canonical index (core/dapps/package), the version
 * its manifest's. A sample without a bundle yet keeps the placeholder
 * SHA-256("bitunicom sample bundle placeholder: " ‖ slug), which an installer refuses.
 *
 *   node resources/contracts/devnet-samples.mjs            print the entry
 *   node resources/contracts/devnet-samples.mjs --check    exit 1 if the genesis template differs
 *   node resources/contracts/devnet-samples.mjs --write    rewrite the entry in the template
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigningKey, computeAddress, getCreateAddress, id } from 'ethers';

const HERE = dirname(fileURLToPath(import.meta.url));
const GENESIS = join(HERE, '..', 'chain', 'devnet-genesis.json');
const BUNDLES = join(HERE, '..', 'dapps', 'bundles');

export const TOKEN_DEPLOYER = '0x000000000000000000000000000000000000b175';
export const REGISTRY_DEPLOYER = '0x000000000000000000000000000000000000Da99';
export const BURN = '0x000000000000000000000000000000000000dEaD';
export const SAMPLE_AUTHOR_KEY = id('bitunicom devnet sample dapp author');
const ONE = 10n ** 18n;

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Packed semver: major << 32 | minor << 16 | patch. */
export const packVersion = (major, minor, patch) => (BigInt(major) << 32n) | (BigInt(minor) << 16n) | BigInt(patch);

const SAMPLES = [
  { slug: 'hello', name: 'Hello', category: 'tools', version: [0, 1, 0] },
  { slug: 'tic-tac-toe', name: 'Tic-Tac-Toe', category: 'games', version: [1, 0, 0] },
  { slug: 'shared-todo', name: 'Shared To-Do', category: 'productivity', version: [1, 0, 0] },
  { slug: 'poll', name: 'Token Poll', category: 'governance', version: [1, 0, 0] },
];

/**
 * The content hash (SHA-256 of the canonical index) and the manifest of a .bud, read the way
 * core/dapps/package/container.ts lays it out: 16-byte header (magic, version, flags, u32 index
 * length), the index ("BUDI", u8 version, u32 chunk size, u32 N, N × (u16 path length, path, u64
 * size, SHA-256)), then the files' bytes in index order. Signature and chunk checks are the
 * installer's; a mismatch here only means the genesis would list a hash no bundle has.
 */
export function readBundle(bytes) {
  const magic = Buffer.from([0x89, 0x42, 0x55, 0x44, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(magic)) throw new Error('not a .bud file');
  const indexLength = bytes.readUInt32BE(12);
  const index = bytes.subarray(16, 16 + indexLength);
  if (index.subarray(0, 4).toString('latin1') !== 'BUDI') throw new Error('not a bundle index');
  const count = index.readUInt32BE(9);
  let off = 13;
  let data = 16 + indexLength;
  let manifest = null;
  for (let i = 0; i < count; i++) {
    const n = index.readUInt16BE(off);
    const path = index.subarray(off + 2, off + 2 + n).toString('utf8');
    const size = Number(index.readBigUInt64BE(off + 2 + n));
    if (path === 'manifest.json') manifest = JSON.parse(bytes.subarray(data, data + size).toString('utf8'));
    data += size;
    off += 2 + n + 8 + 32;
  }
  if (!manifest) throw new Error('the bundle has no manifest.json');
  return { contentHash: `0x${sha256(index).toString('hex')}`, manifest };
}

/** The sample's signed bundle, if built. */
function sampleBundle(slug) {
  const file = join(BUNDLES, `${slug}.bud`);
  return existsSync(file) ? readBundle(readFileSync(file)) : null;
}

/** The registry's `bitunicom.contracts` entry. */
export function registryEntry() {
  const signer = new SigningKey(SAMPLE_AUTHOR_KEY);
  const authorKey = signer.compressedPublicKey;
  const authorAddress = computeAddress(signer.publicKey);
  const keyBytes = Buffer.from(authorKey.slice(2), 'hex');
  const seeds = SAMPLES.map((s) => {
    const appId = `0x${sha256(Buffer.from('bitunicom-dapp-appid-v1'), keyBytes, Buffer.from(s.name, 'utf8')).subarray(0, 20).toString('hex')}`;
    const bundle = sampleBundle(s.slug);
    if (bundle && (bundle.manifest.appId !== appId || bundle.manifest.name !== s.name || bundle.manifest.author !== authorKey)) {
      throw new Error(`resources/dapps/bundles/${s.slug}.bud is not the sample "${s.name}" (app id ${appId}, author ${authorKey})`);
    }
    const contentHash = bundle?.contentHash ?? `0x${sha256(Buffer.from(`bitunicom sample bundle placeholder: ${s.slug}`)).toString('hex')}`;
    const version = bundle ? bundle.manifest.version.split('.').map(Number) : s.version;
    const release = [packVersion(...version).toString(), contentHash, authorKey, '', '0'];
    return [appId, authorAddress, s.name, s.category, release];
  });
  const token = getCreateAddress({ from: TOKEN_DEPLOYER, nonce: 0 });
  return {
    artifact: 'DappRegistry',
    deployer: REGISTRY_DEPLOYER.toLowerCase(),
    // Config: token, owner (governance), treasury (fees burnt), fee 10 tBUT, holder minimum 1 unit
    args: [[token, '$WALLET', BURN, (10n * ONE).toString(), '1'], seeds],
  };
}

/** The registry entry of a genesis template text, or null. */
export function entryIn(text) {
  return JSON.parse(text).bitunicom.contracts.find((c) => c.artifact === 'DappRegistry') ?? null;
}

function main(argv) {
  const entry = registryEntry();
  if (argv.includes('--write')) {
    // one seed per line, as the template is laid out: replace each seed's line, keep the rest byte for byte
    const fmt = (v) => (Array.isArray(v) ? `[${v.map(fmt).join(', ')}]` : JSON.stringify(v));
    let text = readFileSync(GENESIS, 'utf8');
    for (const seed of entry.args[1]) {
      const lines = text.split('\n');
      const i = lines.findIndex((l) => l.trimStart().startsWith(`["${seed[0]}"`));
      if (i < 0) throw new Error(`the genesis template has no seed line for ${seed[2]} (${seed[0]})`);
      const indent = lines[i].slice(0, lines[i].length - lines[i].trimStart().length);
      lines[i] = `${indent}${fmt(seed)}${lines[i].trimEnd().endsWith(',') ? ',' : ''}`;
      text = lines.join('\n');
    }
    if (JSON.stringify(entryIn(text)) !== JSON.stringify(entry)) throw new Error('the rewritten template does not hold the entry (its layout changed?)');
    writeFileSync(GENESIS, text);
    console.log(`devnet-samples: wrote the DappRegistry entry (${entry.args[1].length} sample dapps) to resources/chain/devnet-genesis.json`);
    return 0;
  }
  if (!argv.includes('--check')) {
    console.log(JSON.stringify(entry, null, 2));
    return 0;
  }
  const found = entryIn(readFileSync(GENESIS, 'utf8'));
  if (JSON.stringify(found) === JSON.stringify(entry)) {
    console.log(`devnet-samples: the genesis registry entry is up to date (${entry.args[1].length} sample dapps)`);
    return 0;
  }
  console.error('devnet-samples: the DappRegistry entry of resources/chain/devnet-genesis.json differs from this script\'s output');
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
