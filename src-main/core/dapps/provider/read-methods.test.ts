import { describe, expect, it } from 'vitest';
import { BuError } from '../../base';
import { MAX_LOG_BLOCKS, READ_METHODS, readMethod } from './read-methods';
import { A1, TOKEN, codeOf, fakeWallet } from './test-support';

const HASH = `0x${'ab'.repeat(32)}`;

describe('read-only methods (EIP-1474 allow-list)', () => {
  it('lists exactly the methods of the brief', () => {
    expect(Object.keys(READ_METHODS).sort()).toEqual(
      [
        'eth_blockNumber', 'eth_call', 'eth_chainId', 'eth_estimateGas', 'eth_feeHistory', 'eth_gasPrice', 'eth_getBalance', 'eth_getBlockByHash',
        'eth_getBlockByNumber', 'eth_getCode', 'eth_getLogs', 'eth_getTransactionByHash', 'eth_getTransactionCount', 'eth_getTransactionReceipt',
        'eth_maxPriorityFeePerGas', 'net_version',
      ].sort(),
    );
  });

  it('passes validated, rebuilt parameters to the selected network\'s RPC', async () => {
    const w = fakeWallet();
    w.answers.eth_getBalance = () => '0x10';
    w.answers.eth_call = () => '0x';
    w.answers.eth_getBlockByNumber = () => ({ number: '0x1' });
    w.answers.eth_feeHistory = () => ({ oldestBlock: '0x1' });
    w.answers.eth_getTransactionReceipt = () => null;
    expect(await readMethod(w, 'eth_getBalance', [A1.toLowerCase()])).toBe('0x10');
    await readMethod(w, 'eth_call', [{ to: TOKEN, data: '0x70A08231', from: A1 }, { blockHash: HASH }]);
    await readMethod(w, 'eth_getBlockByNumber', ['finalized']);
    await readMethod(w, 'eth_feeHistory', [4, 'latest', [10, 50]]);
    expect(await readMethod(w, 'eth_getTransactionReceipt', [HASH])).toBeNull();
    expect(w.calls.rpc).toEqual([
      { method: 'eth_getBalance', params: [A1, 'latest'] },
      { method: 'eth_call', params: [{ to: TOKEN, data: '0x70a08231', from: A1 }, { blockHash: HASH }] },
      { method: 'eth_getBlockByNumber', params: ['finalized', false] },
      { method: 'eth_feeHistory', params: ['0x4', 'latest', [10, 50]] },
      { method: 'eth_getTransactionReceipt', params: [HASH] },
    ]);
  });

  it('refuses malformed parameters before any request', async () => {
    const w = fakeWallet();
    const bad: [string, unknown][] = [
      ['eth_getBalance', ['0x12']],
      ['eth_getBalance', [A1, 'newest']],
      ['eth_getBalance', [A1, '0x01']],
      ['eth_getBalance', { address: A1 }],
      ['eth_call', [{ to: TOKEN, data: '0x1' }]],
      ['eth_call', [{ to: TOKEN, stateOverride: {} }]],
      ['eth_call', [{}]],
      ['eth_getTransactionByHash', ['0x1234']],
      ['eth_getBlockByHash', [HASH, 'yes']],
      ['eth_feeHistory', [2000, 'latest']],
      ['eth_feeHistory', [4, 'latest', [50, 10]]],
      ['eth_blockNumber', [1]],
      ['eth_getLogs', [{ fromBlock: '0x1', blockHash: HASH }]],
      ['eth_getLogs', [{ topics: [1] }]],
      ['eth_getLogs', [{ limit: 5 }]],
    ];
    for (const [m, p] of bad) expect([m, p, await codeOf(readMethod(w, m, p))]).toEqual([m, p, 'BAD_INPUT']);
    expect(w.calls.rpc).toEqual([]);
    expect(await codeOf(readMethod(w, 'eth_sign', []))).toBe('UNSUPPORTED_METHOD');
  });

  it(`bounds eth_getLogs to ${MAX_LOG_BLOCKS} blocks, resolving tags against the head`, async () => {
    const w = fakeWallet();
    w.answers.eth_blockNumber = () => '0x4e20'; // 20000
    w.answers.eth_getLogs = () => [];
    await readMethod(w, 'eth_getLogs', [{ address: TOKEN, topics: [HASH, null, [HASH, HASH]] }]);
    expect(w.calls.rpc.at(-1)).toEqual({ method: 'eth_getLogs', params: [{ address: TOKEN, topics: [HASH, null, [HASH, HASH]], fromBlock: '0x4e20', toBlock: '0x4e20' }] });
    await readMethod(w, 'eth_getLogs', [{ fromBlock: `0x${(20000 - MAX_LOG_BLOCKS + 1).toString(16)}` }]);
    expect(await codeOf(readMethod(w, 'eth_getLogs', [{ fromBlock: `0x${(20000 - MAX_LOG_BLOCKS).toString(16)}` }]))).toBe('BAD_INPUT');
    expect(await codeOf(readMethod(w, 'eth_getLogs', [{ fromBlock: 'earliest' }]))).toBe('BAD_INPUT');
    expect(await codeOf(readMethod(w, 'eth_getLogs', [{ fromBlock: '0x10', toBlock: '0x5' }]))).toBe('BAD_INPUT');
    await readMethod(w, 'eth_getLogs', [{ blockHash: HASH }]);
    expect(w.calls.rpc.at(-1)).toEqual({ method: 'eth_getLogs', params: [{ blockHash: HASH }] });
  });

  it('a revert is CALL_REVERTED with the node\'s words and data; other node errors pass; huge answers are refused', async () => {
    const w = fakeWallet();
    w.answers.eth_call = () => {
      throw Object.assign(new BuError('RPC_ERROR', 'The RPC at 127.0.0.1 refused eth_call: execution reverted'), { rpcCode: 3, rpcMessage: 'execution reverted: not owner', rpcData: '0x08c379a0' });
    };
    w.answers.eth_estimateGas = () => {
      throw new BuError('RPC_UNREACHABLE', 'The RPC at 127.0.0.1 does not answer.');
    };
    w.answers.eth_getBlockByNumber = () => ({ transactions: 'x'.repeat(300 * 1024) });
    const e = await readMethod(w, 'eth_call', [{ to: TOKEN, data: '0x' }]).catch((x: BuError) => x);
    expect([(e as BuError).code, (e as BuError).message]).toEqual(['CALL_REVERTED', 'eth_call: execution reverted: not owner (revert data 0x08c379a0)']);
    expect(await codeOf(readMethod(w, 'eth_estimateGas', [{ to: TOKEN }]))).toBe('RPC_UNREACHABLE');
    expect(await codeOf(readMethod(w, 'eth_getBlockByNumber', ['latest', true]))).toBe('BAD_INPUT');
  });
});
