/**
 * WalletService message signatures, checked with ethers (a client we did not write):
 * `signPersonal` (EIP-191 personal_sign) recovers with `verifyMessage` for text and binary
 * messages, from HD and imported accounts; `signTypedData` (EIP-712 v4) recovers with
 * `verifyTypedData`, nested structs and arrays included, the EIP712Domain entry optional and
 * unused types ignored; a domain for another chain is WRONG_NETWORK; malformed typed data is
 * BAD_INPUT naming what is wrong; watch-only accounts refuse with WATCH_ONLY. No RPC is
 * reached: signing needs the network's chain id only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet, getBytes, verifyMessage, verifyTypedData } from 'ethers';
import { utf8 } from '../base';
import { failure } from '../base/test-support';
import { randomBytes } from '../crypto';
import { WalletService } from './service';

const MNEMONIC = 'test test test test test test test test test test test junk';
const CHAIN_ID = 16981;
const dir = mkdtempSync(join(tmpdir(), 'bu-wallet-sign-'));
let w: WalletService;
let me: string;

const MAIL = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallets', type: 'address[]' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person[]' },
      { name: 'contents', type: 'string' },
    ],
    Unused: [{ name: 'x', type: 'uint8' }],
  },
  domain: { name: 'Ether Mail', version: '1', chainId: CHAIN_ID, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  primaryType: 'Mail',
  message: {
    from: { name: 'Cow', wallets: ['0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826', '0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF'] },
    to: [{ name: 'Bob', wallets: ['0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB'] }],
    contents: 'Hello, Bob!',
  },
};
const { EIP712Domain: _d, Unused: _u, ...MAIL_TYPES } = MAIL.types;

beforeAll(async () => {
  w = await WalletService.open({
    dir,
    secret: { kind: 'mnemonic', mnemonic: MNEMONIC },
    wrapKey: randomBytes(32),
    builtin: [{ id: 'devnet', chainId: CHAIN_ID, name: 'Test devnet', symbol: 'BU', rpcUrl: 'http://127.0.0.1:65535/', builtin: true }],
  });
  me = w.accountList()[0]!.address;
});
afterAll(async () => {
  await w?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('signPersonal (EIP-191)', () => {
  it('signs text and binary messages that ethers recovers to the account', () => {
    const text = w.signPersonal(me, utf8('Sign in to Hello\nnonce: 42'));
    expect(text).toMatch(/^0x[0-9a-f]{130}$/);
    expect(['1b', '1c']).toContain(text.slice(-2)); // v = 27 / 28
    expect(verifyMessage('Sign in to Hello\nnonce: 42', text)).toBe(me);
    const bytes = getBytes('0x00ff10e2');
    expect(verifyMessage(bytes, w.signPersonal(me, bytes))).toBe(me);
    const other = Wallet.createRandom();
    const imported = w.accounts.importPrivateKey(other.privateKey, 'Imported').address;
    expect(verifyMessage('x', w.signPersonal(imported, utf8('x')))).toBe(other.address);
  });

  it('refuses a watch-only account, an unknown account, a non-byte message and an oversized one', async () => {
    const watch = w.accounts.addWatch('0x000000000000000000000000000000000000dEaD', 'Burn').address;
    expect((await failure(() => w.signPersonal(watch, utf8('x')))).code).toBe('WATCH_ONLY');
    expect((await failure(() => w.signTypedData(watch, MAIL))).code).toBe('WATCH_ONLY');
    expect((await failure(() => w.signPersonal('0x1111111111111111111111111111111111111111', utf8('x')))).code).toBe('NOT_FOUND');
    expect((await failure(() => w.signPersonal(me, 'text' as unknown as Uint8Array))).code).toBe('BAD_INPUT');
    expect((await failure(() => w.signPersonal(me, new Uint8Array(256 * 1024 + 1)))).message).toBe('A message to sign is at most 256 KiB.');
  });
});

describe('signTypedData (EIP-712 v4)', () => {
  it('signs what ethers verifies, as an object or JSON text, with or without EIP712Domain', () => {
    const sig = w.signTypedData(me, MAIL);
    expect(verifyTypedData(MAIL.domain, MAIL_TYPES, MAIL.message, sig)).toBe(me);
    expect(w.signTypedData(me, JSON.stringify(MAIL))).toBe(sig); // deterministic (RFC 6979)
    const { EIP712Domain: _e, ...noDomainType } = MAIL.types;
    expect(w.signTypedData(me, { ...MAIL, types: noDomainType })).toBe(sig);
    // a domain without chainId is allowed (EIP-712 makes every field optional)
    const loose = { ...MAIL, types: { ...MAIL_TYPES, EIP712Domain: [{ name: 'name', type: 'string' }] }, domain: { name: 'Ether Mail' } };
    expect(verifyTypedData({ name: 'Ether Mail' }, MAIL_TYPES, MAIL.message, w.signTypedData(me, loose))).toBe(me);
  });

  it('refuses a domain for another chain with WRONG_NETWORK', async () => {
    const f = await failure(() => w.signTypedData(me, { ...MAIL, domain: { ...MAIL.domain, chainId: 1 } }));
    expect(f).toEqual({ code: 'WRONG_NETWORK', message: 'The typed data is for chain id 1, but the selected network Test devnet is chain id 16981: switch networks before signing.' });
    expect((await failure(() => w.signTypedData(me, { ...MAIL, domain: { ...MAIL.domain, chainId: '0x1' } }))).code).toBe('WRONG_NETWORK');
  });

  it('refuses malformed typed data, naming the problem', async () => {
    const msg = async (t: unknown) => {
      const f = await failure(() => w.signTypedData(me, t));
      expect(f.code).toBe('BAD_INPUT');
      return f.message.replace('That EIP-712 typed data is not valid: ', '');
    };
    expect(await msg('{not json')).toBe('the text is not JSON.');
    expect(await msg({ ...MAIL, primaryType: undefined })).toBe('"primaryType" is missing.');
    expect(await msg({ ...MAIL, primaryType: 'Letter' })).toBe('"primaryType" must name one of the structs in "types".');
    expect(await msg({ ...MAIL, primaryType: 'EIP712Domain' })).toBe('"primaryType" cannot be EIP712Domain.');
    expect(await msg({ ...MAIL, message: 'hi' })).toBe('"message" must be an object.');
    expect(await msg({ ...MAIL, domain: { ...MAIL.domain, colour: 'red' } })).toBe('"domain.colour" is not an EIP-712 domain field.');
    expect(await msg({ ...MAIL, domain: { ...MAIL.domain, salt: '0x12' } })).toBe('"domain.salt" must be 32 bytes of 0x-hex.');
    const reordered = { ...MAIL, types: { ...MAIL.types, EIP712Domain: [MAIL.types.EIP712Domain[1]!, MAIL.types.EIP712Domain[0]!, ...MAIL.types.EIP712Domain.slice(2)] } };
    expect(await msg(reordered)).toMatch(/^"types.EIP712Domain" lists string version, string name, .* but the domain holds string name, string version, uint256 chainId, address verifyingContract \(in this order\)\.$/);
    expect(await msg({ ...MAIL, message: { ...MAIL.message, contents: 12 } })).toMatch(/string|contents/i);
    expect(await msg({ ...MAIL, types: { ...MAIL.types, Mail: [{ name: 'from', type: 'Nobody' }] } })).toMatch(/unknown type "Nobody"/);
    expect(await msg({ ...MAIL, types: { ...MAIL.types, Person: [{ name: 'me', type: 'Person' }] } })).toMatch(/circular/);
    expect((await failure(() => w.signTypedData(me, { ...MAIL, domain: { ...MAIL.domain, verifyingContract: '0xcCCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' } }))).code).toBe('BAD_ADDRESS');
  });
});
