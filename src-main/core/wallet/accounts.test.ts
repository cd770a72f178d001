import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HDNodeWallet, Transaction, Wallet, encryptKeystoreJsonSync, getAddress, verifyMessage, verifyTypedData } from 'ethers';
import { fromHex, toHex } from '../base';
import { randomBytes } from '../crypto';
import { WATCH_ONLY_CODE } from './account-keys';
import { WalletAccounts } from './accounts';

const M = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ANVIL = 'node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil';
const CAST = 'node_modules/@foundry-rs/cast-linux-amd64/bin/cast';
const PW = 'correct horse battery';
const FAST = { scryptN: 2 ** 10 };
const hd = (i: number) => HDNodeWallet.fromPhrase(M, undefined, `m/44'/60'/0'/0/${i}`);
const OTHER_KEY = '0x' + '11'.repeat(32);
const OTHER = new Wallet(OTHER_KEY);

async function thrown(fn: () => unknown): Promise<{ code?: string; message: string }> {
  try {
    await fn();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected an error');
}

let dir: string;
let file: string;
let wrapKey: Uint8Array;
const open = (o: Partial<Parameters<typeof WalletAccounts.open>[0]> = {}) =>
  WalletAccounts.open({ file, secret: { kind: 'mnemonic', mnemonic: M }, wrapKey, ...o });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-wallet-'));
  file = join(dir, 'sub', 'wallet.json');
  wrapKey = randomBytes(32);
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('anvil', () => {
  let anvil: ChildProcess;
  let url: string;
  const rpc = async (method: string, params: unknown[] = []): Promise<unknown> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const body = (await res.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };
  const send = async (raw: string) => {
    const hash = await rpc('eth_sendRawTransaction', [raw]);
    for (let i = 0; i < 100; i++) {
      const receipt = (await rpc('eth_getTransactionReceipt', [hash])) as { status: string; from: string; gasUsed: string; effectiveGasPrice: string } | null;
      if (receipt) return receipt;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no receipt for ${String(hash)}`);
  };
  const transfer = (chainId: bigint, nonce: number, to: string, value: bigint) =>
    ({ chainId, nonce, to, value, gasLimit: 21_000n, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n }) as const;

  beforeAll(async () => {
    anvil = spawn(ANVIL, ['--mnemonic', M, '--port', '0', '--accounts', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<string>((resolve, reject) => {
      let out = '';
      anvil.stdout!.on('data', (d) => {
        out += String(d);
        const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      anvil.once('exit', (c) => reject(new Error(`anvil exited ${c}: ${out}`)));
    });
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    anvil.kill();
  });

  it('derives account 0–4 like ethers and anvil --mnemonic (BIP-44 m/44\'/60\'/0\'/0/i)', async () => {
    const w = await open();
    for (let i = 1; i < 5; i++) w.add();
    const list = w.list();
    expect(list[0]).toEqual({ address: '0x9858EfFD232B4033E47d90003D41EC34EcaEda94', name: 'Account 1', kind: 'hd', index: 0, hidden: false, removable: false });
    expect(list.map((a) => a.index)).toEqual([0, 1, 2, 3, 4]);
    expect(list.map((a) => a.name)).toEqual(['Account 1', 'Account 2', 'Account 3', 'Account 4', 'Account 5']);
    expect(list.map((a) => a.address)).toEqual([0, 1, 2, 3, 4].map((i) => hd(i).address));
    const anvilAccounts = ((await rpc('eth_accounts')) as string[]).map((a) => getAddress(a));
    expect(list.map((a) => a.address)).toEqual(anvilAccounts);
  });

  it('signs EIP-1559 transfers that anvil mines, from an HD account and from an imported key', async () => {
    const w = await open();
    const imported = w.importPrivateKey(OTHER_KEY);
    const a0 = w.signer(w.list()[0]!.address);
    const chainId = BigInt((await rpc('eth_chainId')) as string);
    const nonce = Number(await rpc('eth_getTransactionCount', [a0.address, 'latest']));
    const raw = a0.signTransaction(transfer(chainId, nonce, imported.address, 10n ** 18n));
    expect(Transaction.from(raw).from).toBe(a0.address);
    expect(Transaction.from(raw).type).toBe(2);
    expect(await send(raw)).toMatchObject({ status: '0x1', from: a0.address.toLowerCase() });

    const back = w.signer(imported.address).signTransaction({ ...transfer(chainId, 0, a0.address, 10n ** 17n), from: imported.address });
    const receipt = await send(back);
    expect(receipt).toMatchObject({ status: '0x1', from: imported.address.toLowerCase() });
    const fee = BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
    expect(BigInt((await rpc('eth_getBalance', [imported.address, 'latest'])) as string)).toBe(10n ** 18n - 10n ** 17n - fee);
  });
});

describe('keystores', () => {
  const castKey = async (json: string) => {
    writeFileSync(join(dir, 'ks.json'), json);
    const { stdout } = await promisify(execFile)(CAST, ['wallet', 'decrypt-keystore', '-k', dir, 'ks.json', '--unsafe-password', PW]);
    return /private key is: (0x[0-9a-f]{64})/.exec(stdout)![1];
  };

  it('exports a keystore that ethers and cast decrypt to the same key (default n = 2^17 and a small n)', async () => {
    const w = await open();
    const a1 = w.add();
    const slow = await w.exportKeystore(w.list()[0]!.address, PW);
    expect(JSON.parse(slow).crypto.kdfparams.n).toBe(2 ** 17);
    expect(await castKey(slow)).toBe(hd(0).privateKey);
    const fast = await w.exportKeystore(a1.address, PW, FAST);
    expect(JSON.parse(fast).crypto.kdfparams.n).toBe(2 ** 10);
    expect((await Wallet.fromEncryptedJson(fast, PW)).privateKey).toBe(hd(1).privateKey);
    expect(await castKey(fast)).toBe(hd(1).privateKey);
  });

  it('imports an ethers keystore; wrong password, bad file and duplicates fail clearly', async () => {
    const w = await open();
    const json = encryptKeystoreJsonSync({ address: OTHER.address, privateKey: OTHER_KEY }, PW, { scrypt: { N: 1024 } });
    expect((await thrown(() => w.importKeystore(json, 'not the password'))).code).toBe('WRONG_PASSWORD');
    expect((await thrown(() => w.importKeystore('{"version":3}', PW))).code).toBe('BAD_KEYSTORE');
    expect((await thrown(() => w.importKeystore('not json', PW))).code).toBe('BAD_KEYSTORE');
    const a = await w.importKeystore(json, PW, '  Cold  ');
    expect(a).toEqual({ address: OTHER.address, name: 'Cold', kind: 'imported', hidden: false, removable: true });
    expect(await thrown(() => w.importKeystore(json, PW))).toMatchObject({ code: 'ACCOUNT_EXISTS', message: expect.stringContaining('Cold') });
    expect((await thrown(() => w.importPrivateKey(hd(0).privateKey))).code).toBe('ACCOUNT_EXISTS');
    const back = await w.exportKeystore(a.address, PW, FAST);
    expect((await Wallet.fromEncryptedJson(back, PW)).privateKey).toBe(OTHER_KEY);
    expect((await thrown(() => w.exportKeystore(a.address, 'short'))).code).toBe('WEAK_PASSWORD');
  });
});

describe('the wallet file', () => {
  it('keeps names, hidden flags, imports and watch accounts across reopen; imported keys are encrypted', async () => {
    const w = await open();
    const a1 = w.add('Savings');
    w.rename(a1.address, '  Daily spending  ');
    w.setHidden(a1.address, true);
    const imp = w.importPrivateKey(OTHER_KEY.slice(2));
    const watch = w.addWatch(hd(7).address.toLowerCase());
    const before = w.list();
    expect(before.map((a) => [a.kind, a.name, a.hidden])).toEqual([
      ['hd', 'Account 1', false],
      ['hd', 'Daily spending', true],
      ['imported', 'Imported 1', false],
      ['watch', 'Watched 1', false],
    ]);
    expect(watch.address).toBe(hd(7).address);
    w.close();

    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['wallet.json']); // no temp files left behind
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(OTHER_KEY.slice(2));
    expect(text).not.toContain(hd(0).privateKey.slice(2));

    const again = await open();
    expect(again.list()).toEqual(before);
    const sig = again.signer(imp.address).signMessage('hello');
    expect(verifyMessage('hello', sig)).toBe(imp.address);
  });

  it('refuses a wrong wrap key, a tampered import and another account, loudly', async () => {
    const w = await open();
    const imp = w.importPrivateKey(OTHER_KEY);
    w.close();
    expect(await thrown(() => open({ wrapKey: randomBytes(32) }))).toMatchObject({ code: 'BAD_KEYSTORE', message: expect.stringMatching(/different key/) });
    const other = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
    expect(await thrown(() => open({ secret: { kind: 'mnemonic', mnemonic: other } }))).toMatchObject({ code: 'BAD_KEYSTORE', message: expect.stringMatching(/belongs to/) });

    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const entry = doc.accounts[1];
    const ct = entry.ciphertext as string;
    entry.ciphertext = ct.slice(0, 10) + (ct[10] === '0' ? '1' : '0') + ct.slice(11);
    writeFileSync(file, JSON.stringify(doc));
    expect(await thrown(() => open())).toMatchObject({ code: 'BAD_KEYSTORE', message: expect.stringContaining(imp.address) });

    entry.ciphertext = ct;
    entry.address = hd(9).address; // moving the sealed key under another address breaks its AAD
    writeFileSync(file, JSON.stringify(doc));
    expect((await thrown(() => open())).code).toBe('BAD_KEYSTORE');
    writeFileSync(file, '{ not json');
    expect(await thrown(() => open())).toMatchObject({ code: 'BAD_KEYSTORE', message: expect.stringMatching(/damaged/) });
  });

  it('opens a key-only profile with its key as account 0 and no HD derivation', async () => {
    const secret = { kind: 'key' as const, privateKey: fromHex(OTHER_KEY) };
    const w = await open({ secret });
    expect(w.list()).toEqual([{ address: OTHER.address, name: 'Account 1', kind: 'imported', hidden: false, removable: false }]);
    expect((await thrown(() => w.add())).code).toBe('BAD_INPUT');
    expect((await thrown(() => w.remove(OTHER.address))).code).toBe('BAD_INPUT');
    w.rename(OTHER.address, 'Main');
    w.close();
    const again = await open({ secret });
    expect(again.list()[0]!.name).toBe('Main');
    expect(verifyMessage(new Uint8Array([1, 2, 3]), again.signer(OTHER.address).signMessage(new Uint8Array([1, 2, 3])))).toBe(OTHER.address);
  });
});

describe('account rules', () => {
  it('validates names, visibility and removal', async () => {
    const w = await open();
    const a0 = w.list()[0]!.address;
    for (const bad of ['', '   ', 'x'.repeat(33), 'tab\there']) expect((await thrown(() => w.rename(a0, bad))).code).toBe('BAD_INPUT');
    expect(w.rename(a0, '🦊'.repeat(32)).name).toBe('🦊'.repeat(32));
    expect(await thrown(() => w.setHidden(a0, true))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/visible/) });
    const watch = w.addWatch(OTHER.address);
    expect(w.setHidden(a0, true).hidden).toBe(true);
    expect((await thrown(() => w.remove(watch.address))).code).toBe('BAD_INPUT'); // the last visible one
    w.setHidden(a0, false);
    expect((await thrown(() => w.remove(a0))).code).toBe('BAD_INPUT');
    w.remove(watch.address);
    expect(w.list()).toHaveLength(1);
    expect((await thrown(() => w.remove(watch.address))).code).toBe('NOT_FOUND');
    expect((await thrown(() => w.rename('0x1234', 'x'))).code).toBe('BAD_ADDRESS');
  });

  it('validates imports and watch addresses', async () => {
    const w = await open();
    for (const bad of ['', '0x1234', 'zz'.repeat(32), '00'.repeat(32), 'ff'.repeat(32)]) {
      expect((await thrown(() => w.importPrivateKey(bad))).code).toBe('BAD_INPUT');
    }
    const mixed = hd(3).address; // 0xF3f50213C1d2e255e4B2bAD430F8A38EEF8D718E
    const typo = '0xF3f50213C1d2e255e4B2bAD430F8A38EEF8D718e';
    expect(await thrown(() => w.addWatch(typo))).toMatchObject({ code: 'BAD_ADDRESS', message: expect.stringMatching(/checksum/) });
    expect((await thrown(() => w.addWatch('0x' + '0'.repeat(40)))).code).toBe('BAD_INPUT');
    expect((await thrown(() => w.addWatch(hd(0).address))).code).toBe('ACCOUNT_EXISTS');
    w.addWatch(mixed.toUpperCase().replace('0X', '0x'));
    expect((await thrown(() => w.addWatch(mixed))).code).toBe('ACCOUNT_EXISTS');
  });

  it('add() adopts an imported copy of the next HD key, keeping its name', async () => {
    const w = await open();
    w.importPrivateKey(hd(1).privateKey, 'Was imported');
    const a = w.add();
    expect(a).toMatchObject({ address: hd(1).address, kind: 'hd', index: 1, name: 'Was imported', removable: false });
    expect(w.list()).toHaveLength(2);
    expect(w.add().index).toBe(2);
  });

  it('watch accounts neither sign nor export', async () => {
    const w = await open();
    const watch = w.addWatch(OTHER.address);
    expect(await thrown(() => w.signer(watch.address))).toMatchObject({ code: WATCH_ONLY_CODE, message: expect.stringMatching(/watch-only/) });
    expect((await thrown(() => w.exportKeystore(watch.address, PW, FAST))).code).toBe(WATCH_ONLY_CODE);
  });
});

describe('signer', () => {
  it('matches ethers signatures (EIP-191, EIP-712) and never holds the key', async () => {
    const w = await open();
    const s = w.signer(w.list()[0]!.address);
    const ref = new Wallet(hd(0).privateKey);
    const msg = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
    expect(s.signMessage(msg)).toBe(await ref.signMessage(msg));
    const domain = { name: 'Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' };
    const types = { Mail: [{ name: 'to', type: 'address' }, { name: 'contents', type: 'string' }] };
    const value = { to: OTHER.address, contents: 'Hello, Bob!' };
    const typed = s.signTypedData(domain, types, value);
    expect(typed).toBe(await ref.signTypedData(domain, types, value));
    expect(verifyTypedData(domain, types, value, typed)).toBe(s.address);
    expect((await thrown(() => s.signTypedData(domain, { Mail: [{ name: 'to', type: 'nope' }] }, value))).code).toBe('BAD_INPUT');

    const keyHex = hd(0).privateKey.slice(2);
    expect(JSON.stringify(s)).not.toContain(keyHex);
    expect(Object.keys(s).sort()).toEqual(['address', 'signMessage', 'signTransaction', 'signTypedData']);
    expect(Object.isFrozen(s)).toBe(true);
    w.close();
    expect((await thrown(() => s.signMessage(msg))).code).toBe('LOCKED');
    expect((await thrown(() => w.list())).code).toBe('LOCKED');
  });

  it('validates transactions: bigint amounts, type 2 only, fees, sender', async () => {
    const w = await open();
    const s = w.signer(w.list()[0]!.address);
    const ok = { chainId: 1n, nonce: 0, to: OTHER.address, value: 1n, gasLimit: 21_000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n };
    const tx = Transaction.from(s.signTransaction(ok));
    expect([tx.chainId, tx.nonce, tx.to, tx.value, tx.gasLimit, tx.maxFeePerGas, tx.maxPriorityFeePerGas, tx.from]).toEqual([1n, 0, OTHER.address, 1n, 21_000n, 2n, 1n, s.address]);
    const bad: Record<string, unknown>[] = [
      { value: 1 as unknown as bigint },
      { value: -1n },
      { gasLimit: 1.5 },
      { maxPriorityFeePerGas: 3n },
      { type: 0 },
      { chainId: 0n },
      { nonce: -1 },
      { from: OTHER.address },
      { to: '0xnot an address' },
      { to: null },
      { data: '0x123' },
    ];
    for (const patch of bad) expect((await thrown(() => s.signTransaction({ ...ok, ...patch } as typeof ok))).code, JSON.stringify(patch, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).toBe(typeof patch.to === 'string' ? 'BAD_ADDRESS' : 'BAD_INPUT');
    const create = Transaction.from(s.signTransaction({ ...ok, to: null, data: fromHex('6000'), gasLimit: 60_000n }));
    expect([create.to, create.data]).toEqual([null, '0x' + toHex(fromHex('6000'))]);
  });
});
