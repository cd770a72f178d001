/**
 * The provider over the real WalletService on a real anvil, every result checked with ethers
 * (a client we did not write): connect → personal_sign verified by verifyMessage →
 * eth_signTypedData_v4 verified by verifyTypedData → eth_sendTransaction of an ERC-20 transfer
 * (the repo's OpenZeppelin test token), mined, with both balances changed; read-only calls
 * answered as ethers reads them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, ContractFactory, Interface, JsonRpcProvider, getAddress, verifyMessage, verifyTypedData } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES_DIR } from '../../chain/testing';
import { randomBytes } from '../../crypto';
import { WalletService } from '../../wallet';
import { startAnvil, type Anvil } from '../../wallet/anvil-fixture';
import { DappProvider } from './provider';
import { APP, directory, memorySettings, pendingOf } from './test-support';
import { walletForProvider } from './wallet-adapter';

const MNEMONIC = 'test test test test test test test test test test test junk';
const TOKEN = JSON.parse(readFileSync(join(RESOURCES_DIR, 'contracts', 'artifacts', 'BitUnicomTestToken.json'), 'utf8')) as { abi: unknown[]; bytecode: string };
const ONE = 10n ** 18n;
const RECIPIENT = getAddress('0x000000000000000000000000000000000000bEEF');

let anvil: Anvil;
let eth: JsonRpcProvider;
let w: WalletService;
let provider: DappProvider;
let token: string;
let me: string;
const dir = mkdtempSync(join(tmpdir(), 'bu-dapp-provider-'));

beforeAll(async () => {
  anvil = await startAnvil({ mnemonic: MNEMONIC });
  eth = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  w = await WalletService.open({
    dir,
    secret: { kind: 'mnemonic', mnemonic: MNEMONIC },
    wrapKey: randomBytes(32),
    builtin: [{ id: 'anvil', chainId: anvil.chainId, name: 'Anvil', symbol: 'ETH', rpcUrl: anvil.url, builtin: true }],
    pollMs: 100,
  });
  w.start();
  me = w.accountList()[0]!.address;
  const deployer = await eth.getSigner(7); // not one of ours: our nonces stay ours
  const t = await new ContractFactory(TOKEN.abi as never, TOKEN.bytecode, deployer).deploy('BitUnicom Test Token', 'tBUT', [me], 1000n * ONE);
  token = await (await t.waitForDeployment()).getAddress();
  provider = new DappProvider({ wallet: walletForProvider(w), directory: directory(), settings: memorySettings() });
}, 60_000);

afterAll(async () => {
  provider?.close();
  await w?.close();
  eth?.destroy();
  await anvil?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dapp provider on the real wallet and anvil', () => {
  it('connect, personal_sign, typed data, an ERC-20 transfer', async () => {
    expect(await provider.request(APP, 'eth_chainId')).toEqual({ kind: 'result', result: '0x7a69' });
    expect(await provider.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [] });

    const connect = pendingOf(await provider.request(APP, 'eth_requestAccounts'));
    expect(connect.choices[0]).toEqual({ address: me, name: 'Account 1' });
    expect(await provider.decide(connect.id, true, { accounts: [me] })).toEqual({ kind: 'result', result: [me] });

    const balance = await provider.request(APP, 'eth_getBalance', [me, 'latest']);
    expect(balance).toEqual({ kind: 'result', result: `0x${(await eth.getBalance(me)).toString(16)}` });

    const text = 'Sign in to Swap\nnonce 42';
    const ps = pendingOf(await provider.request(APP, 'personal_sign', [`0x${Buffer.from(text).toString('hex')}`, me]));
    expect(ps.rows.find((r) => r.label === 'Message')!.value).toBe(text);
    const sig = (await provider.decide(ps.id, true)).result as string;
    expect(verifyMessage(text, sig)).toBe(me);

    const types = {
      Person: [
        { name: 'name', type: 'string' },
        { name: 'wallet', type: 'address' },
      ],
      Mail: [
        { name: 'from', type: 'Person' },
        { name: 'to', type: 'Person' },
        { name: 'contents', type: 'string' },
      ],
    };
    const domain = { name: 'Ether Mail', version: '1', chainId: anvil.chainId, verifyingContract: token };
    const message = { from: { name: 'Me', wallet: me }, to: { name: 'Bob', wallet: RECIPIENT }, contents: 'Hello, Bob!' };
    const payload = {
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
        ...types,
      },
      primaryType: 'Mail',
      domain,
      message,
    };
    const td = pendingOf(await provider.request(APP, 'eth_signTypedData_v4', [me, JSON.stringify(payload)]));
    expect(td.rows.find((r) => r.label === 'to.wallet')!.value).toBe(RECIPIENT);
    const typedSig = (await provider.decide(td.id, true)).result as string;
    expect(verifyTypedData(domain, types, message, typedSig)).toBe(me);

    const erc20 = new Interface(['function transfer(address to, uint256 amount)']);
    const data = erc20.encodeFunctionData('transfer', [RECIPIENT, 25n * ONE]);
    const tx = pendingOf(await provider.request(APP, 'eth_sendTransaction', [{ from: me, to: token, data }]));
    expect(tx.rows.find((r) => r.label === 'amount')!.value).toBe('25 tBUT');
    expect(tx.rows.find((r) => r.label === 'Network fee')!.value).toMatch(/^at most 0\.\d+ ETH$/);
    expect(tx.call!.sufficient).toBe(true);
    const hash = (await provider.decide(tx.id, true)).result as string;
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await eth.waitForTransaction(hash, 1, 20_000);
    expect(receipt?.status).toBe(1);
    expect(getAddress(receipt!.from)).toBe(me);
    const t = new Contract(token, ['function balanceOf(address) view returns (uint256)'], eth);
    expect(await t.getFunction('balanceOf')(RECIPIENT)).toBe(25n * ONE);
    expect(await t.getFunction('balanceOf')(me)).toBe(975n * ONE);
    const viaDapp = await provider.request(APP, 'eth_getTransactionReceipt', [hash]);
    expect((viaDapp as { result: { status: string } }).result.status).toBe('0x1');
  }, 60_000);
});
