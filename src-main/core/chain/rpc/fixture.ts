/**
 * @module chain/rpc/fixture
 * Test support for the RPC suites (not used by the app): an in-memory ledger on the devnet
 * test genesis (funded accounts, the test token in genesis), its mempool, the RPC handler,
 * a `mine()` that makes one block with the devnet producer, and a small Solidity probe
 * contract compiled with solc-js (events, Error(string) and custom-error reverts, a panic,
 * storage-heavy work for gas estimation).
 */
import { createRequire } from 'node:module';
import { createTx, type TypedTxData } from '@ethereumjs/tx';
import { hexToBytes } from '@ethereumjs/util';
import { Ledger } from '../ledger';
import { Mempool } from '../mempool';
import { DevnetProducer } from '../producer';
import { testAccounts, testDevnetGenesis, type TestAccount } from '../test-genesis';
import { createRpcHandler, type RpcHandler } from './handler';

export const PROBE_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Probe {
  event Ping(address indexed from, uint256 indexed n, string note);
  error Custom(uint256 x);
  uint256 public count;
  mapping(uint256 => uint256) public slots;
  constructor() payable {}
  function ping(string calldata note) external { count += 1; emit Ping(msg.sender, count, note); }
  function fail() external pure { require(false, "probe says no"); }
  function failCustom() external pure { revert Custom(7); }
  function divide(uint256 a, uint256 b) external pure returns (uint256) { return a / b; }
  function fill(uint256 n) external { for (uint256 i = 0; i < n; i++) slots[i] = i + 1; }
  function bal(address a) external view returns (uint256) { return a.balance; }
}`;

export type Compiled = { abi: unknown[]; bytecode: `0x${string}`; deployedBytecode: `0x${string}` };
let probe: Compiled | undefined;

/** The probe contract, compiled once per process (Cancun target, like the chain). */
export function probeContract(): Compiled {
  if (probe) return probe;
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: { 'Probe.sol': { content: PROBE_SOURCE } },
    settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
  };
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = out.contracts['Probe.sol']!['Probe']!;
  probe = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` };
  return probe;
}

export type RpcFixture = {
  ledger: Ledger;
  mempool: Mempool;
  rpc: RpcHandler;
  accounts: TestAccount[];
  token: string;
  /** Make one block of what the pool holds. */
  mine(): Promise<void>;
  /** Call a method; resolves to the result or rejects with the JSON-RPC error object. */
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Sign (with account i), send and mine; returns the hash. */
  send(tx: Partial<TypedTxData> & { to?: string | null }, from?: number, mine?: boolean): Promise<string>;
  close(): Promise<void>;
};

export type RpcErrorObject = { code: number; message: string; data?: unknown };

export async function openRpcFixture(o: { finality?: () => { safe: bigint; finalized: bigint } } = {}): Promise<RpcFixture> {
  const accounts = testAccounts(3);
  const genesis = await testDevnetGenesis(accounts);
  const ledger = await Ledger.open({ file: ':memory:', genesis });
  const mempool = new Mempool(ledger);
  const producer = new DevnetProducer(ledger, mempool, { intervalMs: 3_600_000 });
  const rpc = createRpcHandler({ ledger, mempool, clientVersion: 'BitUnicom/test', finality: o.finality });
  let id = 0;
  const call = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const res = (await rpc.handle({ jsonrpc: '2.0', id: ++id, method, params })) as { result?: T; error?: RpcErrorObject };
    if (res.error) throw res.error;
    return res.result as T;
  };
  const nonces = new Map<number, bigint>();
  return {
    ledger,
    mempool,
    rpc,
    accounts,
    token: genesis.bitunicom.contracts[0]!.address!,
    mine: async () => {
      await producer.produce();
    },
    call,
    async send(tx, from = 0, mine = true) {
      const acct = accounts[from]!;
      const nonce = nonces.get(from) ?? BigInt(await call<string>('eth_getTransactionCount', [acct.address, 'pending']));
      nonces.set(from, nonce + 1n);
      const h = ledger.head.header;
      const signed = createTx(
        {
          type: 2,
          chainId: ledger.chainId,
          nonce,
          maxFeePerGas: 10n ** 10n,
          maxPriorityFeePerGas: 10n ** 9n,
          gasLimit: 1_000_000n,
          value: 0n,
          ...tx,
          to: tx.to ?? undefined,
        } as TypedTxData,
        { common: ledger.commonAt(h.number + 1n, h.timestamp + 1n) },
      ).sign(hexToBytes(acct.key));
      const hash = await call<string>('eth_sendRawTransaction', ['0x' + Buffer.from(signed.serialize()).toString('hex')]).catch((err: unknown) => {
        nonces.delete(from);
        throw err;
      });
      if (mine) await producer.produce();
      return hash;
    },
    async close() {
      rpc.close();
      await producer.stop();
      await ledger.close();
    },
  };
}
