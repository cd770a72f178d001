import { describe, expect, it } from 'vitest';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { HDKey } from '@scure/bip32';
import { fromHex, isBuError, toHex } from '../base';
import { deriveIdentity } from './hd';
import { generateMnemonic, mnemonicToSeed, normalizeMnemonic, validateMnemonic } from './mnemonic';

// Source: trezor/python-mnemonic, vectors.json, "english" section (commit f5a975ab10c0),
// the reference vectors linked from BIP-39. Every seed there uses the passphrase "TREZOR".
// [entropy, mnemonic, seed, BIP-32 root xprv]
const TREZOR_VECTORS: [string, string, string, string][] = [
  [
    '00000000000000000000000000000000',
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
    'xprv9s21ZrQH143K3h3fDYiay8mocZ3afhfULfb5GX8kCBdno77K4HiA15Tg23wpbeF1pLfs1c5SPmYHrEpTuuRhxMwvKDwqdKiGJS9XFKzUsAF',
  ],
  [
    '7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f',
    'legal winner thank year wave sausage worth useful legal winner thank yellow',
    '2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607',
    'xprv9s21ZrQH143K2gA81bYFHqU68xz1cX2APaSq5tt6MFSLeXnCKV1RVUJt9FWNTbrrryem4ZckN8k4Ls1H6nwdvDTvnV7zEXs2HgPezuVccsq',
  ],
  [
    'ffffffffffffffffffffffffffffffff',
    'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
    'ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b11c61dee327651a14c34e18231052e48c069',
    'xprv9s21ZrQH143K2V4oox4M8Zmhi2Fjx5XK4Lf7GKRvPSgydU3mjZuKGCTg7UPiBUD7ydVPvSLtg9hjp7MQTYsW67rZHAXeccqYqrsx8LcXnyd',
  ],
  [
    '000000000000000000000000000000000000000000000000',
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent',
    '035895f2f481b1b0f01fcf8c289c794660b289981a78f8106447707fdd9666ca06da5a9a565181599b79f53b844d8a71dd9f439c52a3d7b3e8a79c906ac845fa',
    'xprv9s21ZrQH143K3mEDrypcZ2usWqFgzKB6jBBx9B6GfC7fu26X6hPRzVjzkqkPvDqp6g5eypdk6cyhGnBngbjeHTe4LsuLG1cCmKJka5SMkmU',
  ],
  [
    '808080808080808080808080808080808080808080808080',
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter always',
    '107d7c02a5aa6f38c58083ff74f04c607c2d2c0ecc55501dadd72d025b751bc27fe913ffb796f841c49b1d33b610cf0e91d3aa239027f5e99fe4ce9e5088cd65',
    'xprv9s21ZrQH143K3VPCbxbUtpkh9pRG371UCLDz3BjceqP1jz7XZsQ5EnNkYAEkfeZp62cDNj13ZTEVG1TEro9sZ9grfRmcYWLBhCocViKEJae',
  ],
  [
    '6610b25967cdcca9d59875f5cb50b0ea75433311869e930b',
    'gravity machine north sort system female filter attitude volume fold club stay feature office ecology stable narrow fog',
    '628c3827a8823298ee685db84f55caa34b5cc195a778e52d45f59bcf75aba68e4d7590e101dc414bc1bbd5737666fbbef35d1f1903953b66624f910feef245ac',
    'xprv9s21ZrQH143K3uT8eQowUjsxrmsA9YUuQQK1RLqFufzybxD6DH6gPY7NjJ5G3EPHjsWDrs9iivSbmvjc9DQJbJGatfa9pv4MZ3wjr8qWPAK',
  ],
  [
    '0000000000000000000000000000000000000000000000000000000000000000',
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art',
    'bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8',
    'xprv9s21ZrQH143K32qBagUJAMU2LsHg3ka7jqMcV98Y7gVeVyNStwYS3U7yVVoDZ4btbRNf4h6ibWpY22iRmXq35qgLs79f312g2kj5539ebPM',
  ],
  [
    '8080808080808080808080808080808080808080808080808080808080808080',
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless',
    'c0c519bd0e91a2ed54357d9d1ebef6f5af218a153624cf4f2da911a0ed8f7a09e2ef61af0aca007096df430022f7a2b6fb91661a9589097069720d015e4e982f',
    'xprv9s21ZrQH143K3CSnQNYC3MqAAqHwxeTLhDbhF43A4ss4ciWNmCY9zQGvAKUSqVUf2vPHBTSE1rB2pg4avopqSiLVzXEU8KziNnVPauTqLRo',
  ],
  [
    '68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c',
    'hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length',
    '64c87cde7e12ecf6704ab95bb1408bef047c22db4cc7491c4271d170a1b213d20b385bc1588d9c7b38f1b39d415665b8a9030c9ec653d75e65f847d8fc1fc440',
    'xprv9s21ZrQH143K2XTAhys3pMNcGn261Fi5Ta2Pw8PwaVPhg3D8DWkzWQwjTJfskj8ofb81i9NP2cUNKxwjueJHHMQAnxtivTA75uUFqPFeWzk',
  ],
];

describe('BIP-39 (Trezor reference vectors, passphrase "TREZOR")', () => {
  it('covers 12, 18 and 24-word phrases', () => {
    const lengths = new Set(TREZOR_VECTORS.map(([, m]) => m.split(' ').length));
    expect([...lengths].sort()).toEqual([12, 18, 24]);
  });

  for (const [entropy, mnemonic, seed, xprv] of TREZOR_VECTORS) {
    it(`${mnemonic.split(' ').length} words: ${mnemonic.slice(0, 32)}…`, () => {
      expect(entropyToMnemonic(fromHex(entropy), wordlist)).toBe(mnemonic); // the word list we import is BIP-39's
      expect(validateMnemonic(mnemonic)).toBe(true);
      const got = mnemonicToSeed(mnemonic, 'TREZOR');
      expect(toHex(got)).toBe(seed);
      // The seed feeds BIP-32: the master key we derive equals the vector's root xprv.
      expect(toHex(deriveIdentity(got, 'm').privateKey)).toBe(toHex(HDKey.fromExtendedKey(xprv).privateKey!));
    });
  }

  it('uses an empty passphrase by default (well-known seed of "abandon … about")', () => {
    // Source: the same phrase without passphrase, as published by the BIP-39 reference tool
    // (iancoleman.io/bip39) and reproduced by every BIP-39 implementation's tests.
    expect(toHex(mnemonicToSeed(TREZOR_VECTORS[0]![1]))).toBe(
      '5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4',
    );
  });
});

describe('mnemonic helpers', () => {
  it('generates valid 12- and 24-word phrases that differ each time', () => {
    const a = generateMnemonic();
    const b = generateMnemonic();
    const long = generateMnemonic(256);
    expect(a.split(' ')).toHaveLength(12);
    expect(long.split(' ')).toHaveLength(24);
    expect(a).not.toBe(b);
    for (const m of [a, b, long]) expect(validateMnemonic(m)).toBe(true);
  });

  it('rejects other strengths', () => {
    expect(() => generateMnemonic(192 as 128)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('normalizes case, spacing and Unicode form', () => {
    expect(normalizeMnemonic('  Legal\tWINNER  thank\nyear ')).toBe('legal winner thank year');
    expect(normalizeMnemonic('caf\u00e9')).toBe('cafe\u0301'); // NFKD
    const messy = '  ZOO zoo  zoo zoo zoo zoo\tzoo zoo zoo zoo zoo   Wrong\n';
    expect(validateMnemonic(messy)).toBe(true);
    expect(mnemonicToSeed(messy, 'TREZOR')).toEqual(mnemonicToSeed(TREZOR_VECTORS[2]![1], 'TREZOR'));
  });

  it('rejects a bad checksum, an unknown word and a wrong length', () => {
    expect(validateMnemonic('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon')).toBe(false);
    expect(validateMnemonic('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abacus')).toBe(false);
    expect(validateMnemonic('abandon about')).toBe(false);
    expect(validateMnemonic('')).toBe(false);
    expect(validateMnemonic(42 as unknown as string)).toBe(false);
  });

  it('refuses to derive a seed from an invalid phrase', () => {
    try {
      mnemonicToSeed('zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo');
      expect.unreachable();
    } catch (err) {
      expect(isBuError(err, 'BAD_MNEMONIC')).toBe(true);
    }
  });
});
