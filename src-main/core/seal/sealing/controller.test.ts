/**
 * The sealing worker on a real thread (issue 9 item 6), driven by a CPU-burning job
 * (burn-runner.ts): nice 19 on its own kernel thread, suspension within 1 s of user input
 * (cooperative jobs and one that never yields), the ≤ 5 % limit while the user is active and
 * the cap when idle, measured from /proc over seconds; stale rounds dropped; counters and
 * settings kept across a restart. CPU bounds are upper bounds with a little slack for the
 * 10 ms clock ticks; lower bounds are loose, since other work shares this machine's 2 cores
 * and a nice-19 thread yields to all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEALING_REASONS } from '../../../../src-preload/contract';
import { SealingController } from './controller';
import { currentThreadId, readThreadStat } from './cpu-meter';
import { IdleSource } from './idle-source';
import type { FromWorker } from './protocol';

const BURN = { kind: 'module' as const, url: new URL('./burn-runner.ts', import.meta.url).href, init: {} };
const linux = process.platform === 'linux';

let dirs: string[] = [];
let open: Array<{ c: SealingController; idle: IdleSource }> = [];

afterEach(async () => {
  for (const { c, idle } of open) {
    await c.close();
    idle.close();
  }
  open = [];
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function setup(opts: { dir?: string; mode?: 'always' | 'idle' | 'never'; cap?: number; yieldGraceMs?: number } = {}) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'bu-sealing-'));
  if (!opts.dir) dirs.push(dir);
  const idle = new IdleSource({ idleAfterSec: 60 });
  const c = new SealingController({
    idle,
    settingsFile: join(dir, 'sealing-settings.json'),
    tallyFile: join(dir, 'chain', 'sealing.json'),
    runner: BURN,
    addresses: ['0x00000000000000000000000000000000000000aa'],
    ...(opts.yieldGraceMs ? { yieldGraceMs: opts.yieldGraceMs } : {}),
  });
  open.push({ c, idle });
  if (opts.mode) c.setMode(opts.mode);
  if (opts.cap) c.setCpuCap(opts.cap);
  c.setParticipation({ registered: true, syncing: false });
  return { c, idle, dir };
}

function nextWorker<T extends FromWorker['type']>(c: SealingController, type: T, timeoutMs = 20_000): Promise<Extract<FromWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`no '${type}' from the worker in ${timeoutMs} ms`))), timeoutMs);
    const off = c.events.on('worker', (m) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      off();
      resolve(m as Extract<FromWorker, { type: T }>);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runningTid(c: SealingController): Promise<number> {
  const ready = c.workerInfo ?? (await nextWorker(c, 'ready'));
  expect(ready.tid).not.toBeNull();
  return ready.tid!;
}

/** CPU ms the thread used during `ms` of wall time. */
async function cpuOver(tid: number, ms: number): Promise<{ cpuMs: number; wallMs: number }> {
  const a = readThreadStat(tid).cpuMs;
  const t = performance.now();
  await sleep(ms);
  return { cpuMs: readThreadStat(tid).cpuMs - a, wallMs: performance.now() - t };
}

describe.skipIf(!linux)('the sealing worker thread', () => {
  it('runs the job on its own thread at nice 19, leaving the main thread as it was', async () => {
    const { c, idle } = setup({ mode: 'always' });
    idle.setOverride('idle');
    const mainNice = readThreadStat(currentThreadId()!).nice;
    const seal = new Promise<Uint8Array>((r) => c.events.on('seal', r));
    expect(c.submit({ height: 1n, round: 0, busyMs: 30 } as never)).toBe(true);
    const tid = await runningTid(c);
    expect(tid).not.toBe(currentThreadId());
    expect(c.workerInfo?.nice).toBe(19);
    expect(readThreadStat(tid).nice).toBe(19);
    expect(readThreadStat(currentThreadId()!).nice).toBe(mainNice);
    expect((await seal).length).toBe(32);
    expect(c.status()).toMatchObject({ state: 'sealing', reason: null, sealsMade: 1 });
  });

  it('stops a cooperative job within 1 s of user input, and resumes it when the user leaves', async () => {
    // The cooperative path itself: a long grace, so a loaded machine that delays the worker's
    // 'paused' past the default 300 ms cannot end the thread instead (the next test covers that).
    const { c, idle } = setup({ yieldGraceMs: 5000 }); // mode "when idle" (the default)
    idle.setOverride('idle');
    const seals: Uint8Array[] = [];
    c.events.on('seal', (s) => seals.push(s));
    c.submit({ height: 5n, round: 0, busyMs: 1500 } as never);
    const tid = await runningTid(c);
    const before = await cpuOver(tid, 400);
    expect(before.cpuMs).toBeGreaterThan(0); // it really runs

    const t0 = performance.now();
    const paused = nextWorker(c, 'paused');
    idle.activity();
    expect(c.status()).toMatchObject({ state: 'paused', reason: SEALING_REASONS.active });
    const ack = await paused;
    expect(ack.paused).toBe(true);
    const latency = performance.now() - t0;
    expect(latency).toBeLessThan(1000);
    await sleep(Math.max(0, 1000 - (performance.now() - t0)));
    const after = await cpuOver(tid, 1500);
    expect(after.cpuMs).toBeLessThanOrEqual(20); // a tick or two of bookkeeping (10 ms clock ticks)
    expect(seals).toHaveLength(0);

    idle.setOverride('idle');
    await new Promise((r) => c.events.on('seal', r));
    expect(seals).toHaveLength(1);
  });

  it('stops a job that never yields by ending the thread, then runs it again on resume', async () => {
    const { c, idle } = setup();
    idle.setOverride('idle');
    c.submit({ height: 7n, round: 0, busyMs: 6000, cooperative: false } as never);
    const tid = await runningTid(c);
    await sleep(300);
    const t0 = performance.now();
    idle.activity();
    let gone = false;
    while (performance.now() - t0 < 1000) {
      try {
        readThreadStat(tid);
      } catch {
        gone = true;
        break;
      }
      await sleep(20);
    }
    expect(gone).toBe(true); // the thread no longer exists within 1 s
    expect(c.workerInfo).toBeNull();

    const seal = new Promise((r) => c.events.on('seal', r));
    idle.setOverride('idle');
    await nextWorker(c, 'ready');
    await seal;
    expect(c.status().sealsMade).toBe(1);
  });

  it('uses ≤ 5 % of a core while the user is active (mode always), and at most the cap when idle', async () => {
    const { c, idle } = setup({ mode: 'always', cap: 30 });
    idle.setOverride('active');
    c.submit({ height: 1n, round: 0, busyMs: Infinity } as never);
    const tid = await runningTid(c);
    await sleep(500);
    const active = await cpuOver(tid, 3000);
    const activePct = (active.cpuMs / active.wallMs) * 100;
    expect(c.status()).toMatchObject({ state: 'sealing', reason: null });
    expect(activePct).toBeLessThanOrEqual(5 + 1.5);
    expect(activePct).toBeGreaterThan(0.3);

    idle.setOverride('idle');
    await sleep(300);
    const idlePart = await cpuOver(tid, 3000);
    const idlePct = (idlePart.cpuMs / idlePart.wallMs) * 100;
    expect(idlePct).toBeLessThanOrEqual(30 + 3);
    expect(idlePct).toBeGreaterThan(activePct);
    // The status reports what the worker measured on itself.
    expect(c.status().cpuPercent).toBeGreaterThan(activePct);
    expect(c.status().cpuPercent).toBeLessThanOrEqual(30 + 5);
  });

  it('drops jobs of an earlier round, queued or running', async () => {
    const { c, idle } = setup({ mode: 'always' });
    idle.setOverride('idle');
    const got: FromWorker[] = [];
    c.events.on('worker', (m) => (m.type === 'aborted' || m.type === 'done' ? got.push(m) : undefined));
    c.submit({ height: 3n, round: 0, busyMs: Infinity, tag: 1 } as never);
    c.submit({ height: 3n, round: 0, busyMs: 10, tag: 2 } as never); // queued behind it
    await runningTid(c);
    const seal = new Promise<Uint8Array>((r) => c.events.on('seal', r));
    expect(c.submit({ height: 3n, round: 1, busyMs: 10, tag: 3 } as never)).toBe(true);
    await seal;
    expect(got.map((m) => m.type)).toEqual(['aborted', 'done']); // the queued round-0 job never ran
    expect(c.submit({ height: 3n, round: 0, busyMs: 10 } as never)).toBe(false);
    c.setRound(4n, 0);
    expect(c.submit({ height: 3n, round: 2, busyMs: 10 } as never)).toBe(false);
  });
});

describe('sealing state', () => {
  it('keeps seals, rewards, history and settings across a restart', async () => {
    const first = setup({ mode: 'always', cap: 70 });
    first.idle.setOverride('idle');
    if (linux) {
      const seal = new Promise((r) => first.c.events.on('seal', r));
      first.c.submit({ height: 1n, round: 0, busyMs: 5 } as never);
      await seal;
    } else {
      first.c.tally.addSeals(1);
    }
    const ts = BigInt(Math.floor(Date.now() / 1000));
    const ours = '0x00000000000000000000000000000000000000aa';
    const other = '0x00000000000000000000000000000000000000bb';
    const block = { header: { number: 2n, timestamp: ts }, withdrawals: [{ address: ours, amount: 250_000_000n }, { address: other, amount: 5n }] };
    first.c.onBlock(block);
    first.c.onBlock(block); // seen twice, counted once
    expect(first.c.status()).toMatchObject({ sealsMade: 1, rewardsWei: '250000000000000000', mode: 'always', cpuCapPercent: 70 });
    await first.c.close();
    open = open.filter((o) => o !== first);
    first.idle.close();

    const again = setup({ dir: first.dir });
    const s = again.c.status();
    expect(s).toMatchObject({ sealsMade: 1, rewardsWei: '250000000000000000', mode: 'always', cpuCapPercent: 70 });
    expect(s.history.reduce((n, b) => n + b.seals, 0)).toBe(1);
    expect(s.history.map((b) => b.rewardsWei)).toContain('250000000000000000');
    again.c.onBlock(block);
    expect(again.c.status().rewardsWei).toBe('250000000000000000');
  });

  it('says why it does not seal: off, locked, not registered', async () => {
    const { c, idle } = setup();
    idle.setOverride('idle');
    expect(c.status()).toMatchObject({ state: 'sealing' });
    c.setParticipation({ syncing: true });
    expect(c.status()).toMatchObject({ state: 'paused', reason: SEALING_REASONS.syncing });
    c.setParticipation({ syncing: false, registered: false });
    expect(c.status()).toMatchObject({ state: 'paused', reason: SEALING_REASONS.unregistered });
    c.setParticipation({ registered: true });
    await c.setRunner(null);
    expect(c.status()).toMatchObject({ state: 'paused', reason: SEALING_REASONS.locked });
    expect(c.submit({ height: 1n, round: 0, busyMs: 1 } as never)).toBe(false);
    c.setMode('never');
    expect(c.status()).toMatchObject({ state: 'off', reason: SEALING_REASONS.off });
    expect(() => c.setCpuCap(5)).toThrow(/10 to 100/);
  });
});
