/**
 * @module account/hd
 * Hierarchical deterministic keys: BIP-32 derivation (through @scure/bip32, audited) along
 * BIP-44 paths (https://github.com/bitcoin/bips/blob/master/bip-0044.mediawiki) with
 * SLIP-44 coin type 60 (Ethereum), so a wallet such as MetaMask derives the same wallet
 * accounts from the same phrase.
 *
 * The chat identity lives on its own hardened account, m/44'/60'/16981'/0/0, never on a
 * wallet account: the seed advises against chatting with the main wallet key, and a hardened
 * account cannot be linked to the wallet accounts from their public keys.
 */
import { HDKey } from '@scure/bip32';
import { BuError } from '../base';
import { identityFromPrivateKey, type Identity } from './identity';

/** Hardened BIP-44 account reserved for the BitUnicom chat identity. */
export const CHAT_IDENTITY_PATH = "m/44'/60'/16981'/0/0";

const MAX_INDEX = 0x7fffffff;

/** BIP-44 external address `index` of wallet account 0: "m/44'/60'/0'/0/<index>". */
export function walletAccountPath(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX) {
    throw new BuError('BAD_INPUT', 'A wallet account index must be an integer from 0 to 2^31-1.');
  }
  return `m/44'/60'/0'/0/${index}`;
}

/** Derives the secp256k1 identity at `path` (e.g. "m/44'/60'/0'/0/0") from a BIP-39/BIP-32 seed. */
export function deriveIdentity(seed: Uint8Array, path: string): Identity {
  let node: HDKey;
  try {
    node = HDKey.fromMasterSeed(seed).derive(path);
  } catch (err) {
    throw new BuError('BAD_INPUT', `Cannot derive a key at ${JSON.stringify(path)}.`, { cause: err });
  }
  const priv = node.privateKey;
  if (!priv) throw new BuError('INTERNAL', 'HD derivation produced no private key.');
  const identity = identityFromPrivateKey(priv);
  node.wipePrivateData();
  return identity;
}

/** The chat identity of a seed: `deriveIdentity(seed, CHAT_IDENTITY_PATH)`. */
export function deriveChatIdentity(seed: Uint8Array): Identity {
  return deriveIdentity(seed, CHAT_IDENTITY_PATH);
}
