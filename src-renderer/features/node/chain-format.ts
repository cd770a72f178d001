/**
 * @module renderer/features/node/chain-format
 * Plain-word formatting of the node's chain status (`ChainStatus` in the bridge contract) for
 * the Node screen: base fee in gwei (EIP-1559 base fee, 1 gwei = 10^9 wei), gas of the head
 * block, block age and block time, mempool counts, shortened hashes. Pure functions: the
 * clock and the locale are parameters, so they are unit-tested without a DOM.
 */
import type { ChainStatusT } from '../../../src-preload/contract';

const GWEI = 1_000_000_000n;

function intFormat(n: number | bigint, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** `#1,234` */
export function formatBlockNumber(n: number, locale?: string): string {
  return `#${intFormat(n, locale)}`;
}

/**
 * A wei amount (decimal string, as the contract carries it) in gwei with at most three
 * decimals: `1 gwei`, `0.875 gwei`, `12.5 gwei`. Below 0.001 gwei it stays in wei.
 * BigInt arithmetic, so large fees keep every digit.
 */
export function formatGwei(weiText: string, locale?: string): string {
  if (!/^\d+$/.test(weiText)) return 'Unknown';
  const wei = BigInt(weiText);
  if (wei === 0n) return '0 gwei';
  if (wei < GWEI / 1000n) return `${intFormat(wei, locale)} wei`;
  const whole = wei / GWEI;
  const milli = ((wei % GWEI) * 1000n + GWEI / 2n) / GWEI; // rounded to 0.001 gwei
  const carry = milli === 1000n ? 1n : 0n;
  const frac = carry ? 0n : milli;
  const sep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  const fracText = frac === 0n ? '' : `${sep}${frac.toString().padStart(3, '0').replace(/0+$/, '')}`;
  return `${intFormat(whole + carry, locale)}${fracText} gwei`;
}

/** Gas used by the head block: `{ value: '21,000', sub: 'of 30,000,000 (0.07%)' }`; an empty block says so. */
export function gasText(head: Pick<ChainStatusT['head'], 'gasUsed' | 'gasLimit'>, locale?: string): { value: string; sub: string } {
  const of = `of ${intFormat(head.gasLimit, locale)}`;
  if (head.gasUsed === 0) return { value: '0', sub: `${of} (empty block)` };
  const pct = head.gasLimit > 0 ? (head.gasUsed / head.gasLimit) * 100 : 0;
  const pctText = pct > 0 && pct < 0.01 ? '<0.01' : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(pct);
  return { value: intFormat(head.gasUsed, locale), sub: `${of} (${pctText}%)` };
}

export function plural(n: number, one: string, many = `${one}s`, locale?: string): string {
  return `${intFormat(n, locale)} ${n === 1 ? one : many}`;
}

/** Seconds-precise age for block times: `just now`, `3 s ago`, `2 min ago`, `1 h 5 min ago`. */
export function formatBlockAge(timestampMs: number, now: number): string {
  const s = Math.floor((now - timestampMs) / 1000);
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** `2 s`, `0.5 s`, `1.25 s` (two decimals at most, none when whole). */
export function formatSeconds(sec: number, locale?: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: sec < 10 ? 2 : 1 }).format(sec)} s`;
}

/** Measured mean block time: `2.01 s`, or a dash before there are two blocks. */
export function blockTimeText(c: Pick<ChainStatusT, 'blockTimeSec'>, locale?: string): string {
  return c.blockTimeSec === null ? '—' : formatSeconds(c.blockTimeSec, locale);
}

/** What the block time means and what the producer is configured to do. */
export function intervalText(c: Pick<ChainStatusT, 'intervalSec' | 'producer' | 'blockTimeSec'>, locale?: string): string {
  const measured = c.blockTimeSec === null ? 'Measured once there are two blocks.' : 'Average of the latest blocks.';
  if (c.producer === 'none' || c.intervalSec === null) return `${measured} No blocks are made here: this ledger is only served.`;
  return `${measured} A new block every ${formatSeconds(c.intervalSec, locale)} when idle, and at once when transactions wait.`;
}

/**
 * The mempool in words. Pending = ready for the next block; queued = held back until an
 * earlier nonce of the same sender arrives.
 */
export function mempoolText(m: ChainStatusT['mempool'], locale?: string): { value: string; sub: string } {
  if (m.pending === 0 && m.queued === 0) return { value: 'None', sub: 'Transactions sent to this node wait here until a block takes them.' };
  const value = `${intFormat(m.pending, locale)} ready · ${intFormat(m.queued, locale)} held back`;
  const sub = m.queued > 0 ? 'Held back: waiting for an earlier transaction from the same sender.' : 'Ready: they go into the next block.';
  return { value, sub };
}

export function peersText(c: Pick<ChainStatusT, 'peers' | 'producer'>, locale?: string): { value: string; sub: string | null } {
  if (c.peers > 0) return { value: plural(c.peers, 'peer', 'peers', locale), sub: null };
  return { value: 'None', sub: c.producer !== 'none' ? 'This local network runs only on this computer.' : null };
}

/** `0x1a2b3c…9f0e` for a 32-byte hash (the full value is the tooltip and the copy). */
export function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-6)}` : hash;
}

/** `16981 (0x4255)`: wallets ask for either form. */
export function chainIdText(id: number): string {
  return `${id} (0x${id.toString(16)})`;
}
