/**
 * @module base/test-support
 * Helpers shared by tests (wallet, units) (not product code): a seeded PRNG so property-style
 * cases reproduce, and `failure`, which returns a BuError's code and message (or throws).
 */
import { isBuError } from './errors';

export { prng } from './prng';

/** The BuError a promise or function ends in; throws if it succeeds or fails otherwise. */
export async function failure(p: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isBuError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('did not fail');
}

/** What a synchronous call throws (undefined if it returns). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
