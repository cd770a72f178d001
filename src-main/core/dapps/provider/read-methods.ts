/**
 * @module dapps/provider/read-methods
 * The read-only methods a dapp may call without asking the user (EIP-1474 and execution-apis,
 * https://ethereum.github.io/execution-apis/api-documentation/): an allow-list, each with its
 * parameters validated and rebuilt before they reach the selected network's RPC. eth_chainId
 * (EIP-695) and net_version are answered from the wallet's selected network without a request.
 * eth_getLogs is bounded (MAX_LOG_BLOCKS blocks, tags resolved against the head first), and
 * eth_feeHistory to 1024 blocks and 100 percentiles. A node's revert becomes CALL_REVERTED,
 * other node errors pass as RPC_ERROR with the node's message; an answer larger than the
 * bridge's 256 KiB is refused with a sentence saying how to ask for less.
 */
import { BuError, isBuError } from '../../base';
import { address, bad, blockRef, hash, hexChainId, isObj, list, quantityOrNumber, txObject } from './params';
import type { ProviderWallet } from './types';

/** Widest eth_getLogs block range answered (public RPCs cap it similarly). */
export const MAX_LOG_BLOCKS = 10_000;
export const MAX_ANSWER_BYTES = 256 * 1024;

type Read = (wallet: ProviderWallet, params: unknown) => Promise<unknown>;

const pass = (method: string, check: (params: unknown) => unknown[]): Read => (w, p) => w.rpc(method, check(p));
const none = (method: string) => pass(method, (p) => list(p, method, 0));
const atBlock = (method: string): Read =>
  pass(method, (p) => {
    const [a, b] = list(p, method, 2, 1);
    return [address(a, `${method}'s address`), b === undefined ? 'latest' : blockRef(b, `${method}'s block`)];
  });
const callLike = (method: string): Read =>
  pass(method, (p) => {
    const [tx, b] = list(p, method, 2, 1);
    const t = txObject(tx, method);
    if (t.to === undefined && t.data === undefined && t.input === undefined) throw bad(`${method} needs a "to" address or data.`);
    return [t, b === undefined ? 'latest' : blockRef(b, `${method}'s block`)];
  });
const byHash = (method: string): Read => pass(method, (p) => [hash(list(p, method, 1, 1)[0], `${method}'s transaction hash`)]);

function fullTxs(v: unknown, method: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw bad(`${method}'s second parameter says whether to include full transactions: true or false.`);
  return v;
}

async function head(w: ProviderWallet): Promise<bigint> {
  const h = await w.rpc('eth_blockNumber', []);
  if (typeof h !== 'string' || !/^0x[0-9a-fA-F]+$/.test(h)) throw new BuError('RPC_BAD_RESPONSE', 'The network answered eth_blockNumber with something that is not a block number.');
  return BigInt(h);
}

function topics(v: unknown): unknown[] {
  if (!Array.isArray(v) || v.length > 4) throw bad('eth_getLogs topics must be an array of at most 4 entries.');
  return v.map((t, i) => {
    if (t === null) return null;
    if (Array.isArray(t)) {
      if (t.length > 64) throw bad(`eth_getLogs topic ${i} lists more than 64 alternatives.`);
      return t.map((x, j) => hash(x, `eth_getLogs topic ${i}.${j}`));
    }
    return hash(t, `eth_getLogs topic ${i}`);
  });
}

const getLogs: Read = async (w, p) => {
  const [f] = list(p, 'eth_getLogs', 1, 1);
  if (!isObj(f)) throw bad('eth_getLogs needs a filter object {fromBlock, toBlock, address, topics} or {blockHash, address, topics}.');
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(f)) if (!['fromBlock', 'toBlock', 'address', 'topics', 'blockHash'].includes(k)) throw bad(`eth_getLogs: the filter field "${k.slice(0, 40)}" is not supported.`);
  if (f.address !== undefined && f.address !== null) {
    const as = Array.isArray(f.address) ? f.address : [f.address];
    if (as.length > 64) throw bad('eth_getLogs takes at most 64 addresses.');
    out.address = Array.isArray(f.address) ? as.map((a, i) => address(a, `eth_getLogs address ${i}`)) : address(f.address, 'eth_getLogs address');
  }
  if (f.topics !== undefined && f.topics !== null) out.topics = topics(f.topics);
  if (f.blockHash !== undefined) {
    if (f.fromBlock !== undefined || f.toBlock !== undefined) throw bad('eth_getLogs takes either blockHash or fromBlock/toBlock, not both.');
    return w.rpc('eth_getLogs', [{ ...out, blockHash: hash(f.blockHash, 'eth_getLogs blockHash') }]);
  }
  const from = blockRef(f.fromBlock ?? 'latest', 'eth_getLogs fromBlock', false) as string;
  const to = blockRef(f.toBlock ?? 'latest', 'eth_getLogs toBlock', false) as string;
  const needHead = [from, to].some((x) => !x.startsWith('0x'));
  const h = needHead ? await head(w) : 0n;
  const num = (x: string) => (x === 'earliest' ? 0n : x.startsWith('0x') ? BigInt(x) : h);
  const [a, b] = [num(from), num(to)];
  if (b < a) throw bad('eth_getLogs fromBlock is after toBlock.');
  if (b - a + 1n > BigInt(MAX_LOG_BLOCKS)) throw bad(`eth_getLogs may cover at most ${MAX_LOG_BLOCKS} blocks; this filter covers ${b - a + 1n}. Ask in smaller ranges.`);
  return w.rpc('eth_getLogs', [{ ...out, fromBlock: `0x${a.toString(16)}`, toBlock: `0x${b.toString(16)}` }]);
};

const feeHistory: Read = (w, p) => {
  const [count, newest, pct] = list(p, 'eth_feeHistory', 3, 2);
  const n = quantityOrNumber(count, 'eth_feeHistory block count', 1024);
  const args: unknown[] = [`0x${n.toString(16)}`, blockRef(newest, 'eth_feeHistory newest block', false)];
  if (pct !== undefined) {
    if (!Array.isArray(pct) || pct.length > 100) throw bad('eth_feeHistory percentiles must be an array of at most 100 numbers.');
    let last = -1;
    for (const x of pct) {
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 100 || x < last) throw bad('eth_feeHistory percentiles must be numbers from 0 to 100 in increasing order.');
      last = x;
    }
    args.push(pct);
  }
  return w.rpc('eth_feeHistory', args);
};

/** The allow-list: anything else is UNSUPPORTED_METHOD (EIP-1193 4200). */
export const READ_METHODS: Record<string, Read> = {
  eth_chainId: async (w, p) => (list(p, 'eth_chainId', 0), hexChainId(w.network().chainId)),
  net_version: async (w, p) => (list(p, 'net_version', 0), String(w.network().chainId)),
  eth_blockNumber: none('eth_blockNumber'),
  eth_gasPrice: none('eth_gasPrice'),
  eth_maxPriorityFeePerGas: none('eth_maxPriorityFeePerGas'),
  eth_getBalance: atBlock('eth_getBalance'),
  eth_getCode: atBlock('eth_getCode'),
  eth_getTransactionCount: atBlock('eth_getTransactionCount'),
  eth_call: callLike('eth_call'),
  eth_estimateGas: callLike('eth_estimateGas'),
  eth_getTransactionByHash: byHash('eth_getTransactionByHash'),
  eth_getTransactionReceipt: byHash('eth_getTransactionReceipt'),
  eth_getLogs: getLogs,
  eth_feeHistory: feeHistory,
  eth_getBlockByNumber: pass('eth_getBlockByNumber', (p) => {
    const [b, full] = list(p, 'eth_getBlockByNumber', 2, 1);
    return [blockRef(b, 'eth_getBlockByNumber block', false), fullTxs(full, 'eth_getBlockByNumber')];
  }),
  eth_getBlockByHash: pass('eth_getBlockByHash', (p) => {
    const [h, full] = list(p, 'eth_getBlockByHash', 2, 1);
    return [hash(h, 'eth_getBlockByHash block hash'), fullTxs(full, 'eth_getBlockByHash')];
  }),
};

function isRevert(e: BuError): boolean {
  const r = e as BuError & { rpcCode?: number; rpcMessage?: string };
  return r.rpcCode === 3 || /revert/i.test(r.rpcMessage ?? e.message);
}

/** Runs an allow-listed read; node errors in words, oversized answers refused. */
export async function readMethod(wallet: ProviderWallet, method: string, params: unknown): Promise<unknown> {
  const run = Object.hasOwn(READ_METHODS, method) ? READ_METHODS[method] : undefined;
  if (!run) throw new BuError('UNSUPPORTED_METHOD', `The wallet does not support ${method.slice(0, 64)}.`);
  let result: unknown;
  try {
    result = await run(wallet, params);
  } catch (e) {
    if (isBuError(e, 'RPC_ERROR') && isRevert(e)) {
      const r = e as BuError & { rpcMessage?: string; rpcData?: unknown };
      const dataHex = typeof r.rpcData === 'string' && /^0x[0-9a-fA-F]*$/.test(r.rpcData) ? ` (revert data ${r.rpcData.slice(0, 2 + 2 * 1024)})` : '';
      throw new BuError('CALL_REVERTED', `${method}: ${r.rpcMessage ?? e.message}${dataHex}`, { cause: e });
    }
    throw e;
  }
  const size = JSON.stringify(result ?? null).length;
  if (size > MAX_ANSWER_BYTES) throw bad(`The answer to ${method} is ${Math.ceil(size / 1024)} KiB, over the ${MAX_ANSWER_BYTES / 1024} KiB a dapp may receive: ask for fewer blocks or without full transactions.`);
  return result ?? null;
}

