/**
 * The staking reader and calldata helpers (staking.ts): the written-out ABI is the compiled
 * artifact's, calldata decodes back with the artifact's ABI, readValidatorSet reads the set at
 * any block and caches per block hash (a small LRU), and refuses a chain without the contract.
 * Also: withdrawals are reentrancy-safe (an attacker contract re-entering from its receive()),
 * and ethers 6 over the devnet's JSON-RPC reads the set and decodes the contract's events.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Contract, Interface, JsonRpcProvider, NonceManager, Wallet, getAddress, id } from 'ethers';
import { bigIntToHex } from '@ethereumjs/util';
import { isBuError } from '../base';
import { blsPopProve } from '../crypto';
import { loadArtifact } from './artifacts';
import { materializeDevnet } from './devnet';
import { Ledger } from './ledger';
import { poeTestChain, testBlsKeys, TOKEN, type PoeTestChain } from './poe-test-chain';
import {
  POE_STAKING_ABI,
  decodeStakingError,
  encodeRegister,
  encodeReportEquivocation,
  encodeRequestExit,
  encodeTopUp,
  encodeWithdraw,
  readValidatorSet,
  stakingInterface,
} from './staking';
import { RESOURCES_DIR, testAccounts } from './test-genesis';
import { startTestDevnet, type TestDevnet } from './testing';

const artifact = loadArtifact(RESOURCES_DIR, 'PoeStaking');
const compiled = new Interface(artifact.abi as never);
const [k0, k1, k2] = testBlsKeys(3, 100);
const accts = testAccounts(3);
const initial = {
  primaries: [{ address: accts[0]!.address, publicKey: k0!.publicKey, stake: 1_000n * TOKEN }],
  sealers: [{ address: accts[1]!.address, publicKey: k1!.publicKey, stake: 100n * TOKEN }],
};

describe('staking ABI and calldata', () => {
  it('the written-out ABI is exactly the compiled one', () => {
    const sigs = (i: Interface) => i.fragments.map((f) => (f.type === 'constructor' ? f.format('full').replace(/ payable$/, '') : f.format('full'))).sort();
    expect(sigs(stakingInterface)).toEqual(sigs(compiled));
    expect(POE_STAKING_ABI.length).toBe(compiled.fragments.length);
    // ethers 6.17 drops a JSON constructor's stateMutability, so check payable from the JSON itself
    expect(artifact.abi.find((f) => (f as { type: string }).type === 'constructor')).toMatchObject({ stateMutability: 'payable' });
    expect(stakingInterface.deploy.payable).toBe(true);
  });

  it('encodes calls that the compiled ABI decodes to the same arguments', () => {
    const pop = new Uint8Array(96).fill(7);
    const reg = compiled.parseTransaction({ data: encodeRegister('sealer', k2!.publicKey, pop) })!;
    expect([reg.name, ...reg.args.toArray()]).toEqual(['register', 2n, '0x' + Buffer.from(k2!.publicKey).toString('hex'), '0x' + '07'.repeat(96)]);
    expect(compiled.parseTransaction({ data: encodeRegister('primary', k2!.publicKey, pop) })!.args[0]).toBe(1n);
    expect(encodeRegister(1, k2!.publicKey, pop)).toBe(encodeRegister('primary', k2!.publicKey, pop));
    expect(encodeRegister(2, k2!.publicKey, pop)).toBe(encodeRegister('sealer', k2!.publicKey, pop));
    expect(encodeRequestExit()).toBe(id('requestExit()').slice(0, 10));
    expect(encodeWithdraw()).toBe(id('withdraw()').slice(0, 10));
    expect(encodeTopUp()).toBe(id('topUp()').slice(0, 10));
    const rep = compiled.parseTransaction({
      data: encodeReportEquivocation({
        offender: accts[2]!.address.toLowerCase(),
        kind: 6,
        height: 2n ** 40n,
        round: 7,
        dataA: new Uint8Array(32).fill(0xaa),
        sigA: new Uint8Array(96).fill(1),
        dataB: new Uint8Array(32),
        sigB: new Uint8Array(96).fill(2),
      }),
    })!;
    expect([rep.name, ...rep.args.toArray()]).toEqual([
      'reportEquivocation',
      getAddress(accts[2]!.address),
      6n,
      2n ** 40n,
      7n,
      '0x' + 'aa'.repeat(32),
      '0x' + '01'.repeat(96),
      '0x' + '00'.repeat(32),
      '0x' + '02'.repeat(96),
    ]);
  });

  it('names custom errors; anything else is null', () => {
    expect(decodeStakingError(compiled.encodeErrorResult('StakeTooLow', [5n, 10n]))).toBe('StakeTooLow(5, 10)');
    expect(decodeStakingError(compiled.encodeErrorResult('PubkeySlashed', []))).toBe('PubkeySlashed()');
    expect(decodeStakingError('0x')).toBeNull();
    expect(decodeStakingError(new Uint8Array([1, 2, 3, 4, 5]))).toBeNull();
  });
});

describe('readValidatorSet', () => {
  let c: PoeTestChain;
  beforeAll(async () => {
    c = await poeTestChain({ accounts: 3, poe: initial });
  });
  afterAll(() => c.close());

  it('reads the genesis set: lower-case addresses, positions in each role, keys and totals', async () => {
    const set = await readValidatorSet(c.ledger, c.ledger.head.header);
    expect(set).toEqual({
      primaries: [{ address: accts[0]!.address, index: 0, role: 1, publicKey: k0!.publicKey, stake: 1_000n * TOKEN }],
      sealers: [{ address: accts[1]!.address, index: 0, role: 2, publicKey: k1!.publicKey, stake: 100n * TOKEN }],
      totalPrimaryStake: 1_000n * TOKEN,
      totalSealerStake: 100n * TOKEN,
    });
  });

  it('caches per block hash (same answer, no second EVM call) and evicts the oldest beyond 64 blocks', async () => {
    const spy = vi.spyOn(c.ledger, 'vmAt');
    try {
      const g = c.ledger.head.header;
      const first = await readValidatorSet(c.ledger, g);
      spy.mockClear();
      const [a, b] = await Promise.all([readValidatorSet(c.ledger, g), readValidatorSet(c.ledger, g)]);
      expect(a).toBe(first);
      expect(b).toBe(first);
      expect(spy).not.toHaveBeenCalled();
      // a new block after a registration: a new answer
      const mined = await c.send(c.accounts[2]!, encodeRegister('sealer', k2!.publicKey, blsPopProve(k2!.secretKey, c.accounts[2]!.address)), 100n * TOKEN);
      expect(mined.status).toBe(1);
      const later = await readValidatorSet(c.ledger, c.ledger.head.header);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(later.sealers.map((v) => v.index)).toEqual([0, 1]);
      await c.mine(64);
      spy.mockClear();
      // blocks 2..65: 64 new entries (block 1 is cached already) push genesis out
      for (let n = 2n; n <= 65n; n++) await readValidatorSet(c.ledger, c.ledger.blockByNumber(n)!.header);
      expect(spy).toHaveBeenCalledTimes(64);
      spy.mockClear();
      await readValidatorSet(c.ledger, c.ledger.blockByNumber(65n)!.header); // recent: cached
      expect(spy).not.toHaveBeenCalled();
      expect(await readValidatorSet(c.ledger, g)).not.toBe(first); // genesis was evicted
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a chain without the staking contract, and does not cache the failure', async () => {
    const template = JSON.parse(readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8'));
    delete template.bitunicom.poe;
    const genesis = await materializeDevnet(JSON.stringify(template), accts[0]!.address, (n) => loadArtifact(RESOURCES_DIR, n));
    const ledger = await Ledger.open({ file: ':memory:', genesis });
    try {
      for (let i = 0; i < 2; i++) {
        const err = await readValidatorSet(ledger, ledger.head.header).catch((e: unknown) => e);
        expect(isBuError(err, 'BAD_INPUT')).toBe(true);
        expect((err as Error).message).toMatch(/no staking contract at 0x0000000000000000000000000000000000005ea1 in block 0/);
      }
    } finally {
      await ledger.close();
    }
  });
});

describe('withdraw under reentrancy', () => {
  it('pays an attacker contract that re-enters from receive() exactly once', async () => {
    const c = await poeTestChain({ accounts: 2, unbondingBlocks: 1 });
    try {
      const solc = (await import('solc')).default as { compile(input: string): string };
      const source = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
interface IStaking { function register(uint8, bytes calldata, bytes calldata) external payable; function requestExit() external; function withdraw() external; }
contract Attacker {
  IStaking constant S = IStaking(0x0000000000000000000000000000000000005EA1);
  bytes public innerError; uint256 public received;
  function join(bytes calldata pk, bytes calldata pop) external payable { S.register{value: msg.value}(2, pk, pop); }
  function exit() external { S.requestExit(); }
  function pull() external { S.withdraw(); }
  receive() external payable {
    received += msg.value;
    if (received == msg.value) { (bool ok, bytes memory err) = address(S).call(abi.encodeWithSignature("withdraw()")); require(!ok); innerError = err; }
  }
}`;
      const out = JSON.parse(
        solc.compile(JSON.stringify({ language: 'Solidity', sources: { 'A.sol': { content: source } }, settings: { evmVersion: 'cancun', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } } })),
      );
      const a = out.contracts['A.sol'].Attacker as { abi: never; evm: { bytecode: { object: string } } };
      const attackerIface = new Interface(a.abi);
      const owner = c.accounts[1]!;
      const attacker = await c.deploy(owner, `0x${a.evm.bytecode.object}`);
      const [k] = testBlsKeys(1, 200);
      const call = (fn: string, args: unknown[] = [], value = 0n) => c.send(owner, attackerIface.encodeFunctionData(fn, args), value, attacker);
      expect((await call('join', [k!.publicKey, blsPopProve(k!.secretKey, attacker)], 100n * TOKEN)).status).toBe(1);
      expect((await readValidatorSet(c.ledger, c.ledger.head.header)).sealers.map((v) => v.address)).toEqual([attacker]);
      expect((await call('exit')).status).toBe(1);
      const staked = await c.balance('0x0000000000000000000000000000000000005EA1');
      expect((await call('pull')).status).toBe(1);
      expect(await c.balance(attacker)).toBe(100n * TOKEN);
      expect(await c.balance('0x0000000000000000000000000000000000005EA1')).toBe(staked - 100n * TOKEN);
      const inner = await c.simulate(owner.address, attackerIface.encodeFunctionData('innerError'), 0n, attacker);
      const [err] = attackerIface.decodeFunctionResult('innerError', inner.returnValue);
      expect(decodeStakingError(err as string)).toBe('ReentrancyGuardReentrantCall()');
    } finally {
      await c.close();
    }
  });
});

describe('ethers 6 over the devnet RPC', () => {
  let net: TestDevnet;
  let provider: JsonRpcProvider;

  beforeAll(async () => {
    const template = readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8');
    const genesis = await materializeDevnet(template, accts[0]!.address, (n) => loadArtifact(RESOURCES_DIR, n), Date.now(), { poe: initial });
    for (const a of accts.slice(1)) genesis.alloc[a.address] = { balance: bigIntToHex(10_000n * TOKEN) };
    net = await startTestDevnet({ genesis, accounts: 3 });
    provider = new JsonRpcProvider(net.rpcUrl, undefined, { pollingInterval: 100 });
  });
  afterAll(async () => {
    provider?.destroy();
    await net?.close();
  });

  it('reads validators() and params(), sends topUp and requestExit, and decodes their events', async () => {
    const signer = new NonceManager(new Wallet(accts[1]!.key, provider));
    const staking = new Contract('0x0000000000000000000000000000000000005EA1', artifact.abi as never, signer);
    const [addrs, roles, pubkeys, stakes] = (await staking.getFunction('validators').staticCall()) as [string[], bigint[], string[], bigint[]];
    expect(addrs).toEqual([getAddress(accts[0]!.address), getAddress(accts[1]!.address)]);
    expect(roles).toEqual([1n, 2n]);
    expect(pubkeys[1]).toBe('0x' + Buffer.from(k1!.publicKey).toString('hex'));
    expect(stakes).toEqual([1_000n * TOKEN, 100n * TOKEN]);
    expect(((await staking.getFunction('params').staticCall()) as bigint[]).slice()).toEqual([1_000n * TOKEN, 100n * TOKEN, 64n]);
    expect(await provider.getBalance(staking.target as string)).toBe(1_100n * TOKEN);

    const top = await (await staking.getFunction('topUp')({ value: 5n * TOKEN })).wait();
    const exit = await (await staking.getFunction('requestExit')()).wait();
    expect(top.status).toBe(1);
    expect(exit.status).toBe(1);
    const topped = await staking.queryFilter(staking.filters.ToppedUp!(accts[1]!.address), top.blockNumber, top.blockNumber);
    expect(topped.map((e) => ('args' in e ? e.args.toArray() : null))).toEqual([[getAddress(accts[1]!.address), 5n * TOKEN, 105n * TOKEN]]);
    const exits = await staking.queryFilter('ExitRequested', exit.blockNumber, exit.blockNumber);
    expect(exits.map((e) => ('args' in e ? e.args.toArray() : null))).toEqual([[getAddress(accts[1]!.address), 105n * TOKEN, BigInt(exit.blockNumber) + 64n]]);
    const [status, role, stake, pubkey, withdrawableAt] = (await staking.getFunction('staker').staticCall(accts[1]!.address)) as unknown[];
    expect([status, role, stake, pubkey, withdrawableAt]).toEqual([2n, 2n, 105n * TOKEN, pubkeys[1], BigInt(exit.blockNumber) + 64n]);
    // a revert through RPC carries the custom error, decoded by ethers from the ABI
    const err = await staking.getFunction('withdraw').staticCall().catch((e: unknown) => e as { revert?: { name: string; args: unknown[] } });
    expect(err?.revert?.name).toBe('StillUnbonding');
    expect(err?.revert?.args).toEqual([BigInt(exit.blockNumber) + 64n]);
  });
});
