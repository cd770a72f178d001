/**
 * @module node/sealing-keys
 * This profile's POE sealer key (issue 9 item 6; POE brief: "each participant has an Ethereum
 * address (registers, gets rewards) and a BLS12-381 key"). The address is the wallet's first
 * account (m/44'/60'/0'/0/0, the one the devnet funds and that sends `register`); the BLS
 * secret is KeyGen (blsKeyFromSeed, draft-irtf-cfrg-bls-signature-05 §2.3) over
 * keccak256("BitUnicom POE sealer key v1" ‖ that account's private key), so the same recovery
 * phrase or key file gives the same sealer key on any machine, and the BLS key reveals
 * nothing about the wallet key. Computed at unlock; never stored.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { deriveIdentity, identityFromPrivateKey, mnemonicToSeed, walletAccountPath, type VaultSecret } from '../account';
import { blsKeyFromSeed } from '../crypto';

export const SEALER_KEY_LABEL = 'BitUnicom POE sealer key v1';

export type SealerKeyPair = { address: string; secretKey: Uint8Array; publicKey: Uint8Array };

/** The sealer key from the wallet's first account's private key (32 bytes). */
export function sealerKeyFromWalletKey(walletPrivateKey: Uint8Array): SealerKeyPair {
  const label = new TextEncoder().encode(SEALER_KEY_LABEL);
  const ikm = new Uint8Array(label.length + walletPrivateKey.length);
  ikm.set(label);
  ikm.set(walletPrivateKey, label.length);
  const { secretKey, publicKey } = blsKeyFromSeed(keccak_256(ikm));
  return { address: identityFromPrivateKey(walletPrivateKey).address, secretKey, publicKey };
}

/** The wallet's first account (m/44'/60'/0'/0/0; a raw-key profile: that key). */
export function walletOf(secret: VaultSecret): { privateKey: Uint8Array; address: string } {
  return secret.kind === 'key' ? identityFromPrivateKey(secret.privateKey) : deriveIdentity(mnemonicToSeed(secret.mnemonic), walletAccountPath(0));
}

export function sealerKeyOf(secret: VaultSecret): SealerKeyPair {
  return sealerKeyFromWalletKey(walletOf(secret).privateKey);
}
