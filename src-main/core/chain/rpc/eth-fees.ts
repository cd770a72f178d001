/**
 * @module chain/rpc/eth-fees
 * Fee suggestions and history (execution-apis src/eth/fee_market.yaml; EIP-1559, EIP-4844):
 *   - eth_maxPriorityFeePerGas: geth's gas price oracle (eth/gasprice): the three lowest
 *     effective tips of each of the last 20 blocks (tips under 2 wei ignored), 60th
 *     percentile, capped at 500 gwei. An empty block counts as one sample of 1 gwei, so an
 *     idle devnet suggests 1 gwei (what ethers and viem default to) and a few cheap
 *     transactions do not drag the suggestion to 1 wei;
 *   - eth_gasPrice: the next block's base fee + that tip (legacy senders pay both);
 *   - eth_feeHistory(blockCount ≤ 1024, newestBlock, rewardPercentiles): baseFeePerGas and
 *     baseFeePerBlobGas have blockCount + 1 entries (the last is the next block's), reward per
 *     percentile weighted by gas used like geth, gasUsedRatio and blobGasUsedRatio;
 *   - eth_blobBaseFee: the next block's blob base fee.
 */
import type { Block } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import type { Ledger } from '../ledger';
import { qty, refNumber, serverError, type RpcContext } from './context';
import type { MethodTable } from './dispatch';
import { effectiveGasPrice } from './format';
import { Params, arrayOf, blockTag, hexOrDecimal, invalidParams, ParamError } from './params';

const GWEI = 1_000_000_000n;
export const ORACLE = { blocks: 20, samplesPerBlock: 3, percentile: 60, defaultTip: GWEI, maxTip: 500n * GWEI, ignoreBelow: 2n };
const MAX_HISTORY = 1024;
const MAX_PERCENTILES = 100;

export function feeMethods(ctx: RpcContext): MethodTable {
  const samples = new Map<string, bigint[]>();
  const tipsOf = (block: Block): bigint[] => {
    const key = Buffer.from(block.hash()).toString('hex');
    let s = samples.get(key);
    if (!s) {
      const base = block.header.baseFeePerGas ?? 0n;
      s = block.transactions
        .map((tx) => effectiveGasPrice(tx, base) - base)
        .filter((t) => t >= ORACLE.ignoreBelow)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, ORACLE.samplesPerBlock);
      if (s.length === 0) s = [ORACLE.defaultTip];
      if (samples.size > 256) samples.delete(samples.keys().next().value!);
      samples.set(key, s);
    }
    return s;
  };
  const suggestTip = (): bigint => {
    const head = ctx.ledger.head.header.number;
    const all: bigint[] = [];
    for (let n = head; n >= 0n && n > head - BigInt(ORACLE.blocks); n--) {
      const b = ctx.ledger.blockByNumber(n);
      if (b) all.push(...tipsOf(b));
    }
    all.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const tip = all.length ? all[Math.floor(((all.length - 1) * ORACLE.percentile) / 100)]! : ORACLE.defaultTip;
    return tip > ORACLE.maxTip ? ORACLE.maxTip : tip;
  };
  return {
    eth_maxPriorityFeePerGas(raw) {
      new Params(raw, 0);
      return qty(suggestTip());
    },
    eth_gasPrice(raw) {
      new Params(raw, 0);
      return qty(nextBaseFee(ctx.ledger) + suggestTip());
    },
    eth_blobBaseFee(raw) {
      new Params(raw, 0);
      const h = ctx.ledger.head.header;
      const next = ctx.ledger.commonAt(h.number + 1n, h.timestamp + 1n);
      return qty(next.isActivatedEIP(4844) ? h.calcNextBlobGasPrice(next) : 0n);
    },
    eth_feeHistory(raw) {
      const p = new Params(raw, 3);
      const count = Math.min(p.req(0, hexOrDecimal), MAX_HISTORY);
      const newestRef = p.req(1, blockTag);
      const percentiles = p.opt(2, arrayOf(percentile)) ?? [];
      if (percentiles.length > MAX_PERCENTILES) throw invalidParams(`too many reward percentiles: ${percentiles.length}`);
      percentiles.forEach((v, i) => {
        if (i > 0 && v < percentiles[i - 1]!) throw serverError(`invalid reward percentile: #${i - 1}:${percentiles[i - 1]} > #${i}:${v}`);
      });
      const head = ctx.ledger.head.header.number;
      const newest = refNumber(ctx, newestRef)!;
      if (newest > head) throw serverError(`request beyond head block: requested ${newest}, head ${head}`);
      if (count === 0) return { oldestBlock: qty(0), baseFeePerGas: [], gasUsedRatio: [] };
      const oldest = newest - BigInt(count) + 1n < 0n ? 0n : newest - BigInt(count) + 1n;
      const baseFees: string[] = [];
      const ratios: number[] = [];
      const blobFees: string[] = [];
      const blobRatios: number[] = [];
      const rewards: string[][] = [];
      let last: Block | undefined;
      for (let n = oldest; n <= newest; n++) {
        const b = ctx.ledger.blockByNumber(n);
        if (!b) break;
        last = b;
        const h = b.header;
        baseFees.push(qty(h.baseFeePerGas ?? 0n));
        ratios.push(Number(h.gasUsed) / Number(h.gasLimit));
        blobFees.push(qty(h.excessBlobGas !== undefined ? h.getBlobGasPrice() : 0n));
        blobRatios.push(h.blobGasUsed !== undefined ? Number(h.blobGasUsed) / Number(maxBlobGas(b.common)) : 0);
        if (percentiles.length) rewards.push(blockRewards(ctx.ledger, b, percentiles).map(qty));
      }
      const lh = last!.header;
      const nextCommon = ctx.ledger.commonAt(lh.number + 1n, lh.timestamp + 1n);
      baseFees.push(qty(lh.common.isActivatedEIP(1559) ? lh.calcNextBaseFee() : 0n));
      blobFees.push(qty(nextCommon.isActivatedEIP(4844) ? lh.calcNextBlobGasPrice(nextCommon) : 0n));
      const out: Record<string, unknown> = { oldestBlock: qty(oldest), baseFeePerGas: baseFees, gasUsedRatio: ratios };
      if (percentiles.length) out.reward = rewards;
      if (lh.common.isActivatedEIP(4844)) {
        out.baseFeePerBlobGas = blobFees;
        out.blobGasUsedRatio = blobRatios;
      }
      return out;
    },
  };
}

function percentile(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) throw new ParamError(`invalid reward percentile: ${String(v)}`);
  return v;
}

function maxBlobGas(common: Common): bigint {
  try {
    return BigInt(common.getBlobGasSchedule().maxBlobGasPerBlock) || 1n;
  } catch {
    return 786_432n;
  }
}

export function nextBaseFee(ledger: Ledger): bigint {
  const h = ledger.head.header;
  return h.common.isActivatedEIP(1559) ? h.calcNextBaseFee() : 0n;
}

/** geth's reward rule: tips sorted ascending, each percentile of the block's gas used. */
function blockRewards(ledger: Ledger, block: Block, percentiles: number[]): bigint[] {
  if (block.transactions.length === 0) return percentiles.map(() => 0n);
  const receipts = ledger.receipts(block);
  const base = block.header.baseFeePerGas ?? 0n;
  const rows = block.transactions
    .map((tx, i) => ({
      reward: effectiveGasPrice(tx, base) - base,
      gas: receipts[i]!.cumulativeGasUsed - (i > 0 ? receipts[i - 1]!.cumulativeGasUsed : 0n),
    }))
    .sort((a, b) => (a.reward < b.reward ? -1 : a.reward > b.reward ? 1 : 0));
  const out: bigint[] = [];
  let i = 0;
  let sum = rows[0]!.gas;
  for (const p of percentiles) {
    const threshold = BigInt(Math.floor((Number(block.header.gasUsed) * p) / 100));
    while (sum < threshold && i < rows.length - 1) {
      i++;
      sum += rows[i]!.gas;
    }
    out.push(rows[i]!.reward);
  }
  return out;
}
