/**
 * @module ratchet/test-helpers
 * Fixtures for the ratchet tests: identities, a party (identity + prekey secrets), and a
 * helper asserting a BAD_ENVELOPE failure.
 */
import { expect } from 'vitest';
import { isBuError, utf8 } from '../base';
import { addressOf, generatePrivateKey, publicKeyOf } from '../crypto';
import { createPrekeyBundle, type PrekeyBundle, type PrekeySecret } from './bundle';
import type { RatchetIdentity } from './identity-dh';

export const NOW = Date.UTC(2025, 5, 1);
export const AD = utf8('envelope header');

export function makeIdentity(): RatchetIdentity {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

export type Party = { identity: RatchetIdentity; prekeys: PrekeySecret[]; bundle: PrekeyBundle };

export function makeParty(now = NOW): Party {
  const identity = makeIdentity();
  const { bundle, secret } = createPrekeyBundle(identity, { now });
  return { identity, prekeys: [secret], bundle };
}

export function expectBadEnvelope(fn: () => unknown): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(isBuError(err, 'BAD_ENVELOPE'), `expected BAD_ENVELOPE, got ${String(err)}`).toBe(true);
}

export function text(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}
