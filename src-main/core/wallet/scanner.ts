/**
 * @module wallet/scanner
 * Finds the user's activity on a chain with plain JSON-RPC (execution-apis), no indexer: each
 * step reads up to `maxBlocks` new blocks with full transactions (one batch of
 * eth_getBlockByNumber), the ERC-20 Transfer logs (EIP-20 event, topic OR-filters) to or from
 * any of our accounts over the same range (two eth_getLogs), and the receipts of the matching
 * transactions (status, fee). A network seen for the first time is scanned from `lookback`
 * blocks below its head: full history needs an indexer, which a wallet on a public RPC does
 * not have (README: limits).
 *
 * A network left unwatched for more than 4 × `lookback` blocks resumes `lookback` below its head.
 * Each step also reads block 0's hash; when it differs from the one recorded, the chain was
 * replaced (the devnet was reset) and the network's history is dropped before scanning anew.
 */
import { TRANSFER_TOPIC, decodeTransferLog, type TokenInfo } from './erc20';
import { parseAddress } from './address';
import type { ActivityLog, ActivityRecord } from './activity';
import { RpcClientError, type RpcClient } from './rpc-client';

export type ScanOptions = {
  rpc: RpcClient;
  networkId: string;
  chainId: number;
  accounts: readonly string[];
  log: ActivityLog;
  /** Token metadata for a contract that emitted a Transfer (null: not an ERC-20 we can read). */
  tokenInfo: (address: string) => Promise<TokenInfo | null>;
  maxBlocks?: number;
  lookback?: number;
};

export type ScanResult = { head: bigint; changed: boolean; reset: boolean; caughtUp: boolean };

type RpcTx = { hash: string; from: string; to: string | null; value: string; nonce: string };
type RpcBlock = { number: string; timestamp: string; hash: string; transactions: RpcTx[] };
type RpcReceipt = { status?: string; gasUsed?: string; effectiveGasPrice?: string; transactionHash: string };
type RpcLog = { address: string; topics: string[]; data: string; transactionHash: string; blockNumber: string };

/** A gap of more than lookback × this many blocks is skipped (README: limits). */
const GAP_FACTOR = 4n;
const hex = (n: bigint) => `0x${n.toString(16)}`;
const topicOf = (a: string) => `0x${a.slice(2).toLowerCase().padStart(64, '0')}`;

function value<T>(r: { ok: true; value: unknown } | { ok: false; error: RpcClientError }): T {
  if (!r.ok) throw r.error;
  return r.value as T;
}

export async function scanStep(o: ScanOptions): Promise<ScanResult> {
  const maxBlocks = BigInt(o.maxBlocks ?? 50);
  const lookback = BigInt(o.lookback ?? 256);
  const [headR, genesisR] = await o.rpc.batch([{ method: 'eth_blockNumber' }, { method: 'eth_getBlockByNumber', params: ['0x0', false] }]);
  const head = BigInt(value<string>(headR!));
  const genesis = value<{ hash: string } | null>(genesisR!)?.hash ?? 'unknown';
  let reset = false;
  const st = o.log.scanState(o.networkId);
  if (st.genesis !== null && st.genesis !== genesis) {
    o.log.resetNetwork(o.networkId, genesis);
    reset = true;
  }
  const scanned = reset ? null : st.scannedTo;
  // First sight, or a network left unwatched for long (not selected, nothing pending): start
  // `lookback` blocks below the head instead of crawling through everything in between.
  const far = scanned !== null && head - scanned > lookback * GAP_FACTOR;
  const from = scanned === null || far ? (head > lookback ? head - lookback + 1n : 1n) : scanned + 1n;
  const to = head < from + maxBlocks - 1n ? head : from + maxBlocks - 1n;
  if (from > to || o.accounts.length === 0) {
    o.log.setScanned(o.networkId, genesis, head);
    return { head, changed: reset, reset, caughtUp: true };
  }
  const mine = new Map(o.accounts.map((a) => [a.toLowerCase(), parseAddress(a, 'An account')]));
  const heights: bigint[] = [];
  for (let n = from; n <= to; n++) heights.push(n);
  const topics = o.accounts.map(topicOf);
  const [blocksR, logsIn, logsOut] = await Promise.all([
    o.rpc.batch(heights.map((n) => ({ method: 'eth_getBlockByNumber', params: [hex(n), true] }))),
    o.rpc.call<RpcLog[]>('eth_getLogs', [{ fromBlock: hex(from), toBlock: hex(to), topics: [TRANSFER_TOPIC, null, topics] }]),
    o.rpc.call<RpcLog[]>('eth_getLogs', [{ fromBlock: hex(from), toBlock: hex(to), topics: [TRANSFER_TOPIC, topics] }]),
  ]);
  const blocks = blocksR.map((r) => value<RpcBlock | null>(r)).filter((b): b is RpcBlock => b !== null);
  const timeOf = new Map(blocks.map((b) => [BigInt(b.number), Number(BigInt(b.timestamp)) * 1000]));
  const records: ActivityRecord[] = [];
  const tokenTxs = new Set<string>();
  const seenLogs = new Set<string>();
  for (const l of [...(logsIn ?? []), ...(logsOut ?? [])]) {
    const key = `${l.transactionHash}:${l.address}:${l.topics.join()}:${l.data}`;
    if (seenLogs.has(key)) continue;
    seenLogs.add(key);
    const t = decodeTransferLog(l);
    if (!t) continue;
    const info = await o.tokenInfo(t.token);
    if (!info) continue;
    const bn = BigInt(l.blockNumber);
    for (const [k, acct] of mine) {
      const out = t.from.toLowerCase() === k;
      const inn = t.to.toLowerCase() === k;
      if (!out && !inn) continue;
      tokenTxs.add(`${l.transactionHash.toLowerCase()}:${k}`);
      records.push(base(l.transactionHash, acct, out && inn ? 'self' : out ? 'out' : 'in', t.from, t.to, t.amount.toString(), info, bn, timeOf.get(bn)));
    }
  }
  const txRecords: { tx: RpcTx; block: RpcBlock; acct: string; k: string }[] = [];
  for (const b of blocks) {
    for (const tx of b.transactions) {
      if (typeof tx !== 'object') continue;
      for (const [k, acct] of mine) {
        const out = tx.from?.toLowerCase() === k;
        const inn = tx.to?.toLowerCase() === k;
        if (!out && !inn) continue;
        if (BigInt(tx.value) === 0n && (!out || tokenTxs.has(`${tx.hash.toLowerCase()}:${k}`))) continue;
        txRecords.push({ tx, block: b, acct, k });
      }
    }
  }
  const hashes = [...new Set([...txRecords.map((x) => x.tx.hash), ...records.map((r) => r.hash)])];
  const receipts = new Map<string, RpcReceipt>();
  if (hashes.length > 0) {
    const rs = await o.rpc.batch(hashes.map((h) => ({ method: 'eth_getTransactionReceipt', params: [h] })));
    rs.forEach((r, i) => {
      const rc = value<RpcReceipt | null>(r);
      if (rc) receipts.set(hashes[i]!.toLowerCase(), rc);
    });
  }
  for (const { tx, block, acct, k } of txRecords) {
    const out = tx.from.toLowerCase() === k;
    const inn = tx.to?.toLowerCase() === k;
    const bn = BigInt(block.number);
    const r = base(tx.hash, acct, out && inn ? 'self' : out ? 'out' : 'in', tx.from, tx.to, BigInt(tx.value).toString(), null, bn, timeOf.get(bn));
    r.nonce = BigInt(tx.nonce).toString();
    records.push(r);
  }
  for (const r of records) {
    r.chainId = o.chainId;
    const rc = receipts.get(r.hash.toLowerCase());
    if (rc?.status === '0x0') r.status = 'failed';
    if (rc && r.direction !== 'in' && rc.gasUsed && rc.effectiveGasPrice) r.fee = (BigInt(rc.gasUsed) * BigInt(rc.effectiveGasPrice)).toString();
  }
  const changed = o.log.upsert(o.networkId, records) || reset;
  o.log.setScanned(o.networkId, genesis, to);
  return { head, changed, reset, caughtUp: to === head };
}

function base(hash: string, account: string, direction: ActivityRecord['direction'], from: string, to: string | null, v: string, token: TokenInfo | null, bn: bigint, at: number | undefined): ActivityRecord {
  return {
    hash,
    chainId: 0,
    account,
    direction,
    from: parseAddress(from, 'A sender'),
    to: to ? parseAddress(to, 'A recipient') : null,
    value: v,
    token,
    nonce: null,
    status: 'confirmed',
    blockNumber: bn.toString(),
    at: at ?? Date.now(),
    fee: null,
    replacement: null,
    ours: false,
  };
}
