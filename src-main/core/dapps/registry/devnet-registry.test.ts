/**
 * The DappRegistry in the embedded devnet's genesis (resources/chain/devnet-genesis.json):
 * Foundry's cast answers `getApp` and `seededApps` over the devnet's JSON-RPC, the registry
 * points at the genesis token, and the reader lists the four samples (which have no logs:
 * they come from storage) and then a publish made by a transaction.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonRpcProvider, Wallet, id } from 'ethers';
import { startTestDevnet, type TestDevnet } from '../../chain/testing';
import { packVersion, registryInterface } from './abi';
import { RegistryReader } from './reader';

const run = promisify(execFile);
const CAST = join(dirname(createRequire(import.meta.url).resolve('@foundry-rs/cast-linux-amd64/package.json')), 'bin', 'cast');
let net: TestDevnet;
let home: string;
let registry: string;

async function cast(...args: string[]): Promise<string> {
  const { stdout } = await run(CAST, args, {
    env: { PATH: process.env.PATH ?? '', HOME: home, ETH_RPC_URL: net.rpcUrl, FOUNDRY_DISABLE_NIGHTLY_WARNING: '1', NO_COLOR: '1' },
    timeout: 60_000,
  });
  return stdout.trim();
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'bu-cast-home-'));
  net = await startTestDevnet({ intervalMs: 200 });
  registry = net.genesis.bitunicom.contracts.find((c) => c.artifact === 'DappRegistry')!.address!;
});
afterAll(async () => {
  await net?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('DappRegistry in the devnet genesis', () => {
  it('answers getApp and seededApps through cast', async () => {
    const ids = (await cast('call', registry, 'seededApps()(bytes20[])')).replace(/[[\]\s]/g, '').split(',');
    expect(ids).toHaveLength(4);
    const app = await cast('call', registry, 'getApp(bytes20)((address,string,string,uint64,uint32,uint64,uint32,uint32,bool,uint64))', ids[1]!);
    expect(app).toContain('"Tic-Tac-Toe", "games", 4294967296 [4.294e9], 1, 0, 0, 0, false, 0');
    expect((await cast('call', registry, 'token()(address)')).toLowerCase()).toBe(net.token.toLowerCase());
    expect((await cast('call', registry, 'owner()(address)')).toLowerCase()).toBe(net.accounts[0]!.address.toLowerCase());
    expect(await cast('call', registry, 'publishFee()(uint256)')).toMatch(/^10000000000000000000\b/);
  });

  it('the reader lists the samples from storage, then a publish paid by the wallet from its event', async () => {
    const provider = new JsonRpcProvider(net.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    try {
      const reader = new RegistryReader({ request: (m, p) => provider.send(m, p), address: registry });
      await reader.sync();
      expect(reader.all().map((a) => [a.name, a.category, a.latest.versionText, a.seeded])).toEqual([
        ['Hello', 'tools', '0.1.0', true],
        ['Tic-Tac-Toe', 'games', '1.0.0', true],
        ['Shared To-Do', 'productivity', '1.0.0', true],
        ['Token Poll', 'governance', '1.0.0', true],
      ]);
      const wallet = new Wallet(net.accounts[0]!.key, provider); // holds the genesis tokens
      const token = new (await import('ethers')).Contract(net.token, ['function approve(address,uint256) returns (bool)'], wallet);
      await (await token.getFunction('approve')(registry, 10n ** 19n)).wait();
      const appId = id('devnet test app').slice(0, 42);
      const data = registryInterface.encodeFunctionData('publish', [appId, 'Devnet Test', 'tools', packVersion('1.0.0'), id('bundle'), wallet.signingKey.compressedPublicKey, '']);
      const receipt = await (await wallet.sendTransaction({ to: registry, data })).wait();
      expect(receipt?.status).toBe(1);
      await reader.sync();
      const app = reader.app(appId)!;
      expect([app.name, app.seeded, app.latest.feePaid, app.latest.txHash]).toEqual(['Devnet Test', false, 10n ** 19n, receipt!.hash]);
      expect(reader.search('', { category: 'tools' }).map((a) => a.name)).toEqual(['Hello', 'Devnet Test']);
    } finally {
      provider.destroy();
    }
  });
});
