/**
 * The activity scanner against anvil, with transactions made by other tools (ethers), so
 * nothing comes from our own send path: native in and out, ERC-20 Transfer logs, a reverted
 * transaction, paging over many blocks, and a replaced chain (another genesis) resetting the
 * network's history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContractFactory, JsonRpcProvider, Wallet, type Contract } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES_DIR, loadArtifact } from '../chain';
import { ActivityLog } from './activity';
import { startAnvil, type Anvil } from './anvil-fixture';
import { readTokenInfo } from './erc20';
import { RpcClient } from './rpc-client';
import { scanStep } from './scanner';

const KEY0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'; // anvil account 0
const ME_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'; // anvil account 2
const dir = mkdtempSync(join(tmpdir(), 'bu-scan-'));
let anvil: Anvil;
let provider: JsonRpcProvider;
let token: Contract;
let tokenAddress: string;
const mine = new Wallet(ME_KEY);

beforeAll(async () => {
  anvil = await startAnvil();
  provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, polling: true, pollingInterval: 50 });
  const boss = new Wallet(KEY0, provider);
  const artifact = loadArtifact(RESOURCES_DIR, 'BitUnicomTestToken');
  token = (await new ContractFactory(artifact.abi as never, artifact.bytecode, boss).deploy('Scan Token', 'SCN', [boss.address], 1000n * 10n ** 18n)) as Contract;
  await token.waitForDeployment();
  tokenAddress = await token.getAddress();
});
afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('scanStep', () => {
  it('records native and token transfers in and out, with status, block, time and fee', async () => {
    const rpc = new RpcClient(anvil.url);
    const log = new ActivityLog(join(dir, 'a.json'));
    const opts = { rpc, networkId: 'anvil', chainId: 31337, accounts: [mine.address], log, tokenInfo: (a: string) => readTokenInfo(rpc, a).catch(() => null) };
    const first = await scanStep(opts);
    expect(first).toMatchObject({ changed: false, reset: false, caughtUp: true });
    expect(log.list('anvil')).toEqual([]);

    // Signed here with counted nonces, sent raw: no client-side nonce or block caching involved.
    const nonces = new Map<string, number>([[new Wallet(KEY0).address, 1]]); // the deploy used 0
    const send = async (key: string, to: string, value: bigint, data = '0x', gasLimit = 100_000n) => {
      const w = new Wallet(key);
      const nonce = nonces.get(w.address) ?? 0;
      nonces.set(w.address, nonce + 1);
      const raw = await w.signTransaction({ type: 2, chainId: 31337, nonce, to, value, data, gasLimit, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
      const hash = await rpc.call<string>('eth_sendRawTransaction', [raw]);
      type Rc = { blockNumber: string; gasUsed: string; effectiveGasPrice: string; status: string };
      let rc: Rc | null = null;
      // anvil automines right after the call returns, but under load the receipt may lag a little.
      for (let i = 0; i < 200 && !rc; i++) rc = (await rpc.call<Rc | null>('eth_getTransactionReceipt', [hash])) ?? (await new Promise<null>((r) => setTimeout(() => r(null), 50)));
      if (!rc) throw new Error(`no receipt for ${hash}`);
      return { hash, blockNumber: Number(BigInt(rc.blockNumber)), fee: BigInt(rc.gasUsed) * BigInt(rc.effectiveGasPrice), status: rc.status };
    };
    const boss = new Wallet(KEY0);
    const transfer = (to: string, amount: bigint) => token.interface.encodeFunctionData('transfer', [to, amount]);
    const nativeIn = await send(KEY0, mine.address, 10n ** 18n, '0x', 21_000n);
    const tokenIn = await send(KEY0, tokenAddress, 0n, transfer(mine.address, 5n * 10n ** 18n));
    const out = await send(ME_KEY, boss.address, 2n * 10n ** 17n, '0x', 21_000n);
    const reverted = await send(ME_KEY, tokenAddress, 0n, transfer(boss.address, 10n ** 30n));
    expect(reverted.status).toBe('0x0');

    const r = await scanStep(opts);
    expect(r.changed).toBe(true);
    const items = log.list('anvil', mine.address);
    const by = (h: string) => items.filter((x) => x.hash === h);
    expect(by(nativeIn.hash)).toEqual([expect.objectContaining({ direction: 'in', value: '1000000000000000000', token: null, status: 'confirmed', blockNumber: String(nativeIn.blockNumber), chainId: 31337, fee: null })]);
    expect(by(tokenIn.hash)).toEqual([expect.objectContaining({ direction: 'in', value: '5000000000000000000', token: expect.objectContaining({ symbol: 'SCN', address: tokenAddress }) })]);
    const o = by(out.hash);
    expect(o).toEqual([expect.objectContaining({ direction: 'out', value: '200000000000000000', nonce: '0', status: 'confirmed' })]);
    expect(BigInt(o[0]!.fee!)).toBe(out.fee);
    const block = await provider.getBlock(nativeIn.blockNumber);
    expect(by(nativeIn.hash)[0]!.at).toBe(block!.timestamp * 1000);
    const rev = by(reverted.hash);
    expect(rev).toEqual([expect.objectContaining({ direction: 'out', status: 'failed', value: '0', token: null })]);
    // Scanning again finds nothing new and changes nothing.
    expect((await scanStep(opts)).changed).toBe(false);
  });

  it('pages through many blocks, maxBlocks at a time', async () => {
    const rpc = new RpcClient(anvil.url);
    const log = new ActivityLog(join(dir, 'b.json'));
    const head = BigInt(await rpc.call<string>('eth_blockNumber'));
    log.setScanned('anvil', (await rpc.call<{ hash: string }>('eth_getBlockByNumber', ['0x0', false])).hash, 0n);
    const opts = { rpc, networkId: 'anvil', chainId: 31337, accounts: [mine.address], log, tokenInfo: async () => null, maxBlocks: 2 };
    let steps = 0;
    for (let done = false; !done; steps++) done = (await scanStep(opts)).caughtUp;
    expect(steps).toBe(Math.ceil(Number(head) / 2));
    expect(log.list('anvil').some((x) => x.direction === 'in' && x.token === null)).toBe(true);
    expect(log.scanState('anvil').scannedTo).toBe(head);
  });

  it('drops the history of a network whose chain was replaced (new genesis)', async () => {
    const log = new ActivityLog(join(dir, 'c.json'));
    const rpc = new RpcClient(anvil.url);
    const tokenInfo = async () => null;
    const opts = { rpc, networkId: 'dev', chainId: 31337, accounts: [mine.address], log, tokenInfo, lookback: 1000 };
    await scanStep(opts);
    expect(log.list('dev').length).toBeGreaterThan(0);
    const other = await startAnvil({ args: ['--timestamp', '1000'] });
    try {
      const r = await scanStep({ ...opts, rpc: new RpcClient(other.url) });
      expect(r.reset).toBe(true);
      expect(log.list('dev')).toEqual([]);
      expect(log.scanState('dev').genesis).toBe((await new RpcClient(other.url).call<{ hash: string }>('eth_getBlockByNumber', ['0x0', false])).hash);
    } finally {
      await other.stop();
    }
  });
});
