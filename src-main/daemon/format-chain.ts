/**
 * @module daemon/format-chain
 * Human output of the node's chain for `bitunicom status` / `node status` and
 * `devnet reset`: the JSON-RPC URL as the same `RPC: http://127.0.0.1:PORT` line that `serve`
 * prints, then network, head block, block time, gas and EIP-1559 base fee, mempool and chain
 * peers. Amounts are exact (base fee in gwei with every digit, 1 gwei = 10^9 wei).
 */
import type { ChainStatusT, NodeStatusT } from '../../src-preload/contract';
import { formatDuration, oneLine } from './format';

/** Wei (decimal string) in gwei, exact: `1 gwei`, `0.875 gwei`, `1.000000007 gwei`, `7 wei`. */
export function formatGwei(weiText: string): string {
  if (!/^\d+$/.test(weiText)) return `${oneLine(weiText)} wei`;
  const wei = BigInt(weiText);
  if (wei > 0n && wei < 1000n) return `${wei} wei`;
  const whole = wei / 1_000_000_000n;
  const frac = (wei % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''} gwei`;
}

function seconds(s: number): string {
  return `${Number(s.toFixed(2))}s`;
}

function gasLine(h: ChainStatusT['head']): string {
  const pct = h.gasLimit > 0 ? (h.gasUsed / h.gasLimit) * 100 : 0;
  const share = h.gasUsed === 0 ? 'empty block' : `${pct < 0.01 ? '<0.01' : Number(pct.toFixed(2))}%`;
  return `${h.gasUsed} of ${h.gasLimit} (${share}), base fee ${formatGwei(h.baseFeeWei)}`;
}

const LABEL_WIDTH = 'Chain peers: '.length;
const row = (label: string, value: string) => `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`;

/** The chain block of `status`: starts with the `RPC:` line (scripts look for it), then the details. */
export function formatChain(s: Pick<NodeStatusT, 'rpcUrl' | 'chain'>, now = Date.now()): string {
  const c = s.chain;
  const rpc = s.rpcUrl ?? c?.rpcUrl ?? null;
  if (!c) return `RPC: ${rpc ?? 'not running (the local devnet starts once this profile has an account)'}`;
  const made =
    c.producer === 'poe' ? 'blocks final by POE consensus' : c.producer === 'devnet' ? 'blocks made by the devnet producer' : 'served only, no blocks are made';
  const h = c.head;
  const age = Math.max(0, now - h.timestamp);
  const interval = c.intervalSec === null ? '' : `, a block every ${seconds(c.intervalSec)} when idle`;
  const pool = `${c.mempool.pending} pending, ${c.mempool.queued} queued`;
  return [
    `RPC: ${rpc ?? 'not running'}`,
    row('Network', `${oneLine(c.network)}, chain id ${c.chainId}, ${made}`),
    row('Head', `#${h.number} ${h.hash}, ${formatDuration(age)} ago, ${h.txs} tx`),
    row('Gas', gasLine(h)),
    row('Block time', `${c.blockTimeSec === null ? 'not measured yet' : `${seconds(c.blockTimeSec)} on average`}${interval}`),
    row('Mempool', pool),
    row('Chain peers', `${c.peers}${c.peers === 0 && c.producer !== 'none' ? ' (the devnet runs on this machine only)' : ''}`),
  ].join('\n');
}

/** After `devnet reset`: the new genesis, or (no chain in this process) when it will appear. */
export function formatReset(s: Pick<NodeStatusT, 'rpcUrl' | 'chain'>): string {
  const c = s.chain;
  if (!c) return 'Devnet erased. A new genesis is created the next time the node runs (bitunicom serve).';
  return [
    `Devnet reset: ${oneLine(c.network)} (chain id ${c.chainId}) starts again from a new genesis.`,
    row(c.head.number === 0 ? 'Genesis' : 'Head', `#${c.head.number} ${c.head.hash}`),
    ...(s.rpcUrl ?? c.rpcUrl ? [`RPC: ${s.rpcUrl ?? c.rpcUrl}`] : []),
  ].join('\n');
}
