/**
 * `bitunicom dapp publish` end to end on the embedded devnet: a real node served in this
 * process (`serve` over the real core), the CLI talking to it over the loopback bridge, and
 * the registry read back with ethers (a client we did not write).
 *
 * The sample Hello dapp (0.1.0 is seeded in the genesis registry) is re-packed as 0.2.0 and
 * signed with the devnet sample author key (keccak256("bitunicom devnet sample dapp author"),
 * resources/contracts/devnet-samples.mjs); that key is imported into the node's wallet with
 * `wallet.importPrivateKey` and funded from the profile's prefunded account (native coin and
 * test tokens, with `wallet send`). Then: --yes without --fee-approve stops before anything is
 * sent; `publish --yes --fee-approve` approves the fee, publishes, and getApp / versionsOf /
 * getVersion show 0.2.0 with the bundle's content hash and the fee left the author's balance;
 * the same version again is refused naming VersionNotIncreasing (by the CLI's dry run and by
 * the node's own quote); on a terminal, an answer other than 'yes' sends nothing; another
 * account is refused naming NotAuthor.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, JsonRpcProvider, computeAddress, getAddress } from 'ethers';
import type { ActivityItemT, WalletAccountT, WalletBalancesT, WalletNetworkT } from '../../../src-preload/contract';
import { toHex } from '../../core/base';
import { HELLO_DIR, SAMPLE_AUTHOR_PRIVATE } from '../../core/dapps/package/test-support';
import { DAPP_REGISTRY_ABI, packVersion, registryInterface } from '../../core/dapps/registry';
import { main } from '../cli';
import { connectDaemon } from '../client';
import type { CliDeps, CliIO } from '../context';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'correct horse';
const HELLO_ID = '0x0faed322521b51d70016067b15e618d3fb61f219';
const ONE = 10n ** 18n;
const dir = mkdtempSync(join(tmpdir(), 'bu-dapp-publish-'));
const data = join(dir, 'profile');
let stopServe: (() => Promise<number>) | null = null;
let provider: JsonRpcProvider;
let registry: Contract;
let author: string;
let token: string;

function deps(opts: { signal?: AbortSignal; stdin?: string; tty?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = Object.assign(Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]), opts.tty ? { isTTY: true } : {});
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: { BITUNICOM_PASSWORD: PASSWORD }, stdin, platform: 'linux', home: dir, cwd: dir };
  const d: CliDeps = {
    io,
    shutdownSignal: opts.signal,
    loadCore: async () => {
      const core = await import('../../core');
      return {
        generateMnemonic: core.generateMnemonic,
        createNode: (o) => core.createNode({ ...o, scryptN: 2 ** 10, listen: { host: '127.0.0.1', port: 0 }, chain: { ...o.chain, rpcPort: 0, intervalMs: 500 }, wallet: { pollMs: 250 } }),
      };
    },
  };
  return { d, out, err };
}

async function cli(argv: string[], o: { stdin?: string; tty?: boolean } = {}): Promise<{ code: number; out: string; err: string[] }> {
  const h = deps(o);
  const code = await main([...argv, '--data', data], h.d);
  return { code, out: h.out.join('\n'), err: h.err };
}

async function json<T>(argv: string[]): Promise<T> {
  const r = await cli([...argv, '--json']);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.err.join(' | ')}`);
  return JSON.parse(r.out) as T;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 45_000): Promise<T> {
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

const confirmedSend = async (args: string[]) => {
  const sent = await json<ActivityItemT>(['wallet', 'send', ...args, '--yes']);
  await until(`${args.join(' ')} to confirm`, async () => (await json<ActivityItemT[]>(['wallet', 'history', '--account', author])).find((i) => i.hash === sent.hash)?.status === 'confirmed');
};

/** Hello with its manifest's version set, packed and signed by the sample author → the .bud path. */
async function helloBud(version: string): Promise<string> {
  const src = join(dir, `hello-${version}`);
  cpSync(HELLO_DIR, src, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(src, 'manifest.json'), 'utf8')) as { version: string };
  writeFileSync(join(src, 'manifest.json'), JSON.stringify({ ...manifest, version }, null, 2));
  writeFileSync(join(dir, 'author.key'), `0x${toHex(SAMPLE_AUTHOR_PRIVATE)}\n`, { mode: 0o600 });
  const bud = join(dir, `hello-${version}.bud`);
  expect((await cli(['dapp', 'pack', src, '-o', bud])).code).toBe(0);
  expect((await cli(['dapp', 'sign', bud, '--key-file', 'author.key'])).code).toBe(0);
  return bud;
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
  expect((await cli(['import'], { stdin: `${MNEMONIC}\n` })).code).toBe(0);
  await until('the wallet to open', () => json<WalletAccountT[]>(['wallet', 'accounts']));
  const b = await until('the devnet to answer', async () => {
    const x = await json<WalletBalancesT>(['wallet', 'balance']);
    return x.state === 'ok' && x;
  });
  token = b.tokens[0]!.address;
  const caller = await connectDaemon(data);
  try {
    author = (await caller.call('wallet.importPrivateKey', { privateKey: `0x${toHex(SAMPLE_AUTHOR_PRIVATE)}`, name: 'Sample author' })).address;
  } finally {
    await caller.close();
  }
  const rpc = (await json<WalletNetworkT[]>(['wallet', 'networks'])).find((n) => n.selected)!.rpcUrl;
  provider = new JsonRpcProvider(rpc, undefined, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
  const genesis = JSON.parse(readFileSync(join(data, 'chain', 'genesis.json'), 'utf8')) as { bitunicom: { contracts: { artifact: string; address: string }[] } };
  registry = new Contract(genesis.bitunicom.contracts.find((c) => c.artifact === 'DappRegistry')!.address, DAPP_REGISTRY_ABI as unknown as string[], provider);
}, 120_000);

afterAll(async () => {
  provider?.destroy();
  if (stopServe) expect(await stopServe()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

describe('bitunicom dapp publish on the embedded devnet', () => {
  it('publishes Hello 0.2.0 from the sample author: approve, publish, listed with its content hash', async () => {
    expect(author).toBe(computeAddress(`0x${toHex(SAMPLE_AUTHOR_PRIVATE)}`));
    await confirmedSend(['--to', author, '--amount', '2']);
    await confirmedSend(['--to', author, '--amount', '25', '--token', token]);
    const bud = await helloBud('0.2.0');
    const contentHash = (JSON.parse((await cli(['dapp', 'inspect', bud, '--json'])).out) as { contentHash: string }).contentHash;
    const nonceBefore = await provider.getTransactionCount(author);

    const noApprove = await cli(['dapp', 'publish', bud, '--yes']);
    expect(noApprove.code).toBe(2);
    expect(noApprove.err.join('\n')).toMatch(/the fee is 10 tBUT: add --fee-approve to approve it first/);
    expect(await provider.getTransactionCount(author)).toBe(nonceBefore);

    const r = await cli(['dapp', 'publish', bud, '--yes', '--fee-approve']);
    expect(r.code, r.err.join('\n')).toBe(0);
    const shown = r.err.join('\n');
    expect(shown).toContain(`Publish Hello 0.2.0 to the dapp registry ${getAddress(await registry.getAddress())} on BitUnicom devnet`);
    expect(shown).toContain(`app id        ${HELLO_ID}`);
    expect(shown).toContain(`content hash  ${contentHash}`);
    expect(shown).toContain('listing       update: the registry lists 0.1.0 (1 version)');
    expect(shown).toContain('publish fee   10 tBUT (the account holds 25 tBUT)');
    expect(shown).toMatch(/step 1 {8}approve: let the registry take 10 tBUT \(allowance now 0 tBUT\); network fee at most \S+ BU/);
    expect(shown).toMatch(/^Publishing: network fee at most \S+ BU \(gas limit \d+\)\.$/m);
    expect(r.out).toMatch(/^Published Hello 0\.2\.0 in block \d+ \(transaction 0x[0-9a-f]{64}\)$/m);
    expect(r.out).toContain('fee paid      10 tBUT');
    expect(r.out).toContain('seeding       this node serves the bundle to peers by its content hash');
    // the author's node now holds the bundle under its content hash (kept across restarts)
    expect(existsSync(join(data, 'dapps', 'bundles', `${contentHash.slice(2)}.bud`))).toBe(true);

    const app = await registry.getFunction('getApp')(HELLO_ID);
    expect([app.author, app.name, app.latestVersion, app.versionCount]).toEqual([author, 'Hello', packVersion('0.2.0'), 2n]);
    expect(await registry.getFunction('versionsOf')(HELLO_ID)).toEqual([packVersion('0.1.0'), packVersion('0.2.0')]);
    const release = await registry.getFunction('getVersion')(HELLO_ID, packVersion('0.2.0'));
    expect([release.contentHash, release.authorKey]).toEqual([contentHash, (JSON.parse(readFileSync(join(HELLO_DIR, 'manifest.json'), 'utf8')) as { author: string }).author]);
    const erc20 = new Contract(token, ['function balanceOf(address) view returns (uint256)'], provider);
    expect(await erc20.getFunction('balanceOf')(author)).toBe(15n * ONE);
    expect(await provider.getTransactionCount(author)).toBe(nonceBefore + 2); // approve + publish
  }, 120_000);

  it('refuses the same version again naming VersionNotIncreasing, and another account naming NotAuthor', async () => {
    const bud = join(dir, 'hello-0.2.0.bud');
    const nonceBefore = await provider.getTransactionCount(author);
    const again = await cli(['dapp', 'publish', bud, '--yes', '--fee-approve']);
    expect(again.code).toBe(1);
    expect(again.err.at(-1)).toBe(
      'error: The contract refused this transaction (it would revert). (VersionNotIncreasing: the registry already lists version 0.2.0 of this app; a new version must be greater (this bundle is 0.2.0).)',
    );
    expect(await provider.getTransactionCount(author)).toBe(nonceBefore);
    // the bridge's own quote names the registry's error too (the node knows its ABI)
    const caller = await connectDaemon(data);
    try {
      const publishData = registryInterface.encodeFunctionData('publish', [HELLO_ID, 'Hello', 'tools', packVersion('0.2.0'), `0x${'11'.repeat(32)}`, (JSON.parse(readFileSync(join(HELLO_DIR, 'manifest.json'), 'utf8')) as { author: string }).author, '']);
      const refused = await caller.call('wallet.quoteCall', { from: author, to: await registry.getAddress(), data: publishData }).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(refused?.code).toBe('CALL_REVERTED');
      expect(refused?.message).toBe(`The contract call would revert with VersionNotIncreasing(appId: ${HELLO_ID}, latest: ${packVersion('0.2.0')}, version: ${packVersion('0.2.0')}).`);
    } finally {
      await caller.close();
    }

    const newer = await helloBud('0.3.0');
    // on a terminal the plan is shown and only 'yes' sends
    const declined = await cli(['dapp', 'publish', newer], { tty: true, stdin: 'no\n' });
    expect(declined.code).toBe(1);
    expect(declined.err).toContain('  listing       update: the registry lists 0.2.0 (2 versions)');
    expect(declined.err.slice(-2)).toEqual(["Type 'yes' to continue:", 'Cancelled: nothing was sent.']);
    expect(await provider.getTransactionCount(author)).toBe(nonceBefore);
    const other = await cli(['dapp', 'publish', newer, '--yes', '--fee-approve', '--account', 'Account 1', '--json']);
    expect(other.code).toBe(1);
    expect(other.err.at(-1)).toContain(`(NotAuthor: app ${HELLO_ID} belongs to ${author}; only that account can publish its versions.)`);
    expect((await registry.getFunction('getApp')(HELLO_ID)).latestVersion).toBe(packVersion('0.2.0'));
  }, 60_000);
});
