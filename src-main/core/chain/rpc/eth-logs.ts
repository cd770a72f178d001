/**
 * @module chain/rpc/eth-logs
 * eth_getLogs (execution-apis src/eth/filter.yaml, EIP-234 blockHash): filter criteria
 * { fromBlock, toBlock | blockHash, address: one or a list, topics: up to 4 positions, each
 * null (any), a topic, or an OR-list (a null inside the list also means any) }. Candidates
 * come from the ledger's log index (ChainDb.findLogs), the data from the stored receipts.
 * Limits (the public-provider convention, since geth has none by default): at most 100,000
 * blocks per query and 10,000 results, both -32005. fromBlock/toBlock default to latest;
 * a range past the head is cut at the head; from > to is -32000 "invalid block range params".
 */
import type { Block } from '@ethereumjs/block';
import type { StoredReceipt } from '../receipts';
import { RPC_CODES, RpcError } from '../errors';
import { refNumber, serverError, type RpcContext } from './context';
import type { MethodTable } from './dispatch';
import { formatLog } from './format';
import { ParamError, Params, address, blockTag, hash32, object, type BlockRef } from './params';

export const LOG_LIMITS = { results: 10_000, blocks: 100_000 };

export type LogCriteria = {
  fromBlock?: BlockRef;
  toBlock?: BlockRef;
  blockHash?: Uint8Array;
  addresses: Uint8Array[];
  topics: (Uint8Array[] | null)[];
};

export function logCriteria(v: unknown): LogCriteria {
  const o = object(v);
  const present = (x: unknown) => x !== undefined && x !== null;
  const c: LogCriteria = { addresses: [], topics: [] };
  if (present(o.blockHash)) {
    if (present(o.fromBlock) || present(o.toBlock)) {
      throw new ParamError('cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other');
    }
    c.blockHash = hash32(o.blockHash);
  }
  if (present(o.fromBlock)) c.fromBlock = blockTag(o.fromBlock);
  if (present(o.toBlock)) c.toBlock = blockTag(o.toBlock);
  if (present(o.address)) c.addresses = Array.isArray(o.address) ? o.address.map(address) : [address(o.address)];
  if (present(o.topics)) {
    if (!Array.isArray(o.topics)) throw new ParamError('topics: expected an array');
    if (o.topics.length > 4) throw new ParamError('exceed max topics');
    c.topics = o.topics.map((t) => {
      if (t === null || t === undefined) return null;
      if (!Array.isArray(t)) return [hash32(t)];
      if (t.length === 0 || t.some((x) => x === null)) return null;
      return t.map(hash32);
    });
  }
  return c;
}

export type LogRange = { from: bigint; to: bigint } | null;

/** The block range of a criteria at the current head (null = nothing to look at). */
export function logRange(ctx: RpcContext, c: LogCriteria): LogRange {
  if (c.blockHash) {
    const b = ctx.ledger.blockByHash(c.blockHash);
    if (!b) throw serverError('unknown block');
    return { from: b.header.number, to: b.header.number };
  }
  const head = ctx.ledger.head.header.number;
  const from = refNumber(ctx, c.fromBlock ?? { tag: 'latest' })!;
  const to = refNumber(ctx, c.toBlock ?? { tag: 'latest' })!;
  if (from > head) return null;
  if (from > to) throw serverError('invalid block range params');
  return { from, to: to > head ? head : to };
}

/** Matching logs in [from, to] (formatted), at most LOG_LIMITS.results. */
export function queryLogs(ctx: RpcContext, c: LogCriteria, range: LogRange): unknown[] {
  if (!range || range.from > range.to) return [];
  if (range.to - range.from + 1n > BigInt(LOG_LIMITS.blocks)) {
    throw new RpcError(RPC_CODES.limitExceeded, `query exceeds max block range ${LOG_LIMITS.blocks}`);
  }
  const rows = ctx.ledger.db.findLogs(
    { from: Number(range.from), to: Number(range.to), addresses: c.addresses, topics: c.topics },
    LOG_LIMITS.results,
  );
  if (rows.length > LOG_LIMITS.results) {
    throw new RpcError(RPC_CODES.limitExceeded, `query returned more than ${LOG_LIMITS.results} results`);
  }
  const out: unknown[] = [];
  let cur: { block: Block; receipts: StoredReceipt[]; where: [number, number][] } | undefined;
  for (const row of rows) {
    if (!cur || cur.block.header.number !== BigInt(row.block_number)) {
      const block = ctx.ledger.blockByNumber(BigInt(row.block_number));
      if (!block) continue;
      const receipts = ctx.ledger.receipts(block);
      const where: [number, number][] = [];
      receipts.forEach((r, t) => r.logs.forEach((_, i) => where.push([t, i])));
      cur = { block, receipts, where };
    }
    const at = cur.where[row.log_index];
    if (!at) continue;
    const [t, i] = at;
    const log = cur.receipts[t]!.logs[i]!;
    if (!matches(log, c)) continue;
    out.push(formatLog(log, cur.block, cur.block.transactions[t]!, t, row.log_index));
  }
  return out;
}

/** The index holds at most 4 topics; check the stored log itself too (defence in depth). */
function matches(log: [Uint8Array, Uint8Array[], Uint8Array], c: LogCriteria): boolean {
  const eq = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
  if (c.addresses.length && !c.addresses.some((a) => eq(a, log[0]))) return false;
  return c.topics.every((alts, i) => !alts || (log[1][i] !== undefined && alts.some((t) => eq(t, log[1][i]!))));
}

export function logMethods(ctx: RpcContext): MethodTable {
  return {
    eth_getLogs(raw) {
      const c = new Params(raw, 1).req(0, logCriteria);
      return queryLogs(ctx, c, logRange(ctx, c));
    },
  };
}
