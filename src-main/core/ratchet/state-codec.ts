/**
 * @module ratchet/state-codec
 * Versioned binary storage encoding of a `RatchetState` (meant for the SQLCipher store, which
 * encrypts it at rest). All integers big-endian.
 *
 * ```
 * state   = "BURS" ‖ u8 version = 1 ‖ u8 sessionCount (1 + archived) ‖ session × sessionCount (current first)
 * session = selfAddress (20) ‖ peerAddress (20) ‖ sessionId (32) ‖ u16 adLength ‖ ad ‖ rootKey (32) ‖
 *           dhSelf.private (32) ‖ dhSelf.public (32) ‖ u8 flags (1 dhRemote, 2 sendChain, 4 recvChain, 8 pendingInitial) ‖
 *           [dhRemote (32)] ‖ [sendChain (32)] ‖ [recvChain (32)] ‖ u32 ns ‖ u32 nr ‖ u32 pn ‖
 *           [IK (32) ‖ certificate (65) ‖ EK (32) ‖ u32 prekeyId] ‖ u32 skippedCount ‖ (dh (32) ‖ u32 n ‖ messageKey (32)) × skippedCount
 * ```
 *
 * Worst case (five sessions, 2,000 skipped keys in all) is about 140 KB; a typical state is
 * 0.4–0.5 KB.
 */
import { fromHex, toHex, utf8 } from '../base';
import { checksumAddress } from '../crypto';
import { ByteReader, ByteWriter } from './codec';
import { ADDRESS_LENGTH, CHAIN_KEY_LENGTH, LABEL_X3DH_AD, MAX_ARCHIVED_SESSIONS, MAX_STORED_SKIPPED, RATCHET_VERSION, SIGNATURE_LENGTH, X25519_KEY_LENGTH } from './constants';
import type { RatchetState, SessionState, SkippedKey } from './session';

const MAGIC = utf8('BURS');
const AD_LENGTH = utf8(LABEL_X3DH_AD).length + 2 * (ADDRESS_LENGTH + X25519_KEY_LENGTH);
const F_REMOTE = 1;
const F_SEND = 2;
const F_RECV = 4;
const F_INITIAL = 8;

function writeSession(w: ByteWriter, s: SessionState): void {
  w.bytes(fromHex(checksumAddress(s.selfAddress))).bytes(fromHex(checksumAddress(s.peerAddress))).bytes(s.sessionId).vbytes(s.ad);
  w.bytes(s.rootKey).bytes(s.dhSelf.privateKey).bytes(s.dhSelf.publicKey);
  w.u8((s.dhRemote ? F_REMOTE : 0) | (s.sendChain ? F_SEND : 0) | (s.recvChain ? F_RECV : 0) | (s.pendingInitial ? F_INITIAL : 0));
  if (s.dhRemote) w.bytes(s.dhRemote);
  if (s.sendChain) w.bytes(s.sendChain);
  if (s.recvChain) w.bytes(s.recvChain);
  w.u32(s.ns).u32(s.nr).u32(s.pn);
  const i = s.pendingInitial;
  if (i) w.bytes(i.identityDhKey).bytes(i.certificate).bytes(i.ephemeralKey).u32(i.prekeyId);
  w.u32(s.skipped.length);
  for (const k of s.skipped) w.bytes(k.dh).u32(k.n).bytes(k.messageKey);
}

function readSession(r: ByteReader): SessionState {
  const selfAddress = checksumAddress(toHex(r.bytes(ADDRESS_LENGTH)));
  const peerAddress = checksumAddress(toHex(r.bytes(ADDRESS_LENGTH)));
  const sessionId = r.bytes(X25519_KEY_LENGTH);
  const ad = r.vbytes();
  if (ad.length !== AD_LENGTH) r.fail('bad associated data');
  const rootKey = r.bytes(CHAIN_KEY_LENGTH);
  const dhSelf = { privateKey: r.bytes(X25519_KEY_LENGTH), publicKey: r.bytes(X25519_KEY_LENGTH) };
  const flags = r.u8();
  if (flags & ~(F_REMOTE | F_SEND | F_RECV | F_INITIAL)) r.fail('unknown flags');
  const dhRemote = flags & F_REMOTE ? r.bytes(X25519_KEY_LENGTH) : null;
  const sendChain = flags & F_SEND ? r.bytes(CHAIN_KEY_LENGTH) : null;
  const recvChain = flags & F_RECV ? r.bytes(CHAIN_KEY_LENGTH) : null;
  const ns = r.u32();
  const nr = r.u32();
  const pn = r.u32();
  const pendingInitial =
    flags & F_INITIAL
      ? { identityDhKey: r.bytes(X25519_KEY_LENGTH), certificate: r.bytes(SIGNATURE_LENGTH), ephemeralKey: r.bytes(X25519_KEY_LENGTH), prekeyId: r.u32() }
      : null;
  const count = r.u32();
  if (count > MAX_STORED_SKIPPED) r.fail('too many skipped keys');
  const skipped: SkippedKey[] = [];
  for (let k = 0; k < count; k++) skipped.push({ dh: r.bytes(X25519_KEY_LENGTH), n: r.u32(), messageKey: r.bytes(CHAIN_KEY_LENGTH) });
  return { selfAddress, peerAddress, sessionId, ad, rootKey, dhSelf, dhRemote, sendChain, recvChain, ns, nr, pn, skipped, pendingInitial };
}

export function serializeState(state: RatchetState): Uint8Array {
  const sessions = [state.current, ...state.archived];
  const w = new ByteWriter().bytes(MAGIC).u8(RATCHET_VERSION).u8(sessions.length);
  for (const s of sessions) writeSession(w, s);
  return w.finish();
}

/** Throws BuError('BAD_INPUT') on anything malformed, truncated, of another version or with trailing bytes. */
export function deserializeState(bytes: Uint8Array): RatchetState {
  const r = new ByteReader(bytes, 'BAD_INPUT', 'ratchet state');
  if (toHex(r.bytes(4)) !== toHex(MAGIC)) r.fail('not a ratchet state');
  if (r.u8() !== RATCHET_VERSION) r.fail('unsupported version');
  const count = r.u8();
  if (count < 1 || count > 1 + MAX_ARCHIVED_SESSIONS) r.fail('bad session count');
  const sessions: SessionState[] = [];
  for (let i = 0; i < count; i++) sessions.push(readSession(r));
  r.end();
  const total = sessions.reduce((n, s) => n + s.skipped.length, 0);
  if (total > MAX_STORED_SKIPPED) r.fail('too many skipped keys');
  return { current: sessions[0]!, archived: sessions.slice(1) };
}
