/**
 * @module bench/calls-browser
 * `npm run bench -- --only calls-browser` (issue 11 item 8): mouth-to-ear latency through the
 * real React UI in Debian's Chromium, direct and then relayed. Two in-process nodes (Alice,
 * Bob) registered at a router thread (calls-pairs.ts), each with its own loopback web server
 * wired as `bitunicom serve` does (event hub + dispatcher + media port → startWebServer) and
 * its own headless Chromium whose fake microphone plays a tone (Alice 440 Hz, Bob 1 kHz) and
 * whose fake camera plays Chromium's test pattern. Alice rings from the conversation header,
 * Bob answers on his incoming-call screen: the whole renderer path (capture, WebCodecs Opus /
 * video encode, bridge WebSocket, node, UDP, node, WebSocket, jitter buffer, decode, playout
 * worklet) is in the figures. Per case (audio direct, video direct, then, with the direct path
 * blocked, audio relayed and video relayed):
 *   - mouth-to-ear latency: the call probe's `stats().latencyMs`, read on both pages every
 *     500 ms. latencyMs = (time the decoded samples reach the output: now + what is queued in
 *     the worklet's ring + the output device's reported delay) − the sender's capture stamp of
 *     that audio (the AudioData timestamp on the sender's clock; both browsers run on this
 *     machine, so one clock), median over the last 5 s. p50/p95 here are of those samples
 *     (both directions pooled), against ITU-T G.114's 150 ms; relayed / direct ratio;
 *   - what was heard: the last 3 s each page played out, FFT tone check (peak, SNR);
 *   - CPU: this process (both nodes, both web servers and the Playwright driver) and the two
 *     Chromium process trees (/proc utime + stime; of which the renderers), each vs the same
 *     pages open and idle, measured in the same run before the calls;
 *   - bytes/s per direction: every UDP datagram a node sent (beneath the relay block) and the
 *     media session's own send rate (`calls.stats` sendBitrate).
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser, type Page } from 'playwright-core';
import { checkTone, writeToneWav } from '../../e2e/support/audio';
import { callChromiumArgs, CHROMIUM } from '../../e2e/support/browser';
import { createDispatcher } from '../bridge/dispatcher';
import { createEventHub } from '../bridge/event-hub';
import { tempDir, waitFor, type TestNode } from '../core/testnet';
import { startWebServer } from '../daemon/web-server';
import { forceRelay, meterWire, routerPair, type Wire } from './calls-pairs';
import { fmtRatio, percentile, type Row } from './stats';

export type CallsBrowserOptions = { quick: boolean; log: (line: string) => void };

const TONES = { Alice: 440, Bob: 1000 } as const;
const G114_MS = 150;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Ui = { node: TestNode; wire: Wire; page: Page; close(): Promise<void> };

/** A node's UI: its web server as `serve` wires it, and a Chromium with a fake mic playing its tone. */
async function openUi(node: TestNode, name: keyof typeof TONES): Promise<Ui> {
  const dir = tempDir(`bu-bench-ui-${name}-`);
  const wav = join(dir, 'tone.wav');
  writeToneWav(wav, TONES[name]);
  const hub = createEventHub(node.events);
  const dispatcher = createDispatcher(node.handlers);
  const web = await startWebServer({ dispatcher, events: hub, media: node.media, port: 0 });
  if (!web.staticDir) throw new Error('the renderer is not built (out/renderer): run the electron-vite build first');
  let browser: Browser | null = null;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await web.close().catch(() => undefined);
    hub.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: callChromiumArgs(wav),
    });
    const page = await (await browser.newContext({ permissions: ['microphone', 'camera'] })).newPage();
    await page.goto(web.url);
    await page.getByTestId('main-layout').waitFor({ timeout: 30_000 });
    return { node, wire: meterWire(node), page, close };
  } catch (e) {
    await close();
    throw e;
  }
}

// ---- CPU of the Chromium process trees (/proc) ----

const TICK_S = 1 / Number(execSync('getconf CLK_TCK').toString().trim() || 100);
type Proc = { ppid: number; cpuS: number; renderer: boolean };

function procs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      out.set(Number(e), { ppid: Number(f[1]), cpuS: (Number(f[11]) + Number(f[12])) * TICK_S, renderer: cmd.includes('--type=renderer') });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** CPU seconds so far of every process below this one (the two Chromium trees), and of their renderers. */
function chromiumCpu(): { total: number; renderer: number } {
  const all = procs();
  const below = new Set<number>([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of all) {
      if (below.has(pid) || !below.has(p.ppid)) continue;
      below.add(pid);
      grew = true;
    }
  }
  below.delete(process.pid);
  let total = 0;
  let renderer = 0;
  for (const pid of below) {
    const p = all.get(pid)!;
    total += p.cpuS;
    if (p.renderer) renderer += p.cpuS;
  }
  return { total, renderer };
}

type Cpu = { node: number; chrome: number; renderer: number };

/** Starts a CPU window; the returned function gives % of a core of each part since. */
function cpuWindow(): () => Cpu {
  const [n0, c0, t0] = [process.cpuUsage(), chromiumCpu(), performance.now()];
  return () => {
    const n = process.cpuUsage(n0);
    const c = chromiumCpu();
    const s = (performance.now() - t0) / 1000;
    return { node: (100 * (n.user + n.system)) / 1e6 / s, chrome: (100 * (c.total - c0.total)) / s, renderer: (100 * (c.renderer - c0.renderer)) / s };
  };
}

// ---- a call through the UI ----

type ProbeStats = { latencyMs: number | null; transitMs: number | null; videoWidth: number; videoFps: number };
const probeStats = (page: Page) => page.evaluate('window.__bitunicomCallProbe ? window.__bitunicomCallProbe.stats() : null') as Promise<ProbeStats | null>;
const probeAudio = (page: Page, s: number) => page.evaluate(`window.__bitunicomCallProbe ? window.__bitunicomCallProbe.recentAudio(${s}) : []`) as Promise<number[]>;

async function callState(page: Page): Promise<string | null> {
  const el = page.getByTestId('call-state').first();
  return (await el.count()) ? el.getAttribute('data-state') : null;
}

async function untilState(page: Page, ok: (s: string | null) => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!ok(await callState(page))) {
    if (Date.now() - t0 > ms) throw new Error(`call state stayed "${await callState(page)}"`);
    await sleep(100);
  }
}

type Heard = { peakHz: number; snrDb: number };
type CallRun = {
  label: string; video: boolean; link: string; load: number; seconds: number; cpu: Cpu;
  lat: number[]; transit: number[]; heardAtBob: Heard; heardAtAlice: Heard;
  wireAB: number; wireBA: number; sendAB: number; sendBA: number; videoWidth: number; endedEarly: string | null;
};

/** Alice rings Bob in the UI, Bob answers; `warmMs` to settle, `ms` measured, then Alice hangs up. */
async function uiCall(alice: Ui, bob: Ui, o: { label: string; video: boolean; warmMs: number; ms: number; log: (l: string) => void }): Promise<CallRun> {
  let ended: string | null = null;
  const offs = [alice, bob].map((u) =>
    u.node.events.on('calls.changed', (c) => {
      if (c.state === 'ended' && ended === null) ended = `${u.node.name} saw it end: ${c.endReason}`;
    }),
  );
  try {
    o.log(`calls-browser: ${o.label}…`);
    const start = alice.page.getByTestId(o.video ? 'call-start-video' : 'call-start-voice');
    await waitFor(() => start.isEnabled(), 30_000, 100);
    await start.click();
    await bob.page.getByTestId('incoming-call').waitFor({ timeout: 20_000 });
    await bob.page.getByTestId(o.video ? 'call-accept-video' : 'call-accept').click();
    for (const u of [alice, bob]) await untilState(u.page, (s) => s === 'active', 20_000);
    const callId = (await alice.node.handlers['calls.current']({}))?.id;
    if (!callId) throw new Error('the UI shows a call the node does not have');
    const link = (await alice.node.handlers['calls.stats']({ callId })).link;
    await sleep(o.warmMs);
    const lat: number[] = [];
    const transit: number[] = [];
    const w0 = [alice.wire.sent, bob.wire.sent];
    const cpu = cpuWindow();
    const t0 = performance.now();
    let videoWidth = 0;
    const send: [number[], number[]] = [[], []];
    while (performance.now() - t0 < o.ms && ended === null) {
      const next = performance.now() + 500;
      const stats = await Promise.all([alice, bob].map((u) => Promise.resolve().then(() => u.node.handlers['calls.stats']({ callId })).catch(() => null)));
      if (!stats[0] || !stats[1]) break;
      send[0].push(stats[0].sendBitrate / 8);
      send[1].push(stats[1].sendBitrate / 8);
      for (const u of [alice, bob]) {
        const st = await probeStats(u.page);
        if (st?.latencyMs != null) lat.push(st.latencyMs);
        if (st?.transitMs != null) transit.push(st.transitMs);
        if (u === bob && st) videoWidth = st.videoWidth;
      }
      await sleep(Math.max(0, next - performance.now()));
    }
    const used = cpu();
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);
    const seconds = (performance.now() - t0) / 1000;
    const [wireAB, wireBA] = [(alice.wire.sent - w0[0]!) / seconds, (bob.wire.sent - w0[1]!) / seconds];
    const heardAtBob = checkTone(await probeAudio(bob.page, 3), TONES.Alice);
    const heardAtAlice = checkTone(await probeAudio(alice.page, 3), TONES.Bob);
    const load = loadavg()[0]!;
    const endedEarly = ended === null ? null : `the call ended after ${seconds.toFixed(1)} of ${o.ms / 1000} s measured (${ended as string})`;
    if (endedEarly) o.log(`calls-browser: ${o.label}: ${endedEarly}`);
    else await alice.page.getByTestId('call-hangup').click();
    for (const u of [alice, bob]) await untilState(u.page, (s) => s !== 'active', 15_000);
    await waitFor(async () => (await alice.node.handlers['calls.current']({})) === null && (await bob.node.handlers['calls.current']({})) === null, 15_000, 100);
    return { label: o.label, video: o.video, link, load, seconds, cpu: used, lat, transit, heardAtBob, heardAtAlice, wireAB, wireBA, sendAB: mean(send[0]), sendBA: mean(send[1]), videoWidth, endedEarly };
  } finally {
    for (const off of offs) off();
  }
}

// ---- rows ----

function p(xs: number[]): { p50: number; p95: number; n: number } {
  const s = [...xs].sort((x, y) => x - y);
  return { p50: percentile(s, 50), p95: percentile(s, 95), n: s.length };
}

const kBs = (bytesPerS: number) => `${(bytesPerS / 1000).toFixed(1)} kB/s`;
const tone = (h: Heard, want: number) => `${h.snrDb.toFixed(1)} dB (peak ${h.peakHz.toFixed(0)} Hz${Math.abs(h.peakHz - want) < 15 ? '' : ' — wrong tone'})`;

function rows(r: CallRun, idle: Cpu, direct: CallRun | null): Row[] {
  const l = p(r.lat);
  const t = p(r.transit);
  const out: Row[] = [
    {
      figure: `${r.label} (${r.link}): mouth-to-ear p50 / p95 (${l.n} samples of the 5 s median)`,
      value: l.n ? `${l.p50.toFixed(0)} / ${l.p95.toFixed(0)} ms` : 'no latency reported',
      baseline: direct ? `direct ${p(direct.lat).p50.toFixed(0)} / ${p(direct.lat).p95.toFixed(0)} ms` : `G.114 ${G114_MS} ms`,
      ratio: direct ? fmtRatio(l.p50 / p(direct.lat).p50) : `${((100 * l.p95) / G114_MS).toFixed(0)}% of it`,
      target: `p95 ≤ ${G114_MS} ms`,
      ok: l.n > 0 && l.p95 <= G114_MS,
    },
    { figure: '  of which capture → arrival (sender + bridge + network) p50 / p95', value: t.n ? `${t.p50.toFixed(0)} / ${t.p95.toFixed(0)} ms` : '—', baseline: `machine load ${r.load.toFixed(1)} (2 cores)`, ratio: '' },
    {
      figure: `${r.label}: tone heard at Bob (440 Hz) / at Alice (1 kHz), SNR`,
      value: `${tone(r.heardAtBob, TONES.Alice)} / ${tone(r.heardAtAlice, TONES.Bob)}`,
      baseline: '', ratio: '', target: '> 10 dB', ok: r.heardAtBob.snrDb > 10 && r.heardAtAlice.snrDb > 10,
    },
    {
      figure: `${r.label}: CPU, this process (2 nodes + 2 web servers + driver)`,
      value: `${r.cpu.node.toFixed(1)}% of a core`,
      baseline: `pages idle ${idle.node.toFixed(1)}%`,
      ratio: `+${(r.cpu.node - idle.node).toFixed(1)} pts`,
    },
    {
      figure: `${r.label}: CPU, both Chromiums (of which renderers)`,
      value: `${r.cpu.chrome.toFixed(1)}% (${r.cpu.renderer.toFixed(1)}%)`,
      baseline: `pages idle ${idle.chrome.toFixed(1)}% (${idle.renderer.toFixed(1)}%)`,
      ratio: `+${(r.cpu.chrome - idle.chrome).toFixed(1)} pts (≈ +${((r.cpu.chrome - idle.chrome) / 2).toFixed(1)} a side)`,
    },
    {
      figure: `${r.label}: UDP sent A→B / B→A (vs the media session's send rate, mean of 1 s meters)`,
      value: `${kBs(r.wireAB)} / ${kBs(r.wireBA)}`,
      baseline: `session ${kBs(r.sendAB)} / ${kBs(r.sendBA)}`,
      ratio: `${fmtRatio(r.wireAB / r.sendAB)} / ${fmtRatio(r.wireBA / r.sendBA)}`,
    },
  ];
  if (r.endedEarly) out.unshift({ figure: `${r.label}: CALL DROPPED`, value: r.endedEarly, baseline: '', ratio: '' });
  if (r.video) out.push({ figure: `${r.label}: video Bob decodes`, value: r.videoWidth ? `${r.videoWidth} px wide` : 'no video decoded', baseline: '', ratio: '' });
  return out;
}

export async function callsBrowserRows(o: CallsBrowserOptions): Promise<Row[]> {
  const audioMs = o.quick ? 8_000 : 20_000;
  const videoMs = o.quick ? 5_000 : 10_000;
  const warmMs = o.quick ? 3_000 : 5_000;
  const out: Row[] = [];
  const load0 = loadavg()[0]!;
  o.log('calls-browser: a router thread, two nodes, two web UIs in Chromium…');
  const pair = await routerPair({ chain: { enabled: false } });
  const uis: Ui[] = [];
  try {
    const alice = await openUi(pair.a, 'Alice');
    uis.push(alice);
    const bob = await openUi(pair.b, 'Bob');
    uis.push(bob);
    await alice.page.getByTestId(`conversation-${bob.node.address}`).click();
    await bob.page.getByTestId(`conversation-${alice.node.address}`).click();
    await sleep(2_000);
    o.log(`calls-browser: pages idle ${videoMs / 1000} s, audio ${audioMs / 1000} s + video ${videoMs / 1000} s direct, then the same relayed…`);
    const w = cpuWindow();
    await sleep(videoMs);
    const idle = w();
    const da = await uiCall(alice, bob, { label: 'UI audio call', video: false, warmMs, ms: audioMs, log: o.log });
    const dv = await uiCall(alice, bob, { label: 'UI video call', video: true, warmMs, ms: videoMs, log: o.log });
    out.push(...rows(da, idle, null), ...rows(dv, idle, null));
    let upMs: number;
    try {
      upMs = await forceRelay(pair.a, pair.b);
    } catch (e) {
      out.push({ figure: 'UI relayed calls', value: `not measured: ${String(e).split('\n')[0]}`, baseline: '', ratio: '' });
      return out;
    }
    out.push({ figure: 'direct path blocked → relayed session up', value: `${upMs.toFixed(0)} ms`, baseline: '', ratio: '' });
    const ra = await uiCall(alice, bob, { label: 'UI relayed audio call', video: false, warmMs, ms: audioMs, log: o.log });
    const rv = await uiCall(alice, bob, { label: 'UI relayed video call', video: true, warmMs, ms: videoMs, log: o.log });
    out.push(...rows(ra, idle, da), ...rows(rv, idle, dv));
    out.push({ figure: 'machine: cores, load average (1 min) at the start / the end', value: `${cpus().length}, ${load0.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`, baseline: '', ratio: '' });
    return out;
  } finally {
    for (const u of uis) await u.close();
    await pair.stop();
  }
}
