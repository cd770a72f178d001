/**
 * @module dapps/package/sign
 * The author signature of a bundle: ECDSA on secp256k1 (SEC 1 §4.1, SEC 2 curve; RFC 6979
 * nonces, low-s) through core/crypto, serialised r ‖ s ‖ v, over the domain-separated digest
 *
 *   SHA-256( "bitunicom-dapp-v1" ‖ content hash (32) ‖ application id (20) ‖ u8 n ‖ version (n bytes UTF-8) )
 *
 * so a signature commits to exactly one content, one app and one version and cannot be
 * replayed as a chat, wallet or other signature (each has its own domain). The key must be
 * the manifest's `author`, which the application id is derived from: only the holder of that
 * key can ship that app.
 *
 * `verifyBundle` refuses, each with its own reason: a damaged or altered container (from
 * openContainer), content other than the registry listed (CONTENT_MISMATCH), no signature
 * (UNSIGNED), a signature made for other content (CONTENT_MISMATCH), a signature that does
 * not verify (BAD_SIGNATURE), a signer other than the manifest's author (SIGNER_MISMATCH).
 * `verifyUpdate` refuses a new version of an installed app that changes its id
 * (APP_ID_CHANGED), its author key (AUTHOR_CHANGED), or does not raise the version per
 * semver 2.0.0 precedence (DOWNGRADE, NOT_NEWER).
 */
import { bytesEqual, fromHex, toHex, utf8 } from '../../base';
import { publicKeyOf, recoverPublicKey, sha256, signHash, verifyHash } from '../../crypto';
import { openContainer, encodeContainer, type OpenedBundle, type SignatureRecord } from './container';
import { PackageError } from './errors';
import { appIdOf, authorKeyOf, compareSemver, type DappManifestT, type DappPermission } from './manifest';

export const SIGNATURE_DOMAIN = 'bitunicom-dapp-v1';

/** Something that signs a 32-byte digest with one secp256k1 key (a key in memory, or a node that holds it). */
export type DigestSigner = { publicKey: Uint8Array; sign(digest: Uint8Array): Uint8Array | Promise<Uint8Array> };

export function keySigner(privateKey: Uint8Array): DigestSigner {
  return { publicKey: publicKeyOf(privateKey), sign: (digest) => signHash(digest, privateKey) };
}

export function signingDigest(contentHash: Uint8Array, appId: Uint8Array, version: string): Uint8Array {
  if (contentHash.length !== 32 || appId.length !== 20) throw new TypeError('content hash must be 32 bytes and app id 20');
  const v = utf8(version);
  if (v.length > 255) throw new TypeError('version too long');
  return sha256(utf8(SIGNATURE_DOMAIN), contentHash, appId, Uint8Array.of(v.length), v);
}

const hex = (b: Uint8Array) => `0x${toHex(b)}`;

/** Signs a .bud (replacing any signature it had) with the manifest author's key. */
export async function signContainer(bud: Uint8Array, signer: DigestSigner): Promise<{ bytes: Uint8Array; bundle: OpenedBundle; record: SignatureRecord }> {
  const bundle = openContainer(bud);
  const author = authorKeyOf(bundle.manifest);
  const pub = signer.publicKey;
  if (!bytesEqual(pub, author)) {
    throw new PackageError('SIGNER_MISMATCH', `The manifest names the author key ${bundle.manifest.author}, but this key is ${hex(pub)}: sign with the author's key (the app id depends on it).`);
  }
  const digest = signingDigest(bundle.contentHash, appIdOf(bundle.manifest), bundle.manifest.version);
  const signature = await signer.sign(digest);
  if (signature.length !== 65 || !verifyHash(digest, signature, author)) throw new PackageError('BAD_SIGNATURE', 'The signer returned a signature that does not verify.');
  const record: SignatureRecord = { contentHash: bundle.contentHash, authorKey: author, signature };
  return { bytes: encodeContainer(bundle, record), bundle: { ...bundle, signature: record }, record };
}

export type VerifiedBundle = OpenedBundle & { signature: SignatureRecord };

/** What a listing (the registry contract) says the bundle must be. */
export type BundleExpectation = { contentHash?: string; authorKey?: string; appId?: string };

/** Verifies a .bud completely: container, chunks, files, manifest, and the author signature. */
export function verifyBundle(bud: Uint8Array, expect: BundleExpectation = {}): VerifiedBundle {
  const bundle = openContainer(bud);
  const m = bundle.manifest;
  if (expect.contentHash !== undefined && !bytesEqual(fromHex(expect.contentHash), bundle.contentHash)) {
    throw new PackageError('CONTENT_MISMATCH', `The bundle's content hash is ${hex(bundle.contentHash)}, not the ${expect.contentHash} that was listed.`);
  }
  if (expect.appId !== undefined && !bytesEqual(fromHex(expect.appId), appIdOf(m))) {
    throw new PackageError('APP_ID_CHANGED', `The bundle is the app ${m.appId}, not the ${expect.appId} that was listed.`);
  }
  const sig = bundle.signature;
  if (!sig) throw new PackageError('UNSIGNED', 'The bundle has no author signature (run: bitunicom dapp sign).');
  if (!bytesEqual(sig.contentHash, bundle.contentHash)) {
    throw new PackageError('CONTENT_MISMATCH', `The signature is for the content ${hex(sig.contentHash)}, but the bundle holds ${hex(bundle.contentHash)}: its content was replaced.`);
  }
  const digest = signingDigest(bundle.contentHash, appIdOf(m), m.version);
  const recovered = recoverPublicKey(digest, sig.signature);
  if (!verifyHash(digest, sig.signature, sig.authorKey) || !recovered || !bytesEqual(recovered, sig.authorKey)) {
    throw new PackageError('BAD_SIGNATURE', `The author signature does not verify for ${m.name} ${m.version} under the key ${hex(sig.authorKey)}.`);
  }
  if (!bytesEqual(sig.authorKey, authorKeyOf(m))) {
    throw new PackageError('SIGNER_MISMATCH', `The bundle was signed by ${hex(sig.authorKey)}, but its manifest names the author ${m.author}.`);
  }
  if (expect.authorKey !== undefined && !bytesEqual(fromHex(expect.authorKey), sig.authorKey)) {
    throw new PackageError('SIGNER_MISMATCH', `The bundle was signed by ${hex(sig.authorKey)}, not by the listed author ${expect.authorKey}.`);
  }
  return { ...bundle, signature: sig };
}

export type UpdateCheck = { added: DappPermission[]; removed: DappPermission[] };

/** Whether `candidate` may replace `installed`; returns the permission changes to show the user. */
export function verifyUpdate(installed: Pick<DappManifestT, 'appId' | 'author' | 'version' | 'permissions'>, candidate: Pick<DappManifestT, 'appId' | 'author' | 'version' | 'permissions'>): UpdateCheck {
  if (!bytesEqual(fromHex(installed.appId), fromHex(candidate.appId))) {
    throw new PackageError('APP_ID_CHANGED', `The update is the app ${candidate.appId}, not the installed ${installed.appId}.`);
  }
  if (!bytesEqual(fromHex(installed.author), fromHex(candidate.author))) {
    throw new PackageError('AUTHOR_CHANGED', `The update is signed by the author key ${candidate.author}, not the installed app's ${installed.author}.`);
  }
  const order = compareSemver(candidate.version, installed.version);
  if (order < 0) throw new PackageError('DOWNGRADE', `The update's version ${candidate.version} is older than the installed ${installed.version}.`);
  if (order === 0) throw new PackageError('NOT_NEWER', `Version ${candidate.version} is already installed; an update must raise the version.`);
  return {
    added: candidate.permissions.filter((p) => !installed.permissions.includes(p)),
    removed: installed.permissions.filter((p) => !candidate.permissions.includes(p)),
  };
}
