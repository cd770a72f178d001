import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveIdentity, encryptKeystoreV3, mnemonicToSeed, walletAccountPath } from '../../core/account';
import { toHex } from '../../core/base';
import { generatePrivateKey } from '../../core/crypto';
import { appFiles, HELLO_DIR, manifestFor, SAMPLE_AUTHOR_PRIVATE, writeFiles } from '../../core/dapps/package/test-support';
import { main } from '../cli';
import type { CliDeps, CliIO } from '../context';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'correct horse battery';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-dapp-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], opts: { env?: Record<string, string>; stdin?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: opts.env ?? {},
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    platform: 'linux',
    home: dir,
    cwd: dir,
  };
  const deps: CliDeps = {
    io,
    loadCore: async () => {
      const core = await import('../../core');
      return { generateMnemonic: core.generateMnemonic, createNode: (o) => core.createNode({ ...o, scryptN: 2 ** 10 }) };
    },
  };
  const code = await main(argv, deps);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function keyFile(key: Uint8Array, name = 'author.key'): string {
  writeFileSync(join(dir, name), `0x${toHex(key)}\n`, { mode: 0o600 });
  return name;
}

describe('bitunicom dapp', () => {
  it('packs, signs and verifies the sample hello dapp; the output is deterministic', async () => {
    const src = join(dir, 'hello');
    cpSync(HELLO_DIR, src, { recursive: true });
    const packed = await cli(['dapp', 'pack', 'hello', '-o', 'hello.bud', '--json']);
    expect(packed.err).toBe('');
    expect(packed.code).toBe(0);
    const p = JSON.parse(packed.out) as { file: string; contentHash: string; appId: string; files: number; signed: boolean };
    expect(p).toMatchObject({ file: join(dir, 'hello.bud'), files: readdirSync(HELLO_DIR).length, signed: false, appId: '0x0faed322521b51d70016067b15e618d3fb61f219' });
    // default name, same bytes
    const again = await cli(['dapp', 'pack', 'hello']);
    expect(again.code).toBe(0);
    expect(again.out).toContain(p.contentHash);
    expect(readFileSync(join(dir, 'hello-0.1.0.bud')).equals(readFileSync(join(dir, 'hello.bud')))).toBe(true);

    const unsigned = await cli(['dapp', 'verify', 'hello.bud']);
    expect(unsigned.code).toBe(1);
    expect(unsigned.err).toContain('UNSIGNED');

    const signed = await cli(['dapp', 'sign', 'hello.bud', '--key-file', keyFile(SAMPLE_AUTHOR_PRIVATE)]);
    expect(signed.err).toBe('');
    expect(signed.code).toBe(0);
    expect(signed.out).toContain('Signed Hello 0.1.0');

    const ok = await cli(['dapp', 'verify', 'hello.bud', '--json', '--content-hash', p.contentHash]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, contentHash: p.contentHash, name: 'Hello', version: '0.1.0', permissions: (JSON.parse(readFileSync(join(HELLO_DIR, 'manifest.json'), 'utf8')) as { permissions: string[] }).permissions });

    const inspect = await cli(['dapp', 'inspect', 'hello.bud']);
    expect(inspect.code).toBe(0);
    expect(inspect.out).toMatch(/signature\s+valid/);
    expect(inspect.out).toContain('index.html  text/html');
    const inspectJson = JSON.parse((await cli(['dapp', 'inspect', 'hello.bud', '--json'])).out) as { fileList: { path: string }[]; signature: { state: string } };
    expect(inspectJson.fileList.map((f) => f.path)).toEqual(readdirSync(HELLO_DIR).sort());
    expect(inspectJson.signature.state).toBe('valid');
  });

  it('refuses, with the reason: a listed hash that differs, a tampered byte, another key, a bad folder', async () => {
    writeFiles(join(dir, 'app'), appFiles(manifestFor(SAMPLE_AUTHOR_PRIVATE)));
    expect((await cli(['dapp', 'pack', 'app', '-o', 'a.bud'])).code).toBe(0);
    const other = await cli(['dapp', 'sign', 'a.bud', '--key-file', keyFile(generatePrivateKey(), 'other.key')]);
    expect(other.code).toBe(1);
    expect(other.err).toContain('SIGNER_MISMATCH');
    expect((await cli(['dapp', 'sign', 'a.bud', '--key-file', keyFile(SAMPLE_AUTHOR_PRIVATE)])).code).toBe(0);

    const listed = await cli(['dapp', 'verify', 'a.bud', '--json', '--content-hash', `0x${'ab'.repeat(32)}`]);
    expect(listed.code).toBe(1);
    expect(JSON.parse(listed.out)).toMatchObject({ ok: false, reason: 'CONTENT_MISMATCH' });

    const bytes = readFileSync(join(dir, 'a.bud'));
    bytes[bytes.length - 140] = bytes[bytes.length - 140]! ^ 1; // last content byte
    writeFileSync(join(dir, 'a.bud'), bytes);
    const tampered = await cli(['dapp', 'verify', 'a.bud']);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toContain('CHUNK_MISMATCH');
    expect((await cli(['dapp', 'inspect', 'a.bud'])).code).toBe(1);

    writeFileSync(join(dir, 'app', 'tool.exe'), 'MZ');
    const bad = await cli(['dapp', 'pack', 'app']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('BAD_EXTENSION');
    expect((await cli(['dapp', 'sign', 'a.bud'])).code).toBe(2); // neither --key-file nor --account
    expect((await cli(['dapp', 'verify', 'missing.bud'])).code).toBe(2);
  });

  it('signs with a keystore V3 key file, its password from the environment', async () => {
    writeFiles(join(dir, 'app'), appFiles(manifestFor(SAMPLE_AUTHOR_PRIVATE)));
    expect((await cli(['dapp', 'pack', 'app', '-o', 'a.bud'])).code).toBe(0);
    writeFileSync(join(dir, 'key.json'), await encryptKeystoreV3(SAMPLE_AUTHOR_PRIVATE, PASSWORD, { n: 2 ** 10 }));
    const noPassword = await cli(['dapp', 'sign', 'a.bud', '--key-file', 'key.json']);
    expect(noPassword.code).toBe(2);
    const wrong = await cli(['dapp', 'sign', 'a.bud', '--key-file', 'key.json'], { env: { BITUNICOM_PASSWORD: 'not it at all' } });
    expect(wrong.code).toBe(1);
    const r = await cli(['dapp', 'sign', 'a.bud', '--key-file', 'key.json', '-o', 'signed.bud'], { env: { BITUNICOM_PASSWORD: PASSWORD } });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect((await cli(['dapp', 'verify', 'signed.bud'])).code).toBe(0);
    expect((await cli(['dapp', 'verify', 'a.bud'])).code).toBe(1); // -o left the input unsigned
  });

  it('signs with a wallet account of the profile (no serve running: the profile is opened here)', async () => {
    const data = join(dir, 'profile');
    const env = { BITUNICOM_PASSWORD: PASSWORD };
    const imported = await cli(['import', '--data', data], { env, stdin: `${MNEMONIC}\n` });
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    const account = deriveIdentity(mnemonicToSeed(MNEMONIC), walletAccountPath(0));
    writeFiles(join(dir, 'app'), appFiles(manifestFor(account.privateKey)));
    expect((await cli(['dapp', 'pack', 'app', '-o', 'a.bud'])).code).toBe(0);
    const r = await cli(['dapp', 'sign', 'a.bud', '--account', account.address, '--data', data, '--json'], { env });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ signed: true, signer: `0x${toHex(account.publicKey)}` });
    const v = await cli(['dapp', 'verify', 'a.bud', '--author', `0x${toHex(account.publicKey)}`]);
    expect(v.code).toBe(0);
    expect(existsSync(join(data, 'daemon.json'))).toBe(false);
  });
});

describe('bitunicom dapp (usage)', () => {
  it('lists its subcommands; publish asks for --yes without a terminal and needs the running node', async () => {
    const help = await cli(['dapp', '--help']);
    expect(help.code).toBe(0);
    for (const sub of ['pack', 'sign', 'verify', 'inspect', 'publish']) expect(help.out).toContain(`dapp ${sub}`);
    const bare = await cli(['dapp']);
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('missing subcommand: dapp <pack|sign|verify|inspect|publish|list|search|info|install|update|uninstall>');
    const noYes = await cli(['dapp', 'publish', 'x.bud']);
    expect(noYes.code).toBe(2);
    expect(noYes.err).toContain('dapp publish needs a confirmation and stdin is not a terminal: add --yes');
    expect((await cli(['dapp', 'publish', 'x.bud', '--yes'])).code).toBe(2); // no such file
    expect((await cli(['dapp', 'publish', '--help'])).out).toContain('--fee-approve');
    writeFiles(join(dir, 'app'), appFiles(manifestFor(SAMPLE_AUTHOR_PRIVATE)));
    expect((await cli(['dapp', 'pack', 'app', '-o', 'a.bud'])).code).toBe(0);
    const unsigned = await cli(['dapp', 'publish', 'a.bud', '--yes', '--data', join(dir, 'none')]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.err).toContain('UNSIGNED'); // verified before the node is asked
    expect((await cli(['dapp', 'sign', 'a.bud', '--key-file', keyFile(SAMPLE_AUTHOR_PRIVATE)])).code).toBe(0);
    const noNode = await cli(['dapp', 'publish', 'a.bud', '--yes', '--data', join(dir, 'none')]);
    expect(noNode.code).toBe(1);
    expect(noNode.err).toContain('No BitUnicom node is running for this profile.');
    expect((await cli(['dapp', 'sign', '--help'])).out).toContain('--key-file FILE');
  });
});
