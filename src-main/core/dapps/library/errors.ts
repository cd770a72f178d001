/**
 * @module dapps/library/errors
 * The installer's refusals on the bridge: every package refusal (dapps/package PackageError,
 * e.g. DOWNGRADE, CONTENT_MISMATCH, BAD_SIGNATURE) becomes `DAPP_REFUSED` with the package's
 * `reason` kept and a sentence that names it, so the UI, the CLI and tests can tell a
 * downgrade from a tampered chunk while the bridge code stays one.
 */
import { BuError } from '../../base';
import { isPackageError, type PackageRefusal } from '../package';

export class DappRefusedError extends BuError {
  constructor(
    readonly reason: PackageRefusal | 'LISTING_MISMATCH' | 'HOST_TOO_OLD',
    message: string,
    options?: { cause?: unknown },
  ) {
    super('DAPP_REFUSED', message, options);
    this.name = 'DappRefusedError';
  }
}

export function isDappRefused(e: unknown, reason?: DappRefusedError['reason']): e is DappRefusedError {
  return e instanceof DappRefusedError && (reason === undefined || e.reason === reason);
}

/** Runs `fn`; a package refusal comes out as DAPP_REFUSED naming its reason. */
export function refusing<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isPackageError(e)) throw new DappRefusedError(e.reason, `Refused (${e.reason}): ${e.message}`, { cause: e });
    throw e;
  }
}
