import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './args';
import type { CliIO } from './context';
import { passwordFromSources, readStdin, readTextFile, requirePassword, stripLineEnd } from './inputs';

const dir = mkdtempSync(join(tmpdir(), 'bu-in-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(env: Record<string, string> = {}, stdin = ''): CliIO {
  return { out() {}, err() {}, env, stdin: Readable.from([Buffer.from(stdin)]), platform: 'linux', home: '/h', cwd: dir };
}

describe('inputs', () => {
  it('takes the password from --password-file (one line ending stripped) before the environment', async () => {
    const f = join(dir, 'pw');
    writeFileSync(f, ' pass word \r\n');
    expect(await passwordFromSources(io({ BITUNICOM_PASSWORD: 'env-pass' }), { 'password-file': f })).toBe(' pass word ');
    expect(await passwordFromSources(io({ BITUNICOM_PASSWORD: 'env-pass' }), {})).toBe('env-pass');
    expect(await passwordFromSources(io({ BITUNICOM_PASSWORD: '' }), {})).toBeNull();
    expect(stripLineEnd('a\n\n')).toBe('a\n');
  });

  it('requires a password non-interactively with a clear hint', async () => {
    await expect(requirePassword(io(), {})).rejects.toThrow(/set BITUNICOM_PASSWORD or pass --password-file FILE/);
    await expect(requirePassword(io(), {}, 'Password: ')).rejects.toBeInstanceOf(UsageError); // stdin is not a TTY
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    await expect(requirePassword(io(), { 'password-file': empty })).rejects.toThrow(/is empty/);
    await expect(requirePassword(io(), { 'password-file': join(dir, 'missing') })).rejects.toThrow(/no such file/);
  });

  it('caps file and stdin sizes', async () => {
    const big = join(dir, 'big');
    writeFileSync(big, 'x'.repeat(5000));
    await expect(readTextFile(big, 'mnemonic file', 4096)).rejects.toThrow(/larger than 4096 bytes/);
    await expect(readTextFile(dir, 'keystore file')).rejects.toThrow(/is not a file/);
    expect(await readStdin(io({}, 'abandon ability\n'))).toBe('abandon ability\n');
    await expect(readStdin(io({}, 'y'.repeat(100)), 10)).rejects.toThrow(/larger than 10 bytes/);
  });
});
