/**
 * `bitunicom wallet …` end to end: a real node served in this process (`serve` over the real
 * core, its embedded devnet, a profile restored from a known phrase) and the CLI talking to it
 * over the loopback bridge, every figure checked with `cast` (Foundry's client, not ours):
 *  - accounts list and add; the JSON balance in base units equals `cast balance`;
 *  - a send to the second account with --yes --json: pending, then confirmed in the history,
 *    and the received amount as cast reads it; without --yes and a terminal: usage error;
 *  - the test token: `--token` balance equals cast's balanceOf; an ERC-20 send confirmed;
 *  - anvil started with the same phrase, added as a custom network, balance agrees with cast;
 *    once anvil is gone, `wallet balance --network anvil` fails in seconds with exit code 1;
 *  - `wallet export` writes a 0600 keystore that `cast wallet decrypt-keystore` opens to the
 *    account's key.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityItemT, WalletAccountT, WalletBalancesT, WalletNetworkT } from '../../../src-preload/contract';
import { startAnvil, type Anvil } from '../../core/wallet/anvil-fixture';
import { main } from '../cli';
import type { CliDeps, CliIO } from '../context';

const exec = promisify(execFile);
const CAST = 'node_modules/@foundry-rs/cast-linux-amd64/bin/cast';
const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'correct horse';
const dir = mkdtempSync(join(tmpdir(), 'bu-wallet-cli-'));
const data = join(dir, 'profile');
let anvil: Anvil | null = null;
let stopServe: (() => Promise<number>) | null = null;

async function cast(args: string[], env: Record<string, string> = {}): Promise<string> {
  return (await exec(CAST, args, { env: { ...process.env, NO_COLOR: '1', ...env } })).stdout.trim();
}

function deps(opts: { stdin?: string; signal?: AbortSignal } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: { BITUNICOM_PASSWORD: PASSWORD },
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    platform: 'linux',
    home: dir,
    cwd: dir,
  };
  const d: CliDeps = {
    io,
    shutdownSignal: opts.signal,
    loadCore: async () => {
      const core = await import('../../core');
      return {
        generateMnemonic: core.generateMnemonic,
        // Test speed: cheap scrypt, fast blocks and wallet polling, any free ports.
        createNode: (o) => core.createNode({ ...o, scryptN: 2 ** 10, listen: { host: '127.0.0.1', port: 0 }, chain: { ...o.chain, rpcPort: 0, intervalMs: 500 }, wallet: { pollMs: 250 } }),
      };
    },
  };
  return { d, out, err };
}

async function cli(argv: string[], stdin?: string): Promise<{ code: number; out: string; err: string[] }> {
  const h = deps({ stdin });
  const code = await main([...argv, '--data', data], h.d);
  return { code, out: h.out.join('\n'), err: h.err };
}

async function json<T>(argv: string[]): Promise<T> {
  const r = await cli([...argv, '--json']);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.err.join(' | ')}`);
  return JSON.parse(r.out) as T;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  const ac = new AbortController();
  const h = deps({ signal: ac.signal });
  const served = main(['serve', '--data', data, '--log-level', 'error'], h.d);
  stopServe = async () => {
    ac.abort();
    return served;
  };
  await until('serve to print its UI link', async () => {
    const early = await Promise.race([served, new Promise<null>((r) => setTimeout(() => r(null), 10))]);
    if (early !== null) throw new Error(`serve exited (${early}): ${h.err.join(' | ')}`);
    return h.out.some((l) => l.startsWith('UI: '));
  });
  const imported = await cli(['import'], `${MNEMONIC}\n`);
  expect(imported.err).toEqual([]);
  expect(imported.out).toContain('(through the running node)');
}, 60_000);

afterAll(async () => {
  await anvil?.stop();
  if (stopServe) expect(await stopServe()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

describe('bitunicom wallet against a served node', () => {
  let me: string;
  let second: string;
  let rpc: string;

  it('lists and adds accounts; the JSON balance is cast’s, in base units', async () => {
    const accounts = await until('the wallet to open', () => json<WalletAccountT[]>(['wallet', 'accounts']));
    expect(accounts).toEqual([expect.objectContaining({ kind: 'hd', index: 0, name: 'Account 1' })]);
    me = accounts[0]!.address;
    const added = await json<WalletAccountT>(['wallet', 'accounts', 'add', '--name', 'Savings']);
    expect(added).toMatchObject({ kind: 'hd', index: 1, name: 'Savings' });
    second = added.address;
    const text = await cli(['wallet', 'accounts']);
    expect(text.out).toMatch(new RegExp(`Savings\\s+${second}\\s+hd #1\\s+no`));

    const nets = await json<WalletNetworkT[]>(['wallet', 'networks']);
    const devnet = nets.find((n) => n.selected)!;
    expect(devnet).toMatchObject({ id: 'devnet', builtin: true });
    rpc = devnet.rpcUrl;
    const b = await until('the devnet to answer', async () => {
      const x = await json<WalletBalancesT>(['wallet', 'balance']);
      return x.state === 'ok' && x;
    });
    expect(b.account).toBe(me);
    expect(b.native!.amount).toBe(await cast(['balance', me, '--rpc-url', rpc]));
    const shown = await cli(['wallet', 'balance', '--network', 'DEVNET']);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`Account: ${me}`);
    expect(shown.out).toMatch(/^BU\s+\S.* BU\s+\(native\)$/m);
  }, 60_000);

  it('sends to the second account with --yes --json: pending, then confirmed in the history', async () => {
    const refused = await cli(['wallet', 'send', '--to', second, '--amount', '1.5']);
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toMatch(/needs a confirmation and stdin is not a terminal: add --yes/);

    const sent = await json<ActivityItemT>(['wallet', 'send', '--to', second, '--amount', '1.5', '--yes']);
    expect(sent).toMatchObject({ status: 'pending', direction: 'out', account: me, to: second, amount: { amount: '1500000000000000000' } });
    const first = (await json<ActivityItemT[]>(['wallet', 'history', '--account', me])).find((i) => i.hash === sent.hash);
    expect(first && ['pending', 'confirmed']).toContain(first?.status);
    const done = await until('the send to confirm', async () => {
      const i = (await json<ActivityItemT[]>(['wallet', 'history', '--account', 'account 1'])).find((x) => x.hash === sent.hash);
      return i?.status === 'confirmed' && i;
    });
    expect(done.blockNumber).not.toBeNull();
    expect(await cast(['balance', second, '--rpc-url', rpc])).toBe('1500000000000000000');
    const bal = await json<WalletBalancesT>(['wallet', 'balance']);
    const token = bal.tokens[0]!.address;
    const only = await json<WalletBalancesT>(['wallet', 'balance', '--token', token.toLowerCase()]);
    expect(only.native).toBeNull();
    expect(only.tokens).toHaveLength(1);
    expect(only.tokens[0]!.balance!.amount).toBe((await cast(['call', token, 'balanceOf(address)(uint256)', me, '--rpc-url', rpc])).split(' ')[0]);
    const t = await json<ActivityItemT>(['wallet', 'send', '--to', second, '--amount', '10', '--token', token, '--fee', 'fast', '--yes']);
    expect(t.token?.symbol).toBe('tBUT');
    await until('the token send to confirm', async () => (await json<ActivityItemT[]>(['wallet', 'history', '--account', second])).find((x) => x.hash === t.hash)?.status === 'confirmed');
    expect((await cast(['call', token, 'balanceOf(address)(uint256)', second, '--rpc-url', rpc])).split(' ')[0]).toBe('10000000000000000000');
    const tb = await cli(['wallet', 'balance', '--account', second, '--token', token]);
    expect(tb.out).toMatch(new RegExp(`^tBUT\\s+10 tBUT\\s+${token}$`, 'm'));
    const hist = await cli(['wallet', 'history', '--account', 'Savings']);
    expect(hist.out).toMatch(new RegExp(`confirmed\\s+received\\s+1\\.5 BU\\s+from ${me}\\s+${sent.hash}`));
  }, 60_000);

  it('adds anvil (same phrase) as a network whose balance is cast’s; a dead RPC fails fast with exit 1', async () => {
    anvil = await startAnvil({ mnemonic: MNEMONIC, chainId: 31337 });
    const wrong = await cli(['wallet', 'networks', 'add', '--name', 'anvil', '--rpc', anvil.url, '--chain-id', '1']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toHaveLength(1);
    expect(wrong.err[0]).toMatch(/^error: That RPC server belongs to a different network \(chain id\)\. \(The RPC at 127\.0\.0\.1:\d+ reports chain id 31337, not 1\.\)$/);
    expect((await json<WalletNetworkT[]>(['wallet', 'networks'])).map((n) => n.name)).toEqual(['BitUnicom devnet']);
    const net = await json<WalletNetworkT>(['wallet', 'networks', 'add', '--name', 'anvil', '--rpc', anvil.url, '--chain-id', '31337', '--symbol', 'ETH']);
    expect(net).toMatchObject({ chainId: 31337, builtin: false, selected: false, symbol: 'ETH' });
    const b = await json<WalletBalancesT>(['wallet', 'balance', '--network', 'anvil']);
    expect(b.native!.amount).toBe(await cast(['balance', me, '--rpc-url', anvil.url]));
    const text = await cli(['wallet', 'balance', '--network', 'Anvil', '--account', second]);
    expect(text.out).toMatch(/ETH\s+10\u202f000 ETH\s+\(native\)/);

    await anvil.stop();
    anvil = null;
    const t0 = Date.now();
    const dead = await cli(['wallet', 'balance', '--network', 'anvil']);
    expect(dead.code).toBe(1);
    expect(dead.err).toHaveLength(1);
    expect(dead.err[0]).toMatch(/^error: The network's RPC server cannot be reached\. \(anvil at http:\/\/127\.0\.0\.1:\d+/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const check = await cli(['wallet', 'networks', 'check', 'anvil']);
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/^anvil: unreachable — /);
    expect(check.err[0]).toMatch(/^error: The network's RPC server cannot be reached\./);
    const t1 = Date.now();
    const send = await cli(['wallet', 'send', '--network', 'anvil', '--to', second, '--amount', '1', '--yes']);
    expect(send.code).toBe(1);
    expect(send.err).toHaveLength(1);
    expect(send.err[0]).toMatch(/cannot be reached/);
    expect(Date.now() - t1).toBeLessThan(10_000);
  }, 60_000);

  it('imports a key from stdin, watches, renames, hides, shows and removes accounts; receive gives an EIP-681 link', async () => {
    const key = `0x${'0'.repeat(63)}1`;
    const expected = await cast(['wallet', 'address', '--private-key', key]);
    const imported = await cli(['wallet', 'accounts', 'import-key', '--name', 'Hot', '--json'], `${key}\n`);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ address: expected, kind: 'imported', name: 'Hot', removable: true });
    const watch = await cli(['wallet', 'accounts', 'watch', me, '--name', 'Dup']);
    expect(watch.code).toBe(1);
    const watched = await json<WalletAccountT>(['wallet', 'accounts', 'watch', '0x000000000000000000000000000000000000dEaD', '--name', 'Burn']);
    expect(watched).toMatchObject({ kind: 'watch', name: 'Burn' });
    expect((await cli(['wallet', 'accounts', 'rename', 'burn', '--name', 'Ashes'])).out).toBe('Renamed: Ashes (0x000000000000000000000000000000000000dEaD): watch-only');
    expect((await cli(['wallet', 'accounts', 'hide', 'Savings'])).out).toBe(`Hidden: Savings (${second}): hd #1, hidden`);
    expect((await json<WalletAccountT[]>(['wallet', 'accounts'])).map((a) => a.name)).toEqual(['Account 1', 'Hot', 'Ashes']);
    expect((await json<WalletAccountT[]>(['wallet', 'accounts', '--all'])).map((a) => a.name)).toEqual(['Account 1', 'Savings', 'Hot', 'Ashes']);
    expect((await cli(['wallet', 'accounts', 'show', 'savings'])).code).toBe(0);
    expect((await cli(['wallet', 'accounts', 'remove', 'Ashes'])).out).toBe('Removed: Ashes (0x000000000000000000000000000000000000dEaD): watch-only');
    expect((await cli(['wallet', 'accounts', 'remove', 'Hot'])).code).toBe(0);
    const hd = await cli(['wallet', 'accounts', 'remove', 'Account 1']);
    expect(hd.code).toBe(1);
    expect(hd.err).toHaveLength(1);
    expect((await json<WalletAccountT[]>(['wallet', 'accounts'])).map((a) => a.name)).toEqual(['Account 1', 'Savings']);

    const r = await cli(['wallet', 'receive', '--account', 'Savings', '--amount', '2.5']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`Address: ${second}`);
    expect(r.out).toMatch(new RegExp(`^Link: +ethereum:${second}@\\d+\\?value=2500000000000000000$`, 'm'));
  }, 60_000);

  it('exports a 0600 keystore that cast decrypts to the account’s key', async () => {
    const r = await cli(['wallet', 'export', '--account', 'Savings', '--out', 'savings.json']);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Keystore of ${second} written to ${join(dir, 'savings.json')}`);
    expect(statSync(join(dir, 'savings.json')).mode & 0o777).toBe(0o600);
    const decrypted = await cast(['wallet', 'decrypt-keystore', '-k', dir, 'savings.json'], { CAST_UNSAFE_PASSWORD: PASSWORD });
    const key = /0x[0-9a-fA-F]{64}/.exec(decrypted)?.[0];
    expect(key).toBeDefined();
    expect((await cast(['wallet', 'address', '--private-key', key!])).toLowerCase()).toBe(second.toLowerCase());
    const again = await cli(['wallet', 'export', '--account', 'Savings', '--out', 'savings.json']);
    expect(again.code).toBe(2);
    expect(again.err[0]).toMatch(/already exists/);
  }, 60_000);
});
