/**
 * @module bench/calls-bench
 * `npm run bench -- --only calls` (issue 11): two whole nodes in this process, on loopback,
 * calling each other through their bridge handlers and media ports — the real stack (UDP,
 * friend sessions, per-frame AEAD, RED, the video packetiser, receiver reports, congestion
 * control), minus the codecs: synthetic "encoded" frames of codec sizes go in at one node's
 * `media.fromUi` and are timed until they come out of the other node's `media.subscribe`.
 * Both ends send at once, as in a real call. Measured, each next to a baseline of the same run:
 *   - frame latency p50/p95 (audio 80 B every 20 ms; video 30 fps with a keyframe every 2 s)
 *     vs a raw `node:dgram` ping-pong of the same sizes (one way = half the round trip);
 *   - the same through an application router's relay circuit, when one can be forced (see
 *     `relayedPair` in calls-pairs.ts);
 *   - CPU of the process (`process.cpuUsage`, both nodes: a node is about half) during the
 *     call vs the same two nodes idle;
 *   - bytes per second on the wire per direction (every datagram a node's UDP socket sends)
 *     vs the codec payload rate.
 * The network + main-process latency is one component of the mouth-to-ear budget (ITU-T
 * G.114: ≤ 150 ms); the renderer's part (jitter buffer, decode, playout) is not in it.
 */
import { performance } from 'node:perf_hooks';
import { encodeMediaFrame } from '../../src-preload/contract';
import { befriend, startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';
import { meterWire, relayedPair, type Side, type Wire } from './calls-pairs';
import { fmtRatio, percentile, type Row } from './stats';
import { rawEcho } from './udp-baseline';

export type CallsBenchOptions = { quick: boolean; log: (line: string) => void };

/** Video stream shape: 30 fps, a keyframe every 2 s (60 frames). */
const FPS = 30;
const GOP = 60;
const KEYFRAME_BYTES = 40_000;
const AUDIO_BYTES = 80;
const AUDIO_MS = 20;
/** Delta size for ≈ 600 kbit/s in all: (600,000 / 8 − 40,000 / 2) / 30 ≈ 1,833 B. */
const DELTA_600K = Math.round((600_000 / 8 - KEYFRAME_BYTES / 2) / FPS);
/** The brief's ~6 KB deltas: 1.6 Mbit/s offered, above the start target (600 kbit/s in all). */
const DELTA_6K = 6_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POOL = Uint8Array.from({ length: KEYFRAME_BYTES }, (_, i) => (i * 131 + 7) & 0xff);

type Lat = { audio: number[]; delta: number[]; key: number[] };
type Direction = { sentAt: Map<number, number>; lat: Lat; frames: Record<keyof Lat, number>; payloadBytes: number; keySendUs: number[] };

/**
 * One direction of synthetic media: `from`'s renderer sends audio (and video), `to`'s
 * renderer receives. Keys are the media timestamp (audio even µs, video odd), unique per call.
 */
class Source {
  readonly d: Direction = { sentAt: new Map(), lat: { audio: [], delta: [], key: [] }, frames: { audio: 0, delta: 0, key: 0 }, payloadBytes: 0, keySendUs: [] };
  recording = false;
  private forceKey = false;
  private readonly offs: Array<() => void> = [];

  constructor(
    private readonly from: TestNode,
    to: TestNode,
    private readonly callId: string,
    private readonly deltaBytes: number,
  ) {
    this.offs.push(
      from.events.on('calls.target', (t) => {
        if (t.keyframe) this.forceKey = true;
      }),
      to.media.subscribe((bytes) => {
        const t1 = performance.now();
        const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const ts = v.getFloat64(24);
        const t0 = this.d.sentAt.get(ts);
        if (t0 === undefined) return;
        this.d.sentAt.delete(ts);
        const us = (t1 - t0) * 1000;
        if (bytes[2] === 0) this.d.lat.audio.push(us);
        else (bytes[3]! & 1 ? this.d.lat.key : this.d.lat.delta).push(us);
      }),
    );
  }

  private send(kind: 'audio' | 'video', ts: number, size: number, keyframe: boolean, durationUs: number): void {
    const frame = encodeMediaFrame({
      kind, callId: this.callId, seq: 0, keyframe, recovered: false, timestampUs: ts, captureMs: Date.now(), durationUs,
      width: keyframe ? 640 : 0, height: keyframe ? 360 : 0, data: POOL.subarray(0, size),
    });
    const t0 = performance.now();
    if (this.recording) {
      this.d.sentAt.set(ts, t0);
      this.d.frames[kind === 'audio' ? 'audio' : keyframe ? 'key' : 'delta']++;
      this.d.payloadBytes += size;
    }
    this.from.media.fromUi(frame);
    if (this.recording && keyframe) this.d.keySendUs.push((performance.now() - t0) * 1000);
  }

  audio(i: number): void {
    this.send('audio', i * 2 * AUDIO_MS * 1000, AUDIO_BYTES, false, AUDIO_MS * 1000);
  }

  video(i: number): void {
    const key = i % GOP === 0 || this.forceKey;
    if (key) this.forceKey = false;
    this.send('video', Math.round((i * 1e6) / FPS) * 2 + 1, key ? KEYFRAME_BYTES : this.deltaBytes, key, 1e6 / FPS);
  }

  close(): void {
    for (const off of this.offs) off();
  }
}

/** Call `fn(i)` every `periodMs` on the wall clock (catching up after a late timer) until stopped. */
function every(periodMs: number, fn: (i: number) => void): () => void {
  const t0 = performance.now();
  let i = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const step = () => {
    while (t0 + i * periodMs <= performance.now()) fn(i++);
    timer = setTimeout(step, Math.max(0, t0 + i * periodMs - performance.now()));
  };
  step();
  return () => {
    if (timer) clearTimeout(timer);
  };
}

const current = (n: TestNode) => n.handlers['calls.current']({});

async function startCall(a: TestNode, b: TestNode, video: boolean): Promise<string> {
  const c = await a.handlers['calls.start']({ address: b.address, video });
  await waitFor(async () => (await current(b))?.state === 'incoming', 15_000);
  await b.handlers['calls.answer']({ callId: c.id, video });
  await waitFor(async () => ['connecting', 'active'].includes((await current(a))?.state ?? ''), 10_000);
  return c.id;
}

async function hangup(a: TestNode, b: TestNode, callId: string): Promise<void> {
  await a.handlers['calls.hangup']({ callId });
  await waitFor(async () => (await current(a)) === null && (await current(b)) === null, 10_000);
}

type CallRun = { video: boolean; ab: Direction; ba: Direction; seconds: number; cpuUs: number; wireAB: Wire; wireBA: Wire; link: string; videoTargetKbps: number };

/** One call a → b: `warmMs` of media, then `ms` measured (latency, CPU, wire), then hang up. */
async function runCall(a: Side, b: Side, o: { video: boolean; deltaBytes: number; warmMs: number; ms: number }): Promise<CallRun> {
  const callId = await startCall(a.node, b.node, o.video);
  const ab = new Source(a.node, b.node, callId, o.deltaBytes);
  const ba = new Source(b.node, a.node, callId, o.deltaBytes);
  const stops = [every(AUDIO_MS, (i) => (ab.audio(i), ba.audio(i)))];
  if (o.video) stops.push(every(1000 / FPS, (i) => (ab.video(i), ba.video(i))));
  await sleep(o.warmMs);
  const w0 = [{ ...a.wire }, { ...b.wire }];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  ab.recording = ba.recording = true;
  await sleep(o.ms);
  ab.recording = ba.recording = false;
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  const diff = (w: Wire, w0: Wire): Wire => ({ sent: w.sent - w0.sent, packets: w.packets - w0.packets });
  const wireAB = diff(a.wire, w0[0]!);
  const wireBA = diff(b.wire, w0[1]!);
  await sleep(300); // the last frames' arrival
  for (const s of stops) s();
  const st = await a.node.handlers['calls.stats']({ callId });
  ab.close();
  ba.close();
  await hangup(a.node, b.node, callId);
  return { video: o.video, ab: ab.d, ba: ba.d, seconds, cpuUs: cpu.user + cpu.system, wireAB, wireBA, link: st.link, videoTargetKbps: st.target.videoBitrate / 1000 };
}

/** CPU of this process over `ms` with both nodes up and no call, % of a core. */
async function idleCpu(ms: number): Promise<number> {
  const [cpu0, t0] = [process.cpuUsage(), performance.now()];
  await sleep(ms);
  const cpu = process.cpuUsage(cpu0);
  return pct(cpu.user + cpu.system, (performance.now() - t0) / 1000);
}

const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;
const pct = (cpuUs: number, s: number) => (100 * cpuUs) / 1e6 / s;
const kbps = (bytes: number, s: number) => (bytes * 8) / s / 1000;

function pcts(xs: number[]): { p50: number; p95: number; max: number; n: number } {
  const s = [...xs].sort((x, y) => x - y);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? NaN, n: s.length };
}

/** One-way raw UDP baselines (half a ping-pong's round trip, p50) for the frame sizes. */
async function rawOneWay(sizes: number[], n: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const size of sizes) out.set(size, percentile([...(await rawEcho(n, size))].sort((x, y) => x - y), 50) / 2);
  return out;
}

type Baseline = (k: keyof Lat, size: number) => { text: string; us: number };

/** Raw UDP one way (half a ping-pong of the same size). */
const rawBase =
  (raw: Map<number, number>): Baseline =>
  (_k, size) => ({ text: `raw UDP one way ${ms(raw.get(size)!)}`, us: raw.get(size)! });

/** The same frames on the direct call of this run. */
const callBase =
  (r: CallRun): Baseline =>
  (k) => {
    const us = pcts([...r.ab.lat[k], ...r.ba.lat[k]]).p50;
    return { text: `direct call ${ms(us)}`, us };
  };

function latencyRows(r: CallRun, base: Baseline, label: string, deltaBytes: number): Row[] {
  const rows: Row[] = [];
  const row = (k: keyof Lat, what: string, size: number) => {
    const p = pcts([...r.ab.lat[k], ...r.ba.lat[k]]);
    const sent = r.ab.frames[k] + r.ba.frames[k];
    const b = base(k, size);
    rows.push({
      figure: `${label}: ${what} in → out p50 / p95 (${p.n}/${sent} arrived)`,
      value: p.n ? `${ms(p.p50)} / ${ms(p.p95)}` : 'none arrived',
      baseline: b.text,
      ratio: p.n ? fmtRatio(p.p50 / b.us) : '',
    });
  };
  row('audio', `audio ${AUDIO_BYTES} B`, AUDIO_BYTES);
  if (r.video) {
    row('delta', `video delta ${deltaBytes.toLocaleString('en')} B`, deltaBytes);
    row('key', 'video keyframe 40 KB', KEYFRAME_BYTES);
  }
  return rows;
}

type Idle = { before: number; after: number };

function costRows(r: CallRun, idle: Idle, label: string): Row[] {
  const cpu = pct(r.cpuUs, r.seconds);
  const lo = Math.min(idle.before, idle.after);
  const dir = (w: Wire) => `${kbps(w.sent, r.seconds).toFixed(1)} kbit/s, ${(w.packets / r.seconds).toFixed(0)} pkt/s`;
  return [
    {
      figure: `${label}: CPU of the process, both nodes (a node ≈ half)`,
      value: `${cpu.toFixed(1)}% of a core (≈ ${(cpu / 2).toFixed(1)}% a node)`,
      baseline: `same nodes idle ${idle.before.toFixed(1)}% before / ${idle.after.toFixed(1)}% after`,
      ratio: `+${(cpu - lo).toFixed(1)} pts`,
    },
    {
      figure: `${label}: UDP payload on the wire A→B / B→A`,
      value: `${dir(r.wireAB)} / ${dir(r.wireBA)}`,
      baseline: `codec payload ${kbps(r.ab.payloadBytes, r.seconds).toFixed(1)} / ${kbps(r.ba.payloadBytes, r.seconds).toFixed(1)} kbit/s`,
      ratio: `${fmtRatio(r.wireAB.sent / r.ab.payloadBytes)} / ${fmtRatio(r.wireBA.sent / r.ba.payloadBytes)}`,
    },
  ];
}

export async function callsRows(o: CallsBenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const secs = o.quick ? 2_000 : 10_000;
  const warmMs = o.quick ? 1_000 : 2_000;
  const raw = await rawOneWay([AUDIO_BYTES, DELTA_600K, DELTA_6K, KEYFRAME_BYTES], o.quick ? 300 : 1000);
  const dirs = [tempDir(), tempDir()];
  const opts = { chain: { enabled: false } } as const;
  const a = await startTestNode('Alice', dirs[0], opts);
  const b = await startTestNode('Bob', dirs[1], opts);
  let idle: Idle;
  let direct: { audio: CallRun; video: CallRun };
  try {
    await befriend(a, b);
    const A: Side = { node: a, wire: meterWire(a) };
    const B: Side = { node: b, wire: meterWire(b) };
    await sleep(1000);
    o.log(`calls: idle ${secs / 1000} s, audio and video calls ${secs / 1000} s each (+ ${warmMs / 1000} s warm-up), idle again…`);
    const before = await idleCpu(secs);
    const audio = await runCall(A, B, { video: false, deltaBytes: DELTA_600K, warmMs, ms: secs });
    const video = await runCall(A, B, { video: true, deltaBytes: DELTA_600K, warmMs, ms: secs });
    const heavy = await runCall(A, B, { video: true, deltaBytes: DELTA_6K, warmMs, ms: o.quick ? 2_000 : 5_000 });
    const after = await idleCpu(secs);
    idle = { before, after };
    direct = { audio, video };
    const p95 = pcts([...audio.ab.lat.audio, ...audio.ba.lat.audio]).p95;
    rows.push(...latencyRows(audio, rawBase(raw), `audio call (${audio.link})`, DELTA_600K));
    rows.push({
      figure: 'audio call: network + main-process part of mouth-to-ear (p95)',
      value: ms(p95),
      baseline: 'G.114 budget 150 ms',
      ratio: `${((100 * p95) / 1000 / 150).toFixed(1)}% of it`,
      target: '≤ 150 ms (whole path)',
      ok: p95 / 1000 <= 150,
    });
    rows.push(...latencyRows(video, rawBase(raw), `video call ≈600 kbit/s (${video.link})`, DELTA_600K));
    const ks = pcts([...video.ab.keySendUs, ...video.ba.keySendUs]);
    rows.push({ figure: '  of which: fromUi of a keyframe (seal + 37 packets sent), p50', value: ms(ks.p50), baseline: '', ratio: '' });
    rows.push(...latencyRows(heavy, rawBase(raw), `video call 6 KB deltas, 1.6 Mbit/s offered (${heavy.link})`, DELTA_6K));
    rows.push({ figure: '  its video target at the end (congestion control)', value: `${heavy.videoTargetKbps.toFixed(0)} kbit/s`, baseline: '', ratio: '' });
    rows.push(...costRows(audio, idle, 'audio call'), ...costRows(video, idle, 'video call ≈600 kbit/s'));
  } finally {
    await stopAll([a, b], dirs);
  }
  o.log('calls: a relayed pair (router thread, direct path blocked)…');
  const relay = await relayedPair(opts);
  if (typeof relay === 'string') {
    rows.push({ figure: 'relayed call (router relay circuit)', value: `not measured: ${relay}`, baseline: '', ratio: '' });
    return rows;
  }
  try {
    rows.push({ figure: 'relayed link: direct path blocked → relayed session up', value: ms(relay.upMs * 1000), baseline: '', ratio: '' });
    const ra = await runCall(relay.a, relay.b, { video: false, deltaBytes: DELTA_600K, warmMs, ms: secs });
    const rv = await runCall(relay.a, relay.b, { video: true, deltaBytes: DELTA_600K, warmMs, ms: secs });
    rows.push(...latencyRows(ra, callBase(direct.audio), `relayed audio call (${ra.link})`, DELTA_600K));
    rows.push(...latencyRows(rv, callBase(direct.video), `relayed video call ≈600 kbit/s (${rv.link})`, DELTA_600K));
    rows.push(...costRows(ra, idle, 'relayed audio call').slice(1), ...costRows(rv, idle, 'relayed video call').slice(1));
  } finally {
    await relay.stop();
  }
  return rows;
}
