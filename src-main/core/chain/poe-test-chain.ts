/**
 * @module chain/poe-test-chain
 * Test support for the POE staking contract (not used by the app): a real in-memory ledger
 * whose genesis comes from the shipped devnet template with a given initial validator set
 * (devnet.ts `materializeDevnet(…, { poe })`), the BLS precompile active, funded test
 * accounts, and helpers to mine one transaction per block, simulate a call at the head
 * (to read a revert's custom error) and read balances.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBlock } from '@ethereumjs/block';
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import {
  bigIntToHex,
  bigIntToUnpaddedBytes,
  bytesToHex,
  createAddressFromString,
  createZeroAddress,
  generateAddress,
  hexToBytes,
} from '@ethereumjs/util';
import type { PostByzantiumTxReceipt } from '@ethereumjs/vm';
import { blsKeyFromSeed, keccak256 } from '../crypto';
import { loadArtifact } from './artifacts';
import { blsVerifyPrecompile } from './bls-precompile';
import { materializeDevnet, type DevnetGenesis, type PoeGenesisSet } from './devnet';
import { Ledger } from './ledger';
import { POE_STAKING_ADDRESS } from './staking-params';
import { decodeStakingError, stakingInterface } from './staking';
import { RESOURCES_DIR, testAccounts, type TestAccount } from './test-genesis';

export const TOKEN = 10n ** 18n;
export const CHAIN_ID = 16981n;

export type BlsKeys = { secretKey: Uint8Array; publicKey: Uint8Array };

/** Deterministic BLS keys: ikm = keccak("bitunicom test bls key i"). */
export function testBlsKeys(n: number, offset = 0): BlsKeys[] {
  return Array.from({ length: n }, (_, i) => blsKeyFromSeed(keccak256(new TextEncoder().encode(`bitunicom test bls key ${i + offset}`))));
}

export type Mined = { status: 0 | 1; gasCost: bigint; logs: ReturnType<typeof stakingInterface.parseLog>[] };

export type PoeTestChain = {
  ledger: Ledger;
  genesis: DevnetGenesis;
  accounts: TestAccount[];
  /** Mine one transaction from `from` to the staking contract (or `to`) in its own block. */
  send(from: TestAccount, data: string, value?: bigint, to?: string): Promise<Mined>;
  /** Mine a contract creation from `from`; its address. */
  deploy(from: TestAccount, initCode: string, value?: bigint): Promise<string>;
  /** Run a call at the head as the next block would; the custom error name if it reverts. */
  simulate(from: string, data: string, value?: bigint, to?: string): Promise<{ error: string | null; returnValue: Uint8Array }>;
  /** Mine `n` empty blocks. */
  mine(n: number): Promise<void>;
  balance(address: string): Promise<bigint>;
  close(): Promise<void>;
};

export async function poeTestChain(
  o: { accounts?: number; poe?: PoeGenesisSet; unbondingBlocks?: number; precompile?: boolean } = {},
): Promise<PoeTestChain> {
  const accounts = testAccounts(o.accounts ?? 6);
  const template = JSON.parse(readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8')) as DevnetGenesis;
  if (o.unbondingBlocks !== undefined) template.bitunicom.poe!.unbondingBlocks = o.unbondingBlocks;
  const genesis = await materializeDevnet(JSON.stringify(template), accounts[0]!.address, (n) => loadArtifact(RESOURCES_DIR, n), Date.now(), {
    poe: o.poe,
  });
  for (const a of accounts.slice(1)) genesis.alloc[a.address] = { balance: bigIntToHex(1_000_000n * TOKEN) };
  const ledger = await Ledger.open({ file: ':memory:', genesis, precompiles: o.precompile === false ? [] : [blsVerifyPrecompile()] });
  const next = () => {
    const h = ledger.head.header;
    return { number: h.number + 1n, timestamp: h.timestamp + 1n };
  };
  const block = (txs: Parameters<Ledger['buildBlock']>[0]['txs']) =>
    ledger.buildBlock({ txs, timestamp: next().timestamp, coinbase: createZeroAddress(), prevRandao: new Uint8Array(32) });
  const mineTx = async (from: TestAccount, data: string, value: bigint, to: string | null) => {
    const n = next();
    const sender = createAddressFromString(from.address);
    const nonce = (await ledger.stateAt(ledger.head.header).getAccount(sender))?.nonce ?? 0n;
    const tx = createFeeMarket1559Tx(
      {
        chainId: CHAIN_ID,
        nonce,
        maxFeePerGas: 10n ** 11n,
        maxPriorityFeePerGas: 0n,
        gasLimit: 3_000_000n,
        to: to === null ? undefined : createAddressFromString(to),
        value,
        data: data as `0x${string}`,
      },
      { common: ledger.commonAt(n.number, n.timestamp) },
    ).sign(hexToBytes(from.key));
    const c = await block([tx]);
    if (c.skipped.length > 0) throw new Error(`transaction skipped: ${c.skipped[0]!.reason}`);
    const b = await ledger.commit(c);
    const receipt = c.receipts[0] as PostByzantiumTxReceipt;
    const address = to === null ? bytesToHex(generateAddress(sender.bytes, bigIntToUnpaddedBytes(nonce))) : null;
    return { receipt, gasCost: receipt.cumulativeBlockGasUsed * b.header.baseFeePerGas!, address };
  };
  const balance = async (address: string) =>
    (await ledger.stateAt(ledger.head.header).getAccount(createAddressFromString(address)))?.balance ?? 0n;

  return {
    ledger,
    genesis,
    accounts,
    balance,
    async send(from, data, value = 0n, to = POE_STAKING_ADDRESS) {
      const { receipt: r, gasCost } = await mineTx(from, data, value, to);
      // logs of other contracts (a test's own) are left undecoded (null)
      const logs = r.logs.map(([address, topics, d]) =>
        bytesToHex(address) === to.toLowerCase() ? stakingInterface.parseLog({ topics: topics.map((t) => bytesToHex(t)), data: bytesToHex(d) }) : null,
      );
      return { status: r.status, gasCost, logs };
    },
    async deploy(from, initCode, value = 0n) {
      const { receipt, address } = await mineTx(from, initCode, value, null);
      if (receipt.status !== 1 || !address) throw new Error('the contract creation failed');
      return address;
    },
    async simulate(from, data, value = 0n, to = POE_STAKING_ADDRESS) {
      const n = next();
      const common = ledger.commonAt(n.number, n.timestamp);
      const vm = await ledger.vmAt(ledger.head.header);
      const header = { number: n.number, timestamp: n.timestamp, gasLimit: 30_000_000n, baseFeePerGas: ledger.head.header.baseFeePerGas };
      const res = await vm.evm.runCall({
        caller: createAddressFromString(from),
        to: createAddressFromString(to),
        data: hexToBytes(data as `0x${string}`),
        value,
        gasLimit: 3_000_000n,
        block: createBlock({ header }, { common }),
      });
      const error = res.execResult.exceptionError ? (decodeStakingError(res.execResult.returnValue) ?? res.execResult.exceptionError.error) : null;
      return { error, returnValue: res.execResult.returnValue };
    },
    async mine(n) {
      for (let i = 0; i < n; i++) await ledger.commit(await block([]));
    },
    close: () => ledger.close(),
  };
}
