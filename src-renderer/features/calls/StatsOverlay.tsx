/**
 * @module renderer/features/calls/StatsOverlay
 * The small translucent quality panel of the call view: link, RTT, loss, jitter, send and
 * receive bitrates, the resolution congestion control aims for, estimated MOS with a word,
 * and from the media engine the jitter buffer, mouth-to-ear latency and concealed audio
 * (polled once a second while shown).
 */
import { useEffect, useState } from 'react';
import type { CallStatsT } from '../../../src-preload/contract';
import { formatBitrate, formatMos, formatMs, formatPercent, formatTarget, linkWord, mosWord } from './call-format';
import type { Engine, EngineStats } from './engine';

function useEngineStats(engine: Engine | null): EngineStats | null {
  const [stats, setStats] = useState<EngineStats | null>(null);
  useEffect(() => {
    if (!engine) {
      setStats(null);
      return;
    }
    const read = () => {
      try {
        setStats(engine.stats());
      } catch {
        setStats(null);
      }
    };
    read();
    const t = window.setInterval(read, 1000);
    return () => window.clearInterval(t);
  }, [engine]);
  return stats;
}

type Props = { stats: CallStatsT | null; engine: Engine | null };

export function StatsOverlay({ stats, engine }: Props) {
  const local = useEngineStats(engine);
  const rows: Array<[string, string, string?]> = [];
  if (stats) {
    rows.push(['Link', linkWord(stats.link)]);
    rows.push(['Round trip', formatMs(stats.rttMs)]);
    rows.push(['Loss', formatPercent(stats.lossPercent)]);
    rows.push(['Jitter', formatMs(stats.jitterMs)]);
    rows.push(['Sending', formatBitrate(stats.sendBitrate)]);
    rows.push(['Receiving', formatBitrate(stats.receiveBitrate)]);
    rows.push(['Video target', formatTarget(stats.target)]);
    rows.push(['Quality (MOS)', formatMos(stats.mos), stats.mos === null ? undefined : mosWord(stats.mos).toLowerCase()]);
  }
  if (local) {
    rows.push(['Buffer', `${formatMs(local.bufferMs)} (aim ${formatMs(local.targetBufferMs)})`]);
    rows.push(['Latency', formatMs(local.latencyMs)]);
    rows.push(['Concealed', formatMs(local.concealedMs)]);
    if (local.videoWidth > 0) rows.push(['Video in', `${local.videoWidth}×${local.videoHeight} · ${Math.round(local.videoFps)} fps`]);
  }
  return (
    <section className="call-stats" data-testid="call-stats-panel" aria-label="Call quality">
      <h3 className="call-stats-title">Call quality</h3>
      {rows.length === 0 ? (
        <p className="call-stats-empty">Waiting for the first report…</p>
      ) : (
        <dl className="call-stats-grid">
          {rows.map(([k, v, tone]) => (
            <div className="call-stats-row" key={k} data-tone={tone}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
