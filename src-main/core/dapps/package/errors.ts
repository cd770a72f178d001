/**
 * @module dapps/package/errors
 * Why a dapp package is refused. Every refusal is a `PackageError`: a BuError with the bridge
 * code BAD_INPUT (the contract's closed list has no package codes yet) plus a stable `reason`
 * that tests, the CLI (`dapp verify` prints it) and the store UI tell apart.
 */
import { BuError } from '../../base';

export const PACKAGE_REFUSALS = [
  // the source directory (pack)
  'NOT_A_DIRECTORY',
  'BAD_PATH',
  'SYMLINK',
  'NOT_A_FILE',
  'BAD_EXTENSION',
  'PATH_COLLISION',
  'TOO_LARGE',
  'TOO_MANY_FILES',
  // the manifest
  'MANIFEST_MISSING',
  'MANIFEST_INVALID',
  // the container (.bud) and its content
  'BAD_CONTAINER',
  'INDEX_INVALID',
  'CHUNK_MISMATCH',
  'FILE_MISMATCH',
  // the author signature
  'UNSIGNED',
  'BAD_SIGNATURE',
  'SIGNER_MISMATCH',
  'CONTENT_MISMATCH',
  // an update against the installed version
  'APP_ID_CHANGED',
  'AUTHOR_CHANGED',
  'DOWNGRADE',
  'NOT_NEWER',
] as const;

export type PackageRefusal = (typeof PACKAGE_REFUSALS)[number];

export class PackageError extends BuError {
  readonly reason: PackageRefusal;
  constructor(reason: PackageRefusal, message: string, options?: { cause?: unknown }) {
    super('BAD_INPUT', message, options);
    this.name = 'PackageError';
    this.reason = reason;
  }
}

export function isPackageError(e: unknown, reason?: PackageRefusal): e is PackageError {
  return e instanceof PackageError && (reason === undefined || e.reason === reason);
}
