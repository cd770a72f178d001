/**
 * The NAT-matrix figures (issue 7): runs e2e/nat-lab/matrix.spec.ts (real NATs in network
 * namespaces; root on Linux, and the built CLI) and reads the per-case results it writes.
 *   - punch success: cases that got the link the matrix expects, first attempt, over all cases
 *     where a direct path exists (the baseline: what the NAT behaviours allow at best);
 *   - time to a direct link: from adding the invite to the first direct/punched link, next to
 *     the time to a relayed link in the same run (the relayed cases).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from './stats';

type CaseResult = { id: string; expected: string; history: string[]; final: string | null; msToLink: number | null; ok: boolean };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function natlabAvailable(): string | null {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, iptables)';
  if (!existsSync(join(ROOT, 'out/main/cli.js'))) return 'needs npm run build first';
  return null;
}

function runMatrix(resultsFile: string): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '-c', '.config/vitest.natlab.config.ts', 'e2e/nat-lab/matrix.spec.ts'], {
      cwd: ROOT,
      env: { ...process.env, BU_NATLAB_RESULTS: resultsFile },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    p.on('exit', (code) => resolve(code ?? 1));
  });
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
const secs = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');

export async function natlabRows(): Promise<Row[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'bu-natlab-bench-')), 'results.json');
  const code = await runMatrix(file);
  if (!existsSync(file)) return [{ figure: 'NAT matrix', value: `did not run (vitest exit ${code})`, baseline: '', ratio: '' }];
  const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: CaseResult[] }).cases;
  const directCases = cases.filter((c) => c.expected !== 'relayed');
  const relayCases = cases.filter((c) => c.expected === 'relayed');
  const firstTry = (c: CaseResult) => c.ok && c.history.filter((l) => l !== 'none').every((l) => l === c.expected);
  const punched = directCases.filter(firstTry);
  const toDirect = punched.map((c) => c.msToLink).filter((x): x is number => x !== null);
  const toRelay = relayCases.filter(firstTry).map((c) => c.msToLink).filter((x): x is number => x !== null);
  const rate = directCases.length ? punched.length / directCases.length : 0;
  return [
    {
      figure: `direct link on the first attempt (NAT matrix, ${cases.length} cases)`,
      value: `${punched.length}/${directCases.length} (${(rate * 100).toFixed(0)}%)`,
      baseline: `${directCases.length} cases where a direct path exists`,
      ratio: `${(rate * 100).toFixed(0)}%`,
      target: '100%',
      ok: rate === 1,
    },
    { figure: '  failed cases', value: directCases.filter((c) => !firstTry(c)).map((c) => c.id).join(', ') || 'none', baseline: '', ratio: '' },
    {
      figure: 'time to a direct link p50 / max (add invite → link)',
      value: `${secs(median(toDirect))} / ${secs(Math.max(...toDirect))}`,
      baseline: `relayed cases ${secs(median(toRelay))}`,
      ratio: toRelay.length && toDirect.length ? `${(median(toDirect) / median(toRelay)).toFixed(2)}×` : '',
    },
    { figure: 'relayed where no direct path exists', value: `${relayCases.filter(firstTry).length}/${relayCases.length}`, baseline: '', ratio: '', target: 'all', ok: relayCases.every(firstTry) },
  ];
}
