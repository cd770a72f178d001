/**
 * @module dapps/library/test-support
 * Fixtures for the library, store and server tests: signed .bud files of a test app in any
 * version, an in-memory key-value table, a throwaway library root.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex, utf8 } from '../../base';
import { generatePrivateKey } from '../../crypto';
import { buildBundle, encodeContainer, keySigner, signContainer, type BundleFile, type DappManifestT } from '../package';
import { appFiles, manifestFor } from '../package/test-support';
import type { KeyValue, Listing } from './library';

export const TEST_AUTHOR = generatePrivateKey();

export type TestBud = { bud: Uint8Array; manifest: DappManifestT; contentHash: string; listing: Listing };

/** A signed .bud of the test app `name` at `version` (extra files and manifest fields optional). */
export async function testBud(over: Partial<DappManifestT> = {}, opts: { key?: Uint8Array; script?: string; extra?: BundleFile[] } = {}): Promise<TestBud> {
  const key = opts.key ?? TEST_AUTHOR;
  const manifest = manifestFor(key, { name: 'Test App', ...over });
  const files = [...appFiles(manifest, opts.script ?? `console.log(${JSON.stringify(manifest.version)});`), ...(opts.extra ?? [])];
  const { bytes, bundle } = await signContainer(encodeContainer(buildBundle(files)), keySigner(key));
  const contentHash = `0x${toHex(bundle.contentHash)}`;
  return { bud: bytes, manifest, contentHash, listing: { appId: manifest.appId, contentHash, authorKey: manifest.author, version: manifest.version } };
}

export function memoryKv(): KeyValue & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), delete: (k) => void map.delete(k) };
}

export function tempRoot(prefix = 'bu-dapps-'): string {
  return join(mkdtempSync(join(tmpdir(), prefix)), 'dapps');
}

export const html = (body: string) => utf8(`<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`);
