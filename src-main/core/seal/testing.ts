/**
 * @module seal/testing
 * A POE network inside one process for tests and benchmarks: n primaries and m sealers,
 * each node with its own ledger (own SQLite file) and engine, connected by a MemoryHub.
 * The validator set is fixed (`staticSet`) unless a test passes its own reader, or `staking`:
 * then the genesis holds the real PoeStaking contract with the test keys registered (devnet
 * materialisation), every ledger has the BLS precompile and each node reads the set from its
 * own ledger (readValidatorSet). `absent` node ids are laid out but not started (a test plays
 * those keys itself, or starts them later with `restart`). Not used by the app.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigIntToHex, bytesToHex } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { blsVerifyPrecompile, Ledger, loadArtifact, materializeDevnet, Mempool, readValidatorSet, RESOURCES_DIR, testAccounts, testDevnetGenesis, type DevnetGenesis, type TestAccount } from '../chain';
import { blsKeyFromSeed } from '../crypto';
import { waitFor, type Logger } from '../base';
import { PoeEngine } from './engine';
import { poeParams, type PoeParams } from './params';
import { MemoryHub } from './transport';
import type { PoeKey, ValidatorSet } from './types';
import type { SetReader } from './context';


export function testKey(label: string): PoeKey {
  const seed = keccak_256(new TextEncoder().encode(`poe test key ${label}`));
  const { secretKey, publicKey } = blsKeyFromSeed(seed);
  return { address: bytesToHex(keccak_256(seed).subarray(12)) as `0x${string}`, blsSecret: secretKey, blsPublic: publicKey, ethPrivateKey: keccak_256(seed) };
}

export function staticSet(primaries: PoeKey[], sealers: PoeKey[], stake = 1000n * 10n ** 18n): ValidatorSet {
  const v = (k: PoeKey, i: number, role: 1 | 2) => ({ address: k.address, index: i, role, publicKey: k.blsPublic, stake });
  return {
    primaries: primaries.map((k, i) => v(k, i, 1)),
    sealers: sealers.map((k, i) => v(k, i, 2)),
    totalPrimaryStake: stake * BigInt(primaries.length),
    totalSealerStake: stake * BigInt(sealers.length),
  };
}

/** Polls `cond` every 20 ms until true; throws naming `what` after `ms`. */
export const until = (cond: () => boolean, ms: number, what: string): Promise<void> => waitFor(cond, ms, what, 20);

export const FAST_TIMEOUTS: PoeParams['timeouts'] = { proposeMs: 1200, prevoteMs: 400, precommitMs: 400, deltaMs: 300, collectMs: 150 };

export type TestNode = { id: string; ledger: Ledger; mempool: Mempool; engine: PoeEngine; keys: { primaries: PoeKey[]; sealers: PoeKey[] }; file: string };

export type TestNetwork = {
  hub: MemoryHub;
  nodes: TestNode[];
  primaries: PoeKey[];
  sealers: PoeKey[];
  params: PoeParams;
  genesis: DevnetGenesis;
  /** Funded accounts of the genesis (0 is its wallet). */
  accounts: TestAccount[];
  /** Starts (again) a node on its existing database. */
  restart(id: string): Promise<TestNode>;
  stop(id: string): Promise<void>;
  close(): Promise<void>;
};

export async function startTestNetwork(o: {
  primaries: number;
  sealers: number;
  /** Nodes hosting the sealers (keys spread evenly); default one per sealer. */
  sealerNodes?: number;
  params?: Partial<PoeParams>;
  readSet?: SetReader;
  blockIntervalMs?: number;
  /** The genesis deploys PoeStaking with the test keys (stake 1,000 tokens each); sets are read from it. */
  staking?: boolean;
  /** Node ids (p0…, s0…) not started. */
  absent?: string[];
  /** The genesis to use (default: the test devnet's, with the staking contract if `staking`); it funds `testAccounts(3)`. */
  genesis?: DevnetGenesis;
  /** A logger per node (default: stderr when POE_DEBUG is set, else none). */
  logger?: (id: string) => Logger | undefined;
}): Promise<TestNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'bu-poe-'));
  const accounts = testAccounts(3);
  const primaries = Array.from({ length: o.primaries }, (_, i) => testKey(`primary ${i}`));
  const sealers = Array.from({ length: o.sealers }, (_, i) => testKey(`sealer ${i}`));
  const set = staticSet(primaries, sealers);
  const genesis = o.genesis ?? (o.staking ? await stakingGenesis(accounts, set) : await testDevnetGenesis(accounts));
  const params = poeParams(genesis, { timeouts: FAST_TIMEOUTS, blockIntervalMs: o.blockIntervalMs ?? 1000, ...o.params });
  const precompiles = o.staking ? [blsVerifyPrecompile()] : undefined;
  const fixed: SetReader = async () => set;
  const hub = new MemoryHub();
  const layout: { id: string; keys: { primaries: PoeKey[]; sealers: PoeKey[] } }[] = primaries.map((k, i) => ({ id: `p${i}`, keys: { primaries: [k], sealers: [] } }));
  const groups = Math.min(o.sealerNodes ?? o.sealers, o.sealers);
  for (let g = 0; g < groups; g++) layout.push({ id: `s${g}`, keys: { primaries: [], sealers: sealers.filter((_, i) => i % groups === g) } });
  const nodes: TestNode[] = [];
  const boot = async (id: string, keys: TestNode['keys'], start = true): Promise<TestNode> => {
    const file = join(dir, `${id}.db`);
    const ledger = await Ledger.open({ file, genesis, precompiles });
    const mempool = new Mempool(ledger);
    await mempool.restore();
    const logger = o.logger?.(id) ?? (process.env.POE_DEBUG ? consoleLogger(id) : undefined);
    const readSet = o.readSet ?? (o.staking ? (ref) => readValidatorSet(ledger, ref.header) : fixed);
    const engine = new PoeEngine({ ledger, mempool, transport: hub.join(id), params, readSet, keys, logger });
    if (start) await engine.start();
    return { id, ledger, mempool, engine, keys, file };
  };
  for (const l of layout) if (!o.absent?.includes(l.id)) nodes.push(await boot(l.id, l.keys, false));
  await Promise.all(nodes.map((n) => n.engine.start()));
  const stop = async (id: string) => {
    const i = nodes.findIndex((n) => n.id === id);
    if (i < 0) return;
    const n = nodes[i]!;
    nodes.splice(i, 1);
    await n.engine.stop();
    await n.ledger.close();
  };
  return {
    hub,
    nodes,
    primaries,
    sealers,
    params,
    genesis,
    accounts,
    stop,
    async restart(id) {
      const l = layout.find((x) => x.id === id)!;
      await stop(id);
      const n = await boot(id, l.keys);
      nodes.push(n);
      return n;
    },
    async close() {
      for (const n of [...nodes]) await stop(n.id);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A devnet genesis whose PoeStaking holds `set` (primaries, then sealers), the other accounts funded. */
async function stakingGenesis(accounts: TestAccount[], set: ValidatorSet): Promise<DevnetGenesis> {
  const template = readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8');
  const member = (v: ValidatorSet['primaries'][number]) => ({ address: v.address, publicKey: v.publicKey, stake: v.stake });
  const g = await materializeDevnet(template, accounts[0]!.address, (name) => loadArtifact(RESOURCES_DIR, name), Date.now(), {
    poe: { primaries: set.primaries.map(member), sealers: set.sealers.map(member) },
  });
  for (const a of accounts.slice(1)) g.alloc[a.address] = { balance: bigIntToHex(10n ** 24n) };
  return g;
}

function consoleLogger(id: string) {
  const out = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`${new Date().toISOString().slice(17, 23)} ${id} ${level} ${msg} ${fields ? JSON.stringify(fields, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) : ''}\n`);
  return { debug: out('D'), info: out('I'), warn: out('W'), error: out('E') };
}
