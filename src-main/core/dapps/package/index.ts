/**
 * @module dapps/package
 * The dapp package format: manifest.json (manifest.ts), the deterministic content-addressed
 * bundle (bundle.ts), its single-file container .bud (container.ts) and the author signature
 * (sign.ts). See README.md in this folder for the layout and the trust model.
 */
export { PACKAGE_REFUSALS, PackageError, isPackageError, type PackageRefusal } from './errors';
export { MIME_TYPES, mimeTypeOf, pathProblem } from './paths';
export {
  APP_ID_DOMAIN,
  DappManifest,
  MANIFEST_FILE,
  PERMISSIONS,
  appIdHex,
  checkManifest,
  compareSemver,
  deriveAppId,
  hostSupports,
  parseManifest,
  parseSemver,
  type DappManifestT,
  type DappPermission,
} from './manifest';
export {
  CHUNK_SIZE,
  LIMITS,
  buildBundle,
  bundleDirectory,
  chunkLength,
  collectDirectory,
  contentHashHex,
  decodeIndex,
  encodeIndex,
  type Bundle,
  type BundleFile,
  type BundleIndex,
  type IndexEntry,
} from './bundle';
export { BUD_MAGIC, chunkMatches, encodeContainer, openContainer, openIndex, readHeader, type OpenedBundle, type SignatureRecord } from './container';
export {
  SIGNATURE_DOMAIN,
  keySigner,
  signContainer,
  signingDigest,
  verifyBundle,
  verifyUpdate,
  type BundleExpectation,
  type DigestSigner,
  type UpdateCheck,
  type VerifiedBundle,
} from './sign';
