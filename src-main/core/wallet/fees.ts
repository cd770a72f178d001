/**
 * @module wallet/fees
 * EIP-1559 fee suggestions, gas estimates and replacement (speed-up / cancel) fees, bigint only.
 *
 * `suggestFees(rpc)` reads `eth_feeHistory(20, 'latest', [10, 50, 90])` (execution-apis; EIP-1559
 * base fee in `baseFeePerGas`, whose LAST entry is the base fee of the next block):
 *   - priority fee of a tier (slow / normal / fast = percentile 10 / 50 / 90) = the median over
 *     the blocks of that percentile's reward. Blocks with `gasUsedRatio` 0 are left out: they
 *     carry no transactions, nodes report 0 rewards for them, and a quiet devnet would otherwise
 *     suggest a zero tip. If no block had transactions, the node's own `eth_maxPriorityFeePerGas`
 *     is used for every tier (when it answers).
 *   - floor: `minPriorityFeePerGas`, default 1 wei — geth's txpool refuses tips under
 *     `--txpool.pricelimit` (default 1 wei). We deliberately do NOT floor at 1 gwei: rollups
 *     (OP Stack, Arbitrum) run with tips of a few mwei, and a 1 gwei floor would overpay ~1000×.
 *     Callers that want a higher floor on some chain pass it.
 *   - maxFeePerGas = 2 × next base fee + priority fee: the convention of ethers v6
 *     (`AbstractProvider.getFeeData`: `maxFeePerGas = baseFeePerGas * 2 + maxPriorityFeePerGas`)
 *     and MetaMask; it stays valid through 6 consecutive full blocks (+12.5% each, EIP-1559).
 * When the node refuses eth_feeHistory (an RPC_ERROR: method missing), it falls back to
 * `eth_maxPriorityFeePerGas` (or `eth_gasPrice` − base fee) and the latest block's base fee; a
 * chain without a base fee (pre-London) gets maxFee = priority = eth_gasPrice. An unreachable
 * node is never "unsupported": its RpcClientError is thrown.
 *
 * `estimateGas(rpc, tx)`: `eth_estimateGas`; a plain transfer (no data, estimate 21000) is
 * returned as is, anything else gets +25% (MetaMask's transaction controller buffers by 1.5×,
 * capped at 90% of the block gas limit; we use a smaller margin with the same 90% cap).
 *
 * `replacementFees(old)`: geth's txpool replaces a pending transaction of the same nonce only if
 * BOTH fee cap and tip rise by `--txpool.pricebump` (default 10%) — `ErrReplaceUnderpriced`,
 * "replacement transaction underpriced" — and strictly exceed the old ones. We round up and add
 * at least 1 wei, and never go under the current suggestion when one is given.
 */
import { BuError } from '../base';
import { parseAddress } from './address';
import { RpcClientError, type RpcClient } from './rpc-client';

export type FeeTier = { maxPriorityFeePerGas: bigint; maxFeePerGas: bigint };
export type FeeSuggestions = { baseFee: bigint; slow: FeeTier; normal: FeeTier; fast: FeeTier; source: 'feeHistory' | 'fallback' };
export type SuggestFeesOptions = { minPriorityFeePerGas?: bigint };
export type GasEstimateRequest = { from: string; to?: string | null; value?: bigint; data?: string };

export const FEE_HISTORY_BLOCKS = 20;
export const FEE_PERCENTILES = [10, 50, 90] as const;
/** Percent added to contract-call estimates. */
export const GAS_MARGIN_PERCENT = 25n;
/** geth `--txpool.pricebump` default. */
export const PRICE_BUMP_PERCENT = 10n;

const QUANTITY = /^0x(?:0|[1-9a-fA-F][0-9a-fA-F]{0,63})$/;

function qty(v: unknown, rpc: RpcClient, what: string): bigint {
  if (typeof v !== 'string' || !QUANTITY.test(v)) {
    throw new RpcClientError('RPC_BAD_RESPONSE', rpc.host, `The RPC at ${rpc.host} answered ${what} with a value that is not a quantity.`);
  }
  return BigInt(v);
}

function fee(v: unknown, what: string): bigint {
  if (typeof v !== 'bigint' || v < 0n) throw new BuError('BAD_INPUT', `The ${what} must be a non-negative bigint (wei), never a float.`);
  return v;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** Median of bigints (mean of the two middle ones, rounded up, for an even count). */
export function medianBigint(xs: readonly bigint[]): bigint {
  if (xs.length === 0) throw new BuError('BAD_INPUT', 'The median of an empty list is undefined.');
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]! + 1n) / 2n;
}

const tier = (base: bigint, tip: bigint): FeeTier => ({ maxPriorityFeePerGas: tip, maxFeePerGas: 2n * base + tip });

async function optional(rpc: RpcClient, method: string, params: unknown[] = []): Promise<unknown> {
  try {
    return await rpc.call(method, params);
  } catch (e) {
    if (e instanceof RpcClientError && e.kind === 'RPC_ERROR') return undefined;
    throw e;
  }
}

export async function suggestFees(rpc: RpcClient, opts: SuggestFeesOptions = {}): Promise<FeeSuggestions> {
  const floor = fee(opts.minPriorityFeePerGas ?? 1n, 'minimum priority fee');
  const history = await optional(rpc, 'eth_feeHistory', ['0x' + FEE_HISTORY_BLOCKS.toString(16), 'latest', [...FEE_PERCENTILES]]);
  if (history === undefined) return fallback(rpc, floor);
  const h = history as { baseFeePerGas?: unknown; gasUsedRatio?: unknown; reward?: unknown };
  if (typeof h !== 'object' || h === null || !Array.isArray(h.baseFeePerGas) || h.baseFeePerGas.length === 0) {
    return fallback(rpc, floor); // pre-London nodes answer without base fees
  }
  const bases = h.baseFeePerGas.map((b) => qty(b, rpc, 'eth_feeHistory'));
  const base = bases[bases.length - 1]!;
  const ratios = Array.isArray(h.gasUsedRatio) ? h.gasUsedRatio : [];
  const rewards = Array.isArray(h.reward) ? h.reward : [];
  const used: bigint[][] = [];
  rewards.forEach((r, i) => {
    if (typeof ratios[i] === 'number' && ratios[i] === 0) return;
    if (!Array.isArray(r) || r.length !== FEE_PERCENTILES.length) {
      throw new RpcClientError('RPC_BAD_RESPONSE', rpc.host, `The RPC at ${rpc.host} answered eth_feeHistory with malformed rewards.`);
    }
    used.push(r.map((x) => qty(x, rpc, 'eth_feeHistory')));
  });
  let tips: bigint[];
  if (used.length > 0) {
    tips = FEE_PERCENTILES.map((_, p) => medianBigint(used.map((r) => r[p]!)));
  } else {
    const hint = await optional(rpc, 'eth_maxPriorityFeePerGas');
    const t = hint === undefined ? floor : qty(hint, rpc, 'eth_maxPriorityFeePerGas');
    tips = [t, t, t];
  }
  const [slow, normal, fast] = ordered(tips, floor);
  return { baseFee: base, slow: tier(base, slow), normal: tier(base, normal), fast: tier(base, fast), source: 'feeHistory' };
}

/** Floors the tips and makes them non-decreasing. */
function ordered(tips: bigint[], floor: bigint): [bigint, bigint, bigint] {
  const a = max(tips[0]!, floor);
  const b = max(tips[1]!, a);
  return [a, b, max(tips[2]!, b)];
}

async function fallback(rpc: RpcClient, floor: bigint): Promise<FeeSuggestions> {
  const [block, priceHex, hint] = await Promise.all([
    rpc.call<{ baseFeePerGas?: unknown } | null>('eth_getBlockByNumber', ['latest', false]),
    rpc.call('eth_gasPrice'),
    optional(rpc, 'eth_maxPriorityFeePerGas'),
  ]);
  const price = qty(priceHex, rpc, 'eth_gasPrice');
  const baseHex = block?.baseFeePerGas;
  if (baseHex === undefined || baseHex === null) {
    const t: FeeTier = { maxPriorityFeePerGas: max(price, floor), maxFeePerGas: max(price, floor) };
    return { baseFee: 0n, slow: t, normal: t, fast: t, source: 'fallback' };
  }
  const base = qty(baseHex, rpc, 'eth_getBlockByNumber');
  const tip = max(hint === undefined ? (price > base ? price - base : 0n) : qty(hint, rpc, 'eth_maxPriorityFeePerGas'), floor);
  const t = tier(base, tip);
  return { baseFee: base, slow: t, normal: t, fast: t, source: 'fallback' };
}

/** `stateOverride`: geth's eth_estimateGas third argument (e.g. a balance for a sender that cannot pay yet). */
export async function estimateGas(rpc: RpcClient, tx: GasEstimateRequest, stateOverride?: Record<string, { balance: string }>): Promise<bigint> {
  if (typeof tx !== 'object' || tx === null) throw new BuError('BAD_INPUT', 'A gas estimate needs a transaction with at least a sender.');
  const call: Record<string, string> = { from: parseAddress(tx.from, 'The sender address') };
  if (tx.to !== undefined && tx.to !== null) call.to = parseAddress(tx.to, 'The recipient address');
  if (tx.value !== undefined) call.value = '0x' + fee(tx.value, 'value').toString(16);
  const data = tx.data ?? '0x';
  if (typeof data !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(data)) throw new BuError('BAD_INPUT', 'The transaction data must be 0x-prefixed hex of whole bytes.');
  if (data !== '0x') call.data = data;
  if (call.to === undefined && data === '0x') throw new BuError('BAD_INPUT', 'A transaction without a recipient must carry contract code.');
  const estimate = qty(await rpc.call('eth_estimateGas', stateOverride ? [call, 'latest', stateOverride] : [call]), rpc, 'eth_estimateGas');
  if (data === '0x' && estimate === 21_000n) return estimate;
  const buffered = (estimate * (100n + GAS_MARGIN_PERCENT) + 99n) / 100n;
  const block = await rpc.call<{ gasLimit?: unknown } | null>('eth_getBlockByNumber', ['latest', false]);
  if (block?.gasLimit === undefined) return buffered;
  const cap = (qty(block.gasLimit, rpc, 'eth_getBlockByNumber') * 9n) / 10n;
  return estimate >= cap ? estimate : buffered < cap ? buffered : cap;
}

/** One fee raised by `pct` percent, rounded up, and at least 1 wei more. */
function bump(v: bigint, pct: bigint): bigint {
  return max((v * (100n + pct) + 99n) / 100n, v + 1n);
}

/**
 * Fees for a transaction replacing `old` (same nonce): both fields ≥ old × (100 + bumpPercent)%
 * rounded up and > old; at least `current` (a fresh suggestion) when given.
 */
export function replacementFees(old: FeeTier, current?: FeeTier, bumpPercent: bigint = PRICE_BUMP_PERCENT): FeeTier {
  if (typeof old !== 'object' || old === null) throw new BuError('BAD_INPUT', 'The fees of the transaction to replace are missing.');
  const tip0 = fee(old.maxPriorityFeePerGas, 'old priority fee');
  const cap0 = fee(old.maxFeePerGas, 'old max fee');
  if (typeof bumpPercent !== 'bigint' || bumpPercent < 0n || bumpPercent > 1000n) {
    throw new BuError('BAD_INPUT', 'The replacement price bump must be a bigint percentage from 0 to 1000.');
  }
  let tip = bump(tip0, bumpPercent);
  let cap = bump(cap0, bumpPercent);
  if (current !== undefined) {
    tip = max(tip, fee(current.maxPriorityFeePerGas, 'current priority fee'));
    cap = max(cap, fee(current.maxFeePerGas, 'current max fee'));
  }
  return { maxPriorityFeePerGas: tip, maxFeePerGas: max(cap, tip) };
}
