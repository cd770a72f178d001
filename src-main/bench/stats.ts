/** Percentiles and printing for benchmarks. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]): { p50: number; p99: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), n: s.length };
}

export const fmtUs = (us: number): string => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
export const fmtMBs = (bytesPerSec: number): string => `${(bytesPerSec / 1e6).toFixed(1)} MB/s`;
export const fmtRatio = (r: number): string => `${r.toFixed(2)}×`;

export type Row = { figure: string; value: string; baseline: string; ratio: string; target?: string; ok?: boolean };

export function printTable(rows: Row[]): void {
  const head = ['figure', 'value', 'baseline (same run)', 'ratio', 'target'];
  const cells = rows.map((r) => [r.figure, r.value, r.baseline, r.ratio, r.target ? `${r.target} ${r.ok ? 'met' : 'MISSED'}` : '']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  process.stdout.write(line(head) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const c of cells) process.stdout.write(line(c) + '\n');
}

export const nowUs = (): number => Number(process.hrtime.bigint()) / 1000;
