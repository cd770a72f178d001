/**
 * @module account/mnemonic
 * BIP-39 recovery phrases (https://github.com/bitcoin/bips/blob/master/bip-0039.mediawiki).
 * Generation and checksum validation use @scure/bip39 with the English word list (audited,
 * dependency-free). The seed itself is PBKDF2-HMAC-SHA512(NFKD(mnemonic),
 * "mnemonic" ‖ NFKD(passphrase), 2048 iterations, 64 bytes), computed with node:crypto
 * because the native PBKDF2 is several times faster than the pure-JS one and this runs on
 * every restore.
 */
import { pbkdf2Sync } from 'node:crypto';
import * as bip39 from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { BuError } from '../base';

const SEED_ITERATIONS = 2048;
const SEED_BYTES = 64;

/** A fresh English mnemonic: 128 bits → 12 words (default), 256 bits → 24 words. */
export function generateMnemonic(strength: 128 | 256 = 128): string {
  if (strength !== 128 && strength !== 256) throw new BuError('BAD_INPUT', 'Mnemonic strength must be 128 or 256 bits.');
  return bip39.generateMnemonic(wordlist, strength);
}

/** Canonical form a person may have typed: NFKD, lower case, trimmed, single spaces. */
export function normalizeMnemonic(m: string): string {
  return m.normalize('NFKD').toLowerCase().trim().split(/\s+/u).filter(Boolean).join(' ');
}

/** True when the (normalised) phrase has a valid length, known words and a correct checksum. */
export function validateMnemonic(m: string): boolean {
  if (typeof m !== 'string') return false;
  try {
    return bip39.validateMnemonic(normalizeMnemonic(m), wordlist);
  } catch {
    return false;
  }
}

/**
 * The 64-byte BIP-39 seed. The phrase is normalised first and must be valid
 * (BuError BAD_MNEMONIC otherwise): the app never derives keys from a phrase with a
 * wrong checksum, which would silently create a different, unrecoverable account.
 */
export function mnemonicToSeed(m: string, passphrase = ''): Uint8Array {
  if (!validateMnemonic(m)) throw new BuError('BAD_MNEMONIC', 'That recovery phrase is not valid. Check the words and their order.');
  const phrase = normalizeMnemonic(m);
  const salt = 'mnemonic' + passphrase.normalize('NFKD');
  return new Uint8Array(pbkdf2Sync(Buffer.from(phrase, 'utf8'), Buffer.from(salt, 'utf8'), SEED_ITERATIONS, SEED_BYTES, 'sha512'));
}
