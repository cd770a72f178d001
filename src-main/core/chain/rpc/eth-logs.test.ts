import { Interface, zeroPadValue } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_LIMITS } from './eth-logs';
import { FILTER_LIMITS } from './filters';
import { openRpcFixture, probeContract, type RpcErrorObject, type RpcFixture } from './fixture';

type Log = { address: string; topics: string[]; data: string; blockNumber: string; logIndex: string; transactionIndex: string; transactionHash: string; blockHash: string };
let f: RpcFixture;
let probe: string;
const iface = new Interface(probeContract().abi as never);
const PING = iface.getEvent('Ping')!.topicHash;
const TRANSFER = new Interface(['event Transfer(address indexed from, address indexed to, uint256 value)']).getEvent('Transfer')!.topicHash;
const topicOf = (a: string) => zeroPadValue(a, 32).toLowerCase();
const rpcError = (p: Promise<unknown>) => p.then(() => ({ code: 0, message: 'no error' }) as RpcErrorObject, (e: RpcErrorObject) => e);
const ping = (note: string, from = 0, mine = true) => f.send({ to: probe as never, data: Buffer.from(iface.encodeFunctionData('ping', [note]).slice(2), 'hex') }, from, mine);
const tokenTransfer = (to: string) =>
  f.send({ to: f.token as never, data: Buffer.from(new Interface(['function transfer(address,uint256)']).encodeFunctionData('transfer', [to, 7n]).slice(2), 'hex') }, 0, false);

beforeAll(async () => {
  f = await openRpcFixture();
  const deploy = await f.send({ data: Buffer.from(probeContract().bytecode.slice(2), 'hex'), gasLimit: 2_000_000n });
  probe = ((await f.call<Record<string, unknown>>('eth_getTransactionReceipt', [deploy])).contractAddress as string)!;
  await ping('one'); // block 2
  await tokenTransfer(f.accounts[1]!.address);
  await ping('two', 1, false);
  await f.mine(); // block 3: transfer + ping
  await ping('three', 2); // block 4
});
afterAll(() => f.close());

describe('eth_getLogs', () => {
  it('by range, address (one or many) and topics with null and OR-lists', async () => {
    const all = await f.call<Log[]>('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }]);
    expect(all.map((l) => [l.blockNumber, l.logIndex])).toEqual([['0x2', '0x0'], ['0x3', '0x0'], ['0x3', '0x1'], ['0x4', '0x0']]);
    expect(all[2]).toMatchObject({ address: probe, transactionIndex: '0x1' });
    const pings = await f.call<Log[]>('eth_getLogs', [{ fromBlock: '0x0', address: probe }]);
    expect(pings.map((l) => iface.parseLog(l)!.args[2])).toEqual(['one', 'two', 'three']);
    const both = await f.call<Log[]>('eth_getLogs', [{ fromBlock: '0x0', address: [probe, f.token] }]);
    expect(both).toHaveLength(4);
    const bySender = await f.call<Log[]>('eth_getLogs', [{ fromBlock: '0x0', topics: [PING, topicOf(f.accounts[1]!.address)] }]);
    expect(bySender.map((l) => l.blockNumber)).toEqual(['0x3']);
    const anyFirst = await f.call<Log[]>('eth_getLogs', [{ fromBlock: '0x0', topics: [null, [topicOf(f.accounts[1]!.address), topicOf(f.accounts[2]!.address)]] }]);
    expect(anyFirst.map((l) => l.blockNumber)).toEqual(['0x3', '0x4']);
    const orNull = await f.call<Log[]>('eth_getLogs', [{ fromBlock: '0x0', topics: [[PING, null]] }]);
    expect(orNull).toHaveLength(4);
    const transfers = await f.call<Log[]>('eth_getLogs', [{ fromBlock: '0x3', toBlock: '0x3', topics: [TRANSFER] }]);
    expect(transfers).toHaveLength(1);
    expect(transfers[0]!.address).toBe(f.token.toLowerCase());
    expect(await f.call('eth_getLogs', [{ fromBlock: '0x0', address: '0x' + '12'.repeat(20) }])).toEqual([]);
  });

  it('defaults to the latest block; blockHash (EIP-234); past the head is empty', async () => {
    const latest = await f.call<Log[]>('eth_getLogs', [{}]);
    expect(latest.map((l) => l.blockNumber)).toEqual(['0x4']);
    const b3 = await f.call<Record<string, string>>('eth_getBlockByNumber', ['0x3', false]);
    const byHash = await f.call<Log[]>('eth_getLogs', [{ blockHash: b3.hash }]);
    expect(byHash.map((l) => l.blockHash)).toEqual([b3.hash, b3.hash]);
    expect(await f.call('eth_getLogs', [{ fromBlock: '0x50', toBlock: '0x60' }])).toEqual([]);
    expect(await f.call<Log[]>('eth_getLogs', [{ fromBlock: '0x4', toBlock: '0x60' }])).toHaveLength(1);
  });

  it('errors: blockHash with a range, unknown hash, reversed range, too many topics, limits', async () => {
    const b3 = await f.call<Record<string, string>>('eth_getBlockByNumber', ['0x3', false]);
    expect(await rpcError(f.call('eth_getLogs', [{ blockHash: b3.hash, fromBlock: '0x1' }]))).toMatchObject({ code: -32602 });
    expect(await rpcError(f.call('eth_getLogs', [{ blockHash: '0x' + '44'.repeat(32) }]))).toEqual({ code: -32000, message: 'unknown block' });
    expect(await rpcError(f.call('eth_getLogs', [{ fromBlock: '0x3', toBlock: '0x2' }]))).toEqual({ code: -32000, message: 'invalid block range params' });
    expect(await rpcError(f.call('eth_getLogs', [{ topics: [null, null, null, null, null] }]))).toEqual({ code: -32602, message: 'invalid argument 0: exceed max topics' });
    const saved = { ...LOG_LIMITS };
    try {
      LOG_LIMITS.results = 2;
      expect(await rpcError(f.call('eth_getLogs', [{ fromBlock: '0x0' }]))).toEqual({ code: -32005, message: 'query returned more than 2 results' });
      LOG_LIMITS.results = saved.results;
      LOG_LIMITS.blocks = 3;
      expect(await rpcError(f.call('eth_getLogs', [{ fromBlock: '0x0', toBlock: '0x4' }]))).toMatchObject({ code: -32005 });
    } finally {
      Object.assign(LOG_LIMITS, saved);
    }
  });
});

describe('filters', () => {
  it('log filter: changes since the last poll, then all logs', async () => {
    const id = await f.call<string>('eth_newFilter', [{ address: probe, topics: [PING] }]);
    expect(id).toMatch(/^0x[0-9a-f]+$/);
    expect(await f.call('eth_getFilterChanges', [id])).toEqual([]);
    await ping('four');
    await ping('five');
    const changes = await f.call<Log[]>('eth_getFilterChanges', [id]);
    expect(changes.map((l) => iface.parseLog(l)!.args[2])).toEqual(['four', 'five']);
    expect(await f.call('eth_getFilterChanges', [id])).toEqual([]);
    const ranged = await f.call<string>('eth_newFilter', [{ fromBlock: '0x0', toBlock: 'latest', address: probe }]);
    expect((await f.call<Log[]>('eth_getFilterLogs', [ranged])).length).toBe(5);
    expect(await f.call('eth_uninstallFilter', [id])).toBe(true);
    expect(await f.call('eth_uninstallFilter', [id])).toBe(false);
    expect(await rpcError(f.call('eth_getFilterChanges', [id]))).toEqual({ code: -32000, message: 'filter not found' });
  });

  it('block and pending-transaction filters', async () => {
    const blocks = await f.call<string>('eth_newBlockFilter');
    const pending = await f.call<string>('eth_newPendingTransactionFilter');
    const h = await ping('six', 0, false);
    expect(await f.call('eth_getFilterChanges', [pending])).toEqual([h]);
    expect(await f.call('eth_getFilterChanges', [pending])).toEqual([]);
    await f.mine();
    const head = await f.call<Record<string, string>>('eth_getBlockByNumber', ['latest', false]);
    expect(await f.call('eth_getFilterChanges', [blocks])).toEqual([head.hash]);
    expect(await rpcError(f.call('eth_getFilterLogs', [blocks]))).toEqual({ code: -32000, message: 'filter not found' });
  });

  it('a filter not polled for 5 minutes is dropped', async () => {
    const { FilterManager } = await import('./filters');
    let now = 1_000_000;
    const m = new FilterManager({ ledger: f.ledger, mempool: f.mempool, clientVersion: 'x' }, () => now);
    const table = m.methods();
    const id = table.eth_newBlockFilter!([]) as string;
    now += FILTER_LIMITS.idleMs - 1;
    table.eth_getFilterChanges!([id]);
    now += FILTER_LIMITS.idleMs - 1;
    m.sweep();
    expect(m.size).toBe(1);
    now += 2;
    m.sweep();
    expect(m.size).toBe(0);
    m.close();
  });
});
