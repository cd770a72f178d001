import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_LIMIT } from './dispatch';
import { openRpcFixture, type RpcFixture } from './fixture';

let f: RpcFixture;
beforeAll(async () => {
  f = await openRpcFixture();
});
afterAll(() => f.close());

const req = (method: string, params: unknown[] = [], id: unknown = 1) => ({ jsonrpc: '2.0', id, method, params });

describe('JSON-RPC envelope', () => {
  it('answers a request with its id', async () => {
    expect(await f.rpc.handle(req('eth_chainId', [], 'abc'))).toEqual({ jsonrpc: '2.0', id: 'abc', result: '0x4255' });
    expect(await f.rpc.handle(req('net_version', [], null))).toEqual({ jsonrpc: '2.0', id: null, result: '16981' });
  });

  it('parse error -32700 for text that is not JSON', async () => {
    expect(await f.rpc.handle('{"jsonrpc":"2.0",')).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
  });

  it('invalid request -32600 for non-objects, a missing method or a bad id', async () => {
    for (const bad of [42, '"x"', { jsonrpc: '2.0', id: 1 }, { jsonrpc: '2.0', id: { a: 1 }, method: 'eth_chainId' }]) {
      const r = (await f.rpc.handle(bad)) as { error: { code: number; message: string } };
      expect(r.error).toEqual({ code: -32600, message: 'invalid request' });
    }
  });

  it('unknown methods -32601 with geth wording; key-holding methods do not exist', async () => {
    for (const m of ['eth_foo', 'eth_sendTransaction', 'eth_sign', 'eth_signTransaction', 'personal_sign', 'toString', '__proto__']) {
      const r = (await f.rpc.handle(req(m))) as { error: { code: number; message: string } };
      expect(r.error).toEqual({ code: -32601, message: `the method ${m} does not exist/is not available` });
    }
  });

  it('invalid params -32602 with the argument position', async () => {
    const cases: [string, unknown[], string][] = [
      ['eth_getBalance', ['0x12', 'latest'], 'invalid argument 0: hex string has length 2, want 40 for common.Address'],
      ['eth_getBalance', [f.accounts[0]!.address, '0x01'], 'invalid argument 1: hex number with leading zero digits'],
      ['eth_getBlockByNumber', ['12', false], 'invalid argument 0: hex string without 0x prefix'],
      ['eth_getBlockByNumber', ['latest'], 'missing value for required argument 1'],
      ['eth_blockNumber', [1], 'too many arguments, want at most 0'],
      ['eth_getTransactionByHash', ['0xzz'], 'invalid argument 0: invalid hex string'],
      ['eth_sendRawTransaction', ['0x123'], 'invalid argument 0: hex string of odd length'],
      ['eth_getBalance', [f.accounts[0]!.address, { blockHash: '0x' + '00'.repeat(32), blockNumber: '0x0' }], 'invalid argument 1: cannot specify both BlockHash and BlockNumber, choose one or the other'],
    ];
    for (const [m, p, message] of cases) {
      const r = (await f.rpc.handle(req(m, p))) as { error: unknown };
      expect(r.error, m).toEqual({ code: -32602, message });
    }
  });

  it('a notification gets no response, in a batch no entry', async () => {
    expect(await f.rpc.handle({ jsonrpc: '2.0', method: 'eth_chainId' })).toBeUndefined();
    const out = (await f.rpc.handle([
      req('eth_chainId', [], 1),
      { jsonrpc: '2.0', method: 'eth_blockNumber' },
      req('eth_nope', [], 2),
      7,
    ])) as { id: unknown }[];
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({ jsonrpc: '2.0', id: 1, result: '0x4255' });
    expect(out[1]).toMatchObject({ id: 2, error: { code: -32601 } });
    expect(out[2]).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await f.rpc.handle([{ jsonrpc: '2.0', method: 'eth_chainId' }])).toBeUndefined();
  });

  it('empty and oversized batches', async () => {
    expect(await f.rpc.handle([])).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'empty batch' } });
    const big = Array.from({ length: BATCH_LIMIT + 1 }, (_, i) => req('eth_chainId', [], i + 5));
    expect(await f.rpc.handle(big)).toEqual([{ jsonrpc: '2.0', id: 5, error: { code: -32600, message: 'batch too large' } }]);
    const max = (await f.rpc.handle(big.slice(1))) as unknown[];
    expect(max).toHaveLength(BATCH_LIMIT);
  });
});
