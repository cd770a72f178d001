/**
 * @module account/vault
 * The password-protected account file (the seed's "keystore encrypted by AES with a key from a
 * PBKDF"). It holds the recovery phrase (or an imported key) and the random 32-byte key of the
 * SQLCipher database, so one password unlocks everything.
 *
 * File (JSON, mode 0600):
 *   { version: 1, address, kdf: { name: 'scrypt', n, r, p, salt },
 *     cipher: { name: 'aes-256-gcm', iv, ciphertext } }
 *   key        = scrypt(NFKC(password), salt, n, r=8, p=1)                       (RFC 7914)
 *   ciphertext = AES-256-GCM(key, iv, JSON{secret, dbKey}, aad = header)      (NIST SP 800-38D)
 * where `header` is every field except the ciphertext, serialised in a fixed order. The address
 * stays in clear so a locked app can say whose account it is; binding it (and the KDF
 * parameters) as AAD means nobody can swap it or weaken the KDF without the unlock failing.
 * A wrong password is a GCM authentication failure → WRONG_PASSWORD; unlocking never writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { BuError, fromHex, fromUtf8, toHex, utf8 } from '../base';
import { aesGcmOpen, aesGcmSeal, isValidPrivateKey, randomBytes, sameAddress } from '../crypto';
import { writeFileAtomic } from './atomic-file';
import { deriveChatIdentity } from './hd';
import { identityFromPrivateKey, type Identity } from './identity';
import { encryptKeystoreV3 } from './keystore-v3';
import { isValidScryptParams, passwordBytes, scryptAsync, type ScryptParams } from './kdf';
import { mnemonicToSeed, normalizeMnemonic, validateMnemonic } from './mnemonic';

export type VaultSecret = { kind: 'mnemonic'; mnemonic: string } | { kind: 'key'; privateKey: Uint8Array };
export type UnlockedVault = { identity: Identity; dbKey: Uint8Array; secret: VaultSecret };

export const VAULT_VERSION = 1;
export const VAULT_DEFAULT_SCRYPT_N = 2 ** 17;
export const MIN_PASSWORD_LENGTH = 8;
const AAD_PREFIX = 'BU-VAULT-v1\0';

type VaultFile = {
  version: number;
  address: string;
  kdf: { name: 'scrypt'; n: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string; ciphertext: string };
};

export class Vault {
  readonly file: string;
  private readonly scrypt: ScryptParams;

  constructor(file: string, opts: { scryptN?: number } = {}) {
    this.file = file;
    this.scrypt = { n: opts.scryptN ?? VAULT_DEFAULT_SCRYPT_N, r: 8, p: 1 };
    if (!isValidScryptParams(this.scrypt)) throw new BuError('BAD_INPUT', 'scryptN must be a power of two from 2 to 2^20.');
  }

  exists(): boolean {
    return existsSync(this.file);
  }

  /** The account's EIP-55 address, readable without the password; null if there is no (readable) vault. */
  address(): string | null {
    try {
      return parseVault(readFileSync(this.file, 'utf8')).address;
    } catch {
      return null;
    }
  }

  async create(secret: VaultSecret, password: string): Promise<UnlockedVault> {
    if (this.exists()) throw new BuError('ACCOUNT_EXISTS', 'An account already exists in this profile.');
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
      throw new BuError('WEAK_PASSWORD', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    const { identity, secret: canonical } = openSecret(secret);
    const dbKey = randomBytes(32);
    const salt = randomBytes(32);
    const iv = randomBytes(12);
    const key = await scryptAsync(passwordBytes(password), salt, 32, this.scrypt);
    const head: Omit<VaultFile, 'cipher'> & { cipher: { name: 'aes-256-gcm'; iv: string } } = {
      version: VAULT_VERSION,
      address: identity.address,
      kdf: { name: 'scrypt', n: this.scrypt.n, r: this.scrypt.r, p: this.scrypt.p, salt: toHex(salt) },
      cipher: { name: 'aes-256-gcm', iv: toHex(iv) },
    };
    const sealed = aesGcmSeal(key, iv, encodePlaintext(canonical, dbKey), headerAad(head));
    key.fill(0);
    const doc: VaultFile = { ...head, cipher: { ...head.cipher, ciphertext: toHex(sealed) } };
    // Re-check after the slow KDF: never overwrite an account created meanwhile.
    if (this.exists()) throw new BuError('ACCOUNT_EXISTS', 'An account already exists in this profile.');
    writeFileAtomic(this.file, JSON.stringify(doc, null, 2) + '\n', 0o600);
    return { identity, dbKey, secret: canonical };
  }

  async unlock(password: string): Promise<UnlockedVault> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BuError('NO_ACCOUNT', 'There is no account on this device yet.');
      throw new BuError('INTERNAL', 'The account file could not be read.', { cause: err });
    }
    const doc = parseVault(text);
    const key = await scryptAsync(passwordBytes(String(password)), fromHex(doc.kdf.salt), 32, doc.kdf);
    const plain = aesGcmOpen(key, fromHex(doc.cipher.iv), fromHex(doc.cipher.ciphertext), headerAad(doc));
    key.fill(0);
    if (!plain) throw new BuError('WRONG_PASSWORD', 'That password is not correct.');
    const { secret, dbKey } = decodePlaintext(plain);
    plain.fill(0);
    const { identity } = openSecret(secret);
    if (!sameAddress(identity.address, doc.address)) throw damaged('its address does not match its key');
    return { identity, dbKey, secret };
  }

  /** Unlocks with `password` and returns the identity key as a Web3 Secret Storage v3 JSON under the same password. */
  async exportKeystore(password: string): Promise<string> {
    const { identity } = await this.unlock(password);
    return encryptKeystoreV3(identity.privateKey, password, { n: this.scrypt.n, r: this.scrypt.r, p: this.scrypt.p });
  }
}

function openSecret(secret: VaultSecret): { identity: Identity; secret: VaultSecret } {
  if (secret?.kind === 'mnemonic') {
    if (typeof secret.mnemonic !== 'string' || !validateMnemonic(secret.mnemonic)) {
      throw new BuError('BAD_MNEMONIC', 'That recovery phrase is not valid. Check the words and their order.');
    }
    const mnemonic = normalizeMnemonic(secret.mnemonic);
    return { identity: deriveChatIdentity(mnemonicToSeed(mnemonic)), secret: { kind: 'mnemonic', mnemonic } };
  }
  if (secret?.kind === 'key') {
    if (!(secret.privateKey instanceof Uint8Array) || !isValidPrivateKey(secret.privateKey)) {
      throw new BuError('BAD_INPUT', 'That is not a valid secp256k1 private key.');
    }
    const identity = identityFromPrivateKey(secret.privateKey);
    return { identity, secret: { kind: 'key', privateKey: new Uint8Array(identity.privateKey) } };
  }
  throw new BuError('BAD_INPUT', 'Unknown account secret.');
}

function headerAad(d: Pick<VaultFile, 'version' | 'address' | 'kdf'> & { cipher: { name: string; iv: string } }): Uint8Array {
  const canonical = {
    version: d.version,
    address: d.address,
    kdf: { name: d.kdf.name, n: d.kdf.n, r: d.kdf.r, p: d.kdf.p, salt: d.kdf.salt },
    cipher: { name: d.cipher.name, iv: d.cipher.iv },
  };
  return utf8(AAD_PREFIX + JSON.stringify(canonical));
}

function encodePlaintext(secret: VaultSecret, dbKey: Uint8Array): Uint8Array {
  const s = secret.kind === 'mnemonic' ? { kind: 'mnemonic', mnemonic: secret.mnemonic } : { kind: 'key', privateKey: toHex(secret.privateKey) };
  return utf8(JSON.stringify({ secret: s, dbKey: toHex(dbKey) }));
}

function decodePlaintext(plain: Uint8Array): { secret: VaultSecret; dbKey: Uint8Array } {
  try {
    const v = JSON.parse(fromUtf8(plain)) as { secret?: { kind?: unknown; mnemonic?: unknown; privateKey?: unknown }; dbKey?: unknown };
    const dbKey = fromHex(String(v.dbKey));
    if (dbKey.length !== 32) throw new Error('dbKey length');
    const s = v.secret;
    if (s?.kind === 'mnemonic' && typeof s.mnemonic === 'string') return { secret: { kind: 'mnemonic', mnemonic: s.mnemonic }, dbKey };
    if (s?.kind === 'key' && typeof s.privateKey === 'string') return { secret: { kind: 'key', privateKey: fromHex(s.privateKey) }, dbKey };
    throw new Error('secret');
  } catch (err) {
    throw damaged('its contents are malformed', err);
  }
}

function damaged(why: string, cause?: unknown): BuError {
  return new BuError('BAD_KEYSTORE', `The account file is damaged: ${why}.`, { cause });
}

const HEX = /^[0-9a-f]*$/;

function parseVault(text: string): VaultFile {
  let d: VaultFile;
  try {
    d = JSON.parse(text) as VaultFile;
  } catch (err) {
    throw damaged('it is not JSON', err);
  }
  const ok =
    typeof d === 'object' &&
    d !== null &&
    d.version === VAULT_VERSION &&
    typeof d.address === 'string' &&
    /^0x[0-9a-fA-F]{40}$/.test(d.address) &&
    d.kdf?.name === 'scrypt' &&
    isValidScryptParams({ n: d.kdf.n, r: d.kdf.r, p: d.kdf.p }) &&
    typeof d.kdf.salt === 'string' &&
    HEX.test(d.kdf.salt) &&
    d.kdf.salt.length >= 32 &&
    d.cipher?.name === 'aes-256-gcm' &&
    typeof d.cipher.iv === 'string' &&
    HEX.test(d.cipher.iv) &&
    d.cipher.iv.length === 24 &&
    typeof d.cipher.ciphertext === 'string' &&
    HEX.test(d.cipher.ciphertext) &&
    d.cipher.ciphertext.length >= 34 &&
    d.cipher.ciphertext.length % 2 === 0;
  if (!ok) throw damaged('unexpected format or version');
  return d;
}
