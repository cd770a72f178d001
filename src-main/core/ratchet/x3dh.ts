/**
 * @module ratchet/x3dh
 * X3DH key agreement (Signal X3DH rev. 1, §3.3 and §3.4) without one-time prekeys, followed by
 * the Double Ratchet initialisation of Signal Double Ratchet rev. 4, §3.3 and §7.1 (Bob's signed
 * prekey is his first ratchet key pair):
 *
 * ```
 * DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)
 * SK  = KDF(DH1 ‖ DH2 ‖ DH3)                                   (see kdf.ts)
 * AD  = "BU-RATCHET-v1 AD\0" ‖ address_A (20) ‖ IK_A ‖ address_B (20) ‖ IK_B
 * ```
 *
 * IK are the X25519 identity DH keys of `identity-dh.ts`; the addresses in AD bind each of them
 * to the secp256k1 identity that certified it (§4.1 suggests adding such identifiers to AD).
 * Alice's ephemeral private key is dropped as soon as SK is known (§3.3).
 */
import { BuError, concatBytes, fromHex, utf8 } from '../base';
import { checksumAddress, sameAddress } from '../crypto';
import { verifyBundle, type PrekeyBundle, type PrekeySecret } from './bundle';
import { LABEL_X3DH_AD } from './constants';
import { certifiedAddress, certifyIdentityDhKey, checkIdentity, deriveIdentityDhKey, type RatchetIdentity } from './identity-dh';
import { kdfRk, x3dhSecret } from './kdf';
import type { InitialHeader } from './message';
import type { SessionState } from './session';
import { dh, generateRawX25519, rawX25519FromPrivate } from './x25519-raw';

export function x3dhAd(initiator: string, initiatorIk: Uint8Array, responder: string, responderIk: Uint8Array): Uint8Array {
  return concatBytes(utf8(LABEL_X3DH_AD), fromHex(checksumAddress(initiator)), initiatorIk, fromHex(checksumAddress(responder)), responderIk);
}

/** Alice: a sending session towards the owner of a verified bundle. */
export function x3dhInitiate(self: RatchetIdentity, bundle: PrekeyBundle, opts: { now?: number; maxBundleAgeMs?: number } = {}): SessionState {
  const selfAddress = checkIdentity(self);
  if (!verifyBundle(bundle, { now: opts.now, maxAgeMs: opts.maxBundleAgeMs })) throw new BuError('BAD_ENVELOPE', 'ratchet: prekey bundle does not verify');
  if (sameAddress(bundle.address, selfAddress)) throw new BuError('BAD_INPUT', 'ratchet: cannot open a session with oneself');
  const ik = deriveIdentityDhKey(self.privateKey);
  const ek = generateRawX25519();
  let sk: Uint8Array;
  let first: ReturnType<typeof kdfRk>;
  const ratchetKey = generateRawX25519();
  try {
    sk = x3dhSecret(dh(ik.privateKey, bundle.signedPrekey), dh(ek.privateKey, bundle.identityDhKey), dh(ek.privateKey, bundle.signedPrekey));
    first = kdfRk(sk, dh(ratchetKey.privateKey, bundle.signedPrekey));
  } catch (e) {
    throw new BuError('BAD_ENVELOPE', 'ratchet: prekey bundle holds an invalid X25519 key', { cause: e });
  }
  return {
    selfAddress,
    peerAddress: checksumAddress(bundle.address),
    sessionId: ek.publicKey,
    ad: x3dhAd(selfAddress, ik.publicKey, bundle.address, bundle.identityDhKey),
    rootKey: first.rootKey,
    dhSelf: ratchetKey,
    dhRemote: bundle.signedPrekey,
    sendChain: first.chainKey,
    recvChain: null,
    ns: 0,
    nr: 0,
    pn: 0,
    skipped: [],
    pendingInitial: {
      identityDhKey: ik.publicKey,
      certificate: certifyIdentityDhKey(self.privateKey, ik.publicKey),
      ephemeralKey: ek.publicKey,
      prekeyId: bundle.signedPrekeyId,
    },
  };
}

/** Bob: a session from Alice's initial header (its first message is then decrypted in it). */
export function x3dhRespond(self: { identity: RatchetIdentity; prekeys: readonly PrekeySecret[] }, initial: InitialHeader): SessionState {
  const selfAddress = checkIdentity(self.identity);
  const peerAddress = certifiedAddress(initial.identityDhKey, initial.certificate);
  if (!peerAddress) throw new BuError('BAD_ENVELOPE', 'ratchet: bad identity certificate');
  if (sameAddress(peerAddress, selfAddress)) throw new BuError('BAD_ENVELOPE', 'ratchet: initial message from ourselves');
  const prekey = self.prekeys.find((p) => p.id === initial.prekeyId);
  if (!prekey) throw new BuError('BAD_ENVELOPE', `ratchet: unknown signed prekey ${initial.prekeyId} (rotated out or another device)`);
  const ik = deriveIdentityDhKey(self.identity.privateKey);
  let sk: Uint8Array;
  try {
    sk = x3dhSecret(dh(prekey.privateKey, initial.identityDhKey), dh(ik.privateKey, initial.ephemeralKey), dh(prekey.privateKey, initial.ephemeralKey));
  } catch (e) {
    throw new BuError('BAD_ENVELOPE', 'ratchet: initial header holds an invalid X25519 key', { cause: e });
  }
  return {
    selfAddress,
    peerAddress,
    sessionId: initial.ephemeralKey,
    ad: x3dhAd(peerAddress, initial.identityDhKey, selfAddress, ik.publicKey),
    rootKey: sk,
    dhSelf: rawX25519FromPrivate(prekey.privateKey),
    dhRemote: null,
    sendChain: null,
    recvChain: null,
    ns: 0,
    nr: 0,
    pn: 0,
    skipped: [],
    pendingInitial: null,
  };
}
