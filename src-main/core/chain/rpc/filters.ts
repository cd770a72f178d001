/**
 * @module chain/rpc/filters
 * Polled filters (execution-apis src/eth/filter.yaml, geth eth/filters/api.go):
 * eth_newFilter (log criteria as eth_getLogs), eth_newBlockFilter,
 * eth_newPendingTransactionFilter, eth_getFilterChanges (what arrived since the last poll:
 * logs of new blocks, new block hashes, new pool transaction hashes), eth_getFilterLogs (all
 * logs of a log filter), eth_uninstallFilter. Like geth, a filter not polled for 5 minutes is
 * dropped and then answers -32000 "filter not found". ethers' `contract.on` and viem's
 * watchers poll through these.
 */
import { randomBytes } from 'node:crypto';
import { hex, refNumber, serverError, type RpcContext } from './context';
import type { MethodTable } from './dispatch';
import { logCriteria, logRange, queryLogs, type LogCriteria } from './eth-logs';
import { ParamError, Params } from './params';

export const FILTER_LIMITS = { idleMs: 5 * 60_000, sweepMs: 30_000, maxFilters: 10_000, maxBuffered: 10_000, maxBlocksPerPoll: 1_000 };

type Filter =
  | { kind: 'logs'; criteria: LogCriteria; next: bigint; lastPoll: number }
  | { kind: 'blocks'; next: bigint; lastPoll: number }
  | { kind: 'pending'; hashes: string[]; lastPoll: number };

export class FilterManager {
  private filters = new Map<string, Filter>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: RpcContext,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.sweep(), FILTER_LIMITS.sweepMs);
    this.timer.unref();
    this.unsubscribe =
      ctx.mempool?.events.on('added', (p) => {
        for (const f of this.filters.values()) {
          if (f.kind !== 'pending') continue;
          f.hashes.push(p.hash);
          if (f.hashes.length > FILTER_LIMITS.maxBuffered) f.hashes.shift();
        }
      }) ?? (() => {});
  }

  get size(): number {
    return this.filters.size;
  }

  /** Drop filters idle for longer than the limit. */
  sweep(): void {
    const cutoff = this.now() - FILTER_LIMITS.idleMs;
    for (const [id, f] of this.filters) if (f.lastPoll < cutoff) this.filters.delete(id);
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.filters.clear();
  }

  methods(): MethodTable {
    const head = () => this.ctx.ledger.head.header.number;
    return {
      eth_newFilter: (raw) => {
        const criteria = new Params(raw, 1).req(0, logCriteria);
        return this.install({ kind: 'logs', criteria, next: head() + 1n, lastPoll: this.now() });
      },
      eth_newBlockFilter: (raw) => {
        new Params(raw, 0);
        return this.install({ kind: 'blocks', next: head() + 1n, lastPoll: this.now() });
      },
      eth_newPendingTransactionFilter: (raw) => {
        new Params(raw, 1);
        return this.install({ kind: 'pending', hashes: [], lastPoll: this.now() });
      },
      eth_uninstallFilter: (raw) => this.filters.delete(filterId(raw)),
      eth_getFilterChanges: (raw) => this.changes(this.get(filterId(raw))),
      eth_getFilterLogs: (raw) => {
        const f = this.get(filterId(raw));
        if (f.kind !== 'logs') throw serverError('filter not found');
        return queryLogs(this.ctx, f.criteria, logRange(this.ctx, f.criteria));
      },
    };
  }

  private install(f: Filter): string {
    if (this.filters.size >= FILTER_LIMITS.maxFilters) this.sweep();
    if (this.filters.size >= FILTER_LIMITS.maxFilters) throw serverError('too many filters installed');
    let id: string;
    do id = '0x' + (randomBytes(16).toString('hex').replace(/^0+/, '') || '0');
    while (this.filters.has(id));
    this.filters.set(id, f);
    return id;
  }

  private get(id: string): Filter {
    const f = this.filters.get(id);
    if (!f) throw serverError('filter not found');
    f.lastPoll = this.now();
    return f;
  }

  private changes(f: Filter): unknown[] {
    const head = this.ctx.ledger.head.header.number;
    if (f.kind === 'pending') return f.hashes.splice(0);
    if (f.kind === 'blocks') {
      const out: string[] = [];
      for (; f.next <= head && out.length < FILTER_LIMITS.maxBlocksPerPoll; f.next++) {
        const b = this.ctx.ledger.blockByNumber(f.next);
        if (b) out.push(hex(b.hash()));
      }
      return out;
    }
    if (f.next > head || f.criteria.blockHash) return [];
    const c = f.criteria;
    let from = f.next;
    let to = head;
    const cFrom = c.fromBlock && 'number' in c.fromBlock ? refNumber(this.ctx, c.fromBlock)! : undefined;
    const cTo = c.toBlock && !('tag' in c.toBlock && (c.toBlock.tag === 'latest' || c.toBlock.tag === 'pending')) ? refNumber(this.ctx, c.toBlock) : undefined;
    if (cFrom !== undefined && cFrom > from) from = cFrom;
    if (cTo !== undefined && cTo < to) to = cTo;
    if (to - from + 1n > BigInt(FILTER_LIMITS.maxBlocksPerPoll)) to = from + BigInt(FILTER_LIMITS.maxBlocksPerPoll) - 1n;
    if (from > to) {
      f.next = head + 1n;
      return [];
    }
    const logs = queryLogs(this.ctx, c, { from, to });
    f.next = to + 1n;
    return logs;
  }
}

function filterId(raw: unknown): string {
  return new Params(raw, 1).req(0, (v) => {
    if (typeof v !== 'string') throw new ParamError('json: cannot unmarshal non-string into Go value of type rpc.ID');
    return v.toLowerCase();
  });
}
