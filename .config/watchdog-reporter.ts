/**
 * A Vitest reporter that makes a stuck run diagnosable from its log alone. Every minute it
 * prints the tests that have been running for more than two minutes, and the test files in
 * which nothing (no test starting or finishing) happened for two minutes; once one has been
 * stuck for five, it also prints the process tree (what the workers are waiting on: a child
 * tool, a browser, a node). It prints nothing while the run is healthy.
 *
 * Used beside the default reporter in .config/vitest.config.ts and vitest.natlab.config.ts.
 */
import { execFileSync } from 'node:child_process';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

const EVERY_MS = 60_000;
const SLOW_MS = 120_000;
const TREE_MS = 300_000;

export default class WatchdogReporter implements Reporter {
  private readonly modules = new Map<string, number>();
  private readonly tests = new Map<string, { name: string; since: number }>();
  private timer: NodeJS.Timeout | null = null;
  private lastTree = 0;

  onInit(): void {
    this.timer = setInterval(() => this.check(), EVERY_MS);
    this.timer.unref();
  }

  onTestModuleStart(m: TestModule): void {
    this.modules.set(m.moduleId, Date.now());
  }

  onTestModuleEnd(m: TestModule): void {
    this.modules.delete(m.moduleId);
  }

  onTestCaseReady(t: TestCase): void {
    this.tests.set(t.id, { name: `${short(t.module.moduleId)} > ${t.fullName}`, since: Date.now() });
    this.touch(t.module.moduleId);
  }

  onTestCaseResult(t: TestCase): void {
    this.tests.delete(t.id);
    this.touch(t.module.moduleId);
  }

  /** A file with progress is not stuck: its clock restarts. */
  private touch(moduleId: string): void {
    if (this.modules.has(moduleId)) this.modules.set(moduleId, Date.now());
  }

  onTestRunEnd(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const now = Date.now();
    const files = [...this.modules].filter(([, t]) => now - t > SLOW_MS);
    const tests = [...this.tests.values()].filter((t) => now - t.since > SLOW_MS);
    if (files.length === 0 && tests.length === 0) return;
    const lines = [`[watchdog ${new Date(now).toISOString()}] still running:`];
    for (const [id, t] of files) lines.push(`  file ${short(id)}: nothing new for ${secs(now - t)}`);
    for (const t of tests) lines.push(`  test ${t.name} for ${secs(now - t.since)}`);
    const oldest = Math.min(...files.map(([, t]) => t), ...tests.map((t) => t.since));
    if (now - oldest > TREE_MS && now - this.lastTree > TREE_MS) {
      this.lastTree = now;
      lines.push(processTree());
    }
    process.stdout.write(lines.join('\n') + '\n');
  }
}

function short(id: string): string {
  const at = id.search(/(src-main|src-preload|src-renderer|e2e|\.scratch)\//);
  return at >= 0 ? id.slice(at) : id;
}

function secs(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/** This process and its descendants (workers, browsers, nodes, tools), indented by depth. */
function processTree(): string {
  try {
    const out = execFileSync('ps', ['-eo', 'pid=,ppid=,etimes=,stat=,args='], { encoding: 'utf8', timeout: 5000 });
    const rows = out
      .split('\n')
      .map((l) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), secs: m[3]!, stat: m[4]!, args: m[5]! }));
    const lines = ['  process tree (pid, seconds, state, command):'];
    const walk = (pid: number, depth: number) => {
      for (const r of rows.filter((x) => x.ppid === pid)) {
        lines.push(`  ${'  '.repeat(depth)}${r.pid} ${r.secs}s ${r.stat} ${r.args.slice(0, 200)}`);
        walk(r.pid, depth + 1);
      }
    };
    walk(process.pid, 0);
    return lines.join('\n');
  } catch (e) {
    return `  (ps failed: ${String(e)})`;
  }
}
