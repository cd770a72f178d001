/**
 * @module renderer/features/node/SealingChart
 * Seals and rewards over time as a small inline SVG (no chart library): a bar per 5-minute
 * bucket with seals in it, and a step line of the rewards earned over the span (sealing-format
 * `chartModel`). The numbers are also in the text around it: the SVG is a picture with a
 * summary for screen readers.
 */
import type { SealingHistoryBucketT } from '../../../src-preload/contract';
import { useNow } from '../../lib/hooks';
import { CHART_H, CHART_W, chartModel, formatTokens, timeLabel } from './sealing-format';

export function SealingChart({ history }: { history: SealingHistoryBucketT[] }) {
  const now = useNow(30_000);
  const m = chartModel(history, now);
  const rewards = formatTokens(m.totalRewardsWei);
  const summary = `${m.totalSealsShown} seals and ${rewards} tokens in rewards since ${timeLabel(m.start)}`;
  return (
    <figure className="sealing-chart" data-testid="sealing-chart" data-seals={m.totalSealsShown} data-rewards-wei={m.totalRewardsWei}>
      <svg viewBox={`0 0 ${CHART_W} ${CHART_H}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        <line className="sealing-chart-axis" x1={0} y1={CHART_H - 0.5} x2={CHART_W} y2={CHART_H - 0.5} />
        {m.bars.map((b) => (
          <rect key={b.t} className="sealing-chart-bar" x={b.x} y={CHART_H - 1 - b.h} width={b.w} height={b.h} rx={1}>
            <title>{`${b.seals} seal${b.seals === 1 ? '' : 's'} at ${timeLabel(b.t)}`}</title>
          </rect>
        ))}
        {m.line.length > 0 && (
          <polyline className="sealing-chart-line" points={m.line.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')} vectorEffect="non-scaling-stroke" />
        )}
      </svg>
      <figcaption className="sealing-chart-caption">
        <span>{timeLabel(m.start)}</span>
        <span className="sealing-chart-legend">
          <span className="legend-bar" aria-hidden="true" /> Seals (up to {m.maxSeals} per 5 minutes)
          <span className="legend-line" aria-hidden="true" /> Rewards earned
        </span>
        <span>Now</span>
      </figcaption>
      {m.totalSealsShown === 0 && m.line.length === 0 && <p className="muted sealing-chart-empty">No seals or rewards yet in this period.</p>}
    </figure>
  );
}
