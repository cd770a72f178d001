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
 * (FIPS 180-4). contentHash = SHA-256("bitunicom sample bundle placeholder: " ‖ slug) until
 * the sample bundles exist; an installer refuses them (no bundle has that hash).
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigningKey, computeAddress, getCreateAddress, id } from 'ethers';

const HERE = dirname(fileURLToPath(import.meta.url));
const GENESIS = join(HERE, '..', 'chain', 'devnet-genesis.json');

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

/** The registry's `bitunicom.contracts` entry. */
export function registryEntry() {
  const signer = new SigningKey(SAMPLE_AUTHOR_KEY);
  const authorKey = signer.compressedPublicKey;
  const authorAddress = computeAddress(signer.publicKey);
  const keyBytes = Buffer.from(authorKey.slice(2), 'hex');
  const seeds = SAMPLES.map((s) => {
    const appId = `0x${sha256(Buffer.from('bitunicom-dapp-appid-v1'), keyBytes, Buffer.from(s.name, 'utf8')).subarray(0, 20).toString('hex')}`;
    const contentHash = `0x${sha256(Buffer.from(`bitunicom sample bundle placeholder: ${s.slug}`)).toString('hex')}`;
    const release = [packVersion(...s.version).toString(), contentHash, authorKey, '', '0'];
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
