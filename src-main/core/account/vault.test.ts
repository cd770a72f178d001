import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../base';
import { generatePrivateKey } from '../crypto';
import { deriveChatIdentity, deriveIdentity, walletAccountPath } from './hd';
import { decryptKeystoreV3 } from './keystore-v3';
import { mnemonicToSeed } from './mnemonic';
import { Vault } from './vault';

const N = 2 ** 10; // small scrypt cost keeps the suite fast; production default is 2^17
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'correct horse battery';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-vault-'));
  file = join(dir, 'profile', 'vault.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return (err as { code?: string }).code ?? 'no code';
  }
}

describe('Vault', () => {
  it('creates a vault from a mnemonic and unlocks it with the same password', async () => {
    const vault = new Vault(file, { scryptN: N });
    expect(vault.exists()).toBe(false);
    expect(vault.address()).toBeNull();

    const created = await vault.create({ kind: 'mnemonic', mnemonic: `  ${PHRASE.toUpperCase()} ` }, PASSWORD);
    const chat = deriveChatIdentity(mnemonicToSeed(PHRASE));
    expect(created.identity).toEqual(chat);
    expect(created.secret).toEqual({ kind: 'mnemonic', mnemonic: PHRASE }); // stored normalised
    expect(created.dbKey).toHaveLength(32);
    expect(vault.exists()).toBe(true);
    expect(vault.address()).toBe(chat.address);
    // The chat identity is not wallet account 0.
    expect(chat.address).not.toBe(deriveIdentity(mnemonicToSeed(PHRASE), walletAccountPath(0)).address);

    const again = await new Vault(file, { scryptN: N }).unlock(PASSWORD);
    expect(again.identity).toEqual(created.identity);
    expect(again.dbKey).toEqual(created.dbKey);
    expect(again.secret).toEqual(created.secret);
  });

  it('writes the documented JSON format, mode 0600, no secrets in clear, no temp files left', async () => {
    const vault = new Vault(file, { scryptN: N });
    const { dbKey } = await vault.create({ kind: 'mnemonic', mnemonic: PHRASE }, PASSWORD);
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({
      version: 1,
      address: vault.address(),
      kdf: { name: 'scrypt', n: N, r: 8, p: 1 },
      cipher: { name: 'aes-256-gcm' },
    });
    expect(doc.kdf.salt).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.cipher.iv).toMatch(/^[0-9a-f]{24}$/);
    expect(text).not.toContain('legal');
    expect(text).not.toContain(toHex(dbKey));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'profile'))).toEqual(['vault.json']);
  });

  it('rejects a wrong password with WRONG_PASSWORD and leaves the file byte-identical', async () => {
    const vault = new Vault(file, { scryptN: N });
    await vault.create({ kind: 'mnemonic', mnemonic: PHRASE }, PASSWORD);
    const before = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    try {
      await vault.unlock('correct horse battery!');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'WRONG_PASSWORD', message: 'That password is not correct.' });
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect((await vault.unlock(PASSWORD)).identity.address).toBe(vault.address());
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('stores an imported private key', async () => {
    const priv = generatePrivateKey();
    const vault = new Vault(file, { scryptN: N });
    const created = await vault.create({ kind: 'key', privateKey: priv }, PASSWORD);
    expect(created.identity.privateKey).toEqual(priv);
    const unlocked = await vault.unlock(PASSWORD);
    expect(unlocked.secret).toEqual({ kind: 'key', privateKey: priv });
    expect(unlocked.identity.address).toBe(created.identity.address);
  });

  it('exports the identity key as a keystore V3 that decrypts back to it', async () => {
    const vault = new Vault(file, { scryptN: N });
    const { identity } = await vault.create({ kind: 'mnemonic', mnemonic: PHRASE }, PASSWORD);
    const json = await vault.exportKeystore(PASSWORD);
    const doc = JSON.parse(json);
    expect(doc.version).toBe(3);
    expect(`0x${doc.address}`).toBe(identity.address.toLowerCase());
    expect(await decryptKeystoreV3(json, PASSWORD)).toEqual(identity.privateKey);
    expect(await code(vault.exportKeystore('not the password'))).toBe('WRONG_PASSWORD');
  });

  it('refuses to overwrite an existing account', async () => {
    const vault = new Vault(file, { scryptN: N });
    await vault.create({ kind: 'mnemonic', mnemonic: PHRASE }, PASSWORD);
    const before = readFileSync(file);
    expect(await code(vault.create({ kind: 'key', privateKey: generatePrivateKey() }, PASSWORD))).toBe('ACCOUNT_EXISTS');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('lets only one of two concurrent creates win', async () => {
    const a = new Vault(file, { scryptN: N });
    const b = new Vault(file, { scryptN: N });
    const results = await Promise.allSettled([
      a.create({ kind: 'mnemonic', mnemonic: PHRASE }, PASSWORD),
      b.create({ kind: 'key', privateKey: generatePrivateKey() }, PASSWORD),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).toBe('ACCOUNT_EXISTS');
  });

  it('reports NO_ACCOUNT when there is no vault', async () => {
    expect(await code(new Vault(file, { scryptN: N }).unlock(PASSWORD))).toBe('NO_ACCOUNT');
  });

  it('validates inputs: weak password, bad mnemonic, bad key, bad scryptN', async () => {
    const vault = new Vault(file, { scryptN: N });
    expect(await code(vault.create({ kind: 'mnemonic', mnemonic: PHRASE }, 'short'))).toBe('WEAK_PASSWORD');
    expect(await code(vault.create({ kind: 'mnemonic', mnemonic: 'legal winner thank year' }, PASSWORD))).toBe('BAD_MNEMONIC');
    expect(await code(vault.create({ kind: 'key', privateKey: new Uint8Array(32) }, PASSWORD))).toBe('BAD_INPUT');
    expect(vault.exists()).toBe(false);
    expect(() => new Vault(file, { scryptN: 1000 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('authenticates the clear header: a swapped address or weakened KDF fails to unlock', async () => {
    const vault = new Vault(file, { scryptN: N });
    await vault.create({ kind: 'mnemonic', mnemonic: PHRASE }, PASSWORD);
    const original = JSON.parse(readFileSync(file, 'utf8'));

    writeFileSync(file, JSON.stringify({ ...original, address: '0x' + '11'.repeat(20) }));
    expect(await code(vault.unlock(PASSWORD))).toBe('WRONG_PASSWORD');

    writeFileSync(file, JSON.stringify({ ...original, kdf: { ...original.kdf, n: N / 2 } }));
    expect(await code(vault.unlock(PASSWORD))).toBe('WRONG_PASSWORD');

    writeFileSync(file, JSON.stringify(original));
    expect((await vault.unlock(PASSWORD)).identity.address).toBe(original.address);
  });

  it('reports a damaged file as BAD_KEYSTORE, and address() as null', async () => {
    const vault = new Vault(file, { scryptN: N });
    await vault.create({ kind: 'mnemonic', mnemonic: PHRASE }, PASSWORD);
    writeFileSync(file, '{"version":1,');
    expect(await code(vault.unlock(PASSWORD))).toBe('BAD_KEYSTORE');
    expect(vault.address()).toBeNull();
    writeFileSync(file, JSON.stringify({ version: 2 }));
    expect(await code(vault.unlock(PASSWORD))).toBe('BAD_KEYSTORE');
  });
});
