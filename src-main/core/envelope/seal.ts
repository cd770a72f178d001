/**
 * @module envelope/seal
 * Sealing and opening the seed's Msg ("Message Format": the receiver decrypts with the ECDHE
 * derived AES key, hashes the plaintext, recovers the signer from `signed_data_hash` and checks
 * it against `src_addr`, and checks `dst_addr` is its own).
 *
 * ```
 * header         = "BU-MSG-v1\0" ‖ u32be(version) ‖ u32be(ts) ‖ lower(src) ‖ 0x00 ‖ lower(dst) ‖ 0x00
 * signedDataHash = secp256k1 sign (RFC 6979, r ‖ s ‖ v) of sha256(header ‖ sha256(plaintext))
 * encryptedData  = nonce(12, random) ‖ AES-256-GCM(key, nonce, plaintext, aad = header)
 * ```
 *
 * The AAD binds version, ts and both addresses to the ciphertext; the signature binds them to
 * the plaintext and to the sender's identity key (its Ethereum address, EIP-55 compared
 * case-insensitively). Only low-s signatures with v ∈ {0,1} are accepted (SEC 1 / EIP-2), so
 * `(ts, signedDataHash)` is a unique, non-malleable duplicate key.
 */
import { BuError, concatBytes, u32be, utf8 } from '../base';
import { addressOf, aesGcmOpen, aesGcmSeal, NONCE_LENGTH, publicKeyOf, randomBytes, recoverPublicKey, sameAddress, sha256, signHash, TAG_LENGTH } from '../crypto';
import { ENVELOPE_VERSION, SCHEME_SESSION, type Msg } from './msg-codec';

const DOMAIN = utf8('BU-MSG-v1\0');
/** secp256k1 group order n (SEC 2 §2.4.1); s must be ≤ n/2. */
const CURVE_ORDER_HALF = 0xffffffffffffffffffffffffffffffffbaaedce6af48a03bbfd25e8cd0364141n >> 1n;

/** The header bytes that are both signed (with the plaintext hash) and used as AES-GCM AAD. */
export function envelopeHeader(version: number, ts: number, srcAddr: string, dstAddr: string): Uint8Array {
  const z = new Uint8Array([0]);
  return concatBytes(DOMAIN, u32be(version), u32be(ts), utf8(srcAddr.toLowerCase()), z, utf8(dstAddr.toLowerCase()), z);
}

/** The 32-byte hash the sender signs. */
export function envelopeSigningHash(header: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return sha256(header, sha256(plaintext));
}

function isLowS(sig: Uint8Array): boolean {
  let s = 0n;
  for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(sig[i]!);
  return s > 0n && s <= CURVE_ORDER_HALF;
}

export type Signer = { privateKey: Uint8Array; address: string };

/**
 * Sign `plaintext` and encrypt it with `encrypt(plaintext, header)` (the header is the AEAD's
 * associated data). `sealEnvelope` is this with the session envelope key; the mailbox passes a
 * Double Ratchet encryptor and `scheme = SCHEME_RATCHET`.
 */
export function sealEnvelopeWith(a: {
  ts: number;
  signer: Signer;
  dstAddr: string;
  plaintext: Uint8Array;
  encrypt: (plaintext: Uint8Array, header: Uint8Array) => Uint8Array;
  scheme?: number;
}): Msg {
  if (!Number.isInteger(a.ts) || a.ts < -0x8000_0000 || a.ts > 0x7fff_ffff) throw new BuError('BAD_INPUT', 'ts must be an int32');
  if (a.dstAddr.includes('\0') || a.dstAddr.length === 0) throw new BuError('BAD_INPUT', 'invalid destination address');
  let signerAddress: string;
  try {
    signerAddress = addressOf(publicKeyOf(a.signer.privateKey));
  } catch {
    throw new BuError('BAD_INPUT', 'invalid signer private key');
  }
  if (!sameAddress(signerAddress, a.signer.address)) throw new BuError('BAD_INPUT', 'signer address does not match its private key');
  const header = envelopeHeader(ENVELOPE_VERSION, a.ts, a.signer.address, a.dstAddr);
  const signedDataHash = signHash(envelopeSigningHash(header, a.plaintext), a.signer.privateKey);
  const encryptedData = a.encrypt(a.plaintext, header);
  const msg: Msg = { version: ENVELOPE_VERSION, ts: a.ts, srcAddr: a.signer.address, dstAddr: a.dstAddr, signedDataHash, encryptedData };
  if (a.scheme) msg.scheme = a.scheme;
  return msg;
}

export function sealEnvelope(a: { ts: number; signer: Signer; dstAddr: string; plaintext: Uint8Array; key: Uint8Array }): Msg {
  if (a.key.length !== 32) throw new BuError('BAD_INPUT', 'envelope key must be 32 bytes');
  return sealEnvelopeWith({
    ...a,
    encrypt: (plaintext, header) => {
      const nonce = randomBytes(NONCE_LENGTH);
      return concatBytes(nonce, aesGcmSeal(a.key, nonce, plaintext, header));
    },
  });
}

const bad = (why: string) => new BuError('BAD_ENVELOPE', why);

/**
 * Check, decrypt with `decrypt(encryptedData, header)` (null = failure), then verify the
 * signature against src_addr. Cheap structural checks come before any decryption.
 */
export function openEnvelopeWith(
  m: Msg,
  a: { selfAddress: string; decrypt: (encryptedData: Uint8Array, header: Uint8Array) => Uint8Array | null },
): { plaintext: Uint8Array; signerPublicKey: Uint8Array } {
  if (m.version !== ENVELOPE_VERSION) throw bad(`unsupported envelope version ${m.version}`);
  if (!sameAddress(m.dstAddr, a.selfAddress)) throw bad('envelope is addressed to someone else');
  if (m.srcAddr.includes('\0')) throw bad('invalid source address');
  const sig = m.signedDataHash;
  if (sig.length !== 65 || sig[64]! > 1 || !isLowS(sig)) throw bad('malformed signature');
  const header = envelopeHeader(m.version, m.ts, m.srcAddr, m.dstAddr);
  const plaintext = a.decrypt(m.encryptedData, header);
  if (!plaintext) throw bad('envelope decryption failed');
  const signerPublicKey = recoverPublicKey(envelopeSigningHash(header, plaintext), sig);
  if (!signerPublicKey) throw bad('signature does not recover a public key');
  if (!sameAddress(addressOf(signerPublicKey), m.srcAddr)) throw bad('signature does not match the source address');
  return { plaintext, signerPublicKey };
}

export function openEnvelope(m: Msg, a: { key: Uint8Array; selfAddress: string }): { plaintext: Uint8Array; signerPublicKey: Uint8Array } {
  if ((m.scheme ?? SCHEME_SESSION) !== SCHEME_SESSION) throw bad(`envelope scheme ${m.scheme} needs another key`);
  if (a.key.length !== 32) throw bad('envelope key must be 32 bytes');
  return openEnvelopeWith(m, {
    selfAddress: a.selfAddress,
    decrypt: (data, header) => {
      if (data.length < NONCE_LENGTH + TAG_LENGTH) return null;
      return aesGcmOpen(a.key, data.subarray(0, NONCE_LENGTH), data.subarray(NONCE_LENGTH), header);
    },
  });
}
