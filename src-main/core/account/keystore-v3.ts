/**
 * @module account/keystore-v3
 * Web3 Secret Storage Definition, version 3
 * (https://ethereum.org/developers/docs/data-structures-and-encoding/web3-secret-storage/),
 * the keystore JSON that geth, MetaMask and MyEtherWallet import and export.
 *
 *   derivedKey = scrypt(password, salt, n, r, p, dklen=32)        (or PBKDF2-HMAC-SHA256, c)
 *   ciphertext = AES-128-CTR(key = derivedKey[0..16], iv, privateKey)
 *   mac        = keccak256(derivedKey[16..32] ‖ ciphertext)
 *
 * Written on node:crypto rather than taken from ethers: ethers' scrypt is pure JavaScript and
 * several times slower than OpenSSL's, users wait for it on every import/export, and the format
 * is small enough to own (see README for measurements). We write scrypt keystores and read
 * scrypt and PBKDF2 ones; parameters OpenSSL refuses fall back to @noble/hashes (see kdf.ts).
 */
import { createCipheriv, createDecipheriv, randomUUID } from 'node:crypto';
import { BuError, bytesEqual, concatBytes, fromHex, toHex, utf8 } from '../base';
import { isValidPrivateKey, keccak256, randomBytes } from '../crypto';
import { identityFromPrivateKey } from './identity';
import {
  PBKDF2_MAX_ITERATIONS,
  isValidScryptParams,
  passwordBytes,
  pbkdf2Sha256Async,
  scryptAsync,
  type ScryptParams,
} from './kdf';

export const KEYSTORE_DEFAULT_SCRYPT: ScryptParams = { n: 2 ** 17, r: 8, p: 1 };

export type KeystoreOptions = { n?: number; r?: number; p?: number; salt?: Uint8Array; iv?: Uint8Array; uuid?: string };

type KdfSpec =
  | { kdf: 'scrypt'; dklen: number; salt: Uint8Array; params: ScryptParams }
  | { kdf: 'pbkdf2'; dklen: number; salt: Uint8Array; c: number };

type ParsedKeystore = { iv: Uint8Array; ciphertext: Uint8Array; mac: Uint8Array; kdf: KdfSpec; address: string | null };

function aes128Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ctr', key, iv);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

function aes128CtrDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const d = createDecipheriv('aes-128-ctr', key, iv);
  return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
}

/** Encrypts a private key into a Web3 Secret Storage v3 JSON string (scrypt, aes-128-ctr). */
export async function encryptKeystoreV3(privateKey: Uint8Array, password: string, opts: KeystoreOptions = {}): Promise<string> {
  const identity = identityFromPrivateKey(privateKey);
  const params: ScryptParams = {
    n: opts.n ?? KEYSTORE_DEFAULT_SCRYPT.n,
    r: opts.r ?? KEYSTORE_DEFAULT_SCRYPT.r,
    p: opts.p ?? KEYSTORE_DEFAULT_SCRYPT.p,
  };
  if (!isValidScryptParams(params)) throw new BuError('BAD_INPUT', 'Unsupported scrypt parameters.');
  const salt = opts.salt ?? randomBytes(32);
  const iv = opts.iv ?? randomBytes(16);
  if (iv.length !== 16) throw new BuError('BAD_INPUT', 'The keystore IV must be 16 bytes.');
  if (salt.length < 16) throw new BuError('BAD_INPUT', 'The keystore salt must be at least 16 bytes.');
  const derived = await scryptAsync(passwordBytes(password), salt, 32, params);
  const ciphertext = aes128Ctr(derived.subarray(0, 16), iv, identity.privateKey);
  const mac = keccak256(concatBytes(derived.subarray(16, 32), ciphertext));
  derived.fill(0);
  const doc = {
    version: 3,
    id: opts.uuid ?? randomUUID(),
    address: identity.address.slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: toHex(iv) },
      ciphertext: toHex(ciphertext),
      kdf: 'scrypt',
      kdfparams: { dklen: 32, n: params.n, r: params.r, p: params.p, salt: toHex(salt) },
      mac: toHex(mac),
    },
  };
  return JSON.stringify(doc);
}

/**
 * Decrypts a v3 keystore. BAD_KEYSTORE for anything malformed or unsupported, WRONG_PASSWORD
 * when the MAC does not match. Keys shorter than 32 bytes (written by old tools that dropped
 * leading zeros) are left-padded.
 */
export async function decryptKeystoreV3(json: string, password: string): Promise<Uint8Array> {
  const ks = parseKeystore(json);
  const candidates: Uint8Array[] = [utf8(password)];
  const nfkc = passwordBytes(password);
  if (!bytesEqual(nfkc, candidates[0]!)) candidates.push(nfkc);

  for (const pw of candidates) {
    const derived = await deriveKey(pw, ks.kdf);
    try {
      const mac = keccak256(concatBytes(derived.subarray(16, 32), ks.ciphertext));
      if (!bytesEqual(mac, ks.mac)) continue;
      return checkKey(aes128CtrDecrypt(derived.subarray(0, 16), ks.iv, ks.ciphertext), ks.address);
    } finally {
      derived.fill(0);
    }
  }
  throw new BuError('WRONG_PASSWORD', 'That password is not correct.');
}

function checkKey(plain: Uint8Array, address: string | null): Uint8Array {
  if (plain.length > 32) throw new BuError('BAD_KEYSTORE', 'The keystore does not hold a secp256k1 private key.');
  const key = new Uint8Array(32);
  key.set(plain, 32 - plain.length);
  if (!isValidPrivateKey(key)) throw new BuError('BAD_KEYSTORE', 'The keystore does not hold a valid private key.');
  if (address !== null && identityFromPrivateKey(key).address.slice(2).toLowerCase() !== address) {
    throw new BuError('BAD_KEYSTORE', 'The keystore address does not match its key.');
  }
  return key;
}

async function deriveKey(password: Uint8Array, kdf: KdfSpec): Promise<Uint8Array> {
  try {
    return kdf.kdf === 'scrypt'
      ? await scryptAsync(password, kdf.salt, kdf.dklen, kdf.params)
      : await pbkdf2Sha256Async(password, kdf.salt, kdf.c, kdf.dklen);
  } catch (err) {
    throw new BuError('BAD_KEYSTORE', 'The keystore key-derivation parameters are not usable.', { cause: err });
  }
}

function bad(why: string): never {
  throw new BuError('BAD_KEYSTORE', `That keystore file could not be read: ${why}.`);
}

function hexField(v: unknown, name: string, len?: number): Uint8Array {
  if (typeof v !== 'string') bad(`${name} is missing`);
  let b: Uint8Array;
  try {
    b = fromHex(v);
  } catch {
    bad(`${name} is not hex`);
  }
  if (len !== undefined && b.length !== len) bad(`${name} must be ${len} bytes`);
  return b;
}

function intField(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) bad(`${name} must be a positive integer`);
  return v;
}

function parseKeystore(json: string): ParsedKeystore {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    bad('it is not JSON');
  }
  if (typeof doc !== 'object' || doc === null) bad('it is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.version !== 3) bad('only version 3 keystores are supported');
  const c = (d.crypto ?? d.Crypto) as Record<string, unknown> | undefined; // early geth wrote "Crypto"
  if (typeof c !== 'object' || c === null) bad('the crypto section is missing');
  if (c.cipher !== 'aes-128-ctr') bad(`cipher ${String(c.cipher)} is not supported`);
  const cp = c.cipherparams as Record<string, unknown> | undefined;
  const iv = hexField(cp?.iv, 'iv', 16);
  const ciphertext = hexField(c.ciphertext, 'ciphertext');
  if (ciphertext.length === 0 || ciphertext.length > 32) bad('the ciphertext has the wrong length');
  const mac = hexField(c.mac, 'mac', 32);
  const kp = c.kdfparams as Record<string, unknown> | undefined;
  if (typeof kp !== 'object' || kp === null) bad('kdfparams are missing');
  const dklen = intField(kp.dklen, 'dklen');
  if (dklen < 32 || dklen > 64) bad('dklen must be between 32 and 64');
  const salt = hexField(kp.salt, 'salt');
  let kdf: KdfSpec;
  if (c.kdf === 'scrypt') {
    const params = { n: intField(kp.n, 'n'), r: intField(kp.r, 'r'), p: intField(kp.p, 'p') };
    if (!isValidScryptParams(params)) bad('the scrypt parameters are out of range');
    kdf = { kdf: 'scrypt', dklen, salt, params };
  } else if (c.kdf === 'pbkdf2') {
    if (kp.prf !== 'hmac-sha256') bad(`prf ${String(kp.prf)} is not supported`);
    const iterations = intField(kp.c, 'c');
    if (iterations > PBKDF2_MAX_ITERATIONS) bad('the PBKDF2 iteration count is out of range');
    kdf = { kdf: 'pbkdf2', dklen, salt, c: iterations };
  } else {
    bad(`kdf ${String(c.kdf)} is not supported`);
  }
  let address: string | null = null;
  if (typeof d.address === 'string' && d.address !== '') {
    address = d.address.toLowerCase().replace(/^0x/, '');
    if (!/^[0-9a-f]{40}$/.test(address)) bad('the address is malformed');
  }
  return { iv, ciphertext, mac, kdf, address };
}
