/**
 * `bitunicom wallet send` / `speed-up` against a served fake node whose wallet answers from
 * fixed data: what reaches the bridge (a friend by name → `friend`, --max-fee in exact wei,
 * the quoted fee and gas sent back unchanged), the terminal confirmation ('yes' sends,
 * anything else sends nothing), and an insufficient balance refused before any prompt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityItemT, SendQuoteT, WalletAccountT, WalletNetworkT } from '../../../src-preload/contract';
import { createFakeNode, fakeContact, type FakeNode } from '../../bridge/fake-node';
import { main } from '../cli';
import type { CliDeps, CliIO } from '../context';

const PASSWORD = 'correct horse';
const ME = '0x1111111111111111111111111111111111111111';
const BOB_ID = '0xB0b0000000000000000000000000000000000001';
const BOB_WALLET = '0x2222222222222222222222222222222222222222';
const HASH = `0x${'cd'.repeat(32)}`;
const amt = (amount: string, formatted: string) => ({ amount, formatted, symbol: 'BU', decimals: 18 });

let dir: string;
let balanceOk = true;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-wallet-fake-'));
  balanceOk = true;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tier = { maxFeePerGas: '2000000000', maxPriorityFeePerGas: '1000000000' };
const account: WalletAccountT = { address: ME, name: 'Account 1', kind: 'hd', index: 0, hidden: false, removable: false };
const devnet: WalletNetworkT = { id: 'devnet', chainId: 16981, name: 'BitUnicom devnet', symbol: 'BU', currencyName: 'BU', decimals: 18, rpcUrl: 'http://127.0.0.1:8545/', explorerUrl: null, builtin: true, selected: true };

function quote(input: Record<string, unknown>): SendQuoteT {
  const fee = input.maxFeePerGas ? { maxFeePerGas: String(input.maxFeePerGas), maxPriorityFeePerGas: tier.maxPriorityFeePerGas } : tier;
  return {
    from: ME,
    to: BOB_WALLET,
    friend: input.friend ? { address: BOB_ID, name: 'Bob' } : null,
    network: { id: 'devnet', name: 'BitUnicom devnet', chainId: 16981, symbol: 'BU' },
    token: null,
    amount: amt('1000000000000000000', '1 BU'),
    gasLimit: '21000',
    baseFee: '500000000',
    tiers: { slow: tier, normal: tier, fast: tier },
    tier: input.maxFeePerGas ? 'custom' : 'normal',
    fee,
    maxFee: amt('42000000000000', '0.000042 BU'),
    total: 'at most 1.000042 BU',
    sufficient: balanceOk,
    warnings: balanceOk ? [] : ['Not enough BU: the balance is 0.5 BU.'],
  };
}

const item = (over: Partial<ActivityItemT> = {}): ActivityItemT => ({
  hash: HASH, networkId: 'devnet', chainId: 16981, account: ME, direction: 'out', from: ME, to: BOB_WALLET, amount: amt('1000000000000000000', '1 BU'),
  token: null, nonce: '0', status: 'pending', blockNumber: null, at: 1, fee: amt('42000000000000', '0.000042 BU'), explorerUrl: null, replacement: null, replaceable: true, ...over,
});

function walletNode(dataDir: string): FakeNode {
  const n = createFakeNode({ dataDir, phase: 'locked', password: PASSWORD });
  n.contacts.push(fakeContact(BOB_ID, 'Bob'));
  const rec = <T>(method: string, input: unknown, v: T): T => (n.calls.push({ method, input }), v);
  n.handlers = {
    ...n.handlers,
    'wallet.accounts': (i) => rec('wallet.accounts', i, [account]),
    'wallet.networks': (i) => rec('wallet.networks', i, [devnet]),
    'wallet.quote': (i) => rec('wallet.quote', i, quote(i)),
    'wallet.send': (i) => rec('wallet.send', i, item()),
    'wallet.activity': (i) => rec('wallet.activity', i, [item()]),
    'wallet.replace': (i) => rec('wallet.replace', i, item({ hash: `0x${'ef'.repeat(32)}`, replacement: 'speed-up' })),
  };
  return n;
}

function deps(opts: { stdin?: string; tty?: boolean; signal?: AbortSignal; nodes?: FakeNode[] } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const nodes = opts.nodes ?? [];
  const stdin = Object.assign(Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]), opts.tty ? { isTTY: true } : {});
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: { BITUNICOM_PASSWORD: PASSWORD }, stdin, platform: 'linux', home: dir, cwd: dir };
  const d: CliDeps = {
    io,
    shutdownSignal: opts.signal,
    loadCore: async () => ({ createNode: async (o) => (nodes.push(walletNode(o.dataDir)), nodes.at(-1)!), generateMnemonic: () => 'unused' }),
  };
  return { d, out, err, nodes };
}

async function withServe(fn: (node: FakeNode, run: (argv: string[], o?: { stdin?: string; tty?: boolean }) => Promise<{ code: number; out: string; err: string[] }>) => Promise<void>) {
  const ac = new AbortController();
  const h = deps({ signal: ac.signal });
  const done = main(['serve', '--data', dir, '--log-level', 'error'], h.d);
  for (let i = 0; i < 500 && !h.out.some((l) => l.startsWith('UI: ')); i++) await new Promise((r) => setTimeout(r, 10));
  const run = async (argv: string[], o: { stdin?: string; tty?: boolean } = {}) => {
    const c = deps(o);
    const code = await main([...argv, '--data', dir], c.d);
    return { code, out: c.out.join('\n'), err: c.err };
  };
  try {
    await fn(h.nodes[0]!, run);
  } finally {
    ac.abort();
    await done;
  }
}

const sends = (n: FakeNode) => n.calls.filter((c) => c.method === 'wallet.send').map((c) => c.input);

describe('cli: wallet send through the bridge', () => {
  it('pays a friend named on the command line, after "yes" on the terminal, with the quoted fee', async () => {
    await withServe(async (node, run) => {
      const r = await run(['wallet', 'send', '--to', 'bob', '--amount', '1', '--max-fee', '2.5'], { tty: true, stdin: 'yes\n' });
      expect(r.code).toBe(0);
      expect(node.calls.find((c) => c.method === 'wallet.quote')?.input).toEqual({ friend: BOB_ID, amount: '1', maxFeePerGas: '2500000000' });
      expect(sends(node)).toEqual([{ friend: BOB_ID, amount: '1', maxFeePerGas: '2500000000', maxPriorityFeePerGas: '1000000000', gasLimit: '21000', confirm: true }]);
      expect(r.err).toContain(`To:       Bob's wallet ${BOB_WALLET}`);
      expect(r.err).toContain('Fee:      custom max fee: at most 2.5 gwei per gas (tip 1 gwei), base fee now 0.5 gwei');
      expect(r.err.at(-1)).toBe("Type 'yes' to continue:");
      expect(r.out.split('\n')[0]).toBe(`Sent: 1 BU to ${BOB_WALLET} (pending, nonce 0)`);
    });
  });

  it('sends nothing when the answer is not "yes", or when the balance is short (no prompt)', async () => {
    await withServe(async (node, run) => {
      const no = await run(['wallet', 'send', '--to', BOB_WALLET, '--amount', '1'], { tty: true, stdin: 'y\n' });
      expect(no.code).toBe(1);
      expect(no.err.at(-1)).toBe('Cancelled: nothing was sent.');
      expect(node.calls.find((c) => c.method === 'wallet.quote')?.input).toEqual({ to: BOB_WALLET, amount: '1' });
      balanceOk = false;
      const short = await run(['wallet', 'send', '--to', BOB_WALLET, '--amount', '1'], { tty: true, stdin: 'yes\n' });
      expect(short.code).toBe(1);
      expect(short.err.at(-1)).toBe('error: The balance does not cover the amount and the network fee. (Not enough BU: the balance is 0.5 BU.)');
      expect(short.err).not.toContain("Type 'yes' to continue:");
      expect(sends(node)).toEqual([]);
    });
  });

  it('speeds up after showing the pending transaction; --yes skips the question', async () => {
    await withServe(async (node, run) => {
      const asked = await run(['wallet', 'speed-up', HASH], { tty: true, stdin: 'yes\n' });
      expect(asked.code).toBe(0);
      expect(asked.err[1]).toMatch(new RegExp(`pending sent 1 BU to ${BOB_WALLET}, nonce 0, fee at most 0\\.000042 BU$`));
      expect(asked.out).toMatch(/^Sped up: 1 BU to /);
      const yes = await run(['wallet', 'speed-up', HASH, '--yes', '--json']);
      expect(JSON.parse(yes.out)).toMatchObject({ replacement: 'speed-up', status: 'pending' });
      expect(node.calls.filter((c) => c.method === 'wallet.replace').map((c) => c.input)).toEqual([
        { hash: HASH, action: 'speed-up', confirm: true },
        { hash: HASH, action: 'speed-up', confirm: true },
      ]);
      const bad = await run(['wallet', 'cancel', '0x1234', '--yes']);
      expect(bad.code).toBe(2);
    });
  });
});
