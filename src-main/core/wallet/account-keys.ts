/**
 * @module wallet/account-keys
 * The key-handling half of the wallet accounts (see accounts.ts): private-key input, the
 * at-rest encryption of imported keys, reading and crash-safe writing of the wallet file, and
 * the signing handle that lets the rest of the main process sign without ever seeing a key.
 *
 * Imported keys at rest (NIST SP 800-38D, RFC 5869):
 *   key        = HKDF-SHA256(ikm = wrapKey, salt = "", info = "BU-WALLET-IMPORTS-v1", 32)
 *   ciphertext = AES-256-GCM(key, iv = 12 random bytes per entry, privateKey, aad = address (20 bytes))
 * Binding the address as AAD means an entry cannot be moved under another address; any change
 * to the IV, ciphertext or address fails authentication and is reported, never skipped.
 *
 * Signing: EIP-1559 (type 2) transactions serialised per EIP-2718 by ethers' `Transaction`,
 * EIP-191 `personal_sign` messages and EIP-712 typed data, all signed with our secp256k1
 * (RFC 6979, low-s) over the hash ethers computes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Signature, Transaction, TypedDataEncoder, hashMessage, type TypedDataDomain, type TypedDataField } from 'ethers';
import { BuError, fromHex, toHex, utf8, type ErrorCode } from '../base';
import { identityFromPrivateKey, writeFileAtomic as atomicWrite } from '../account';
import { aesGcmOpen, aesGcmSeal, hkdf, isValidPrivateKey, randomBytes, signHash } from '../crypto';
import { parseAddress } from './address';

/** Code for "a watch-only account cannot sign or export". */
export const WATCH_ONLY_CODE: ErrorCode = 'WATCH_ONLY';

const IMPORTS_INFO = 'BU-WALLET-IMPORTS-v1';
const KEY_CHECK_INFO = 'BU-WALLET-KEYCHECK-v1';
const UINT256_MAX = (1n << 256n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

// ---- inputs ----

/** A 32-byte secp256k1 private key from 64 hex digits (0x optional). */
export function parsePrivateKey(hex: unknown): Uint8Array {
  if (typeof hex !== 'string' || !/^(0x)?[0-9a-fA-F]{64}$/.test(hex.trim())) {
    throw new BuError('BAD_INPUT', 'A private key is 64 hex digits (optionally prefixed by 0x).');
  }
  const key = fromHex(hex.trim());
  if (!isValidPrivateKey(key)) throw new BuError('BAD_INPUT', 'That is not a valid secp256k1 private key.');
  return key;
}

/** A 32-byte key given by the caller (the vault's dbKey), copied. */
export function parseWrapKey(wrapKey: unknown): Uint8Array {
  if (!(wrapKey instanceof Uint8Array) || wrapKey.length !== 32) throw new BuError('BAD_INPUT', 'The wallet wrap key must be 32 bytes.');
  return new Uint8Array(wrapKey);
}

// ---- imported keys at rest ----

export type SealedKey = { iv: string; ciphertext: string };

/** The AES-256-GCM key that wraps imported keys. */
export function importsKey(wrapKey: Uint8Array): Uint8Array {
  return hkdf(wrapKey, new Uint8Array(0), IMPORTS_INFO, 32);
}

/** A public value that tells, before any decryption, whether a file was written under this wrap key. */
export function keyCheck(wrapKey: Uint8Array): string {
  return toHex(hkdf(wrapKey, new Uint8Array(0), KEY_CHECK_INFO, 16));
}

export function sealKey(key: Uint8Array, address: string, privateKey: Uint8Array): SealedKey {
  const iv = randomBytes(12);
  return { iv: toHex(iv), ciphertext: toHex(aesGcmSeal(key, iv, privateKey, fromHex(address))) };
}

/** Decrypts an imported key; BAD_KEYSTORE if the entry was altered (or holds a key of another address). */
export function openKey(key: Uint8Array, address: string, sealed: SealedKey): Uint8Array {
  const bad = () => new BuError('BAD_KEYSTORE', `The stored key of ${address} failed its integrity check: the wallet file was altered or damaged.`);
  let iv: Uint8Array, ct: Uint8Array;
  try {
    iv = fromHex(sealed.iv);
    ct = fromHex(sealed.ciphertext);
  } catch {
    throw bad();
  }
  if (iv.length !== 12) throw bad();
  const plain = aesGcmOpen(key, iv, ct, fromHex(address));
  if (!plain || !isValidPrivateKey(plain) || identityFromPrivateKey(plain).address !== address) throw bad();
  return new Uint8Array(plain);
}

// ---- file ----

type Base = { address: string; name: string; hidden: boolean };
export type Entry =
  | (Base & { kind: 'hd'; index: number })
  | (Base & { kind: 'key' })
  | (Base & { kind: 'imported'; iv: string; ciphertext: string })
  | (Base & { kind: 'watch' });
export type WalletFile = { version: 1; owner: string; keyCheck: string; accounts: Entry[] };

export function damaged(file: string, why: string): never {
  throw new BuError('BAD_KEYSTORE', `The wallet file ${file} is damaged: ${why}.`);
}

function parseFile(file: string, text: string): WalletFile {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    damaged(file, 'it is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || doc.version !== 1) damaged(file, 'unknown version');
  if (typeof doc.owner !== 'string' || typeof doc.keyCheck !== 'string' || !Array.isArray(doc.accounts)) damaged(file, 'fields are missing');
  const seen = new Set<string>();
  const accounts = doc.accounts.map((raw: Record<string, unknown>): Entry => {
    const e = raw ?? {};
    let address: string;
    try {
      address = parseAddress(e.address as string);
    } catch {
      damaged(file, 'an account address is malformed');
    }
    if (seen.has(address)) damaged(file, `${address} is listed twice`);
    seen.add(address);
    if (typeof e.name !== 'string' || typeof e.hidden !== 'boolean') damaged(file, `the entry of ${address} is malformed`);
    const base = { address, name: e.name, hidden: e.hidden };
    if (e.kind === 'hd' && Number.isSafeInteger(e.index) && (e.index as number) >= 0) return { ...base, kind: 'hd', index: e.index as number };
    if (e.kind === 'key' || e.kind === 'watch') return { ...base, kind: e.kind };
    if (e.kind === 'imported' && typeof e.iv === 'string' && typeof e.ciphertext === 'string') {
      return { ...base, kind: 'imported', iv: e.iv, ciphertext: e.ciphertext };
    }
    damaged(file, `the entry of ${address} is malformed`);
  });
  return { version: 1, owner: doc.owner, keyCheck: doc.keyCheck, accounts };
}

/** The wallet file (format in accounts.ts), or null if there is none; BAD_KEYSTORE with the reason if it is damaged. */
export function readWalletFile(file: string): WalletFile | null {
  if (!existsSync(file)) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BuError('INTERNAL', `The wallet file ${file} could not be read.`, { cause: err });
  }
  return parseFile(file, text);
}

/** Crash-safe replace: sibling temp file (0600), fsync, rename over the target, fsync the directory. */
/** The wallet file replaced atomically (account/atomic-file), a failure reported as INTERNAL naming the file. */
export function writeFileAtomic(file: string, text: string): void {
  try {
    atomicWrite(file, text);
  } catch (err) {
    throw new BuError('INTERNAL', `The wallet file ${file} could not be written.`, { cause: err });
  }
}

// ---- signing ----

/** An EIP-1559 transaction to sign. Amounts and gas are bigint (wei, gas units); no floats anywhere. */
export type WalletTxRequest = {
  type?: 2;
  chainId: bigint | number;
  nonce: bigint | number;
  /** Recipient; null or absent creates a contract from `data`. */
  to?: string | null;
  /** If given, must be the signer's address. */
  from?: string;
  value?: bigint;
  data?: string | Uint8Array;
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  accessList?: { address: string; storageKeys: string[] }[];
};

/** Signs for one account. The key stays inside the main process; this object never holds or reveals it. */
export type WalletSigner = {
  readonly address: string;
  /** The signed EIP-2718 type-2 transaction, 0x-hex, ready for eth_sendRawTransaction. */
  signTransaction(tx: WalletTxRequest): string;
  /** EIP-191 version 0x45 (`personal_sign`) signature, 65 bytes r‖s‖v (v = 27/28) as 0x-hex. */
  signMessage(message: Uint8Array | string): string;
  /** EIP-712 `eth_signTypedData_v4` signature, 65 bytes r‖s‖v as 0x-hex. */
  signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): string;
};

function whole(v: unknown, what: string, max: bigint, min = 0n): bigint {
  const ok = typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v));
  if (!ok || BigInt(v as bigint | number) < min || BigInt(v as bigint | number) > max) {
    throw new BuError('BAD_INPUT', `The transaction ${what} must be a whole number from ${min} to ${max}.`);
  }
  return BigInt(v as bigint | number);
}

function amount(v: unknown, what: string, max = UINT256_MAX): bigint {
  if (typeof v !== 'bigint') throw new BuError('BAD_INPUT', `The transaction ${what} must be a bigint (wei or gas units), never a float.`);
  return whole(v, what, max);
}

function txData(v: unknown): string {
  if (v === undefined) return '0x';
  if (v instanceof Uint8Array) return '0x' + toHex(v);
  if (typeof v === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(v)) return v;
  throw new BuError('BAD_INPUT', 'The transaction data must be bytes or 0x-prefixed hex of whole bytes.');
}

function accessList(v: unknown): { address: string; storageKeys: string[] }[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new BuError('BAD_INPUT', 'The access list must be an array of {address, storageKeys}.');
  return v.map((e: { address?: unknown; storageKeys?: unknown }) => {
    const keys = e?.storageKeys;
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && /^0x[0-9a-fA-F]{64}$/.test(k))) {
      throw new BuError('BAD_INPUT', 'Each access-list storage key must be 32 bytes of 0x-hex.');
    }
    return { address: parseAddress(e?.address as string, 'An access-list address'), storageKeys: keys as string[] };
  });
}

function serialise(sig: Uint8Array): Signature {
  return Signature.from({ r: '0x' + toHex(sig.subarray(0, 32)), s: '0x' + toHex(sig.subarray(32, 64)), yParity: sig[64] === 1 ? 1 : 0 });
}

/** Validates a request and builds the unsigned ethers Transaction (BAD_INPUT on anything off). */
export function buildTransaction(tx: WalletTxRequest, signer: string): Transaction {
  if (typeof tx !== 'object' || tx === null) throw new BuError('BAD_INPUT', 'A transaction must be an object.');
  if (tx.type !== undefined && tx.type !== 2) throw new BuError('BAD_INPUT', 'Only EIP-1559 (type 2) transactions can be signed.');
  if (tx.from !== undefined && parseAddress(tx.from, 'The sender address') !== signer) {
    throw new BuError('BAD_INPUT', `The transaction is from ${String(tx.from)}, not from ${signer}.`);
  }
  const maxFeePerGas = amount(tx.maxFeePerGas, 'maxFeePerGas');
  const maxPriorityFeePerGas = amount(tx.maxPriorityFeePerGas, 'maxPriorityFeePerGas');
  if (maxPriorityFeePerGas > maxFeePerGas) throw new BuError('BAD_INPUT', 'The priority fee cannot exceed the max fee per gas.');
  const to = tx.to === undefined || tx.to === null ? null : parseAddress(tx.to, 'The recipient address');
  const data = txData(tx.data);
  if (to === null && data === '0x') throw new BuError('BAD_INPUT', 'A transaction without a recipient must carry contract code.');
  return Transaction.from({
    type: 2,
    chainId: whole(tx.chainId, 'chainId', UINT64_MAX, 1n),
    nonce: Number(whole(tx.nonce, 'nonce', BigInt(Number.MAX_SAFE_INTEGER))),
    to,
    value: tx.value === undefined ? 0n : amount(tx.value, 'value'),
    data,
    gasLimit: amount(tx.gasLimit, 'gasLimit', UINT64_MAX),
    maxFeePerGas,
    maxPriorityFeePerGas,
    accessList: accessList(tx.accessList),
  });
}

/**
 * The signing handle of `address`. `key()` returns the live private key (or throws LOCKED /
 * NOT_FOUND once the wallet closed or the account went away); it is called per signature and
 * never stored here, so a handle outliving its wallet cannot sign.
 */
export function makeSigner(address: string, key: () => Uint8Array): WalletSigner {
  const sign = (hash: string): Signature => serialise(signHash(fromHex(hash), key()));
  const signer: WalletSigner = {
    address,
    signTransaction(tx) {
      const t = buildTransaction(tx, address);
      t.signature = sign(t.unsignedHash);
      return t.serialized;
    },
    signMessage(message) {
      if (typeof message !== 'string' && !(message instanceof Uint8Array)) {
        throw new BuError('BAD_INPUT', 'A message to sign must be bytes or a string.');
      }
      return sign(hashMessage(typeof message === 'string' ? utf8(message) : message)).serialized;
    },
    signTypedData(domain, types, value) {
      let hash: string;
      try {
        hash = TypedDataEncoder.hash(domain, types, value);
      } catch (err) {
        throw new BuError('BAD_INPUT', `That EIP-712 typed data is not valid: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      return sign(hash).serialized;
    },
  };
  return Object.freeze(signer);
}
