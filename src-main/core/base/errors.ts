/**
 * @module base/errors
 * Typed errors with stable codes. The codes are the bridge contract's (`src-preload/contract`),
 * so a core error reaches the UI unchanged and is shown as a human sentence there.
 */
import type { ErrorCode } from '../../../src-preload/contract/errors';

export type { ErrorCode };

export class BuError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BuError';
    this.code = code;
  }
}

export function isBuError(e: unknown, code?: ErrorCode): e is BuError {
  return e instanceof BuError && (code === undefined || e.code === code);
}

/** Wrap anything thrown into a BuError, keeping BuErrors as they are. */
export function toBuError(e: unknown): BuError {
  if (e instanceof BuError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new BuError('INTERNAL', message, { cause: e });
}
