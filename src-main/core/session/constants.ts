/**
 * @module session/constants
 * Packet types, fixed sizes and defaults of the session protocol (see README.md for the wire
 * tables). The session layer owns first bytes 0x01–0x0F on the shared UDP socket; other
 * protocols on the same socket (DHT, AR) must use other first bytes.
 */

export const PROTOCOL_VERSION = 1;
export const PROTOCOL_NAME = 'BU-SESSION-v1 SIGMA-I X25519 AES-256-GCM SHA-256 secp256k1';

export const PacketType = {
  INIT: 0x01,
  RESPONSE: 0x02,
  FINISH: 0x03,
  COOKIE: 0x04,
  TRANSPORT: 0x05,
} as const;

export function isSessionPacket(b: Uint8Array): boolean {
  return b.length > 0 && b[0]! >= 0x01 && b[0]! <= 0x0f;
}

/** Inner (encrypted) kinds of a transport packet. */
export const Kind = {
  KEEPALIVE: 0x00,
  DATA: 0x01,
  FRAGMENT: 0x02,
  CONFIRM: 0x03,
  CLOSE: 0x04,
} as const;

export const SID_BYTES = 4;
export const EPHEMERAL_BYTES = 32;
export const IDENTITY_KEY_BYTES = 33;
export const SIGNATURE_BYTES = 65;
export const MAC_BYTES = 16;
export const TAG_BYTES = 16;
export const COOKIE_BYTES = 16;

/** INIT: type ver rsv(2) sid(4) e(32) padding mac1(16) mac2(16). Padded so no reply is larger. */
export const INIT_SIZE = 192;
export const INIT_MAC1_OFFSET = INIT_SIZE - 2 * MAC_BYTES;
export const INIT_MAC2_OFFSET = INIT_SIZE - MAC_BYTES;
/** RESPONSE: type ver rsv(2) sid_r(4) sid_i(4) e(32) ‖ AEAD(pub_r 33 ‖ sig_r 65). */
export const RESPONSE_HEAD = 44;
export const RESPONSE_SIZE = RESPONSE_HEAD + IDENTITY_KEY_BYTES + SIGNATURE_BYTES + TAG_BYTES; // 158
/** FINISH: type ver rsv(2) sid_r(4) ‖ AEAD(pub_i 33 ‖ sig_i 65 ‖ epoch 4). */
export const FINISH_HEAD = 8;
export const FINISH_SIZE = FINISH_HEAD + IDENTITY_KEY_BYTES + SIGNATURE_BYTES + 4 + TAG_BYTES; // 126
/** COOKIE: type ver rsv(2) sid_i(4) nonce(12) AEAD(cookie 16). */
export const COOKIE_REPLY_SIZE = 8 + 12 + COOKIE_BYTES + TAG_BYTES; // 52

/** TRANSPORT: type rsv(3) receiver sid(4) counter(8, BE) ‖ AEAD(kind ‖ body). Header = AAD. */
export const TRANSPORT_HEADER = 16;
export const MAX_DATAGRAM = 1200;
export const MIN_TRANSPORT = TRANSPORT_HEADER + 1 + TAG_BYTES;
/** Largest payload that travels in one DATA packet. */
export const MAX_UNFRAGMENTED_PAYLOAD = MAX_DATAGRAM - TRANSPORT_HEADER - TAG_BYTES - 1; // 1167
/** FRAGMENT body: kind msgId(4) index(1) count(1) chunk. */
export const FRAGMENT_HEADER = 1 + 4 + 1 + 1;
export const FRAGMENT_CHUNK = MAX_DATAGRAM - TRANSPORT_HEADER - TAG_BYTES - FRAGMENT_HEADER; // 1161
export const MAX_PAYLOAD = 64 * 1024;
export const MAX_FRAGMENTS = Math.ceil(MAX_PAYLOAD / FRAGMENT_CHUNK); // 57

/** Hard limits independent of options. */
export const REJECT_AFTER_MESSAGES = 2 ** 48;
export const MAX_HALF_OPEN = 1024;
export const MAX_OLD_SESSIONS = 2;
export const MAX_REASSEMBLIES_PER_PEER = 8;
export const COOKIE_ROTATE_MS = 120_000;

export const DEFAULTS = {
  rekeyAfterMs: 120_000,
  rekeyAfterMessages: 2 ** 32,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 90_000,
  rekeyGraceMs: 10_000,
  reassemblyTimeoutMs: 10_000,
  handshakeRate: { ratePerSec: 20, burst: 40 },
  initialRetransmitMs: 250,
  maxRetransmitMs: 4_000,
} as const;
