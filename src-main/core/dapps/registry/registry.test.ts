/**
 * DappRegistry (resources/contracts/DappRegistry.sol) on anvil, driven by ethers (clients we
 * did not write): deployment with a seed, publish with the token fee, a second version, every
 * refusal (non-author, non-increasing version, no allowance, bad key, non-holder, self-rating,
 * double report, non-owner), ratings and reports, governance (fee, delist), and the reader's
 * listing, search and incremental sync built from the events.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, ContractFactory, Interface, JsonRpcProvider, SigningKey, id, type JsonRpcSigner } from 'ethers';
import { RESOURCES_DIR } from '../../chain/testing';
import { startAnvil, type Anvil } from '../../wallet/anvil-fixture';
import { DAPP_REGISTRY_ABI, packVersion, registryInterface, unpackVersion } from './abi';
import { RegistryReader, type RegistryRequest } from './reader';

type Artifact = { abi: unknown[]; bytecode: string };
const artifact = (name: string) => JSON.parse(readFileSync(join(RESOURCES_DIR, 'contracts', 'artifacts', `${name}.json`), 'utf8')) as Artifact;
const TOKEN = artifact('BitUnicomTestToken');
const REGISTRY = artifact('DappRegistry');
const tokenIface = new Interface(TOKEN.abi as never);
const ONE = 10n ** 18n;
const FEE = 10n * ONE;
const TREASURY = '0x000000000000000000000000000000000000dEaD';
const key = (label: string) => new SigningKey(id(label)).compressedPublicKey;
const appId = (label: string) => id(label).slice(0, 42);
const hash = (label: string) => id(`content ${label}`);

let anvil: Anvil;
let provider: JsonRpcProvider;
let owner: JsonRpcSigner, author: JsonRpcSigner, other: JsonRpcSigner, holder: JsonRpcSigner, holder2: JsonRpcSigner, stranger: JsonRpcSigner;
let token: Contract;
let registry: Contract;
const request: RegistryRequest = (m, p) => provider.send(m, p);

const as = (c: Contract, s: JsonRpcSigner) => c.connect(s) as Contract;
/** The custom error a transaction or call reverts with, decoded by the registry's or the token's ABI. */
async function revertOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const data = (err as { data?: string }).data;
    if (typeof data !== 'string') throw err;
    const e = registryInterface.parseError(data) ?? tokenIface.parseError(data);
    return e ? `${e.name}(${e.args.map(String).join(',')})` : data;
  }
  throw new Error('expected a revert');
}
const mined = async (p: Promise<{ wait(): Promise<unknown> }>) => (await p).wait();
const publish = (s: JsonRpcSigner, id20: string, name: string, version: string, label = `${name}@${version}`, authorKey = key('author')) =>
  as(registry, s).getFunction('publish')(id20, name, 'games', packVersion(version), hash(label), authorKey, `bitunicom://dapp/${name}`);

const GAME = appId('app: game');
const SEED = appId('app: seed');

beforeAll(async () => {
  anvil = await startAnvil();
  provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  const signers = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => provider.getSigner(i)));
  [owner, author, other, holder, holder2, stranger] = signers as [JsonRpcSigner, JsonRpcSigner, JsonRpcSigner, JsonRpcSigner, JsonRpcSigner, JsonRpcSigner];
  const addrs = await Promise.all([author, other, holder, holder2].map((s) => s.getAddress()));
  const t = await new ContractFactory(TOKEN.abi as never, TOKEN.bytecode, owner).deploy('BitUnicom Test Token', 'tBUT', addrs, 1000n * ONE);
  token = (await t.waitForDeployment()) as unknown as Contract;
  const seed = [SEED, await owner.getAddress(), 'Seeded', 'tools', [packVersion('0.1.0'), hash('seed'), key('seed author'), '', 0n]];
  const config = [await token.getAddress(), await owner.getAddress(), TREASURY, FEE, 1n];
  const r = await new ContractFactory(REGISTRY.abi as never, REGISTRY.bytecode, owner).deploy(config, [seed]);
  registry = (await r.waitForDeployment()) as unknown as Contract;
});
afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
});

describe('DappRegistry ABI', () => {
  it('abi.ts describes exactly the compiled contract', () => {
    const sigs = (i: Interface) => {
      const out: string[] = [];
      i.forEachFunction((f) => out.push(f.format('full')));
      i.forEachEvent((e) => out.push(e.format('full')));
      i.forEachError((e) => out.push(e.format('full')));
      if (i.deploy) out.push(i.deploy.format('full'));
      return out.sort();
    };
    expect(sigs(new Interface(DAPP_REGISTRY_ABI as unknown as string[]))).toEqual(sigs(new Interface(REGISTRY.abi as never)));
  });

  it('packs semver so that integer order is version order', () => {
    expect(packVersion('1.2.3')).toBe((1n << 32n) | (2n << 16n) | 3n);
    expect(unpackVersion(packVersion('65535.0.7'))).toBe('65535.0.7');
    expect(packVersion('1.10.0') > packVersion('1.9.65535')).toBe(true);
    expect(() => packVersion('1.2')).toThrow(/not major.minor.patch/);
    expect(() => packVersion('1.2.3-beta')).toThrow(/not major.minor.patch/);
    expect(() => packVersion('1.70000.0')).toThrow(/at most 65535/);
  });
});

describe('DappRegistry on anvil', () => {
  it('deploys with its settings and the seed published (and logged) without a fee', async () => {
    expect(await registry.getFunction('token')()).toBe(await token.getAddress());
    expect(await registry.getFunction('publishFee')()).toBe(FEE);
    expect(await registry.getFunction('owner')()).toBe(await owner.getAddress());
    expect(await registry.getFunction('seededApps')()).toEqual([SEED]);
    const app = await registry.getFunction('getApp')(SEED);
    expect([app.author, app.name, app.latestVersion, app.versionCount]).toEqual([await owner.getAddress(), 'Seeded', 65536n, 1n]);
  });

  it('publishes a new app, pulling the fee to the treasury, and logs Published', async () => {
    const who = await author.getAddress();
    expect(await revertOf(publish(author, GAME, 'Game', '1.0.0'))).toMatch(/^ERC20InsufficientAllowance\(/);
    await mined(as(token, author).getFunction('approve')(await registry.getAddress(), 2n * FEE));
    const before = (await token.getFunction('balanceOf')(who)) as bigint;
    const receipt = (await mined(publish(author, GAME, 'Game', '1.0.0'))) as { logs: { topics: string[]; data: string }[] };
    expect((await token.getFunction('balanceOf')(who)) as bigint).toBe(before - FEE);
    expect(await token.getFunction('balanceOf')(TREASURY)).toBe(FEE);
    const ev = receipt.logs.map((l) => registryInterface.parseLog(l)).find((e) => e?.name === 'Published')!;
    expect([ev.args.appId, ev.args.author, ev.args.version, ev.args.name, ev.args.feePaid]).toEqual([GAME, who, packVersion('1.0.0'), 'Game', FEE]);
    expect(ev.args.authorKey).toBe(key('author'));
    const app = await registry.getFunction('getApp')(GAME);
    expect([app.author, app.category, app.versionCount, app.latestVersion]).toEqual([who, 'games', 1n, packVersion('1.0.0')]);
  });

  it('accepts a strictly greater version from the author; refuses other publishers and old versions', async () => {
    await mined(publish(author, GAME, 'Game', '1.1.0'));
    expect(await registry.getFunction('versionsOf')(GAME)).toEqual([packVersion('1.0.0'), packVersion('1.1.0')]);
    const r = await registry.getFunction('getVersion')(GAME, packVersion('1.1.0'));
    expect([r.contentHash, r.manifestUri]).toEqual([hash('Game@1.1.0'), 'bitunicom://dapp/Game']);
    const who = await author.getAddress();
    expect(await revertOf(publish(other, GAME, 'Game', '9.0.0'))).toBe(`NotAuthor(${GAME},${who})`);
    expect(await revertOf(publish(author, GAME, 'Game', '1.1.0'))).toBe(`VersionNotIncreasing(${GAME},${packVersion('1.1.0')},${packVersion('1.1.0')})`);
    expect(await revertOf(publish(author, GAME, 'Game', '1.0.9'))).toMatch(/^VersionNotIncreasing\(/);
    expect(await revertOf(registry.getFunction('getVersion')(GAME, packVersion('1.0.5')))).toMatch(/^UnknownVersion\(/);
  });

  it('checks the fields of a release', async () => {
    const NEW = appId('app: fields');
    expect(await revertOf(publish(author, NEW, 'X', '1.0.0', 'x', '0x04' + '11'.repeat(32)))).toBe('InvalidAuthorKey()');
    expect(await revertOf(publish(author, NEW, 'X', '1.0.0', 'x', '0x02' + '11'.repeat(31)))).toBe('InvalidAuthorKey()');
    expect(await revertOf(publish(author, NEW, '', '1.0.0'))).toBe('InvalidName()');
    expect(await revertOf(publish(author, NEW, 'n'.repeat(65), '1.0.0'))).toBe('InvalidName()');
    expect(await revertOf(publish(author, NEW, 'X', '0.0.0'))).toBe('InvalidVersion(0)');
    expect(await revertOf(publish(author, '0x' + '00'.repeat(20), 'X', '1.0.0'))).toBe('InvalidAppId()');
    const zeroHash = as(registry, author).getFunction('publish')(NEW, 'X', 'games', 1n, '0x' + '00'.repeat(32), key('author'), '');
    expect(await revertOf(zeroHash)).toBe('InvalidContentHash()');
  });

  it('lets token holders rate once each (updatable), never a non-holder or the author', async () => {
    const s = await stranger.getAddress();
    expect(await revertOf(as(registry, stranger).getFunction('rate')(GAME, 5))).toBe(`NotHolder(${s},0,1)`);
    expect(await revertOf(as(registry, author).getFunction('rate')(GAME, 5))).toBe(`SelfRating(${GAME})`);
    expect(await revertOf(as(registry, holder).getFunction('rate')(GAME, 0))).toBe('InvalidStars(0)');
    expect(await revertOf(as(registry, holder).getFunction('rate')(GAME, 6))).toBe('InvalidStars(6)');
    expect(await revertOf(as(registry, holder).getFunction('rate')(appId('nope'), 3))).toMatch(/^UnknownApp\(/);
    await mined(as(registry, holder).getFunction('rate')(GAME, 4));
    await mined(as(registry, holder2).getFunction('rate')(GAME, 5));
    await mined(as(registry, holder).getFunction('rate')(GAME, 2)); // replaces the 4
    expect(await registry.getFunction('ratingOf')(GAME)).toEqual([7n, 2n]);
    expect(await registry.getFunction('ratingBy')(GAME, await holder.getAddress())).toBe(2n);
  });

  it('lets token holders report once each with a reason', async () => {
    expect(await revertOf(as(registry, stranger).getFunction('report')(GAME, 1))).toMatch(/^NotHolder\(/);
    expect(await revertOf(as(registry, holder).getFunction('report')(GAME, 0))).toBe('InvalidReason()');
    await mined(as(registry, holder).getFunction('report')(GAME, 2));
    await mined(as(registry, other).getFunction('report')(GAME, 5));
    expect(await revertOf(as(registry, holder).getFunction('report')(GAME, 3))).toBe(`AlreadyReported(${GAME},${await holder.getAddress()})`);
    expect((await registry.getFunction('getApp')(GAME)).reportCount).toBe(2n);
    expect(await registry.getFunction('reportBy')(GAME, await holder.getAddress())).toBe(2n);
  });

  it('governance: only the owner sets the fee, the treasury, the holder minimum, and delists', async () => {
    const o = await other.getAddress();
    expect(await revertOf(as(registry, other).getFunction('setPublishFee')(0n))).toBe(`OwnableUnauthorizedAccount(${o})`);
    expect(await revertOf(as(registry, other).getFunction('setDelisted')(GAME, true))).toBe(`OwnableUnauthorizedAccount(${o})`);
    expect(await revertOf(as(registry, owner).getFunction('setTreasury')('0x' + '00'.repeat(20)))).toBe('InvalidTreasury()');
    expect(await revertOf(as(registry, owner).getFunction('setHolderMinimum')(0n))).toBe('InvalidHolderMinimum()');
    // free publishing: no allowance needed
    await mined(as(registry, owner).getFunction('setPublishFee')(0n));
    await mined(publish(other, appId('app: free'), 'Free Notes', '1.0.0'));
    expect(await token.getFunction('balanceOf')(TREASURY)).toBe(2n * FEE); // Game 1.0.0 and 1.1.0 only
    await mined(as(registry, owner).getFunction('setPublishFee')(FEE));
    // a higher minimum shuts out small holders
    await mined(as(registry, owner).getFunction('setHolderMinimum')(2000n * ONE));
    expect(await revertOf(as(registry, holder2).getFunction('rate')(GAME, 1))).toMatch(/^NotHolder\(/);
    await mined(as(registry, owner).getFunction('setHolderMinimum')(1n));
    await mined(as(registry, owner).getFunction('setDelisted')(appId('app: free'), true));
    expect(await revertOf(publish(other, appId('app: free'), 'Free Notes', '1.0.1'))).toMatch(/^AppDelisted\(/);
  });
});

describe('RegistryReader on anvil', () => {
  it('lists apps, versions, ratings and reports from the events, the seed once', async () => {
    const reader = new RegistryReader({ request, address: await registry.getAddress() });
    const head = await reader.sync();
    expect(head).toBe(BigInt(await provider.send('eth_blockNumber', [])));
    expect(reader.all().map((a) => [a.name, a.seeded, a.delisted])).toEqual([
      ['Seeded', true, false],
      ['Game', false, false],
      ['Free Notes', false, true],
    ]);
    const seed = reader.app(SEED)!;
    expect(seed.versions).toHaveLength(1);
    expect(seed.latest.txHash).toMatch(/^0x[0-9a-f]{64}$/); // deployed by a transaction: the seed was logged
    const game = reader.app(GAME)!;
    expect(game.author).toBe(await author.getAddress());
    expect(game.versions.map((v) => [v.versionText, v.contentHash, v.feePaid])).toEqual([
      ['1.0.0', hash('Game@1.0.0'), FEE],
      ['1.1.0', hash('Game@1.1.0'), FEE],
    ]);
    expect(game.latest.authorKey).toBe(key('author'));
    const [sum, count] = (await registry.getFunction('ratingOf')(GAME)) as [bigint, bigint];
    expect(game.rating).toEqual({ sum: Number(sum), count: Number(count), average: 3.5 });
    expect([game.reportCount, game.reportsByReason]).toEqual([2, { 2: 1, 5: 1 }]);
  });

  it('searches by words, category and sorts; delisted apps only on request', async () => {
    const reader = new RegistryReader({ request, address: await registry.getAddress() });
    await reader.sync();
    expect(reader.search('game').map((a) => a.name)).toEqual(['Game']);
    expect(reader.search('notes').map((a) => a.name)).toEqual([]);
    expect(reader.search('free notes', { includeDelisted: true }).map((a) => a.name)).toEqual(['Free Notes']);
    expect(reader.search('', { category: 'TOOLS' }).map((a) => a.name)).toEqual(['Seeded']);
    expect(reader.search(GAME.slice(2, 12)).map((a) => a.name)).toEqual(['Game']);
    expect(reader.search('', { sort: 'rating' }).map((a) => a.name)).toEqual(['Game', 'Seeded']);
    expect(reader.search('', { sort: 'name' }).map((a) => a.name)).toEqual(['Game', 'Seeded']);
    expect(reader.categories()).toEqual([
      { category: 'games', count: 1 },
      { category: 'tools', count: 1 },
    ]);
  });

  it('syncs incrementally, and gives the same view in small chunks and when the node refuses big ranges', async () => {
    const address = await registry.getAddress();
    const calls: [bigint, bigint][] = [];
    const picky: RegistryRequest = async (m, p) => {
      if (m === 'eth_getLogs') {
        const f = p[0] as { fromBlock: string; toBlock: string };
        const [from, to] = [BigInt(f.fromBlock), BigInt(f.toBlock)];
        calls.push([from, to]);
        if (to - from > 3n) throw Object.assign(new Error('query returned more than 10000 results'), { code: -32005 });
      }
      return provider.send(m, p);
    };
    const reference = new RegistryReader({ request, address });
    const chunked = new RegistryReader({ request, address, chunkBlocks: 2n });
    const halving = new RegistryReader({ request: picky, address });
    await Promise.all([reference.sync(), chunked.sync(), halving.sync()]);
    expect(chunked.all()).toEqual(reference.all());
    expect(halving.all()).toEqual(reference.all());
    expect(calls.some(([f, t]) => t - f > 3n)).toBe(true);
    expect(calls.filter(([f, t]) => t - f <= 3n).length).toBeGreaterThan(2);

    const before = calls.length;
    await mined(as(registry, holder2).getFunction('rate')(GAME, 1)); // 5 → 1
    await mined(as(token, author).getFunction('approve')(address, FEE));
    await mined(publish(author, GAME, 'Game', '2.0.0'));
    const head = await halving.sync();
    expect(calls.slice(before).every(([f]) => f > head - 3n)).toBe(true); // only the new blocks
    expect(halving.app(GAME)!.rating).toEqual({ sum: 3, count: 2, average: 1.5 });
    expect(halving.app(GAME)!.latest.versionText).toBe('2.0.0');
  });
});
