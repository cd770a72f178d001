/**
 * The committed contract artifacts: they are what a fresh solc-js build produces
 * (resources/contracts/build.mjs --check), the test token behaves as an ERC-20 with EIP-2612
 * permit when its bytecode runs in @ethereumjs/vm under Cancun, and `loadArtifact` refuses
 * missing or damaged files with a clear error.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlock, type Block } from '@ethereumjs/block';
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common';
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { type Address, bytesToHex, createAccount, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { createVM, runTx, type VM } from '@ethereumjs/vm';
import { Interface, Signature, Wallet, getAddress, id, zeroPadValue } from 'ethers';
import { isBuError } from '../base';
import { loadArtifact, type ContractArtifact } from './artifacts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RESOURCES = join(ROOT, 'resources');
const CHAIN_ID = 16981n;
const ONE = 10n ** 18n;

describe('contract build', () => {
  it('the committed artifacts are what a fresh build produces (--check)', async () => {
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [join(RESOURCES, 'contracts', 'build.mjs'), '--check'], {
      cwd: ROOT,
    });
    expect(stdout).toMatch(/artifact\(s\) up to date/);
    // solc-js compiles the token and OpenZeppelin in a few seconds
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('BitUnicomTestToken in the EVM (Cancun)', () => {
  const artifact = loadArtifact(RESOURCES, 'BitUnicomTestToken');
  const token = new Interface(artifact.abi as never);
  const deployer = new Wallet(id('bitunicom contracts test: deployer'));
  const alice = new Wallet(id('bitunicom contracts test: alice'));
  const bob = Wallet.createRandom().address;
  const carol = getAddress('0x' + 'c0'.repeat(20));
  const amountEach = 1_000_000n * ONE;
  const common = createCustomCommon({ chainId: Number(CHAIN_ID) }, Mainnet, { hardfork: Hardfork.Cancun });
  let vm: VM;
  let block: Block;
  let tokenAddress: Address;

  const send = async (data: string, to?: Address) => {
    // read the nonce from state: a standalone evm.runCall also bumps its caller's nonce
    const nonce = (await vm.stateManager.getAccount(createAddressFromString(deployer.address)))?.nonce ?? 0n;
    const tx = createFeeMarket1559Tx(
      { chainId: CHAIN_ID, nonce, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n, gasLimit: 3_000_000n, to, data: data as `0x${string}` },
      { common },
    ).sign(hexToBytes(deployer.privateKey as `0x${string}`));
    return runTx(vm, { tx, block });
  };
  const parseLog = ([, topics, data]: [Uint8Array, Uint8Array[], Uint8Array]) =>
    token.parseLog({ topics: topics.map((t) => bytesToHex(t)), data: bytesToHex(data) });
  const call = async (fn: string, args: unknown[] = [], from = deployer.address) => {
    const res = await vm.evm.runCall({
      caller: createAddressFromString(from),
      to: tokenAddress,
      data: hexToBytes(token.encodeFunctionData(fn, args) as `0x${string}`),
      block,
    });
    if (res.execResult.exceptionError) throw new Error(`${fn} reverted: ${bytesToHex(res.execResult.returnValue)}`);
    return { result: token.decodeFunctionResult(fn, bytesToHex(res.execResult.returnValue)), logs: res.execResult.logs ?? [] };
  };

  beforeAll(async () => {
    vm = await createVM({ common });
    await vm.stateManager.putAccount(createAddressFromString(deployer.address), createAccount({ balance: 100n * ONE }));
    block = createBlock(
      { header: { number: 1n, timestamp: 1_700_000_000n, gasLimit: 30_000_000n, baseFeePerGas: 1_000_000_000n } },
      { common },
    );
    const args = token.encodeDeploy(['BitUnicom Test Token', 'BUT', [alice.address, bob], amountEach]);
    const res = await send(artifact.bytecode + args.slice(2));
    expect(res.execResult.exceptionError).toBeUndefined();
    expect(res.createdAddress).toBeDefined();
    tokenAddress = res.createdAddress!;
    // one Transfer from the zero address per holder, in order
    const mints = res.receipt.logs.map(parseLog);
    expect(mints.map((l) => [l?.name, l?.args.from, l?.args.to, l?.args.value])).toEqual([
      ['Transfer', '0x0000000000000000000000000000000000000000', alice.address, amountEach],
      ['Transfer', '0x0000000000000000000000000000000000000000', bob, amountEach],
    ]);
  });

  it('was compiled for the EVM the chain runs (Cancun)', () => {
    const file = join(RESOURCES, 'contracts', 'artifacts', 'BitUnicomTestToken.json');
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { compiler: { version: string; settings: { evmVersion: string } } };
    expect(raw.compiler.version).toMatch(/^0\.8\.37\+/);
    expect(raw.compiler.settings.evmVersion).toBe(common.hardfork());
  });

  it('has the metadata and the supply the constructor was given', async () => {
    expect((await call('name')).result[0]).toBe('BitUnicom Test Token');
    expect((await call('symbol')).result[0]).toBe('BUT');
    expect((await call('decimals')).result[0]).toBe(18n);
    expect((await call('totalSupply')).result[0]).toBe(2n * amountEach);
    expect((await call('balanceOf', [alice.address])).result[0]).toBe(amountEach);
    expect((await call('balanceOf', [bob])).result[0]).toBe(amountEach);
    expect((await call('balanceOf', [deployer.address])).result[0]).toBe(0n);
  });

  it('moves tokens with transfer and logs a Transfer event', async () => {
    const before = await vm.stateManager.getAccount(tokenAddress);
    expect(before?.nonce).toBe(1n); // EIP-161: a new contract starts at nonce 1
    const { result, logs } = await call('transfer', [carol, 250n * ONE], alice.address);
    expect(result[0]).toBe(true);
    expect(logs).toHaveLength(1);
    const [address, topics, data] = logs[0]!;
    expect(bytesToHex(address)).toBe(tokenAddress.toString());
    expect(topics.map((t) => bytesToHex(t))).toEqual([
      id('Transfer(address,address,uint256)'),
      zeroPadValue(alice.address, 32).toLowerCase(),
      zeroPadValue(carol, 32).toLowerCase(),
    ]);
    expect(BigInt(bytesToHex(data))).toBe(250n * ONE);
    expect((await call('balanceOf', [alice.address])).result[0]).toBe(amountEach - 250n * ONE);
    expect((await call('balanceOf', [carol])).result[0]).toBe(250n * ONE);
    expect((await call('totalSupply')).result[0]).toBe(2n * amountEach);
  });

  it('refuses a transfer larger than the balance with ERC20InsufficientBalance', async () => {
    const res = await vm.evm.runCall({
      caller: createAddressFromString(carol),
      to: tokenAddress,
      data: hexToBytes(token.encodeFunctionData('transfer', [bob, 251n * ONE]) as `0x${string}`),
      block,
    });
    expect(res.execResult.exceptionError?.error).toBe('revert');
    const err = token.parseError(bytesToHex(res.execResult.returnValue));
    expect(err?.name).toBe('ERC20InsufficientBalance');
    expect(err?.args.toArray()).toEqual([carol, 250n * ONE, 251n * ONE]);
  });

  it('accepts an EIP-2612 permit signed for this chain id and address', async () => {
    const value = 42n * ONE;
    const deadline = block.header.timestamp + 3600n;
    const domain = { name: 'BitUnicom Test Token', version: '1', chainId: CHAIN_ID, verifyingContract: tokenAddress.toString() };
    const types = {
      Permit: [
        { name: 'owner', type: 'address' },
        { name: 'spender', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    };
    const sig = Signature.from(await alice.signTypedData(domain, types, { owner: alice.address, spender: deployer.address, value, nonce: 0n, deadline }));
    // the deployer relays it (and pays the gas): alice needs no ether
    const res = await send(token.encodeFunctionData('permit', [alice.address, deployer.address, value, deadline, sig.v, sig.r, sig.s]), tokenAddress);
    expect(res.execResult.exceptionError).toBeUndefined();
    expect(res.receipt.logs.map((l) => parseLog(l)?.name)).toEqual(['Approval']);
    expect((await call('allowance', [alice.address, deployer.address])).result[0]).toBe(value);
    expect((await call('nonces', [alice.address])).result[0]).toBe(1n);
    // the same signature again is stale (nonce 1 now)
    const replay = await send(token.encodeFunctionData('permit', [alice.address, deployer.address, value, deadline, sig.v, sig.r, sig.s]), tokenAddress);
    expect(token.parseError(bytesToHex(replay.execResult.returnValue))?.name).toBe('ERC2612InvalidSigner');
  });
});

describe('loadArtifact', () => {
  let dir: string;
  const good: ContractArtifact = { contractName: 'Thing', abi: [], bytecode: '0x6001', deployedBytecode: '0x00' };
  const put = (name: string, text: string) => writeFileSync(join(dir, 'contracts', 'artifacts', `${name}.json`), text);
  const failure = (name: string) => {
    try {
      loadArtifact(dir, name);
    } catch (err) {
      expect(isBuError(err, 'INTERNAL')).toBe(true);
      return (err as Error).message;
    }
    throw new Error('loadArtifact did not throw');
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bu-artifacts-'));
    mkdirSync(join(dir, 'contracts', 'artifacts'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the committed token artifact', () => {
    const a = loadArtifact(RESOURCES, 'BitUnicomTestToken');
    expect(a.contractName).toBe('BitUnicomTestToken');
    expect(a.bytecode).toMatch(/^0x[0-9a-f]+$/);
    expect(a.deployedBytecode.length).toBeLessThan(a.bytecode.length);
    expect(a.abi.some((e) => (e as { type?: string }).type === 'constructor')).toBe(true);
  });

  it('returns exactly the four typed fields of a well-formed file', () => {
    put('Thing', JSON.stringify({ ...good, compiler: { version: 'x' } }));
    expect(loadArtifact(dir, 'Thing')).toEqual(good);
  });

  it('names the file when it is missing', () => {
    expect(failure('Missing')).toMatch(/contracts\/artifacts\/Missing\.json cannot be read/);
  });

  it('refuses invalid JSON and wrong shapes, saying what is wrong', () => {
    put('Broken', '{"contractName": ');
    expect(failure('Broken')).toMatch(/is not valid JSON/);
    put('Arr', '[]');
    expect(failure('Arr')).toMatch(/malformed: not a JSON object/);
    put('Other', JSON.stringify({ ...good }));
    expect(failure('Other')).toMatch(/contractName is "Thing", expected "Other"/);
    put('NoAbi', JSON.stringify({ ...good, contractName: 'NoAbi', abi: {} }));
    expect(failure('NoAbi')).toMatch(/abi is not an array/);
    put('NoCode', JSON.stringify({ ...good, contractName: 'NoCode', bytecode: '0x' }));
    expect(failure('NoCode')).toMatch(/bytecode is not non-empty/);
    put('OddHex', JSON.stringify({ ...good, contractName: 'OddHex', deployedBytecode: '0x123' }));
    expect(failure('OddHex')).toMatch(/deployedBytecode is not/);
  });

  it('refuses a name that could leave the artifacts folder', () => {
    expect(failure('../secrets')).toMatch(/is not a contract name/);
  });
});
