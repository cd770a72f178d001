/**
 * @module dapps/package/test-support
 * Fixtures for the package tests: the devnet's sample author key (public, devnet-only — see
 * resources/contracts/devnet-samples.mjs), the sample dapp resources/dapps/hello, manifests for
 * other keys, and writing a file set out as a folder.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHex, utf8 } from '../../base';
import { keccak256, publicKeyOf } from '../../crypto';
import type { BundleFile } from './bundle';
import { appIdHex, type DappManifestT } from './manifest';

export const HELLO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'resources', 'dapps', 'hello');
export const GENESIS_FILE = join(HELLO_DIR, '..', '..', 'chain', 'devnet-genesis.json');

/** keccak256("bitunicom devnet sample dapp author"), the devnet sample author's private key. */
export const SAMPLE_AUTHOR_PRIVATE = keccak256(utf8('bitunicom devnet sample dapp author'));

export function helloFiles(): BundleFile[] {
  return readdirSync(HELLO_DIR).map((name) => ({ path: name, bytes: new Uint8Array(readFileSync(join(HELLO_DIR, name))) }));
}

/** A valid manifest for `privateKey`'s author key (overrides applied after the id is derived unless they set it). */
export function manifestFor(privateKey: Uint8Array, over: Partial<DappManifestT> = {}): DappManifestT {
  const author = `0x${toHex(publicKeyOf(privateKey))}`;
  const name = over.name ?? 'Test App';
  return {
    name,
    version: '1.0.0',
    appId: appIdHex(author, name),
    author,
    description: 'A dapp made by a test.',
    categories: ['tools'],
    permissions: ['accounts'],
    icon: 'icon.svg',
    screenshots: [],
    entry: 'index.html',
    minHostVersion: '0.1.0',
    ...over,
  };
}

export function manifestFile(m: unknown): BundleFile {
  return { path: 'manifest.json', bytes: utf8(JSON.stringify(m, null, 2)) };
}

/** A small app: manifest, entry, icon and a script. */
export function appFiles(m: DappManifestT, script = 'console.log("hi");'): BundleFile[] {
  return [
    manifestFile(m),
    { path: 'index.html', bytes: utf8('<!doctype html><title>t</title><script src="js/app.js"></script>') },
    { path: 'icon.svg', bytes: utf8('<svg xmlns="http://www.w3.org/2000/svg"/>') },
    { path: 'js/app.js', bytes: utf8(script) },
  ];
}

export function writeFiles(root: string, files: readonly BundleFile[]): void {
  for (const f of files) {
    const p = join(root, ...f.path.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.bytes);
  }
}
