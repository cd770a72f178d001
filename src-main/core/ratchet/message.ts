/**
 * @module ratchet/message
 * Wire format of ratchet messages: the Double Ratchet header (Signal Double Ratchet rev. 4,
 * §3.1 HEADER(dh_pair, pn, n)), preceded on a session's first messages by the X3DH initial
 * header (Signal X3DH rev. 1, §3.3: Alice's identity key, ephemeral key, and which prekey she used).
 *
 * ```
 * initial message  = 0x01 ‖ 0x02 ‖ IK_A (32) ‖ certificate (65) ‖ EK_A (32) ‖ u32be prekeyId ‖ ratchet header ‖ ciphertext
 * ratchet message  = 0x01 ‖ 0x01 ‖ ratchet header ‖ ciphertext
 * ratchet header   = DH ratchet public key (32) ‖ u32be pn ‖ u32be n
 * ciphertext       = AES-256-GCM(ciphertext ‖ tag (16))
 * ```
 *
 * Everything before the ciphertext (the "prefix") is authenticated as associated data.
 */
import { BuError } from '../base';
import { ByteReader, ByteWriter } from './codec';
import { MSG_TYPE_INITIAL, MSG_TYPE_RATCHET, RATCHET_VERSION, SIGNATURE_LENGTH, X25519_KEY_LENGTH } from './constants';

const TAG_LENGTH = 16;

/** The X3DH fields Alice repeats on every message until Bob's first reply reaches her. */
export type InitialHeader = {
  readonly identityDhKey: Uint8Array;
  readonly certificate: Uint8Array;
  readonly ephemeralKey: Uint8Array;
  readonly prekeyId: number;
};

export type RatchetHeader = { readonly dh: Uint8Array; readonly pn: number; readonly n: number };

export type DecodedMessage = {
  initial: InitialHeader | null;
  header: RatchetHeader;
  /** The authenticated bytes before the ciphertext. */
  prefix: Uint8Array;
  ciphertext: Uint8Array;
};

export const RATCHET_PREFIX_LENGTH = 2 + X25519_KEY_LENGTH + 8;
export const INITIAL_HEADER_LENGTH = X25519_KEY_LENGTH + SIGNATURE_LENGTH + X25519_KEY_LENGTH + 4;
/** Bytes a ratchet message adds to its plaintext (header + GCM tag). */
export const RATCHET_OVERHEAD = RATCHET_PREFIX_LENGTH + TAG_LENGTH;
/** Bytes an initial message adds to its plaintext. */
export const INITIAL_OVERHEAD = RATCHET_OVERHEAD + INITIAL_HEADER_LENGTH;

export function encodePrefix(initial: InitialHeader | null, header: RatchetHeader): Uint8Array {
  const w = new ByteWriter().u8(RATCHET_VERSION).u8(initial ? MSG_TYPE_INITIAL : MSG_TYPE_RATCHET);
  if (initial) w.bytes(initial.identityDhKey).bytes(initial.certificate).bytes(initial.ephemeralKey).u32(initial.prekeyId);
  return w.bytes(header.dh).u32(header.pn).u32(header.n).finish();
}

export function decodeMessage(message: Uint8Array): DecodedMessage {
  if (!(message instanceof Uint8Array)) throw new BuError('BAD_ENVELOPE', 'ratchet message: not bytes');
  const r = new ByteReader(message, 'BAD_ENVELOPE', 'ratchet message');
  if (r.u8() !== RATCHET_VERSION) r.fail('unsupported version');
  const type = r.u8();
  let initial: InitialHeader | null = null;
  if (type === MSG_TYPE_INITIAL) {
    initial = { identityDhKey: r.bytes(X25519_KEY_LENGTH), certificate: r.bytes(SIGNATURE_LENGTH), ephemeralKey: r.bytes(X25519_KEY_LENGTH), prekeyId: r.u32() };
  } else if (type !== MSG_TYPE_RATCHET) {
    r.fail(`unknown type ${type}`);
  }
  const header = { dh: r.bytes(X25519_KEY_LENGTH), pn: r.u32(), n: r.u32() };
  const prefix = message.slice(0, r.offset);
  if (r.remaining < TAG_LENGTH) r.fail('ciphertext too short');
  return { initial, header, prefix, ciphertext: r.rest() };
}

/** What a message is, without decrypting it (e.g. to tell "needs a prekey we no longer have"). */
export function peekMessage(message: Uint8Array): { initial: boolean; prekeyId: number | null; ratchetKey: Uint8Array; n: number } {
  const m = decodeMessage(message);
  return { initial: m.initial !== null, prekeyId: m.initial?.prekeyId ?? null, ratchetKey: m.header.dh, n: m.header.n };
}
