/**
 * `bitunicom chain import|export|serve` in-process (real core) on the ethereum/tests fixtures
 * of e2e/fixtures/chain: summary and progress lines, one error line and exit codes, and the
 * served JSON-RPC answering with the test's lastblockhash and postState.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../cli';
import type { CliDeps } from '../context';

const FIXTURES = join(__dirname, '..', '..', '..', 'e2e', 'fixtures', 'chain');
const fixture = (name: string) => ({
  genesis: join(FIXTURES, name, 'genesis.json'),
  blocks: join(FIXTURES, name, 'chain.rlp'),
  expected: JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as {
    lastblockhash: string;
    blocks: { number: number; hash: string; stateRoot: string }[];
    invalid: { hash: string } | null;
    postState: Record<string, { balance: string; nonce: string; code: string }>;
  },
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-chain-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function harness(signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const deps: CliDeps = {
    io: { out: (t) => void out.push(t), err: (t) => void err.push(t), env: {}, stdin: Readable.from([]), platform: 'linux', home: dir, cwd: dir },
    shutdownSignal: signal,
    loadCore: () => Promise.reject(new Error('chain commands do not need a node')),
  };
  return { deps, out, err };
}

async function run(argv: string[]) {
  const h = harness(new AbortController().signal);
  const code = await main(argv, h.deps);
  return { code, out: h.out, err: h.err };
}

describe('chain import / export', () => {
  it('imports a Cancun test chain: progress on stderr, one summary line on stdout', async () => {
    const f = fixture('cancun-recall-suicided');
    const r = await run(['chain', 'import', '--genesis', f.genesis, '--blocks', f.blocks, '--data', 'c', '--progress-every', '1']);
    expect(r.code).toBe(0);
    const last = f.expected.blocks.at(-1)!;
    expect(r.out).toEqual([`Imported 3 blocks (1 already known): head #3 ${f.expected.lastblockhash}, state root ${last.stateRoot}`]);
    expect(r.err.filter((l) => l.startsWith('Imported '))).toHaveLength(4);
    expect(r.err.at(-1)).toMatch(/^Imported 3 blocks \(1 known\), head #3, [\d.]+ blocks\/s$/);
    expect(existsSync(join(dir, 'c', 'chain.db'))).toBe(true);

    const again = await run(['chain', 'import', '--genesis', f.genesis, '--blocks', f.blocks, '--data', 'c', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out[0]!)).toMatchObject({ imported: 0, skipped: 4, interrupted: false, head: { number: 3, hash: f.expected.lastblockhash } });
  });

  it('an invalid block: exit 1 and one line naming the block and both receipts roots', async () => {
    const f = fixture('invalid-receipts-root');
    const r = await run(['chain', 'import', '--genesis', f.genesis, '--blocks', f.blocks, '--data', 'bad']);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^error: .*\\(Block 1 \\(${f.expected.invalid!.hash}\\) is invalid: receipts root 0x56e81f\\w+ in the block, 0x[0-9a-f]{64} when executed; state root 0x[0-9a-f]{64} matches\\.\\)$`));
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });

  it('usage and input mistakes', async () => {
    const f = fixture('london-log1');
    const noGenesis = await run(['chain', 'import', '--blocks', f.blocks, '--data', 'x']);
    expect(noGenesis.code).toBe(2);
    expect(noGenesis.err[0]).toMatch(/--genesis FILE .* is required/);
    const noData = await run(['chain', 'import', '--genesis', f.genesis, '--blocks', f.blocks]);
    expect(noData.code).toBe(2);
    expect(noData.err[0]).toMatch(/--data DIR is required/);
    const missing = await run(['chain', 'import', '--genesis', f.genesis, '--blocks', 'nope.rlp', '--data', 'x']);
    expect(missing).toMatchObject({ code: 1, err: [expect.stringContaining(`The blocks file ${join(dir, 'nope.rlp')} does not exist.`)] });
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('exports what it imported, byte for byte', async () => {
    const f = fixture('london-log1');
    expect((await run(['chain', 'import', '--genesis', f.genesis, '--blocks', f.blocks, '--data', 'l'])).code).toBe(0);
    const r = await run(['chain', 'export', '--data', 'l', '--out', 'out.rlp']);
    expect(r).toMatchObject({ code: 0, out: [`Exported blocks #0–#1 (2 blocks) to ${join(dir, 'out.rlp')}`] });
    expect(Buffer.compare(readFileSync(join(dir, 'out.rlp')), readFileSync(f.blocks))).toBe(0);
  });
});

describe('chain serve', () => {
  it('serves the imported chain: RPC line, head = lastblockhash, balances = postState', async () => {
    const f = fixture('cancun-recall-suicided');
    expect((await run(['chain', 'import', '--genesis', f.genesis, '--blocks', f.blocks, '--data', 's'])).code).toBe(0);
    const ac = new AbortController();
    const h = harness(ac.signal);
    const done = main(['chain', 'serve', '--data', 's', '--log-level', 'warn'], h.deps);
    const started = Date.now();
    while (!h.out.some((l) => l.startsWith('RPC: ')) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 20));
    const line = h.out.find((l) => l.startsWith('RPC: '));
    expect(line).toMatch(/^RPC: http:\/\/127\.0\.0\.1:\d+$/);
    const url = line!.slice(5);
    const call = async (method: string, params: unknown[]) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
      return ((await res.json()) as { result: unknown }).result;
    };
    try {
      expect(await call('eth_chainId', [])).toBe('0x1');
      expect(await call('eth_blockNumber', [])).toBe('0x3');
      expect(((await call('eth_getBlockByNumber', ['latest', false])) as { hash: string }).hash).toBe(f.expected.lastblockhash);
      for (const [address, acct] of Object.entries(f.expected.postState)) {
        expect(BigInt((await call('eth_getBalance', [address, 'latest'])) as string), address).toBe(BigInt(acct.balance));
        expect(BigInt((await call('eth_getTransactionCount', [address, 'latest'])) as string), address).toBe(BigInt(acct.nonce));
        expect(await call('eth_getCode', [address, 'latest']), address).toBe(acct.code);
      }
    } finally {
      ac.abort();
    }
    expect(await done).toBe(0);
  });

  it('refuses a directory without a chain', async () => {
    const r = await run(['chain', 'serve', '--data', 'empty']);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/There is no chain in .*empty/);
  });
});
