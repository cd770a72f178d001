/**
 * `bitunicom node sealing` and `bitunicom node idle` against the fake node: usage errors for bad
 * values (exit 2), settings applied without a running node, the idle override only through the
 * running serve, and the sealing block in `node status`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeNode, type FakeNode } from '../../bridge/fake-node';
import { main } from '../cli';
import type { CliDeps } from '../context';

const PASSWORD = 'correct horse';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-cli-sealing-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deps(nodes: FakeNode[], signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const d: CliDeps = {
    io: { out: (t) => void out.push(t), err: (t) => void err.push(t), env: { BITUNICOM_PASSWORD: PASSWORD }, stdin: Readable.from([]), platform: 'linux', home: dir, cwd: dir },
    shutdownSignal: signal,
    loadCore: async () => ({
      createNode: async (o) => {
        const n = createFakeNode({ dataDir: o.dataDir, phase: 'locked', password: PASSWORD });
        nodes.push(n);
        return n;
      },
      generateMnemonic: () => 'unused',
    }),
  };
  return { d, out, err };
}

async function run(argv: string[]) {
  const nodes: FakeNode[] = [];
  const h = deps(nodes);
  const code = await main([...argv, '--data', dir], h.d);
  return { code, out: h.out.join('\n'), err: h.err, nodes };
}

describe('cli: node sealing / node idle', () => {
  it('refuses bad values with a usage error', async () => {
    for (const [argv, re] of [
      [['node', 'sealing', '--mode', 'sometimes'], /--mode must be one of always, idle, never/],
      [['node', 'sealing', '--cpu-cap', '5'], /--cpu-cap must be a whole number from 10 to 100/],
      [['node', 'sealing', '--cpu-cap', '50%'], /--cpu-cap must be a whole number from 10 to 100/],
      [['node', 'idle'], /--state active\|idle\|auto is required/],
      [['node', 'idle', '--state', 'asleep'], /--state must be one of active, idle, auto/],
    ] as Array<[string[], RegExp]>) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(re);
    }
  });

  it('sets mode and cap without a running node, and prints the status (or JSON)', async () => {
    const r = await run(['node', 'sealing', '--mode', 'always', '--cpu-cap', '30']);
    expect(r.code).toBe(0);
    expect(r.nodes[0]!.calls.map((c) => [c.method, c.input])).toEqual([
      ['sealing.setMode', { mode: 'always' }],
      ['sealing.setCpuCap', { percent: 30 }],
    ]);
    expect(r.out).toContain('(mode: always)');
    expect(r.out).toContain('at most 30% of a core when idle');
    const j = await run(['node', 'sealing', '--json']);
    expect(JSON.parse(j.out)).toMatchObject({ mode: 'idle', state: 'paused', reason: 'Not registered as a sealer', sealsMade: 0 });
    expect(j.nodes[0]!.calls.map((c) => c.method)).toEqual(['node.status']);
  });

  it('needs the running node for the idle override; status shows the sealing block', async () => {
    const alone = await run(['node', 'idle', '--state', 'idle']);
    expect(alone.code).toBe(1);
    expect(alone.err[0]).toMatch(/^error: No BitUnicom node is running/);

    const ac = new AbortController();
    const nodes: FakeNode[] = [];
    const h = deps(nodes, ac.signal);
    const served = main(['serve', '--data', dir, '--log-level', 'error'], h.d);
    for (let i = 0; i < 500 && !h.out.some((l) => l.startsWith('UI: ')); i++) await new Promise((r) => setTimeout(r, 10));
    try {
      const idle = await run(['node', 'idle', '--state', 'idle']);
      expect(idle.code).toBe(0);
      expect(idle.out).toMatch(/^The node now counts you as away, until the next input in the web UI\.\nSealing: {5}Paused — Not registered as a sealer/);
      expect(nodes[0]!.calls.find((c) => c.method === 'sealing.setIdle')?.input).toEqual({ state: 'idle' });
      const st = await run(['node', 'status']);
      expect(st.out).toContain('Sealing:     Paused — Not registered as a sealer (mode: when idle)');
      expect(st.out).toContain('Seals made:  0');
      const js = await run(['node', 'status', '--json']);
      expect(JSON.parse(js.out).sealing).toMatchObject({ mode: 'idle', cpuCapPercent: 50 });
    } finally {
      ac.abort();
      await served;
    }
  });
});

describe('node stake', () => {
  it('reads token amounts exactly, refuses anything else', async () => {
    const { parseTokenAmount } = await import('./sealing');
    expect(parseTokenAmount('100')).toBe(100n * 10n ** 18n);
    expect(parseTokenAmount('150.5')).toBe(1505n * 10n ** 17n);
    expect(parseTokenAmount('0.000000000000000001')).toBe(1n);
    for (const bad of ['', '1e3', '-1', '1.2.3', '0.0000000000000000001', 'ten']) expect(() => parseTokenAmount(bad)).toThrow(/amount of tokens/);
  });
});

describe('cli: node stake', () => {
  it('refuses contradictory or malformed options with one line (exit 2)', async () => {
    for (const [argv, re] of [
      [['node', 'stake', '--register', '--exit'], /give one of --register, --exit, --withdraw/],
      [['node', 'stake', '--exit', '--stake', '5'], /--stake goes with --register/],
      [['node', 'stake', '--register', '--stake', 'lots'], /amount of tokens/],
    ] as Array<[string[], RegExp]>) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(re);
    }
  });
});
