/**
 * @module call/keys
 * Per-call end-to-end media keys, SFrame-like (RFC 9605 ideas). Each call has a fresh
 * ephemeral X25519 key pair per side (RFC 7748); the shared secret feeds HKDF-SHA256
 * (RFC 5869) with a salt binding the call id, both addresses and both public keys, and one
 * `info` label per direction, giving an AES-256-GCM key and a 4-byte salt each way.
 *
 * The nonce of packet `counter` is `salt(4) ‖ u64be(counter)` — the same as SFrame's
 * `salt XOR counter` with the salt left-aligned in the 12-byte nonce and the counter
 * right-aligned. `seal` refuses a counter that is not larger than the last one sealed, so a
 * nonce can never repeat. `wipe()` zeroes the key bytes and makes every later use throw
 * (keys live only for the call: forward secrecy once the call ends).
 *
 * One `CallKeys` object holds both directions: `seal` uses our send key, `open` the peer's.
 */
import type { KeyObject } from 'node:crypto';
import { BuError, concatBytes, utf8 } from '../base';
import { aesGcmOpen, aesGcmSeal, createFastGcm, generateX25519, hkdf, sha256, x25519Shared, type FastGcm } from '../crypto';

export const CALL_KDF_LABEL = 'BU-CALL-v1';
export const INFO_CALLER_TO_CALLEE = 'BU-CALL-v1 caller->callee';
export const INFO_CALLEE_TO_CALLER = 'BU-CALL-v1 callee->caller';
export const CALL_ID_LENGTH = 16;
export const CALL_SALT_LENGTH = 4;
/** Counters stay exact in a JS number. */
export const MAX_MEDIA_COUNTER = Number.MAX_SAFE_INTEGER;

export type CallKeyPair = { publicKey: Uint8Array; privateKey: KeyObject };

export type CallKeys = {
  /** AES-256-GCM of `plaintext` with `header` as AAD; ciphertext ‖ 16-byte tag. */
  seal(header: Uint8Array, plaintext: Uint8Array, counter: number): Uint8Array;
  /** Plaintext, or null if it does not authenticate (wrong key, tampering, bad counter). */
  open(header: Uint8Array, ciphertext: Uint8Array, counter: number): Uint8Array | null;
  /** Erase both keys; later seal/open throw. */
  wipe(): void;
  readonly wiped: boolean;
};

export type DeriveCallKeysInput = {
  callId: Uint8Array;
  own: CallKeyPair;
  peerPublic: Uint8Array;
  callerAddress: string;
  calleeAddress: string;
  weAreCaller: boolean;
};

export function newCallKeyPair(): CallKeyPair {
  const k = generateX25519();
  return { publicKey: k.publicKey, privateKey: k.privateKey };
}

type Direction = { key: Uint8Array; salt: Uint8Array; fast: FastGcm | null };

function direction(ikm: Uint8Array, salt: Uint8Array, info: string): Direction {
  const okm = hkdf(ikm, salt, info, 32 + CALL_SALT_LENGTH);
  const key = okm.slice(0, 32);
  const s = okm.slice(32);
  okm.fill(0);
  return { key, salt: s, fast: createFastGcm(key) };
}

function nonceFor(salt: Uint8Array, counter: number): Uint8Array {
  const n = new Uint8Array(12);
  n.set(salt, 0);
  new DataView(n.buffer).setBigUint64(4, BigInt(counter));
  return n;
}

function validCounter(counter: number): boolean {
  return Number.isInteger(counter) && counter >= 0 && counter <= MAX_MEDIA_COUNTER;
}

/** Derive both directions' keys. Throws BAD_INPUT on malformed input or an all-zero DH. */
export function deriveCallKeys(a: DeriveCallKeysInput): CallKeys {
  if (a.callId.length !== CALL_ID_LENGTH) throw new BuError('BAD_INPUT', 'a call id is 16 bytes');
  if (a.peerPublic.length !== 32) throw new BuError('BAD_INPUT', 'a call public key is 32 bytes');
  let shared: Uint8Array;
  try {
    shared = x25519Shared(a.own.privateKey, a.peerPublic);
  } catch (e) {
    throw new BuError('BAD_INPUT', 'the peer call key is not usable', { cause: e });
  }
  const callerPub = a.weAreCaller ? a.own.publicKey : a.peerPublic;
  const calleePub = a.weAreCaller ? a.peerPublic : a.own.publicKey;
  const salt = sha256(
    concatBytes(utf8(CALL_KDF_LABEL), a.callId, utf8(a.callerAddress.toLowerCase()), utf8(a.calleeAddress.toLowerCase()), callerPub, calleePub),
  );
  const c2e = direction(shared, salt, INFO_CALLER_TO_CALLEE);
  const e2c = direction(shared, salt, INFO_CALLEE_TO_CALLER);
  shared.fill(0);
  const send = a.weAreCaller ? c2e : e2c;
  const recv = a.weAreCaller ? e2c : c2e;
  let wiped = false;
  let lastSealed = -1;
  const alive = (): void => {
    if (wiped) throw new BuError('NO_CALL', 'the call keys were erased');
  };
  return {
    get wiped() {
      return wiped;
    },
    seal(header, plaintext, counter) {
      alive();
      if (!validCounter(counter) || counter <= lastSealed) throw new BuError('INTERNAL', 'media counter reused or out of range');
      lastSealed = counter;
      const nonce = nonceFor(send.salt, counter);
      if (send.fast) return new Uint8Array(send.fast.seal(nonce, header, plaintext));
      return aesGcmSeal(send.key, nonce, plaintext, header);
    },
    open(header, ciphertext, counter) {
      alive();
      if (!validCounter(counter)) return null;
      const nonce = nonceFor(recv.salt, counter);
      if (recv.fast) {
        const p = recv.fast.open(nonce, header, ciphertext);
        return p ? new Uint8Array(p) : null;
      }
      return aesGcmOpen(recv.key, nonce, ciphertext, header);
    },
    wipe() {
      wiped = true;
      for (const d of [send, recv]) {
        d.key.fill(0);
        d.salt.fill(0);
        d.fast = null;
      }
    },
  };
}
