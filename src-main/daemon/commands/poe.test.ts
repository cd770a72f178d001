/**
 * `bitunicom node --role …` and `bitunicom devnet` in-process (real core): every bad input is
 * refused with one line and exit code 2 (usage) or 1 (input), and a node runs for real — a
 * primary registered alone in its genesis finalises blocks through its RPC; a sealer whose
 * keys the genesis does not list runs as an observer and says so; its DIR keeps its keys and
 * the genesis, and a second run with other keys, another role or another genesis is refused.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact, materializeDevnet, RESOURCES_DIR, stakingParams } from '../../core/chain';
import { loadDevnetValidators, randomPoeKey, saveDevnetValidators } from '../../core/seal';
import { bytesToHex } from '@ethereumjs/util';
import { JsonRpcProvider, Wallet, parseEther } from 'ethers';
import { waitForValue } from '../../core/base';
import { main } from '../cli';
import type { CliDeps } from '../context';
import { rpcCall } from '../devnet-cluster';

let dir: string;
let genesisFile: string;
let otherGenesisFile: string;
const primary = randomPoeKey();
/** The genesis wallet (prefunded): pays a sealer's stake in the registration test. */
const funder = randomPoeKey();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bu-poe-cli-'));
  const tpl = readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8');
  const sp = stakingParams(JSON.parse(tpl))!;
  const make = (primaries: typeof primary[]) =>
    materializeDevnet(tpl, funder.address, (n) => loadArtifact(RESOURCES_DIR, n), Date.now(), {
      poe: { primaries: primaries.map((k) => ({ address: k.address, publicKey: k.blsPublic, stake: sp.minPrimaryStake })), sealers: [] },
    });
  genesisFile = join(dir, 'genesis.json');
  writeFileSync(genesisFile, JSON.stringify(await make([primary])));
  otherGenesisFile = join(dir, 'other-genesis.json');
  writeFileSync(otherGenesisFile, JSON.stringify(await make([randomPoeKey()])));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ac = new AbortController();
  const deps: CliDeps = {
    io: { out: (t) => void out.push(...t.split('\n')), err: (t) => void err.push(t), env: {}, stdin: Readable.from([]), platform: 'linux', home: dir, cwd: dir },
    shutdownSignal: ac.signal,
    loadCore: () => Promise.reject(new Error('not needed')),
  };
  const done = main(argv, deps);
  return { out, err, done, stop: () => ac.abort() };
}

async function run(argv: string[]) {
  const r = start(argv);
  const code = await r.done;
  return { code, out: r.out, err: r.err };
}

const until = <T,>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> => waitForValue(f, ms, what, 100);

describe('bitunicom node / devnet: bad input', () => {
  it.each([
    [['node', '--data', 'x'], /^bitunicom: --role is required: primary .* or sealer/],
    [['node', '--role', 'validator', '--data', 'x'], /^bitunicom: --role must be primary or sealer \(got "validator"\)/],
    [['node', '--role', 'sealer'], /^bitunicom: --data DIR is required/],
    [['node', '--role', 'sealer', '--data', 'x', '--keys', '0'], /^bitunicom: --keys must be a whole number from 1 to 256/],
    [['node', '--role', 'sealer', '--data', 'x', '--port', '70000'], /^bitunicom: --port must be a whole number from 0 to 65535/],
    [['node', '--role', 'sealer', '--data', 'x', '--bootstrap', 'localhost'], /^bitunicom: --bootstrap takes HOST:PORT\[@ADDRESS\]\[,…\] \(got "localhost"\)/],
    [['node', '--role', 'sealer', '--data', 'x', '--bootstrap', '127.0.0.1:4000@0x12'], /^bitunicom: --bootstrap takes .*\(got "127\.0\.0\.1:4000@0x12"\)/],
    [['node', '--role', 'sealer', '--data', 'x', '--timeouts', 'propose=fast'], /^bitunicom: --timeouts takes NAME=MS\[,…\] with NAME one of propose, prevote/],
    [['node', '--role', 'sealer', '--data', 'x', '--block-time', '0'], /^bitunicom: --block-time must be a number of seconds from 0.1 to 3600/],
    [['node', '--role', 'sealer', '--data', 'x', '--frobnicate'], /^bitunicom: unknown option --frobnicate/],
    [['devnet', '--primaries', '0'], /^bitunicom: --primaries must be a whole number from 1 to 64/],
    [['devnet', '--sealers', '4', '--sealer-processes', '5'], /^bitunicom: --sealer-processes 5 is more than --sealers 4/],
    [['devnet', '--log-level', 'loud'], /^bitunicom: --log-level must be one of debug, info, warn, error/],
    [['node', 'register', '--role', 'sealer', '--data', 'x', '--rpc', 'http://127.0.0.1:1'], /^bitunicom: --stake AMOUNT is required/],
    [['node', 'register', '--role', 'sealer', '--stake', 'lots', '--data', 'x', '--rpc', 'http://127.0.0.1:1'], /^bitunicom: --stake must be an amount of tokens such as 100 or 2\.5 \(got "lots"\)/],
    [['node', 'register', '--role', 'sealer', '--stake', '100', '--data', 'x'], /^bitunicom: --rpc URL is required/],
  ])('%j → one usage line, exit 2', async (argv, line) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(line);
    expect(r.out).toEqual([]);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('a first run without --genesis, or with a file that is not a POE genesis: one error line, exit 1', async () => {
    const none = await run(['node', '--role', 'sealer', '--data', 'fresh']);
    expect(none.code).toBe(1);
    expect(none.err).toEqual([expect.stringMatching(/^error: .*fresh has no genesis yet: pass --genesis FILE/)]);
    const bad = join(dir, 'plain.json');
    writeFileSync(bad, JSON.stringify({ config: { chainId: 1 }, alloc: {} }));
    const plain = await run(['node', '--role', 'sealer', '--data', 'fresh', '--genesis', bad]);
    expect(plain.code).toBe(1);
    expect(plain.err).toEqual([expect.stringMatching(/is not a POE genesis \(it has no bitunicom\.poe section\)/)]);
  });
});

describe('bitunicom node (real node, in-process)', () => {
  it('a primary registered alone in the genesis finalises blocks; P2P, RPC and Registered lines', async () => {
    const d = join(dir, 'primary');
    mkdirSync(d);
    saveDevnetValidators(join(d, 'node-keys.json'), { primaries: [primary], sealers: [] });
    const r = start(['node', '--role', 'primary', '--data', d, '--genesis', genesisFile, '--host', '127.0.0.1', '--rpc-port', '0', '--block-time', '0.5', '--status-every', '1', '--log-level', 'warn']);
    try {
      const rpc = await until('RPC line', () => r.out.find((l) => l.startsWith('RPC: '))?.slice(5));
      expect(r.out[0]).toMatch(new RegExp(`^P2P: 127\\.0\\.0\\.1:\\d+@${primary.address}$`));
      expect(rpc).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await until('Registered line', () => r.out.find((l) => l === `Registered: primary ${primary.address} in the staking contract.`));
      const fin = await until('block 2 final', async () => {
        const b = await rpcCall<{ number: string } | null>(rpc, 'eth_getBlockByNumber', ['finalized', false]);
        return b && Number(b.number) >= 2 ? b : undefined;
      });
      expect(Number(fin.number)).toBeGreaterThanOrEqual(2);
      await until('Status line', () => r.out.find((l) => /^Status: height \d+ round \d+, finalized #[1-9]\d*, finality p50 [\d.]+ s, 0 peers, synced/.test(l)));
    } finally {
      r.stop();
    }
    expect(await r.done).toBe(0);
    expect(JSON.parse(readFileSync(join(d, 'genesis.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(genesisFile, 'utf8')));
  });

  it('a sealer whose keys are not registered runs as an observer; DIR keeps keys and genesis; mismatches are refused', async () => {
    const d = join(dir, 'observer');
    const r = start(['node', '--role', 'sealer', '--data', d, '--genesis', genesisFile, '--keys', '3', '--host', '127.0.0.1', '--json', '--status-every', '0', '--log-level', 'warn']);
    let events: Record<string, unknown>[] = [];
    try {
      await until('registered event', () => {
        events = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
        return events.find((e) => e.event === 'registered');
      });
    } finally {
      r.stop();
    }
    expect(await r.done).toBe(0);
    events = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    const keys = loadDevnetValidators(join(d, 'node-keys.json'))!;
    expect(keys.primaries).toEqual([]);
    expect(keys.sealers).toHaveLength(3);
    expect(events[0]).toMatchObject({ event: 'started', role: 'sealer', keys: keys.sealers.map((k) => k.address), rpcUrl: null, head: 0 });
    expect(events[0]!.p2p).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+@${keys.sealers[0]!.address}$`));
    expect(events[1]).toEqual({ event: 'registered', registered: 0, keys: 3, observer: true });
    expect(events.at(-1)).toEqual({ event: 'stopped' });

    const human = start(['node', '--role', 'sealer', '--data', d, '--host', '127.0.0.1', '--status-every', '0', '--log-level', 'warn']);
    try {
      const line = await until('Observer line', () => human.out.find((l) => l.startsWith('Observer: ')));
      expect(line).toBe(
        'Observer: none of the 3 sealer keys is registered in the staking contract; the node syncs and verifies blocks but does not seal (register with: bitunicom node register --role sealer --stake AMOUNT --data DIR --rpc URL).',
      );
    } finally {
      human.stop();
    }
    expect(await human.done).toBe(0);

    const moreKeys = await run(['node', '--role', 'sealer', '--data', d, '--keys', '4']);
    expect(moreKeys.code).toBe(1);
    expect(moreKeys.err).toEqual([expect.stringMatching(/node-keys\.json holds 3 sealer key\(s\), not 4: drop --keys/)]);
    const otherRole = await run(['node', '--role', 'primary', '--data', d]);
    expect(otherRole.code).toBe(1);
    expect(otherRole.err).toEqual([expect.stringMatching(/holds 3 sealer key\(s\), not primary keys: use --role sealer/)]);
    const otherNet = await run(['node', '--role', 'sealer', '--data', d, '--genesis', otherGenesisFile]);
    expect(otherNet.code).toBe(1);
    expect(otherNet.err).toEqual([expect.stringMatching(/already belongs to another network: .*other-genesis\.json differs from/)]);
  });

  it('an observer sealer syncs from a primary, registers with node register, and then seals (rewards arrive)', async () => {
    const pd = join(dir, 'reg-primary');
    mkdirSync(pd);
    saveDevnetValidators(join(pd, 'node-keys.json'), { primaries: [primary], sealers: [] });
    const p = start(['node', '--role', 'primary', '--data', pd, '--genesis', genesisFile, '--host', '127.0.0.1', '--rpc-port', '0', '--block-time', '0.5', '--status-every', '0', '--log-level', 'warn']);
    const sd = join(dir, 'reg-sealer');
    let s: ReturnType<typeof start> | null = null;
    try {
      const rpc = await until('primary RPC', () => p.out.find((l) => l.startsWith('RPC: '))?.slice(5));
      const boot = p.out.find((l) => l.startsWith('P2P: '))!.slice(5);
      s = start(['node', '--role', 'sealer', '--data', sd, '--genesis', genesisFile, '--bootstrap', boot, '--host', '127.0.0.1', '--rpc-port', '0', '--status-every', '1', '--log-level', 'warn']);
      await until('Observer line', () => s!.out.find((l) => l.startsWith('Observer: key 0x')));
      const sealer = loadDevnetValidators(join(sd, 'node-keys.json'))!.sealers[0]!;

      const poor = await run(['node', 'register', '--role', 'sealer', '--stake', '100', '--data', sd, '--rpc', rpc]);
      expect(poor.code).toBe(1);
      expect(poor.err).toEqual([expect.stringMatching(new RegExp(`${sealer.address} holds 0\\.0 tokens: it needs the stake \\(100\\.0\\) plus the fee`))]);
      const low = await run(['node', 'register', '--role', 'sealer', '--stake', '99', '--data', sd, '--rpc', rpc]);
      expect(low.err).toEqual([expect.stringMatching(/A sealer stakes at least 100\.0 tokens \(asked: 99\.0\)/)]);

      const provider = new JsonRpcProvider(rpc, undefined, { pollingInterval: 200 });
      const fund = await new Wallet(bytesToHex(funder.ethPrivateKey!), provider).sendTransaction({ to: sealer.address, value: parseEther('101') });
      await fund.wait();
      const reg = await run(['node', 'register', '--role', 'sealer', '--stake', '100', '--data', sd, '--rpc', rpc]);
      expect(reg.err).toEqual([]);
      expect(reg.code).toBe(0);
      expect(reg.out).toEqual([expect.stringMatching(new RegExp(`^Registered ${sealer.address} as a sealer with 100\\.0 tokens: tx 0x[0-9a-f]{64} in block #(\\d+); it takes part from block #\\d+\\.$`))]);
      await until('Registered line of the running sealer', () => s!.out.find((l) => l === `Registered: sealer ${sealer.address} in the staking contract.`), 30_000);
      const afterStake = await provider.getBalance(sealer.address);
      expect(afterStake).toBeLessThan(parseEther('1'));
      // sealing rewards are paid as withdrawals in the block after each sealed block
      await until('a sealing reward', async () => ((await provider.getBalance(sealer.address)) > afterStake ? true : undefined), 40_000);
      provider.destroy();
    } finally {
      s?.stop();
      p.stop();
    }
    expect(await p.done).toBe(0);
    expect(await s!.done).toBe(0);
  }, 120_000);
});
