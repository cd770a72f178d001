/**
 * @module wallet/balances
 * Native and ERC-20 (EIP-20 balanceOf) balances of one account, read in ONE JSON-RPC 2.0 batch
 * (https://www.jsonrpc.org/specification#batch): eth_getBalance, one eth_call balanceOf per
 * token, eth_blockNumber (execution-apis). A token whose call fails (reverts, answers garbage,
 * is not a contract) is reported on its own entry as `{ address, error: { code, message } }`;
 * the native balance and the other tokens are still returned. A failure of the whole request,
 * of eth_getBalance or of eth_blockNumber rejects with the RpcClientError.
 *
 * With the default blockTag 'latest', the node may start a new block between the calls of the
 * batch; `BalanceWatcher` avoids that by asking for the block number first and then reading the
 * balances AT that block number (EIP-1898 style numeric tag), so all its figures are of one block.
 *
 * `BalanceWatcher` polls eth_blockNumber every `intervalMs` (default 2000; polls never overlap)
 * and re-reads balances only when the block number changed — or after a failure, so figures are
 * fresh once the node is back. It emits 'balances' and 'error' (always an RpcClientError; it
 * never throws and never stops on its own: an unreachable node is retried at the same pace).
 */
import { BuError, TypedEmitter, type ErrorCode } from '../base';
import { parseAddress } from './address';
import { decodeUint, encodeBalanceOf } from './erc20';
import { RpcClientError, type RpcClient, type RpcSettled } from './rpc-client';

/** More tokens than this in one read are refused: public RPCs cap batch sizes. */
export const MAX_BALANCE_TOKENS = 100;

export type BlockTag = bigint | 'latest' | 'pending' | 'safe' | 'finalized' | 'earliest';
export type TokenBalance = { address: string; balance: bigint } | { address: string; error: { code: ErrorCode; message: string } };
export type Balances = { account: string; native: bigint; tokens: TokenBalance[]; blockNumber: bigint };
export type BalancesQuery = { account: string; tokens: readonly string[]; blockTag?: BlockTag };

const TAGS = new Set(['latest', 'pending', 'safe', 'finalized', 'earliest']);
const QUANTITY = /^0x(?:0|[1-9a-fA-F][0-9a-fA-F]{0,63})$/;

function checkQuery(q: BalancesQuery): { account: string; tokens: string[]; tag: string | bigint } {
  if (typeof q !== 'object' || q === null) throw new BuError('BAD_INPUT', 'A balance query needs an account and a list of tokens.');
  const account = parseAddress(q.account, 'The account address');
  if (!Array.isArray(q.tokens)) throw new BuError('BAD_INPUT', 'The tokens of a balance query must be a list of addresses.');
  const tokens = [...new Set(q.tokens.map((t, i) => parseAddress(t, `Token address ${i + 1}`)))];
  if (tokens.length > MAX_BALANCE_TOKENS) throw new BuError('BAD_INPUT', `At most ${MAX_BALANCE_TOKENS} token balances can be read at once.`);
  const tag = q.blockTag ?? 'latest';
  if (typeof tag === 'bigint' ? tag < 0n : !TAGS.has(tag)) {
    throw new BuError('BAD_INPUT', 'The block must be a block number (0 or more) or one of latest, pending, safe, finalized, earliest.');
  }
  return { account, tokens, tag };
}

function quantity(rpc: RpcClient, r: RpcSettled, method: string): bigint {
  if (!r.ok) throw r.error;
  if (typeof r.value !== 'string' || !QUANTITY.test(r.value)) {
    throw new RpcClientError('RPC_BAD_RESPONSE', rpc.host, `The RPC at ${rpc.host} answered ${method} with something that is not a quantity.`);
  }
  return BigInt(r.value);
}

/** The native balance (wei) and each token's balance (base units) of `account`, in one batch. */
export async function readBalances(rpc: RpcClient, query: BalancesQuery): Promise<Balances> {
  const { account, tokens, tag } = checkQuery(query);
  const data = encodeBalanceOf(account);
  const results = await rpc.batch([
    { method: 'eth_getBalance', params: [account, tag] },
    ...tokens.map((to) => ({ method: 'eth_call', params: [{ to, data }, tag] })),
    { method: 'eth_blockNumber' },
  ]);
  const native = quantity(rpc, results[0]!, 'eth_getBalance');
  const head = quantity(rpc, results[results.length - 1]!, 'eth_blockNumber');
  const entries = tokens.map((address, i): TokenBalance => {
    const r = results[i + 1]!;
    if (!r.ok) return { address, error: { code: r.error.code, message: r.error.message } };
    const balance = decodeUint(r.value);
    if (balance !== null) return { address, balance };
    const what = r.value === '0x' ? 'nothing (is there an ERC-20 contract at that address?)' : 'data that is not a 32-byte number';
    return { address, error: { code: 'RPC_BAD_RESPONSE', message: `The token at ${address} answered balanceOf with ${what}.` } };
  });
  return { account, native, tokens: entries, blockNumber: typeof tag === 'bigint' ? tag : head };
}

export type BalanceWatcherOptions = { account: string; tokens: readonly string[]; intervalMs?: number };
export type BalanceWatcherEvents = { balances: Balances; error: RpcClientError };

/** Polls the head and emits balances once per new block; `start()` begins, `stop()` ends. */
export class BalanceWatcher extends TypedEmitter<BalanceWatcherEvents> {
  readonly intervalMs: number;
  private readonly query: { account: string; tokens: string[] };
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<void> | null = null;
  /** Block number of the last 'balances' emitted; null = read at the next poll. */
  private seen: bigint | null = null;

  constructor(
    private readonly rpc: RpcClient,
    opts: BalanceWatcherOptions,
  ) {
    super();
    const ms = opts?.intervalMs ?? 2000;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 50 || ms > 3_600_000) {
      throw new BuError('BAD_INPUT', 'The balance polling interval must be a whole number of milliseconds from 50 to 3600000.');
    }
    this.intervalMs = ms;
    const { account, tokens } = checkQuery({ account: opts.account, tokens: opts.tokens });
    this.query = { account, tokens };
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Start polling (the first poll runs at once). Idempotent. */
  start(): this {
    if (this.running) return this;
    this.running = true;
    this.seen = null;
    this.schedule(0);
    return this;
  }

  /** Stop polling; resolves once a poll in flight has finished (its result is dropped). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inFlight = this.poll().finally(() => {
        this.inFlight = null;
        if (this.running) this.schedule(this.intervalMs);
      });
    }, ms);
    this.timer.unref?.();
  }

  private async poll(): Promise<void> {
    try {
      const head = BigInt(await this.rpc.call<string>('eth_blockNumber').then((v) => {
        if (typeof v !== 'string' || !QUANTITY.test(v)) {
          throw new RpcClientError('RPC_BAD_RESPONSE', this.rpc.host, `The RPC at ${this.rpc.host} answered eth_blockNumber with something that is not a quantity.`);
        }
        return v;
      }));
      if (!this.running || head === this.seen) return;
      const balances = await readBalances(this.rpc, { ...this.query, blockTag: head });
      if (!this.running) return;
      this.seen = head;
      this.emit('balances', balances);
    } catch (e) {
      if (!this.running) return;
      this.seen = null; // re-read once the node answers again
      const err =
        e instanceof RpcClientError
          ? e
          : new RpcClientError('RPC_BAD_RESPONSE', this.rpc.host, `Reading balances from the RPC at ${this.rpc.host} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      this.emit('error', err);
    }
  }
}
