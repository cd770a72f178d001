/**
 * Contract calls through WalletService on a real anvil, every effect read back with ethers
 * (a client we did not write): the repo's OpenZeppelin test token deployed by an anvil
 * account; `approve` quoted (selector, size, gas) and sent, pending → confirmed, the allowance
 * as ethers reads it; an EIP-2612 `permit` signed with signTypedData and sent with sendCall;
 * reverts in words — the token's custom error named with its ABI (and its selector without),
 * Error(string) and Panic(uint256) from a contract that reverts with its calldata, a revert
 * at a fixed gas limit; an account that cannot pay is quoted but not sent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbiCoder, Contract, ContractFactory, Interface, JsonRpcProvider, Signature, Wallet, getAddress, id } from 'ethers';
import { failure } from '../base/test-support';
import { RESOURCES_DIR } from '../chain/testing';
import { randomBytes } from '../crypto';
import { startAnvil, type Anvil } from './anvil-fixture';
import { CallRevertedError } from './revert';
import { WalletService } from './service';

const MNEMONIC = 'test test test test test test test test test test test junk';
const TOKEN = JSON.parse(readFileSync(join(RESOURCES_DIR, 'contracts', 'artifacts', 'BitUnicomTestToken.json'), 'utf8')) as { abi: unknown[]; bytecode: string };
const tokenIface = new Interface(TOKEN.abi as never);
const ONE = 10n ** 18n;
/** Runtime code that reverts with its own calldata: CALLDATASIZE 0 0 CALLDATACOPY CALLDATASIZE 0 REVERT. */
const ECHO_REVERT = '0x366000600037366000fd';
const ECHO = '0x00000000000000000000000000000000000e4c40';
const SPENDER = '0x000000000000000000000000000000000000bEEF';

let anvil: Anvil;
let provider: JsonRpcProvider;
let w: WalletService;
let token: string;
let me: string;
const dir = mkdtempSync(join(tmpdir(), 'bu-wallet-call-'));

async function until<T>(what: string, fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function revertOf(p: Promise<unknown>): Promise<CallRevertedError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CallRevertedError) return e;
    throw e;
  }
  throw new Error('expected CALL_REVERTED');
}

beforeAll(async () => {
  anvil = await startAnvil({ mnemonic: MNEMONIC });
  provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  w = await WalletService.open({
    dir,
    secret: { kind: 'mnemonic', mnemonic: MNEMONIC },
    wrapKey: randomBytes(32),
    builtin: [{ id: 'anvil', chainId: anvil.chainId, name: 'Anvil', symbol: 'ETH', rpcUrl: anvil.url, builtin: true }],
    pollMs: 100,
  });
  w.start();
  me = w.accountList()[0]!.address;
  const deployer = await provider.getSigner(7); // not one of ours: our nonces stay ours
  const t = await new ContractFactory(TOKEN.abi as never, TOKEN.bytecode, deployer).deploy('BitUnicom Test Token', 'tBUT', [me], 1000n * ONE);
  token = await (await t.waitForDeployment()).getAddress();
  await provider.send('anvil_setCode', [ECHO, ECHO_REVERT]);
}, 60_000);

afterAll(async () => {
  await w?.close();
  provider?.destroy();
  await anvil?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('quoteCall / sendCall on anvil', () => {
  it('quotes and sends approve(): pending, then confirmed; ethers reads the new allowance', async () => {
    const data = tokenIface.encodeFunctionData('approve', [SPENDER, 5n * ONE]);
    const q = await w.quoteCall({ to: token, data });
    expect(q).toMatchObject({ from: me, to: token, selector: '0x095ea7b3', dataLength: 68, tier: 'normal', sufficient: true, warnings: [], value: { amount: '0' } });
    const exact = await provider.estimateGas({ from: me, to: token, data });
    expect(BigInt(q.gasLimit)).toBe((exact * 125n + 99n) / 100n); // eth_estimateGas + 25 %
    expect(q.total).toBe(`at most ${q.maxFee.formatted}`);

    const sent = await w.sendCall({ to: token, data, gasLimit: q.gasLimit, maxFeePerGas: q.fee.maxFeePerGas, maxPriorityFeePerGas: q.fee.maxPriorityFeePerGas });
    expect(sent).toMatchObject({ status: 'pending', direction: 'out', from: me, to: token, nonce: '0', token: null, amount: { amount: '0' } });
    const receipt = await provider.waitForTransaction(sent.hash);
    expect(receipt?.status).toBe(1);
    const erc20 = new Contract(token, TOKEN.abi as never, provider);
    expect(await erc20.getFunction('allowance')(me, SPENDER)).toBe(5n * ONE);
    await until('the call to be confirmed in the activity', () => w.activity({}).find((i) => i.hash === sent.hash && i.status === 'confirmed'));
  });

  it('sends an EIP-2612 permit signed with signTypedData; the token accepts the signature', async () => {
    const owner = w.accountList()[0]!.address;
    const erc20 = new Contract(token, TOKEN.abi as never, provider);
    const nonce = (await erc20.getFunction('nonces')(owner)) as bigint;
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const typed = {
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
        Permit: [
          { name: 'owner', type: 'address' },
          { name: 'spender', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      domain: { name: 'BitUnicom Test Token', version: '1', chainId: `0x${anvil.chainId.toString(16)}`, verifyingContract: token },
      primaryType: 'Permit',
      message: { owner, spender: SPENDER, value: '7000000000000000000', nonce: nonce.toString(), deadline: deadline.toString() },
    };
    const sig = Signature.from(w.signTypedData(owner, JSON.stringify(typed)));
    const data = tokenIface.encodeFunctionData('permit', [owner, SPENDER, 7n * ONE, deadline, sig.v, sig.r, sig.s]);
    const sent = await w.sendCall({ to: token, data });
    expect((await provider.waitForTransaction(sent.hash))?.status).toBe(1);
    expect(await erc20.getFunction('allowance')(owner, SPENDER)).toBe(7n * ONE);
  });

  it('names a custom error with the ABI, gives its selector without, and refuses to send', async () => {
    const data = tokenIface.encodeFunctionData('transfer', [SPENDER, 2000n * ONE]); // more than the balance
    const named = await revertOf(w.quoteCall({ to: token, data }, tokenIface));
    expect(named.code).toBe('CALL_REVERTED');
    expect(named.errorName).toBe('ERC20InsufficientBalance');
    expect(named.args).toEqual([me, 1000n * ONE, 2000n * ONE]);
    expect(named.message).toBe(`The contract call would revert with ERC20InsufficientBalance(sender: ${me}, balance: ${1000n * ONE}, needed: ${2000n * ONE}).`);
    expect(named.data).toBe(tokenIface.encodeErrorResult('ERC20InsufficientBalance', [me, 1000n * ONE, 2000n * ONE]));
    const bare = await revertOf(w.quoteCall({ to: token, data }));
    expect(bare.errorName).toBeNull();
    expect(bare.message).toContain(`custom error ${id('ERC20InsufficientBalance(address,uint256,uint256)').slice(0, 10)}`);
    const before = await provider.getTransactionCount(me, 'pending');
    expect((await failure(w.sendCall({ to: token, data }, tokenIface))).code).toBe('CALL_REVERTED');
    // a fixed gas limit skips the estimate; the eth_call at that gas still catches the revert
    expect((await revertOf(w.sendCall({ to: token, data, gasLimit: '100000' }, tokenIface))).errorName).toBe('ERC20InsufficientBalance');
    expect(await provider.getTransactionCount(me, 'pending')).toBe(before);
  });

  it('puts Error(string) and Panic(uint256) reverts in words', async () => {
    const reason = `0x08c379a0${AbiCoder.defaultAbiCoder().encode(['string'], ['not allowed today']).slice(2)}`;
    const e1 = await revertOf(w.quoteCall({ to: ECHO, data: reason }));
    expect([e1.errorName, e1.args, e1.message]).toEqual(['Error', ['not allowed today'], 'The contract call would revert with the reason "not allowed today".']);
    const panic = `0x4e487b71${AbiCoder.defaultAbiCoder().encode(['uint256'], [0x11]).slice(2)}`;
    const e2 = await revertOf(w.quoteCall({ to: ECHO, data: panic }));
    expect([e2.errorName, e2.message]).toEqual(['Panic', 'The contract call would revert with Panic 0x11 (arithmetic overflow or underflow).']);
    const e3 = await revertOf(w.quoteCall({ to: ECHO, data: '0x' }));
    expect([e3.errorName, e3.data, e3.message]).toEqual([null, '0x', 'The contract call would revert with no reason given.']);
  });

  it('quotes an account that cannot pay (not sufficient, in words) and does not send', async () => {
    const poor = w.accounts.importPrivateKey(Wallet.createRandom().privateKey, 'Empty').address;
    const data = tokenIface.encodeFunctionData('approve', [SPENDER, 1n]);
    const q = await w.quoteCall({ from: poor, to: token, data, value: '0' });
    expect(q.sufficient).toBe(false);
    expect(q.warnings.join(' ')).toMatch(/^Not enough ETH: the call can cost up to .* ETH and the balance is 0 ETH\.$/);
    expect((await failure(w.sendCall({ from: poor, to: token, data }))).code).toBe('INSUFFICIENT_FUNDS');
    const empty = getAddress(ECHO.replace('e4c40', 'e4c41'));
    const rich = await w.quoteCall({ from: me, to: empty, data: '0x', value: (20_000n * ONE).toString() });
    expect(rich.sufficient).toBe(false); // 20,000 ETH > anvil's 10,000: estimated with a balance override
    expect(rich.gasLimit).toBe('21000');
    expect(rich.warnings).toContain(`There is no contract at ${empty} on Anvil: the data would be sent to a plain account.`);
    expect((await failure(w.quoteCall({ to: token, data: '0x12345' }))).code).toBe('BAD_INPUT');
    expect((await failure(w.quoteCall({ to: token, data: `0x${'00'.repeat(128 * 1024 + 1)}` }))).code).toBe('BAD_INPUT');
  });
});
