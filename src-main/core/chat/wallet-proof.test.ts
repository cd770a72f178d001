import { describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { fromHex } from '../base';
import { walletProofText, verifyWalletProof } from './wallet-proof';

const identity = Wallet.createRandom().address;
const wallet = Wallet.createRandom();

describe('wallet proof', () => {
  it('is the wallet key’s personal_sign of BU-WALLET-v1:<identity lowercase>', () => {
    expect(walletProofText('0xAbCd' + '0'.repeat(36))).toBe('BU-WALLET-v1:0xabcd' + '0'.repeat(36));
    const proof = wallet.signMessageSync(walletProofText(identity));
    expect(verifyWalletProof(identity, wallet.address, proof)).toBe(true);
    expect(verifyWalletProof(identity.toLowerCase(), wallet.address.toLowerCase(), fromHex(proof))).toBe(true);
  });

  it('fails for another identity, another wallet, a tampered or malformed proof', () => {
    const proof = wallet.signMessageSync(walletProofText(identity));
    expect(verifyWalletProof(Wallet.createRandom().address, wallet.address, proof)).toBe(false); // copied from someone else's profile
    expect(verifyWalletProof(identity, Wallet.createRandom().address, proof)).toBe(false); // claims a wallet it does not hold
    const flipped = proof.slice(0, 10) + (proof[10] === '0' ? '1' : '0') + proof.slice(11);
    expect(verifyWalletProof(identity, wallet.address, flipped)).toBe(false);
    expect(verifyWalletProof(identity, wallet.address, proof.slice(0, -2))).toBe(false);
    expect(verifyWalletProof(identity, wallet.address, '0x' + '00'.repeat(65))).toBe(false);
    expect(verifyWalletProof(identity, '0x1234', proof)).toBe(false);
    // signed over the raw text without the EIP-191 prefix: not a personal_sign proof
    const raw = wallet.signingKey.sign(new TextEncoder().encode(walletProofText(identity)).slice(0, 32)).serialized;
    expect(verifyWalletProof(identity, wallet.address, raw)).toBe(false);
  });
});
