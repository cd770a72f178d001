/**
 * @module ratchet/session
 * One Double Ratchet session (Signal Double Ratchet rev. 4, §3.2–§3.5, with the X3DH
 * integration of §7.1), written functionally: each operation works on a shallow copy of the
 * input and returns it, so a failed decryption leaves the caller's state untouched (§3.5
 * "if an exception is raised … the state is discarded"). Byte arrays are never written into,
 * only replaced, so old and new states may share them safely.
 *
 * AEAD associated data of every message:
 * `X3DH AD ‖ u32be(len(callerAd)) ‖ callerAd ‖ prefix` (prefix = version, type, initial header
 * if any, ratchet header — all bytes before the ciphertext; §3.4 ENCRYPT(mk, pt, CONCAT(AD, header))).
 */
import { BuError, bytesEqual, concatBytes, u32be } from '../base';
import { aesGcmOpen, aesGcmSeal } from '../crypto';
import { MAX_SKIP } from './constants';
import { kdfCk, kdfRk, messageCipherKeys } from './kdf';
import { encodePrefix, type DecodedMessage, type InitialHeader } from './message';
import { dh, generateRawX25519, type RawKeyPair } from './x25519-raw';

export type SkippedKey = { readonly dh: Uint8Array; readonly n: number; readonly messageKey: Uint8Array };

export type SessionState = {
  readonly selfAddress: string;
  readonly peerAddress: string;
  /** Alice's X3DH ephemeral public key: names the session on both sides. */
  readonly sessionId: Uint8Array;
  /** X3DH associated data (both identities), bound into every message. */
  readonly ad: Uint8Array;
  readonly rootKey: Uint8Array;
  readonly dhSelf: RawKeyPair;
  readonly dhRemote: Uint8Array | null;
  readonly sendChain: Uint8Array | null;
  readonly recvChain: Uint8Array | null;
  readonly ns: number;
  readonly nr: number;
  readonly pn: number;
  /** Message keys of skipped messages, oldest first. */
  readonly skipped: readonly SkippedKey[];
  /** Set on the initiator until a message from the peer is decrypted in this session. */
  readonly pendingInitial: InitialHeader | null;
};

/**
 * Everything one party keeps about its conversation with one peer: the session in use and a few
 * earlier ones (newest first) that late or crossing messages may still need.
 */
export type RatchetState = { readonly current: SessionState; readonly archived: readonly SessionState[] };

type Working = { -readonly [K in keyof SessionState]: SessionState[K] } & { skipped: SkippedKey[] };

function bad(why: string): never {
  throw new BuError('BAD_ENVELOPE', `ratchet: ${why}`);
}

function working(s: SessionState): Working {
  return { ...s, skipped: s.skipped.slice() };
}

function aead(session: SessionState, callerAd: Uint8Array, prefix: Uint8Array): Uint8Array {
  return concatBytes(session.ad, u32be(callerAd.length), callerAd, prefix);
}

/** RatchetEncrypt (§3.4). */
export function encryptInSession(session: SessionState, plaintext: Uint8Array, ad: Uint8Array): { session: SessionState; message: Uint8Array } {
  if (!session.sendChain) throw new BuError('BAD_INPUT', 'ratchet: session cannot send yet');
  if (session.ns >= 0xffffffff) throw new BuError('BAD_INPUT', 'ratchet: sending chain exhausted');
  const s = working(session);
  const { chainKey, messageKey } = kdfCk(session.sendChain);
  const prefix = encodePrefix(s.pendingInitial, { dh: s.dhSelf.publicKey, pn: s.pn, n: s.ns });
  s.sendChain = chainKey;
  s.ns += 1;
  const { key, nonce } = messageCipherKeys(messageKey);
  return { session: s, message: concatBytes(prefix, aesGcmSeal(key, nonce, plaintext, aead(s, ad, prefix))) };
}

function open(s: Working, messageKey: Uint8Array, msg: DecodedMessage, ad: Uint8Array): Uint8Array {
  const { key, nonce } = messageCipherKeys(messageKey);
  const pt = aesGcmOpen(key, nonce, msg.ciphertext, aead(s, ad, msg.prefix));
  if (!pt) bad('authentication failed');
  return pt;
}

/** SkipMessageKeys (§3.5): store the keys of messages until `until` of the current receiving chain. */
function skipTo(s: Working, until: number): void {
  if (s.nr + MAX_SKIP < until) bad(`more than ${MAX_SKIP} skipped messages`);
  if (!s.recvChain || !s.dhRemote) return;
  while (s.nr < until) {
    const { chainKey, messageKey } = kdfCk(s.recvChain);
    s.skipped.push({ dh: s.dhRemote, n: s.nr, messageKey });
    s.recvChain = chainKey;
    s.nr += 1;
  }
}

/** DHRatchet (§3.5). */
function dhRatchet(s: Working, remote: Uint8Array): void {
  s.pn = s.ns;
  s.ns = 0;
  s.nr = 0;
  s.dhRemote = remote;
  const recv = kdfRk(s.rootKey, dh(s.dhSelf.privateKey, remote));
  s.dhSelf = generateRawX25519();
  const send = kdfRk(recv.rootKey, dh(s.dhSelf.privateKey, remote));
  s.rootKey = send.rootKey;
  s.recvChain = recv.chainKey;
  s.sendChain = send.chainKey;
}

/** RatchetDecrypt (§3.5); throws BAD_ENVELOPE and leaves `session` unchanged on any failure. */
export function decryptInSession(session: SessionState, msg: DecodedMessage, ad: Uint8Array): { session: SessionState; plaintext: Uint8Array } {
  const s = working(session);
  const { header } = msg;
  const idx = s.skipped.findIndex((k) => k.n === header.n && bytesEqual(k.dh, header.dh));
  let plaintext: Uint8Array;
  if (idx >= 0) {
    plaintext = open(s, s.skipped[idx]!.messageKey, msg, ad);
    s.skipped.splice(idx, 1);
  } else {
    if (!s.dhRemote || !bytesEqual(header.dh, s.dhRemote)) {
      skipTo(s, header.pn);
      try {
        dhRatchet(s, header.dh);
      } catch (e) {
        throw new BuError('BAD_ENVELOPE', 'ratchet: bad ratchet key', { cause: e });
      }
    }
    skipTo(s, header.n);
    if (!s.recvChain) bad('no receiving chain');
    const { chainKey, messageKey } = kdfCk(s.recvChain);
    plaintext = open(s, messageKey, msg, ad);
    s.recvChain = chainKey;
    s.nr += 1;
  }
  s.pendingInitial = null;
  return { session: s, plaintext };
}
