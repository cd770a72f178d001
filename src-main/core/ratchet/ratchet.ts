/**
 * @module ratchet/ratchet
 * The public operations: start a session from a prekey bundle (X3DH as Alice), encrypt, and
 * decrypt — creating the session from an initial header when needed (X3DH as Bob). Signal
 * X3DH rev. 1 and Double Ratchet rev. 4; the session bookkeeping (archived sessions, promotion
 * of the one that decrypts) follows libsignal's session records, so crossing initial messages
 * (both sides start a session at once) and a peer that restarts from a fresh install converge.
 *
 * All functions are pure with respect to their inputs: they return new states and never
 * modify the ones they are given, so the caller commits a returned state only once it has
 * stored the message (or the plaintext) — and can drop it if the chat layer finds the message
 * id is a duplicate (replayed initial message, X3DH §4.3).
 */
import { BuError, bytesEqual, isBuError } from '../base';
import { sameAddress } from '../crypto';
import type { PrekeyBundle, PrekeySecret } from './bundle';
import { MAX_ARCHIVED_SESSIONS, MAX_STORED_SKIPPED } from './constants';
import type { RatchetIdentity } from './identity-dh';
import { decodeMessage, type DecodedMessage } from './message';
import { decryptInSession, encryptInSession, type RatchetState, type SessionState } from './session';
import { x3dhInitiate, x3dhRespond } from './x3dh';

export type RatchetSelf = { identity: RatchetIdentity; prekeys: readonly PrekeySecret[] };
export type DecryptResult = { state: RatchetState; plaintext: Uint8Array; peerAddress: string };

function bad(why: string, cause?: unknown): never {
  throw new BuError('BAD_ENVELOPE', `ratchet: ${why}`, cause === undefined ? undefined : { cause });
}

/**
 * X3DH as Alice: verifies the bundle (signature, timestamps) and returns a state whose first
 * messages carry the initial header. `previous` (an older state with the same peer) is kept as
 * archived sessions so its late messages still decrypt.
 */
export function initiateSession(
  self: RatchetIdentity,
  peerBundle: PrekeyBundle,
  opts: { now?: number; maxBundleAgeMs?: number; previous?: RatchetState | null } = {},
): RatchetState {
  const current = x3dhInitiate(self, peerBundle, opts);
  const prev = opts.previous;
  if (prev && !sameAddress(prev.current.peerAddress, current.peerAddress)) throw new BuError('BAD_INPUT', 'ratchet: previous state is with another peer');
  const archived = prev ? [prev.current, ...prev.archived].slice(0, MAX_ARCHIVED_SESSIONS) : [];
  return bounded([current, ...archived]);
}

export function ratchetEncrypt(state: RatchetState, plaintext: Uint8Array, ad: Uint8Array): { state: RatchetState; message: Uint8Array } {
  if (!(plaintext instanceof Uint8Array) || !(ad instanceof Uint8Array)) throw new BuError('BAD_INPUT', 'ratchet: plaintext and ad must be bytes');
  const r = encryptInSession(state.current, plaintext, ad);
  return { state: { current: r.session, archived: state.archived }, message: r.message };
}

/** Current session first, then archived ones (newest first); at most MAX_STORED_SKIPPED skipped keys in all, oldest dropped. */
function bounded(sessions: SessionState[]): RatchetState {
  const out = sessions.slice(0, 1 + MAX_ARCHIVED_SESSIONS);
  let excess = out.reduce((n, s) => n + s.skipped.length, 0) - MAX_STORED_SKIPPED;
  for (let i = out.length - 1; i >= 0 && excess > 0; i--) {
    const s = out[i]!;
    const drop = Math.min(excess, s.skipped.length);
    if (drop > 0) out[i] = { ...s, skipped: s.skipped.slice(drop) };
    excess -= drop;
  }
  return { current: out[0]!, archived: out.slice(1) };
}

/** Makes `sessions[index]` (now `updated`) the current session. */
function promote(sessions: readonly SessionState[], index: number, updated: SessionState): RatchetState {
  return bounded([updated, ...sessions.filter((_, i) => i !== index)]);
}

function decryptRecord(state: RatchetState | null, msg: DecodedMessage, ad: Uint8Array, self: RatchetSelf): DecryptResult {
  const sessions = state ? [state.current, ...state.archived] : [];
  if (state && !sameAddress(state.current.selfAddress, self.identity.address)) bad('state belongs to another identity');
  const initial = msg.initial;
  if (initial) {
    const known = sessions.findIndex((s) => bytesEqual(s.sessionId, initial.ephemeralKey));
    if (known >= 0) {
      const r = decryptInSession(sessions[known]!, msg, ad);
      return { state: promote(sessions, known, r.session), plaintext: r.plaintext, peerAddress: r.session.peerAddress };
    }
    const fresh = x3dhRespond(self, initial);
    if (state && !sameAddress(fresh.peerAddress, state.current.peerAddress)) bad('initial message is from another peer than this state');
    const r = decryptInSession(fresh, msg, ad);
    return { state: promote([fresh, ...sessions], 0, r.session), plaintext: r.plaintext, peerAddress: r.session.peerAddress };
  }
  if (!state) bad('no session with this peer and not an initial message');
  let firstError: unknown;
  for (let i = 0; i < sessions.length; i++) {
    try {
      const r = decryptInSession(sessions[i]!, msg, ad);
      return { state: promote(sessions, i, r.session), plaintext: r.plaintext, peerAddress: r.session.peerAddress };
    } catch (e) {
      firstError ??= e;
    }
  }
  throw firstError;
}

/**
 * Decrypts a message from the peer of `state`, or — with `state` null or a new initial header —
 * runs X3DH as Bob with one of `self.prekeys`, verifying the sender's identity certificate.
 * `peerAddress` is the certified sender: the caller must check it is the envelope's sender.
 * Any failure throws BuError('BAD_ENVELOPE') and leaves `state` as it was.
 */
export function ratchetDecrypt(state: RatchetState | null, message: Uint8Array, ad: Uint8Array, self: RatchetSelf): DecryptResult {
  try {
    if (!(ad instanceof Uint8Array)) bad('ad must be bytes');
    return decryptRecord(state, decodeMessage(message), ad, self);
  } catch (e) {
    if (isBuError(e, 'BAD_ENVELOPE')) throw e;
    bad(e instanceof Error ? e.message : String(e), e);
  }
}
