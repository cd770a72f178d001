/**
 * @module ratchet/constants
 * Labels, sizes and limits of the ratchet module. Every HKDF `info` and every signed domain
 * string is distinct, so no key or signature made for one purpose is valid for another.
 * Limits follow the Double Ratchet specification (Signal, rev. 4, §2.6 and §6.5 "Deletion of
 * skipped message keys") and X3DH (Signal, rev. 1, §4.2–§4.3, signed prekey rotation).
 */

/** Wire and storage format version of everything this module emits. */
export const RATCHET_VERSION = 1;

/** Maximum number of message keys skipped in a single chain (Double Ratchet §2.6 MAX_SKIP). */
export const MAX_SKIP = 1000;
/** Maximum number of skipped message keys kept in a whole `RatchetState`; the oldest are dropped first. */
export const MAX_STORED_SKIPPED = 2000;
/** Earlier sessions with the same peer kept for late or crossing messages (like libsignal's archived session states). */
export const MAX_ARCHIVED_SESSIONS = 4;

/** Signed prekeys are replaced after this age … */
export const PREKEY_ROTATE_MS = 7 * 24 * 3600 * 1000;
/** … and a superseded one is kept this long after its successor was made, so late initial messages still open. */
export const PREKEY_GRACE_MS = 30 * 24 * 3600 * 1000;
/** At most this many prekey secrets are kept, however often rotation runs. */
export const MAX_PREKEY_SECRETS = 8;
/** A sender refuses to start a session from a bundle older than this (default of `verifyBundle`). */
export const MAX_BUNDLE_AGE_MS = 14 * 24 * 3600 * 1000;
/** Tolerated clock skew for bundle timestamps in the future. */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;
/** No bundle can predate this (2020-01-01T00:00:00Z): catches zero or seconds-instead-of-ms timestamps. */
export const MIN_BUNDLE_TIME_MS = Date.UTC(2020, 0, 1);

export const X25519_KEY_LENGTH = 32;
export const CHAIN_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 65;
export const ADDRESS_LENGTH = 20;

// Domain labels (HKDF info strings and signature prefixes).
export const LABEL_IDENTITY_DH_SALT = 'BU-RATCHET-v1 identity-dh salt';
export const LABEL_IDENTITY_DH = 'BU-RATCHET-v1 identity X25519 key';
export const LABEL_IDENTITY_CERT = 'BU-RATCHET-v1 identity-dh certificate\0';
export const LABEL_BUNDLE = 'BU-PREKEY-BUNDLE-v1\0';
export const LABEL_X3DH = 'BU-RATCHET-v1 X3DH';
export const LABEL_X3DH_AD = 'BU-RATCHET-v1 AD\0';
export const LABEL_ROOT = 'BU-RATCHET-v1 root chain';
export const LABEL_MESSAGE = 'BU-RATCHET-v1 message key';

/** Message type bytes (second byte of every ratchet message). */
export const MSG_TYPE_RATCHET = 1;
export const MSG_TYPE_INITIAL = 2;
