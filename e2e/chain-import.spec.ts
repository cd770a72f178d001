/**
 * The built CLI (`node src-main/bin/bitunicom.mjs`, needs `npm run build`) imports an
 * ethereum/tests BlockchainTest (e2e/fixtures/chain) and serves it; Foundry's `cast` then
 * reads the chain through the JSON-RPC and must see the test's lastblockhash and postState.
 * An invalid test chain and a truncated file fail with one line and exit code 1.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'src-main', 'bin', 'bitunicom.mjs');
const CAST = join(dirname(createRequire(import.meta.url).resolve('@foundry-rs/cast-linux-amd64/package.json')), 'bin', 'cast');
const FIX = join(root, 'e2e', 'fixtures', 'chain');
const run = promisify(execFile);

type Expected = {
  lastblockhash: string;
  blocks: { number: number; stateRoot: string }[];
  invalid: { hash: string; stateRoot: string } | null;
  postState: Record<string, { balance: string; nonce: string; code: string; storage: Record<string, string> }>;
};
const fixture = (name: string) => ({
  genesis: join(FIX, name, 'genesis.json'),
  blocks: join(FIX, name, 'chain.rlp'),
  expected: JSON.parse(readFileSync(join(FIX, name, 'expected.json'), 'utf8')) as Expected,
});

const dir = mkdtempSync(join(tmpdir(), 'bu-chain-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const cast = async (...args: string[]) => (await run(CAST, args)).stdout.trim();

describe('bitunicom chain (built CLI) with ethereum/tests fixtures', () => {
  it('imports RecallSuicidedContract_Cancun, serves it, and cast reads the postState', async () => {
    const f = fixture('cancun-recall-suicided');
    const data = join(dir, 'cancun');
    const imp = await cli(['chain', 'import', '--genesis', f.genesis, '--blocks', f.blocks, '--data', data, '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ imported: 3, head: { number: 3, hash: f.expected.lastblockhash, stateRoot: f.expected.blocks.at(-1)!.stateRoot } });

    const proc = spawn(process.execPath, [BIN, 'chain', 'serve', '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('chain serve printed no RPC line')), 30_000);
        createInterface({ input: proc.stdout! }).on('line', (line) => {
          const m = /^RPC: (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        void exited.then(() => reject(new Error('chain serve exited')));
      });
      expect(await cast('chain-id', '--rpc-url', url)).toBe('1');
      expect(await cast('block-number', '--rpc-url', url)).toBe('3');
      expect(await cast('block', 'latest', '--field', 'hash', '--rpc-url', url)).toBe(f.expected.lastblockhash);
      expect(await cast('block', 'latest', '--field', 'stateRoot', '--rpc-url', url)).toBe(f.expected.blocks.at(-1)!.stateRoot);
      for (const [address, acct] of Object.entries(f.expected.postState)) {
        expect(BigInt(await cast('balance', address, '--rpc-url', url)), address).toBe(BigInt(acct.balance));
        expect(BigInt(await cast('nonce', address, '--rpc-url', url)), address).toBe(BigInt(acct.nonce));
        expect(await cast('code', address, '--rpc-url', url), address).toBe(acct.code);
        for (const [slot, value] of Object.entries(acct.storage)) {
          expect(BigInt(await cast('storage', address, slot, '--rpc-url', url)), `${address}[${slot}]`).toBe(BigInt(value));
        }
      }
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses wrongStateRoot_Berlin with one line naming both state roots, exit 1', async () => {
    const f = fixture('invalid-state-root');
    const r = await cli(['chain', 'import', '--genesis', f.genesis, '--blocks', f.blocks, '--data', join(dir, 'bad')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: .*Block 1 \\(0x[0-9a-f]{64}\\) is invalid: state root ${f.expected.invalid!.stateRoot} in the block, 0x[0-9a-f]{64} when executed`));
  });

  it('a truncated file: one line, exit 1, the blocks before the cut stay and a re-run with the whole file resumes', async () => {
    const f = fixture('cancun-recall-suicided');
    const whole = readFileSync(f.blocks);
    const cut = join(dir, 'cut.rlp');
    writeFileSync(cut, whole.subarray(0, whole.length - 3));
    const data = join(dir, 'resume');
    const r = await cli(['chain', 'import', '--genesis', f.genesis, '--blocks', cut, '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: .*The blocks file is truncated: block 3 at byte \d+ needs \d+ bytes/)]);
    const again = await cli(['chain', 'import', '--genesis', f.genesis, '--blocks', f.blocks, '--data', data, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 1, skipped: 3, head: { hash: f.expected.lastblockhash } });
  });
});
