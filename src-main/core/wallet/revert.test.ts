/**
 * Revert data in words without a node: ethers' own encoders (`Interface.encodeErrorResult`)
 * make the data, revert.ts must read it back — Error(string), every Solidity panic code we
 * name and an unknown one, custom errors with and without the ABI, malformed and truncated
 * data — and node errors carrying the data as a string or nested `{ data }` (as some nodes
 * send it), or none at all, become CallRevertedError with the fields set.
 */
import { describe, expect, it } from 'vitest';
import { Interface } from 'ethers';
import { RpcClientError } from './rpc-client';
import { CallRevertedError, decodeRevert, isRevert, revertedError } from './revert';

const iface = new Interface(['error NotAuthor(bytes20 appId, address author)', 'error Empty()', 'error Many(uint256[] xs, string why)']);
const builtin = new Interface(['error Error(string)', 'error Panic(uint256)']);
const APP = '0x0faed322521b51d70016067b15e618d3fb61f219';
const WHO = '0x4e83D036891b8E102840Da84379EC0b9E273448E';
const node = (data: unknown, message = 'execution reverted', code = 3) => new RpcClientError('RPC_ERROR', '127.0.0.1:8545', message, { rpcCode: code, rpcMessage: message, rpcData: data });

describe('decodeRevert', () => {
  it('reads Error(string) and Panic(uint256) as ethers encodes them', () => {
    expect(decodeRevert(builtin.encodeErrorResult('Error', ['no "quotes"\nhere']))).toEqual({ errorName: 'Error', args: ['no "quotes"\nhere'], text: 'the reason "no \\"quotes\\" here"' });
    expect(decodeRevert(builtin.encodeErrorResult('Panic', [0x12])).text).toBe('Panic 0x12 (division or modulo by zero)');
    expect(decodeRevert(builtin.encodeErrorResult('Panic', [0x32])).text).toBe('Panic 0x32 (an array index out of bounds)');
    expect(decodeRevert(builtin.encodeErrorResult('Panic', [0x99])).text).toBe('Panic 0x99 (an unknown panic code)');
    expect(decodeRevert(builtin.encodeErrorResult('Panic', [2n ** 200n])).errorName).toBe('Panic');
  });

  it('names custom errors with the ABI, their arguments with names; gives the selector without', () => {
    const data = iface.encodeErrorResult('NotAuthor', [APP, WHO]);
    expect(decodeRevert(data, iface)).toEqual({ errorName: 'NotAuthor', args: [APP, WHO], text: `NotAuthor(appId: ${APP}, author: ${WHO})` });
    expect(decodeRevert(iface.encodeErrorResult('Empty', []), iface).text).toBe('Empty()');
    expect(decodeRevert(iface.encodeErrorResult('Many', [[1n, 2n], 'x']), iface).text).toBe('Many(xs: [1, 2], why: "x")');
    expect(decodeRevert(data)).toEqual({ errorName: null, args: [], text: `custom error ${data.slice(0, 10)} (revert data ${data.slice(0, 80)}…; pass the contract's ABI to name it)` });
  });

  it('says so for no data, truncated data and arguments that do not decode', () => {
    expect(decodeRevert('0x').text).toBe('no reason given');
    expect(decodeRevert('0x1234').text).toBe('revert data too short for an error selector (0x1234)');
    expect(decodeRevert('0x08c379a0ff').text).toBe('malformed Error(string) data 0x08c379a0ff');
    const cut = iface.encodeErrorResult('NotAuthor', [APP, WHO]).slice(0, 30);
    expect(decodeRevert(cut, iface)).toMatchObject({ errorName: null, text: expect.stringContaining(`custom error ${cut.slice(0, 10)}`) });
  });
});

describe('revertedError', () => {
  it('keeps data, name and arguments; reads nested data; words a revert without data', () => {
    const data = iface.encodeErrorResult('NotAuthor', [APP, WHO]);
    const e = revertedError(node(data), iface, 'Publishing');
    expect(e).toBeInstanceOf(CallRevertedError);
    expect([e.code, e.data, e.errorName, e.args, e.message]).toEqual(['CALL_REVERTED', data, 'NotAuthor', [APP, WHO], `Publishing would revert with NotAuthor(appId: ${APP}, author: ${WHO}).`]);
    expect(revertedError(node({ data }), iface).errorName).toBe('NotAuthor');
    expect(revertedError(node(undefined, 'execution reverted: only owner')).message).toBe('The contract call would revert: only owner.');
    expect(revertedError(node(undefined)).message).toBe('The contract call would revert (the node gave no revert data).');
  });

  it('tells reverts from other node errors', () => {
    expect(isRevert(node('0x'))).toBe(true);
    expect(isRevert(node(undefined, 'VM Exception while processing transaction: revert', -32000))).toBe(true);
    expect(isRevert(node(undefined, 'insufficient funds for transfer', -32000))).toBe(false);
    expect(isRevert(new Error('execution reverted'))).toBe(false);
  });
});
