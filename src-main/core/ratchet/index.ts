/**
 * @module ratchet
 * Forward-secret end-to-end encryption for messages that wait on routers (mailbox): X3DH
 * (Signal X3DH rev. 1) without one-time prekeys, over secp256k1 identities with derived X25519
 * identity DH keys, then the Double Ratchet (Signal Double Ratchet rev. 4) with HKDF-SHA256
 * (RFC 5869), HMAC-SHA256 (RFC 2104) chains and AES-256-GCM (NIST SP 800-38D). See README.md.
 */
export type { PrekeyBundle, PrekeySecret } from './bundle';
export { BUNDLE_LENGTH, bundleForSecret, createPrekeyBundle, decodeBundle, decodePrekeySecret, encodeBundle, encodePrekeySecret, verifyBundle } from './bundle';
export type { PrekeyRotation } from './prekeys';
export { rotatePrekeys } from './prekeys';
export type { RatchetIdentity } from './identity-dh';
export { certifiedAddress, certifyIdentityDhKey, deriveIdentityDhKey } from './identity-dh';
export type { RatchetState, SessionState } from './session';
export type { DecryptResult, RatchetSelf } from './ratchet';
export { initiateSession, ratchetDecrypt, ratchetEncrypt } from './ratchet';
export { INITIAL_OVERHEAD, RATCHET_OVERHEAD, peekMessage } from './message';
export { deserializeState, serializeState } from './state-codec';
export {
  MAX_ARCHIVED_SESSIONS,
  MAX_BUNDLE_AGE_MS,
  MAX_SKIP,
  MAX_STORED_SKIPPED,
  PREKEY_GRACE_MS,
  PREKEY_ROTATE_MS,
} from './constants';
