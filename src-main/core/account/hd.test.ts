import { describe, expect, it } from 'vitest';
import { HDKey } from '@scure/bip32';
import { fromHex, isBuError, toHex } from '../base';
import { addressOf, publicKeyOf } from '../crypto';
import { CHAT_IDENTITY_PATH, deriveChatIdentity, deriveIdentity, walletAccountPath } from './hd';
import { identityFromPrivateKey } from './identity';
import { mnemonicToSeed } from './mnemonic';

// Source: BIP-32, "Test Vectors" → "Test vector 1"
// (https://github.com/bitcoin/bips/blob/master/bip-0032.mediawiki).
const BIP32_TV1_SEED = '000102030405060708090a0b0c0d0e0f';
const BIP32_TV1: [string, string, string][] = [
  [
    "m/0'",
    'xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7',
    'xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw',
  ],
  [
    "m/0'/1/2'/2/1000000000",
    'xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76',
    'xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy',
  ],
];

// De-facto Ethereum HD vector: BIP-39 "abandon ×11 about" (no passphrase) at m/44'/60'/0'/0/0
// is 0x9858EfFD232B4033E47d90003D41EC34EcaEda94 in MetaMask, ethers, Hardhat and Ledger Live.
const ABANDON_ABOUT = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ABANDON_ABOUT_ACCOUNT0 = '0x9858EfFD232B4033E47d90003D41EC34EcaEda94';

describe('BIP-32 test vector 1', () => {
  for (const [path, xprv, xpub] of BIP32_TV1) {
    it(`derives ${path}`, () => {
      const id = deriveIdentity(fromHex(BIP32_TV1_SEED), path);
      expect(toHex(id.privateKey)).toBe(toHex(HDKey.fromExtendedKey(xprv).privateKey!));
      expect(toHex(id.publicKey)).toBe(toHex(HDKey.fromExtendedKey(xpub).publicKey!));
    });
  }
});

describe('Ethereum accounts', () => {
  const seed = mnemonicToSeed(ABANDON_ABOUT);

  it('matches the well-known address of wallet account 0', () => {
    expect(walletAccountPath(0)).toBe("m/44'/60'/0'/0/0");
    const id = deriveIdentity(seed, walletAccountPath(0));
    expect(id.address).toBe(ABANDON_ABOUT_ACCOUNT0);
    expect(id.publicKey).toHaveLength(33);
    expect(id.privateKey).toHaveLength(32);
    expect(addressOf(publicKeyOf(id.privateKey))).toBe(id.address);
  });

  it('keeps the chat identity on its own hardened account, apart from every wallet account', () => {
    expect(CHAT_IDENTITY_PATH).toBe("m/44'/60'/16981'/0/0");
    const chat = deriveChatIdentity(seed);
    expect(chat).toEqual(deriveIdentity(seed, CHAT_IDENTITY_PATH));
    for (let i = 0; i < 5; i++) {
      const w = deriveIdentity(seed, walletAccountPath(i));
      expect(w.address).not.toBe(chat.address);
      expect(toHex(w.privateKey)).not.toBe(toHex(chat.privateKey));
    }
    // deterministic
    expect(deriveChatIdentity(mnemonicToSeed(ABANDON_ABOUT)).address).toBe(chat.address);
  });

  it('validates wallet indices', () => {
    expect(walletAccountPath(2 ** 31 - 1)).toBe("m/44'/60'/0'/0/2147483647");
    for (const bad of [-1, 1.5, 2 ** 31, Number.NaN]) {
      expect(() => walletAccountPath(bad)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    }
  });

  it('rejects malformed paths with BAD_INPUT', () => {
    try {
      deriveIdentity(seed, 'm/44x');
      expect.unreachable();
    } catch (err) {
      expect(isBuError(err, 'BAD_INPUT')).toBe(true);
    }
  });
});

describe('identityFromPrivateKey', () => {
  it('derives the compressed key and checksummed address, copying the input', () => {
    // Source: Web3 Secret Storage Definition, "Test vectors" → Details: Address
    // 008aeeda4d805471df9b2a5b0f38a0c3bcba786b for Secret 7a28b5ba…14fe9d.
    const priv = fromHex('7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d');
    const id = identityFromPrivateKey(priv);
    expect(id.address.toLowerCase()).toBe('0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b');
    priv.fill(0);
    expect(id.privateKey.some((b) => b !== 0)).toBe(true);
  });

  it('rejects zero, out-of-range and short keys', () => {
    const n = fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'); // the group order
    for (const bad of [new Uint8Array(32), n, new Uint8Array(31).fill(1)]) {
      expect(() => identityFromPrivateKey(bad)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    }
  });
});
