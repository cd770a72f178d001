import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../base';
import { generatePrivateKey } from '../crypto';
import { decryptKeystoreV3, encryptKeystoreV3 } from './keystore-v3';
import { identityFromPrivateKey } from './identity';

// Source: Web3 Secret Storage Definition, "Test vectors"
// (https://ethereum.org/developers/docs/data-structures-and-encoding/web3-secret-storage/),
// as checked in go-ethereum accounts/keystore/testdata/v3_test_vector.json
// ("wikipage_test_vector_pbkdf2" / "wikipage_test_vector_scrypt"). Note the scrypt vector's
// parameters are n=262144, r=1, p=8 (not geth's usual r=8, p=1).
const PASSWORD = 'testpassword';
const SECRET = '7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d';
const UUID = '3198bc9c-6672-5ab3-d995-4942343ae5b6';

const PBKDF2_VECTOR = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
  id: UUID,
  version: 3,
};

const SCRYPT_VECTOR = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '83dbcc02d8ccb40e466191a123791e0e' },
    ciphertext: 'd172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c',
    kdf: 'scrypt',
    kdfparams: { dklen: 32, n: 262144, r: 1, p: 8, salt: 'ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19' },
    mac: '2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097',
  },
  id: UUID,
  version: 3,
};

// Source: go-ethereum accounts/keystore/testdata/v3_test_vector.json, "31_byte_key": a key
// written by an old tool that dropped the leading zero byte.
const SHORT_KEY_VECTOR = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: 'e0c41130a323adc1446fc82f724bca2f' },
    ciphertext: '9517cd5bdbe69076f9bf5057248c6c050141e970efa36ce53692d5d59a3984',
    kdf: 'scrypt',
    kdfparams: { dklen: 32, n: 2, r: 8, p: 1, salt: '711f816911c92d649fb4c84b047915679933555030b3552c1212609b38208c63' },
    mac: 'd5e116151c6aa71470e67a7d42c9620c75c4d23229847dcc127794f0732b0db5',
  },
  id: 'fecfc4ce-e956-48fd-953b-30f8b52ed66c',
  version: 3,
};

const FAST = { n: 2 ** 10, r: 8, p: 1 };

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return (err as { code?: string }).code ?? 'no code';
  }
}

describe('Web3 Secret Storage v3 spec vectors', () => {
  it('decrypts the PBKDF2 vector (c=262144, hmac-sha256)', async () => {
    expect(toHex(await decryptKeystoreV3(JSON.stringify(PBKDF2_VECTOR), PASSWORD))).toBe(SECRET);
  });

  it('decrypts the scrypt vector (n=262144, r=1, p=8)', async () => {
    expect(toHex(await decryptKeystoreV3(JSON.stringify(SCRYPT_VECTOR), PASSWORD))).toBe(SECRET);
  });

  it('encrypts to exactly the scrypt vector given its salt, iv and uuid', async () => {
    const p = SCRYPT_VECTOR.crypto.kdfparams;
    const json = await encryptKeystoreV3(fromHex(SECRET), PASSWORD, {
      n: p.n,
      r: p.r,
      p: p.p,
      salt: fromHex(p.salt),
      iv: fromHex(SCRYPT_VECTOR.crypto.cipherparams.iv),
      uuid: UUID,
    });
    const doc = JSON.parse(json);
    expect(doc.crypto).toEqual(SCRYPT_VECTOR.crypto);
    expect(doc.id).toBe(UUID);
    expect(doc.version).toBe(3);
    // Source: the spec's "Details" list for this secret.
    expect(doc.address).toBe('008aeeda4d805471df9b2a5b0f38a0c3bcba786b');
  });

  it('rejects a wrong password on both KDFs with WRONG_PASSWORD', async () => {
    expect(await code(decryptKeystoreV3(JSON.stringify(PBKDF2_VECTOR), 'testpassworD'))).toBe('WRONG_PASSWORD');
    expect(await code(decryptKeystoreV3(JSON.stringify(SCRYPT_VECTOR), 'nope'))).toBe('WRONG_PASSWORD');
  });

  it('left-pads a 31-byte key (go-ethereum "31_byte_key")', async () => {
    const key = await decryptKeystoreV3(JSON.stringify(SHORT_KEY_VECTOR), 'foo');
    expect(toHex(key)).toBe('00fa7b3db73dc7dfdf8c5fbdb796d741e4488628c41fc4febd9160a866ba0f35');
  });
});

describe('keystore round trip and validation', () => {
  it('round-trips a random key with fresh salt, iv and uuid each time', async () => {
    const priv = generatePrivateKey();
    const a = await encryptKeystoreV3(priv, 'correct horse', FAST);
    const b = await encryptKeystoreV3(priv, 'correct horse', FAST);
    const da = JSON.parse(a);
    const db = JSON.parse(b);
    expect(da.crypto.kdfparams.salt).not.toBe(db.crypto.kdfparams.salt);
    expect(da.crypto.cipherparams.iv).not.toBe(db.crypto.cipherparams.iv);
    expect(da.id).not.toBe(db.id);
    expect(da.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(da.address).toBe(identityFromPrivateKey(priv).address.slice(2).toLowerCase());
    expect(await decryptKeystoreV3(a, 'correct horse')).toEqual(priv);
    expect(await decryptKeystoreV3(b, 'correct horse')).toEqual(priv);
  });

  it('uses default scrypt parameters n=2^17, r=8, p=1', async () => {
    const doc = JSON.parse(await encryptKeystoreV3(generatePrivateKey(), 'pw'));
    expect(doc.crypto.kdfparams).toMatchObject({ n: 131072, r: 8, p: 1, dklen: 32 });
  });

  it('accepts a Unicode password in either normal form', async () => {
    const priv = generatePrivateKey();
    const json = await encryptKeystoreV3(priv, 'caf\u00e9', FAST); // NFC
    expect(await decryptKeystoreV3(json, 'cafe\u0301')).toEqual(priv); // NFD
  });

  it('detects tampering with the ciphertext through the MAC', async () => {
    const doc = JSON.parse(await encryptKeystoreV3(generatePrivateKey(), 'pw', FAST));
    const ct: string = doc.crypto.ciphertext;
    doc.crypto.ciphertext = (ct[0] === '0' ? '1' : '0') + ct.slice(1);
    expect(await code(decryptKeystoreV3(JSON.stringify(doc), 'pw'))).toBe('WRONG_PASSWORD');
  });

  it('rejects an address that does not match the key', async () => {
    const doc = JSON.parse(await encryptKeystoreV3(generatePrivateKey(), 'pw', FAST));
    doc.address = '00'.repeat(20);
    expect(await code(decryptKeystoreV3(JSON.stringify(doc), 'pw'))).toBe('BAD_KEYSTORE');
  });

  it('reports malformed and unsupported files as BAD_KEYSTORE', async () => {
    const base = JSON.parse(await encryptKeystoreV3(generatePrivateKey(), 'pw', FAST));
    const variants: unknown[] = [
      'not json',
      null,
      { ...base, version: 1 },
      { ...base, crypto: { ...base.crypto, cipher: 'aes-128-cbc' } },
      { ...base, crypto: { ...base.crypto, kdf: 'argon2' } },
      { ...base, crypto: { ...base.crypto, mac: 'zz' } },
      { ...base, crypto: { ...base.crypto, cipherparams: { iv: '00' } } },
      { ...base, crypto: { ...base.crypto, kdfparams: { ...base.crypto.kdfparams, n: 1000 } } }, // not a power of two
      { ...base, crypto: { ...base.crypto, kdfparams: { ...base.crypto.kdfparams, n: 2 ** 24 } } }, // too expensive
      { ...PBKDF2_VECTOR, crypto: { ...PBKDF2_VECTOR.crypto, kdfparams: { ...PBKDF2_VECTOR.crypto.kdfparams, prf: 'hmac-sha1' } } },
      { ...PBKDF2_VECTOR, crypto: { ...PBKDF2_VECTOR.crypto, kdfparams: { ...PBKDF2_VECTOR.crypto.kdfparams, c: 1e9 } } },
    ];
    for (const v of variants) {
      const json = typeof v === 'string' ? v : JSON.stringify(v);
      expect(await code(decryptKeystoreV3(json, 'pw'))).toBe('BAD_KEYSTORE');
    }
  });

  it('accepts the legacy capitalised "Crypto" key', async () => {
    const priv = generatePrivateKey();
    const doc = JSON.parse(await encryptKeystoreV3(priv, 'pw', FAST));
    doc.Crypto = doc.crypto;
    delete doc.crypto;
    expect(await decryptKeystoreV3(JSON.stringify(doc), 'pw')).toEqual(priv);
  });

  it('refuses to encrypt an invalid key', async () => {
    expect(await code(encryptKeystoreV3(new Uint8Array(32), 'pw', FAST))).toBe('BAD_INPUT');
  });
});
