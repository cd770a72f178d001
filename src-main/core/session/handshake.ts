/**
 * @module session/handshake
 * The cryptographic core of the session handshake, without I/O: SIGMA-I (Krawczyk, "SIGMA: the
 * 'SIGn-and-MAc' Approach to Authenticated Diffie-Hellman", CRYPTO 2003) in the TLS 1.3 style
 * (RFC 8446 §4.4: signatures over a running transcript hash, identities sent encrypted).
 *
 * ```
 * I → R  INIT      sid_i, e_i                                   (padded, mac1/mac2 outside the transcript)
 * R → I  RESPONSE  sid_r, sid_i, e_r, AEAD_kR(pub_r ‖ sig_r)
 * I → R  FINISH    sid_r, AEAD_kI(pub_i ‖ sig_i ‖ epoch)
 *
 * H  = SHA256(PROTOCOL_NAME);  H = SHA256(H ‖ INIT body);  H = SHA256(H ‖ RESPONSE head)  = H2
 * ck ‖ kR ‖ kI = HKDF-SHA256(ikm = X25519(e_i, e_r), salt = H2, "BU-SESSION-v1 handshake", 96)
 * sig_r = secp256k1 sign(SHA256("BU-SESSION-v1 responder signature\0" ‖ SHA256(H2 ‖ pub_r)))
 * H3 = SHA256(SHA256(H2 ‖ pub_r) ‖ sig_r);  H4 = SHA256(H3 ‖ FINISH head)
 * sig_i = secp256k1 sign(SHA256("BU-SESSION-v1 initiator signature\0" ‖ SHA256(H4 ‖ pub_i)))
 * H5 = SHA256(SHA256(H4 ‖ pub_i) ‖ sig_i ‖ epoch)
 * each transport/envelope key = HKDF-SHA256(ikm = ck, salt = H5, label, 32), four distinct labels
 * ```
 *
 * Each signature covers both ephemerals, both session ids and every identity revealed so far,
 * so it cannot be replayed into another handshake or reflected (distinct role labels); the
 * AEADs under DH-derived keys are SIGMA's MACs binding each identity to the shared secret. The
 * responder reveals its identity only to the holder of e_i (hidden from passive observers), the
 * initiator only after authenticating the responder (hidden from active attackers too).
 * Handshake AEADs use a zero nonce: kR and kI are single-use keys.
 */
import { concatBytes, u32be, utf8 } from '../base';
import {
  addressOf,
  aesGcmOpen,
  aesGcmSeal,
  generateX25519,
  hkdf,
  normalizePublicKey,
  sha256,
  signHash,
  verifyHash,
  x25519Shared,
  type X25519KeyPair,
} from '../crypto';
import {
  EPHEMERAL_BYTES,
  FINISH_HEAD,
  FINISH_SIZE,
  IDENTITY_KEY_BYTES,
  INIT_MAC1_OFFSET,
  INIT_SIZE,
  PacketType,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
  RESPONSE_HEAD,
  RESPONSE_SIZE,
  SIGNATURE_BYTES,
} from './constants';

export type HandshakeIdentity = { privateKey: Uint8Array; publicKey: Uint8Array; address: string };
export type TransportKeys = { sendKey: Uint8Array; recvKey: Uint8Array; sendEnvKey: Uint8Array; recvEnvKey: Uint8Array };
export type ProvenPeer = { publicKey: Uint8Array; address: string };

const ZERO_NONCE = new Uint8Array(12);
const LABEL_HANDSHAKE = utf8('BU-SESSION-v1 handshake');
const LABEL_SIG_R = utf8('BU-SESSION-v1 responder signature\0');
const LABEL_SIG_I = utf8('BU-SESSION-v1 initiator signature\0');
const LABEL_T_I2R = utf8('BU-SESSION-v1 transport i->r');
const LABEL_T_R2I = utf8('BU-SESSION-v1 transport r->i');
const LABEL_E_I2R = utf8('BU-SESSION-v1 envelope i->r');
const LABEL_E_R2I = utf8('BU-SESSION-v1 envelope r->i');

let h0: Uint8Array | null = null;
const initialHash = () => (h0 ??= sha256(utf8(PROTOCOL_NAME)));
const mix = (h: Uint8Array, ...parts: Uint8Array[]) => sha256(h, ...parts);

export function readU32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

export function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

function header(type: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b[0] = type;
  b[1] = PROTOCOL_VERSION;
  return b;
}

function validHeader(b: Uint8Array, type: number, size: number): boolean {
  return b.length === size && b[0] === type && b[1] === PROTOCOL_VERSION && b[2] === 0 && b[3] === 0;
}

function dhKeys(priv: X25519KeyPair['privateKey'], peerEphemeral: Uint8Array, h2: Uint8Array) {
  let dh: Uint8Array;
  try {
    dh = x25519Shared(priv, peerEphemeral);
  } catch {
    return null; // low-order point or malformed key
  }
  const okm = hkdf(dh, h2, LABEL_HANDSHAKE, 96);
  dh.fill(0);
  return { ck: okm.subarray(0, 32), kR: okm.subarray(32, 64), kI: okm.subarray(64, 96) };
}

function transportKeys(ck: Uint8Array, h5: Uint8Array, initiator: boolean): TransportKeys {
  const i2r = hkdf(ck, h5, LABEL_T_I2R, 32);
  const r2i = hkdf(ck, h5, LABEL_T_R2I, 32);
  const ei2r = hkdf(ck, h5, LABEL_E_I2R, 32);
  const er2i = hkdf(ck, h5, LABEL_E_R2I, 32);
  return initiator ? { sendKey: i2r, recvKey: r2i, sendEnvKey: ei2r, recvEnvKey: er2i } : { sendKey: r2i, recvKey: i2r, sendEnvKey: er2i, recvEnvKey: ei2r };
}

/** Open an identity block (pub ‖ sig ‖ extra; AAD = transcript h) and verify the signature over h ‖ pub. */
function openIdentity(key: Uint8Array, sealed: Uint8Array, h: Uint8Array, label: Uint8Array) {
  const pt = aesGcmOpen(key, ZERO_NONCE, sealed, h);
  if (!pt) return null;
  const pub = pt.subarray(0, IDENTITY_KEY_BYTES);
  const sig = pt.subarray(IDENTITY_KEY_BYTES, IDENTITY_KEY_BYTES + SIGNATURE_BYTES);
  let publicKey: Uint8Array;
  try {
    publicKey = normalizePublicKey(pub);
  } catch {
    return null;
  }
  const hId = mix(h, pub);
  if (sig[64]! > 1 || !verifyHash(sha256(label, hId), sig, publicKey)) return null;
  return { publicKey, address: addressOf(publicKey), sig: Uint8Array.from(sig), hId, rest: pt.subarray(IDENTITY_KEY_BYTES + SIGNATURE_BYTES) };
}

/** A verified RESPONSE, not yet acted on (the caller checks the identity before `writeFinish`). */
export type ResponseResult = { peer: ProvenPeer; remoteSid: number; h3: Uint8Array; ck: Uint8Array; kI: Uint8Array };

/** Initiator side: INIT now, RESPONSE → identity of the responder, then FINISH + keys. */
export class Initiator {
  /** INIT packet with zeroed mac1/mac2 (stamped by the cookie module). */
  readonly init: Uint8Array;
  private readonly eph: X25519KeyPair;
  private readonly h1: Uint8Array;
  private finished = false;

  constructor(readonly localSid: number) {
    this.eph = generateX25519();
    this.init = header(PacketType.INIT, INIT_SIZE);
    writeU32(this.init, 4, localSid);
    this.init.set(this.eph.publicKey, 8);
    this.h1 = mix(initialHash(), this.init.subarray(0, INIT_MAC1_OFFSET));
  }

  get ephemeralPublic(): Uint8Array {
    return this.eph.publicKey;
  }

  /**
   * Verify a RESPONSE (one DH + one signature verification). Pure: a response from the wrong
   * identity does not spoil the handshake for another endpoint's response. Null → drop.
   */
  readResponse(pkt: Uint8Array): ResponseResult | null {
    if (this.finished || !validHeader(pkt, PacketType.RESPONSE, RESPONSE_SIZE) || readU32(pkt, 8) !== this.localSid) return null;
    const h2 = mix(this.h1, pkt.subarray(0, RESPONSE_HEAD));
    const k = dhKeys(this.eph.privateKey, pkt.subarray(12, 12 + EPHEMERAL_BYTES), h2);
    if (!k) return null;
    const id = openIdentity(k.kR, pkt.subarray(RESPONSE_HEAD), h2, LABEL_SIG_R);
    if (!id) return null;
    return { peer: { publicKey: id.publicKey, address: id.address }, remoteSid: readU32(pkt, 4), h3: mix(id.hId, id.sig), ck: k.ck, kI: k.kI };
  }

  /** FINISH carrying our identity and epoch proposal (one signature), and the transport keys. */
  writeFinish(identity: HandshakeIdentity, epoch: number, r: ResponseResult): { packet: Uint8Array; keys: TransportKeys } {
    if (this.finished) throw new Error('handshake already finished');
    this.finished = true;
    const packet = header(PacketType.FINISH, FINISH_SIZE);
    writeU32(packet, 4, r.remoteSid);
    const h4 = mix(r.h3, packet.subarray(0, FINISH_HEAD));
    const hId = mix(h4, identity.publicKey);
    const sig = signHash(sha256(LABEL_SIG_I, hId), identity.privateKey);
    const ep = u32be(epoch);
    packet.set(aesGcmSeal(r.kI, ZERO_NONCE, concatBytes(identity.publicKey, sig, ep), h4), FINISH_HEAD);
    const keys = transportKeys(r.ck, mix(hId, sig, ep), true);
    r.ck.fill(0);
    r.kI.fill(0);
    return { packet, keys };
  }
}

/** What the responder keeps between RESPONSE and FINISH. */
export type ResponderState = { localSid: number; remoteSid: number; h3: Uint8Array; ck: Uint8Array; kI: Uint8Array };

/** Responder side: answer a (mac-checked) INIT. One DH + one signature; null if the INIT is unusable. */
export function respond(identity: HandshakeIdentity, init: Uint8Array, localSid: number): { packet: Uint8Array; state: ResponderState } | null {
  if (!validHeader(init, PacketType.INIT, INIT_SIZE)) return null;
  const eph = generateX25519();
  const h1 = mix(initialHash(), init.subarray(0, INIT_MAC1_OFFSET));
  const packet = header(PacketType.RESPONSE, RESPONSE_SIZE);
  const remoteSid = readU32(init, 4);
  writeU32(packet, 4, localSid);
  writeU32(packet, 8, remoteSid);
  packet.set(eph.publicKey, 12);
  const h2 = mix(h1, packet.subarray(0, RESPONSE_HEAD));
  const k = dhKeys(eph.privateKey, init.subarray(8, 8 + EPHEMERAL_BYTES), h2);
  if (!k) return null;
  const hId = mix(h2, identity.publicKey);
  const sig = signHash(sha256(LABEL_SIG_R, hId), identity.privateKey);
  packet.set(aesGcmSeal(k.kR, ZERO_NONCE, concatBytes(identity.publicKey, sig), h2), RESPONSE_HEAD);
  return { packet, state: { localSid, remoteSid, h3: mix(hId, sig), ck: k.ck, kI: k.kI } };
}

/** Responder side: verify FINISH. One verify; null (drop) on any failure. */
export function readFinish(state: ResponderState, pkt: Uint8Array): { peer: ProvenPeer; epoch: number; keys: TransportKeys } | null {
  if (!validHeader(pkt, PacketType.FINISH, FINISH_SIZE) || readU32(pkt, 4) !== state.localSid) return null;
  const h4 = mix(state.h3, pkt.subarray(0, FINISH_HEAD));
  const id = openIdentity(state.kI, pkt.subarray(FINISH_HEAD), h4, LABEL_SIG_I);
  if (!id || id.rest.length !== 4) return null;
  const ep = Uint8Array.from(id.rest);
  return { peer: { publicKey: id.publicKey, address: id.address }, epoch: readU32(ep, 0), keys: transportKeys(state.ck, mix(id.hId, id.sig, ep), false) };
}
