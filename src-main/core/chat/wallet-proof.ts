/**
 * @module chat/wallet-proof
 * The wallet address in our signed profile. REQUEST / ACCEPT / PING carry our wallet's
 * address and a proof: an EIP-191 personal_sign signature by the wallet key over
 * `BU-WALLET-v1:<identity address, lowercase>`. The payload itself is signed by the identity
 * key (the envelope), so the two signatures bind each other: the identity vouches for the
 * wallet, the wallet for the identity — a proof copied from someone else's profile names the
 * wrong identity and fails, and nobody can name a wallet whose key they do not hold.
 */
import { getAddress, verifyMessage } from 'ethers';
import { toHex } from '../base';

const WALLET = /^0x[0-9a-fA-F]{40}$/;
const PROOF = /^0x[0-9a-fA-F]{130}$/;

/** The text the wallet key signs (EIP-191 personal_sign) to vouch for `identityAddress`. */
export function walletProofText(identityAddress: string): string {
  return `BU-WALLET-v1:${identityAddress.toLowerCase()}`;
}

/** True when `proof` (0x + 65 bytes hex, or the 65 bytes) is `wallet`'s signature of walletProofText(identity). */
export function verifyWalletProof(identity: string, wallet: string, proof: string | Uint8Array): boolean {
  const sig = typeof proof === 'string' ? proof : '0x' + toHex(proof);
  if (typeof wallet !== 'string' || !WALLET.test(wallet) || !PROOF.test(sig)) return false;
  try {
    return verifyMessage(walletProofText(identity), sig).toLowerCase() === wallet.toLowerCase();
  } catch {
    return false;
  }
}

/** The EIP-55 form of a well-formed wallet address. */
export function checksumWallet(wallet: string): string {
  return getAddress(wallet.toLowerCase());
}
