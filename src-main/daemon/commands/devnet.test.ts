/**
 * `node status` and `devnet reset` end to end through the CLI: an in-process `serve` over a
 * fake node whose chain advances, and the CLI talking to it over the loopback bridge.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChainStatusT, NodeStatusT } from '../../../src-preload/contract';
import { createFakeNode, type FakeNode } from '../../bridge/fake-node';
import { main } from '../cli';
import type { CliDeps, CliIO } from '../context';

const PASSWORD = 'correct horse';
const RPC = 'http://127.0.0.1:8545';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-devnet-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A fake node with a devnet: one block per status call, reset goes back to block 0. */
function chainNode(dataDir: string): FakeNode {
  const n = createFakeNode({ dataDir, phase: 'locked', password: PASSWORD });
  let height = 41;
  let resets = 0;
  const chain = (): ChainStatusT => ({
    network: 'BitUnicom devnet',
    producer: 'devnet',
    chainId: 16981,
    head: { number: height, hash: `0x${String(resets).repeat(64)}`, timestamp: Date.now() - 1000, txs: 0, gasUsed: 0, gasLimit: 30_000_000, baseFeeWei: '1000000000' },
    blockTimeSec: 2,
    intervalSec: 2,
    mempool: { pending: 0, queued: 0 },
    peers: 0,
    rpcUrl: RPC,
  });
  const base = n.handlers['node.status'];
  const status = async (): Promise<NodeStatusT> => ({ ...(await base({})), rpcUrl: RPC, chain: chain() });
  n.handlers = {
    ...n.handlers,
    'node.status': async () => {
      n.calls.push({ method: 'node.status', input: {} });
      height += 1;
      return status();
    },
    'devnet.reset': async (input) => {
      n.calls.push({ method: 'devnet.reset', input });
      height = 0;
      resets += 1;
      return status();
    },
  };
  return n;
}

function deps(opts: { stdin?: string; tty?: boolean; env?: Record<string, string>; signal?: AbortSignal; nodes?: FakeNode[] } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const nodes = opts.nodes ?? [];
  const stdin = Object.assign(Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]), opts.tty ? { isTTY: true } : {});
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: opts.env ?? {}, stdin, platform: 'linux', home: dir, cwd: dir };
  const d: CliDeps = {
    io,
    shutdownSignal: opts.signal,
    loadCore: async () => ({
      createNode: async (o) => {
        const n = chainNode(o.dataDir);
        nodes.push(n);
        return n;
      },
      generateMnemonic: () => 'unused',
    }),
  };
  return { deps: d, out, err, nodes };
}

async function run(argv: string[], opts: Parameters<typeof deps>[0] = {}) {
  const h = deps(opts);
  const code = await main(argv, h.deps);
  return { code, out: h.out.join('\n'), err: h.err };
}

async function serve() {
  const ac = new AbortController();
  const h = deps({ signal: ac.signal, env: { BITUNICOM_PASSWORD: PASSWORD } });
  const done = main(['serve', '--data', dir, '--log-level', 'error'], h.deps);
  for (let i = 0; i < 500 && !h.out.some((l) => l.startsWith('UI: ')); i++) {
    const early = await Promise.race([done, new Promise((r) => setTimeout(() => r(null), 10))]);
    if (early !== null) throw new Error(`serve exited early (${early}): ${h.err.join(' | ')}`);
  }
  return { node: h.nodes[0]!, stop: () => (ac.abort(), done) };
}

describe('cli: node status and devnet reset', () => {
  it('node status prints the chain with the RPC line, --json has rpcUrl on top, status still works', async () => {
    const s = await serve();
    const d = ['--data', dir];
    const text = await run(['node', 'status', ...d]);
    expect(text.code).toBe(0);
    const lines = text.out.split('\n');
    expect(lines).toContain(`RPC: ${RPC}`);
    expect(lines).toContain('Account:  unlocked');
    expect(text.out).toMatch(/^Network: +BitUnicom devnet, chain id 16981, blocks made by the devnet producer$/m);
    expect(text.out).toMatch(/^Head: +#\d+ 0x0{64}, 1s ago, 0 tx$/m);
    expect(text.out).toMatch(/^Block time: +2s on average, a block every 2s when idle$/m);
    expect(text.out).toMatch(/^Mempool: +0 pending, 0 queued$/m);
    expect(text.out).toMatch(/^Chain peers: 0/m);

    const json = JSON.parse((await run(['node', 'status', '--json', ...d])).out);
    expect(json.rpcUrl).toBe(RPC);
    expect(json.chain).toMatchObject({ chainId: 16981, producer: 'devnet', rpcUrl: RPC });
    expect(json.phase).toBe('unlocked');

    const legacy = await run(['status', ...d]);
    expect(legacy.code).toBe(0);
    expect(legacy.out).toContain('UI:       http://127.0.0.1:');
    expect(legacy.out.split('\n')).toContain(`RPC: ${RPC}`);
    expect(await s.stop()).toBe(0);
  });

  it('devnet reset needs --yes without a terminal, asks for the word on one, and prints the new genesis', async () => {
    const s = await serve();
    const d = ['--data', dir];
    const resets = () => s.node.calls.filter((c) => c.method === 'devnet.reset');

    const refused = await run(['devnet', 'reset', ...d]);
    expect(refused.code).toBe(2);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toMatch(/^bitunicom: devnet reset erases the whole local chain .*add --yes\. Run 'bitunicom devnet reset --help' for usage\.$/);
    expect(resets()).toHaveLength(0);

    const cancelled = await run(['devnet', 'reset', ...d], { tty: true, stdin: 'yes\n' });
    expect(cancelled.code).toBe(1);
    expect(cancelled.err[0]).toMatch(/^This erases every block, balance and transaction of the local devnet \(BitUnicom devnet, chain id 16981, now at block #\d+\)/);
    expect(cancelled.err).toContain("Type 'reset' to continue:");
    expect(cancelled.err.at(-1)).toBe('Cancelled: nothing was erased.');
    expect(resets()).toHaveLength(0);

    const typed = await run(['devnet', 'reset', ...d], { tty: true, stdin: 'reset\n' });
    expect(typed.code).toBe(0);
    expect(resets()).toEqual([{ method: 'devnet.reset', input: { confirm: true } }]);
    expect(typed.out.split('\n')).toEqual([
      'Devnet reset: BitUnicom devnet (chain id 16981) starts again from a new genesis.',
      `Genesis:     #0 0x${'1'.repeat(64)}`,
      `RPC: ${RPC}`,
    ]);

    const yes = await run(['devnet', 'reset', '--yes', '--json', ...d]);
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.out)).toMatchObject({ rpcUrl: RPC, chain: { head: { number: 0 } } });
    expect(resets()).toHaveLength(2);
    expect(await s.stop()).toBe(0);
  });

  it('explains the two-word commands', async () => {
    // `node` and `devnet` are commands (the POE network, commands/poe.ts) and groups at once
    const bare = await run(['node']);
    expect(bare.code).toBe(2);
    expect(bare.err).toEqual(["bitunicom: --role is required: primary (proposes and votes) or sealer (re-executes and seals). Run 'bitunicom node --help' for usage."]);
    const unknown = await run(['devnet', 'frob']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual([`bitunicom: unexpected argument "frob" (devnet takes none). Run 'bitunicom devnet --help' for usage.`]);
    const group = await run(['node', '--help']);
    expect(group.code).toBe(0);
    expect(group.out).toMatch(/^Usage: bitunicom node \[options\]\n\nRun one POE network node/);
    expect(group.out).toMatch(/\nUsage: bitunicom node <status\|sealing\|idle\|[a-z|]*register[a-z|]*> \[options\]\n\n {2}node status +Show the node and its chain/);
    expect((await run(['help', 'devnet', 'reset'])).out).toContain('Usage: bitunicom devnet reset [options]');
    expect((await run(['help', 'devnet'])).out).toContain('devnet reset');
    expect((await run(['--help'])).out).toMatch(/^ {2}devnet reset +Erase the local devnet/m);
  });
});
