/**
 * @module account/identity
 * The account identity: a secp256k1 key pair (SEC 2) and its Ethereum address
 * (keccak-256 of the uncompressed public key, EIP-55 checksummed), as the seed's
 * "Unified Account" asks: one key for every dapp, identified by its PK-address.
 */
import { BuError } from '../base';
import { addressOf, isValidPrivateKey, publicKeyOf } from '../crypto';

export type Identity = {
  privateKey: Uint8Array;
  /** 33-byte compressed SEC 1 public key. */
  publicKey: Uint8Array;
  /** EIP-55 checksummed address. */
  address: string;
};

/** Builds the identity of a raw 32-byte secp256k1 private key (BAD_INPUT if out of range). */
export function identityFromPrivateKey(privateKey: Uint8Array): Identity {
  if (!(privateKey instanceof Uint8Array) || !isValidPrivateKey(privateKey)) {
    throw new BuError('BAD_INPUT', 'That is not a valid secp256k1 private key.');
  }
  const priv = new Uint8Array(privateKey);
  const publicKey = publicKeyOf(priv, true);
  return { privateKey: priv, publicKey, address: addressOf(publicKey) };
}
