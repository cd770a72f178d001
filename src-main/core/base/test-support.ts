/**
 * @module base/test-support
 * Helpers shared by tests (wallet, units) (not product code): a seeded PRNG so property-style
 * cases reproduce, and `failure`, which returns a BuError's code and message (or throws).
 */
import { isBuError } from './errors';

/** mulberry32: a small seeded PRNG, so a failing case reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
