/**
 * @module ratchet/prekeys
 * Signed prekey rotation (Signal X3DH rev. 1, §3.2: "Bob will upload a new signed prekey
 * periodically (e.g. once a week) … Bob may keep the private key corresponding to the previous
 * signed prekey around for some period of time, to handle messages using it that have been
 * delayed in transit. Eventually, Bob should delete this private key for forward secrecy").
 *
 * Without one-time prekeys, the signed prekey is the only thing giving initial messages forward
 * secrecy (X3DH §4.2), so its private key must not live longer than needed: the newest secret is
 * replaced after `rotateAfterMs` (7 days) and each replaced one is deleted `graceMs` (30 days)
 * after its successor was made.
 */
import { BuError } from '../base';
import { MAX_PREKEY_SECRETS, PREKEY_GRACE_MS, PREKEY_ROTATE_MS } from './constants';
import { bundleForSecret, createPrekeyBundle, type PrekeyBundle, type PrekeySecret } from './bundle';
import type { RatchetIdentity } from './identity-dh';

export type PrekeyRotation = {
  /** Secrets to keep (newest first); every other stored secret must be deleted. */
  secrets: PrekeySecret[];
  /** The bundle to publish (for the newest secret). */
  bundle: PrekeyBundle;
  /** True when a new signed prekey was made (republish the bundle). */
  rotated: boolean;
};

/**
 * Call at start-up and then periodically (e.g. hourly), AFTER fetching the mailbox, so messages
 * that waited there are opened before an expired prekey is deleted.
 */
export function rotatePrekeys(
  identity: RatchetIdentity,
  secrets: readonly PrekeySecret[],
  opts: { now?: number; rotateAfterMs?: number; graceMs?: number } = {},
): PrekeyRotation {
  const now = opts.now ?? Date.now();
  const rotateAfter = opts.rotateAfterMs ?? PREKEY_ROTATE_MS;
  const grace = opts.graceMs ?? PREKEY_GRACE_MS;
  if (!Number.isSafeInteger(now) || rotateAfter <= 0 || grace < 0) throw new BuError('BAD_INPUT', 'ratchet: bad rotation options');
  const sorted = [...secrets].sort((a, b) => b.createdAt - a.createdAt);
  const newest = sorted[0];
  let bundle: PrekeyBundle;
  let rotated = false;
  if (!newest || now - newest.createdAt >= rotateAfter) {
    const used = new Set(sorted.map((s) => s.id));
    let made = createPrekeyBundle(identity, { now });
    while (used.has(made.secret.id)) made = createPrekeyBundle(identity, { now });
    sorted.unshift(made.secret);
    bundle = made.bundle;
    rotated = true;
  } else {
    bundle = bundleForSecret(identity, newest);
  }
  const kept = sorted.filter((s, i) => i === 0 || now - sorted[i - 1]!.createdAt < grace).slice(0, MAX_PREKEY_SECRETS);
  return { secrets: kept, bundle, rotated };
}
