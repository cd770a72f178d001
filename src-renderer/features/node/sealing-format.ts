/**
 * @module renderer/features/node/sealing-format
 * Plain words and chart geometry for the Sealing card (`sealing` and `poe` of NodeStatus):
 * role and sync state, what each mode means, token amounts (1 token = 10^18 wei, BigInt so
 * no digit is lost), and the seals/rewards chart as data (bars: seals per 5-minute bucket;
 * line: rewards earned so far over the shown span). Pure: clock and locale are parameters.
 */
import type { PoeStatusT, SealingHistoryBucketT, SealingModeT, SealingStatusT } from '../../../src-preload/contract';

const WEI_PER_TOKEN = 10n ** 18n;

export const MODE_OPTIONS: { mode: SealingModeT; label: string; hint: string }[] = [
  { mode: 'idle', label: 'When idle', hint: 'Seals only while you are away from the computer (no input for a minute), and never on battery.' },
  { mode: 'always', label: 'Always', hint: 'Also seals while you use the computer, slowed to 5% of one core so you do not notice.' },
  { mode: 'never', label: 'Never', hint: 'This computer does not seal blocks.' },
];

/** Tokens with up to `digits` decimals (rounded down, so the display never overstates): `0.25`, `1,234.5`. */
export function formatTokens(weiText: string, locale?: string, digits = 4): string {
  if (!/^\d+$/.test(weiText)) return 'Unknown';
  const wei = BigInt(weiText);
  const whole = wei / WEI_PER_TOKEN;
  const scale = 10n ** BigInt(18 - digits);
  const frac = ((wei % WEI_PER_TOKEN) / scale).toString().padStart(digits, '0').replace(/0+$/, '');
  const sep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  const wholeText = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(whole);
  if (!frac && wei > 0n && whole === 0n) return `< 0${sep}${'0'.repeat(digits - 1)}1`;
  return frac ? `${wholeText}${sep}${frac}` : wholeText;
}

export function roleText(poe: PoeStatusT | null | undefined): { value: string; sub: string } {
  if (!poe) return { value: 'Not taking part', sub: 'This node does not run the consensus yet.' };
  switch (poe.role) {
    case 'sealer':
      return { value: 'Sealer', sub: 'Checks proposed blocks and seals the valid ones.' };
    case 'primary':
      return { value: 'Primary', sub: 'Proposes blocks and votes on the committee.' };
    case 'authority':
      return { value: 'Devnet authority', sub: 'Makes this local network’s blocks.' };
    case 'observer':
      return { value: 'Observer', sub: 'Follows the chain without sealing. Register as a sealer to earn rewards.' };
  }
}

export function syncText(poe: PoeStatusT | null | undefined): { value: string; sub: string } {
  if (!poe) return { value: 'Local only', sub: 'Blocks are made on this computer.' };
  const s = poe.sync;
  const peers = `${s.peers} ${s.peers === 1 ? 'peer' : 'peers'}`;
  if (s.state === 'synced') return { value: 'Up to date', sub: `At block #${s.height}, ${peers}` };
  if (s.state === 'syncing') return { value: 'Catching up', sub: `Block #${s.height} of #${s.target}, ${peers}` };
  return { value: 'Offline', sub: 'No peers to sync from right now.' };
}

/** CPU line: "3% of a core (limit 5% while you use the computer)". */
export function cpuText(s: Pick<SealingStatusT, 'cpuPercent' | 'cpuCapPercent' | 'state' | 'reason' | 'mode'>): { value: string; sub: string } {
  const now = `${Math.round(s.cpuPercent)}% of a core`;
  if (s.state !== 'sealing') return { value: now, sub: `Up to ${s.cpuCapPercent}% of a core when idle` };
  return { value: now, sub: `Up to ${s.cpuCapPercent}% when idle, 5% while you use the computer` };
}

export type ChartModel = {
  start: number;
  end: number;
  bars: { x: number; w: number; h: number; t: number; seals: number }[];
  /** Cumulative rewards over the span, as a step line (points in chart units). */
  line: { x: number; y: number }[];
  maxSeals: number;
  totalSealsShown: number;
  totalRewardsWei: string;
};

export const CHART_W = 600;
export const CHART_H = 120;
const BUCKET_MS = 5 * 60_000;
const HOUR = 3_600_000;

/**
 * Geometry of the chart in a CHART_W × CHART_H box: the span is the last 24 hours, shortened
 * to the first bucket (at least one hour) so a new sealer sees its first bars, not a flat day.
 */
export function chartModel(history: readonly SealingHistoryBucketT[], now: number): ChartModel {
  // `now` ticks every 30 s; a bucket that opened since (the node's clock) must still show.
  now = Math.max(now, history.at(-1)?.t ?? now);
  const first = history[0]?.t ?? now;
  const start = Math.max(now - 24 * HOUR, Math.min(first, now - HOUR));
  const end = now;
  const span = Math.max(1, end - start);
  const shown = history.filter((b) => b.t + BUCKET_MS > start && b.t <= end);
  const maxSeals = Math.max(1, ...shown.map((b) => b.seals));
  const xOf = (t: number) => ((Math.max(start, Math.min(end, t)) - start) / span) * CHART_W;
  const w = Math.max(2, (BUCKET_MS / span) * CHART_W - 1);
  const bars = shown
    .filter((b) => b.seals > 0)
    .map((b) => {
      // A bucket's full-width bar ends where its time ends (now, for the one still filling).
      const x = Math.max(0, xOf(Math.min(end, b.t + BUCKET_MS)) - w);
      return { x, w, h: (b.seals / maxSeals) * (CHART_H - 8), t: b.t, seals: b.seals };
    });
  let total = 0n;
  // A bucket's rewards rise in the middle of its bar.
  const totals = shown.map((b) => ({ x: Math.max(0, xOf(Math.min(end, b.t + BUCKET_MS)) - w / 2), total: (total += BigInt(b.rewardsWei)) }));
  const line: { x: number; y: number }[] = [];
  if (total > 0n) {
    const yOf = (v: bigint) => CHART_H - 4 - Number((v * 1000n) / total) * ((CHART_H - 12) / 1000);
    let prev = 0n;
    line.push({ x: 0, y: yOf(0n) });
    for (const p of totals) {
      const x = p.x;
      line.push({ x, y: yOf(prev) }, { x, y: yOf(p.total) });
      prev = p.total;
    }
    line.push({ x: CHART_W, y: yOf(prev) });
  }
  return {
    start,
    end,
    bars,
    line,
    maxSeals,
    totalSealsShown: shown.reduce((n, b) => n + b.seals, 0),
    totalRewardsWei: total.toString(),
  };
}

/** Seals and rewards in the last 24 hours (the status' history covers exactly that). */
export function lastDay(history: readonly SealingHistoryBucketT[], now: number): { seals: number; rewardsWei: string } {
  const from = now - 24 * HOUR;
  const shown = history.filter((b) => b.t + BUCKET_MS > from);
  return { seals: shown.reduce((n, b) => n + b.seals, 0), rewardsWei: shown.reduce((n, b) => n + BigInt(b.rewardsWei), 0n).toString() };
}

/** "2:05 PM"-style axis label. */
export function timeLabel(t: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(t);
}
