/**
 * `bitunicom calls …` through a running serve (in this process) whose node is the bridge's fake
 * node plus a small in-test call engine for the `calls.*` methods (the fake node has none yet):
 * what each command sends over the bridge (validated by the real dispatcher), what it prints,
 * the defaults (the ringing call, the current call), errors in one line, and `--watch`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuError } from '../../core/base';
import type { BridgeHandlers, CallStatsT, CallT } from '../../../src-preload/contract';
import { createFakeNode, fakeContact, type FakeNode } from '../../bridge/fake-node';
import { main } from '../cli';
import type { CliDeps, CliIO } from '../context';

const BOB = '0xB0b0000000000000000000000000000000000001';
const CAROL = '0x' + '3'.repeat(40);
const ID = 'ab'.repeat(16);
const PASSWORD = 'correct horse';

/** The calls.* methods over one call at a time; `endAfterStats` ends the call after that many stats answers. */
function callEngine(node: FakeNode) {
  const e = { current: null as CallT | null, statsAsked: 0, endAfterStats: Infinity };
  const find = (id: string): CallT => {
    if (!e.current || e.current.id !== id || e.current.state === 'ended') throw new BuError('NO_CALL', `no call ${id}`);
    return e.current;
  };
  const end = (c: CallT, reason: CallT['endReason']): CallT => Object.assign(c, { state: 'ended', endedAt: Date.now(), endReason: reason });
  const stats = (c: CallT): CallStatsT => ({
    callId: c.id,
    state: c.state,
    durationMs: 61_000 + e.statsAsked * 1000,
    link: c.link,
    rttMs: 40 + e.statsAsked,
    lossPercent: 1.5,
    jitterMs: 3.2,
    recoveredFrames: 4,
    sendBitrate: 40_000,
    receiveBitrate: 38_000,
    target: { audioBitrate: 32_000, videoBitrate: 0, width: 0, height: 0, fps: 0 },
    packetsSent: 500,
    packetsReceived: 197,
    packetsLost: 3,
    mos: 4.2,
  });
  const handlers: Partial<BridgeHandlers> = {
    'calls.start': (i) => {
      if (e.current && e.current.state !== 'ended') throw new BuError('BUSY', 'in a call');
      const c = node.contacts.find((x) => x.address.toLowerCase() === i.address.toLowerCase());
      if (!c || c.state !== 'friend') throw new BuError('NOT_FRIEND', 'not a friend');
      e.current = { id: ID, peer: c.address, peerName: c.name, direction: 'outgoing', state: 'outgoing', video: i.video, startedAt: Date.now(), answeredAt: null, endedAt: null, endReason: null, muted: false, camera: i.video, remoteMuted: false, remoteCamera: false, link: 'none' };
      return e.current;
    },
    'calls.answer': (i) => {
      const c = find(i.callId);
      if (c.state !== 'incoming') throw new BuError('NO_CALL', 'not ringing');
      return Object.assign(c, { state: 'active', answeredAt: Date.now(), camera: i.video, link: 'direct' });
    },
    'calls.decline': (i) => end(find(i.callId), 'declined'),
    'calls.hangup': (i) => end(find(i.callId), 'hangup'),
    'calls.current': () => (e.current && e.current.state !== 'ended' ? e.current : null),
    'calls.stats': (i) => {
      const c = i.callId ? find(i.callId) : e.current && e.current.state !== 'ended' ? e.current : null;
      if (!c) throw new BuError('NO_CALL', 'no call');
      e.statsAsked++;
      if (e.statsAsked >= e.endAfterStats) end(c, 'remote-hangup');
      return stats(c);
    },
  };
  return { engine: e, handlers };
}

let dir: string;
let stop: (() => Promise<number>) | null = null;
let node: FakeNode;
let engine: ReturnType<typeof callEngine>['engine'];
const calls = () => node.calls.filter((c) => c.method.startsWith('calls.'));

function deps(signal?: AbortSignal): { d: CliDeps; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: { BITUNICOM_PASSWORD: PASSWORD }, stdin: Readable.from([]), platform: 'linux', home: dir, cwd: dir };
  const d: CliDeps = {
    io,
    shutdownSignal: signal,
    loadCore: async () => ({
      createNode: async (o) => {
        node = createFakeNode({ dataDir: o.dataDir, phase: 'locked', password: PASSWORD });
        const e = callEngine(node);
        engine = e.engine;
        const record = node.handlers as unknown as Record<string, (input: unknown) => unknown>;
        for (const [m, fn] of Object.entries(e.handlers) as Array<[string, (input: unknown) => unknown]>) {
          record[m] = (input: unknown) => (node.calls.push({ method: m, input }), fn(input));
        }
        return node;
      },
      generateMnemonic: () => '',
    }),
  };
  return { d, out, err };
}

async function cli(argv: string[], signal?: AbortSignal): Promise<{ code: number; out: string; err: string[] }> {
  const h = deps(signal);
  const code = await main([...argv, '--data', dir], h.d);
  return { code, out: h.out.join('\n'), err: h.err };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bu-calls-cli-'));
  const ac = new AbortController();
  const h = deps(ac.signal);
  const done = main(['serve', '--data', dir, '--log-level', 'error'], h.d);
  for (let i = 0; i < 500 && !h.out.some((l) => l.startsWith('UI: ')); i++) {
    const early = await Promise.race([done, new Promise((r) => setTimeout(() => r(null), 10))]);
    if (early !== null) throw new Error(`serve exited early (${early}): ${h.err.join(' | ')}`);
  }
  node.contacts.push(fakeContact(BOB, 'Bob'), fakeContact(CAROL, 'Carol', 'pending_in'));
  stop = () => (ac.abort(), done);
});
afterEach(async () => {
  if (stop) expect(await stop()).toBe(0);
  stop = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('bitunicom calls (against the fake node)', () => {
  it('start rings a friend by name; current shows it; hangup without an id ends the current call', async () => {
    const started = await cli(['calls', 'start', 'bob', '--video']);
    expect(started.err).toEqual([]);
    expect(started.code).toBe(0);
    expect(started.out.split('\n').slice(0, 5)).toEqual([
      'Calling Bob (video call). Hang up with: bitunicom calls hangup',
      `Call:   ${ID}`,
      `With:   Bob (${BOB})`,
      'Type:   outgoing video call',
      'State:  ringing Bob',
    ]);
    expect(calls()[0]).toEqual({ method: 'calls.start', input: { address: BOB, video: true } });

    const cur = await cli(['calls', 'current', '--json']);
    expect(JSON.parse(cur.out)).toMatchObject({ id: ID, state: 'outgoing', peer: BOB, video: true });
    expect((await cli(['calls', 'current'])).out).toContain('State:  ringing Bob');

    const busy = await cli(['calls', 'start', BOB.toLowerCase()]);
    expect(busy.code).toBe(1);
    expect(busy.err).toEqual(['error: You are already in a call. Hang up first. (in a call)']);

    const hung = await cli(['calls', 'hangup']);
    expect(hung.code).toBe(0);
    expect(hung.out.split('\n')[0]).toBe('Hung up the video call with Bob.');
    expect(hung.out).toContain('State:  ended: you hung up');
    expect(calls().slice(-2)).toEqual([
      { method: 'calls.current', input: {} },
      { method: 'calls.hangup', input: { callId: ID } },
    ]);
    expect((await cli(['calls', 'current'])).out).toBe('No call in progress.');
    expect((await cli(['calls', 'current', '--json'])).out).toBe('null');
  });

  it('answer and decline take the ringing incoming call, or the id given; nothing ringing is NO_CALL', async () => {
    const none = await cli(['calls', 'answer']);
    expect(none.code).toBe(1);
    expect(none.err).toEqual(['error: That call has ended or does not exist. (no incoming call is ringing)']);
    expect(calls().map((c) => c.method)).toEqual(['calls.current']); // nothing answered

    const ring = (): void => {
      engine.current = { id: ID, peer: BOB, peerName: 'Bob', direction: 'incoming', state: 'incoming', video: false, startedAt: Date.now(), answeredAt: null, endedAt: null, endReason: null, muted: false, camera: false, remoteMuted: false, remoteCamera: false, link: 'none' };
    };
    ring();
    const answered = await cli(['calls', 'answer', '--json']);
    expect(JSON.parse(answered.out)).toMatchObject({ id: ID, state: 'active', link: 'direct' });
    expect(calls().at(-1)).toEqual({ method: 'calls.answer', input: { callId: ID, video: false } });

    ring();
    const declined = await cli(['calls', 'decline', ID.toUpperCase()]);
    expect(declined.out.split('\n')[0]).toBe("Declined Bob's voice call.");
    expect(declined.out).toContain('State:  ended: you declined');
    expect(calls().at(-1)).toEqual({ method: 'calls.decline', input: { callId: ID } });

    const bad = await cli(['calls', 'hangup', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([`bitunicom: "nope" is not a call id (32 hex digits; see: bitunicom calls current). Run 'bitunicom calls hangup --help' for usage.`]);
    const gone = await cli(['calls', 'hangup', ID]);
    expect(gone.code).toBe(1);
    expect(gone.err[0]).toMatch(/^error: That call has ended or does not exist\./);
  });

  it('start refuses a stranger or an unknown name in one line', async () => {
    expect((await cli(['calls', 'start', 'carol'])).err).toEqual(['error: You can only message people who accepted your request. (not a friend)']);
    const dave = await cli(['calls', 'start', 'dave']);
    expect(dave.code).toBe(1);
    expect(dave.err[0]).toMatch(/no contact named "dave"/);
    expect(calls().map((c) => c.method)).toEqual(['calls.start']);
  });

  it('stats prints the quality block; --watch a line per second until the call ends; --json one object per line', async () => {
    expect((await cli(['calls', 'stats'])).err).toEqual(['error: That call has ended or does not exist. (no call)']);
    await cli(['calls', 'start', 'Bob']);
    const once = await cli(['calls', 'stats']);
    expect(once.out).toContain('RTT:      41 ms');
    expect(once.out).toContain('Loss:     1.5 % (3 of 200 packets lost; 4 frames recovered)');
    expect(once.out).toContain('MOS:      4.2 (good)');
    expect(calls().at(-1)).toEqual({ method: 'calls.stats', input: {} });

    engine.statsAsked = 0;
    engine.endAfterStats = 3;
    const t0 = Date.now();
    const watched = await cli(['calls', 'stats', '--watch']);
    expect(watched.code).toBe(0);
    const lines = watched.out.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^1:02 {2}outgoing {2}rtt 41 ms {2}loss 1\.5 %/);
    expect(lines[2]).toMatch(/^1:04 {2}ended {2}rtt 43 ms/);
    expect(lines[3]).toBe('Call ended.');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900); // two pauses of a second
    expect(calls().slice(-2).map((c) => c.input)).toEqual([{ callId: ID }, { callId: ID }]); // the first call's id

    engine.current = null;
    await cli(['calls', 'start', 'Bob']);
    engine.statsAsked = 0;
    engine.endAfterStats = 2;
    const json = await cli(['calls', 'stats', '--watch', '--json', '--call', ID]);
    const objs = json.out.split('\n').map((l) => JSON.parse(l) as CallStatsT);
    expect(objs.map((o) => o.state)).toEqual(['outgoing', 'ended']);
    expect(calls().at(-2)).toEqual({ method: 'calls.stats', input: { callId: ID } });
  }, 15_000);

  it('--watch stops when the call is gone (NO_CALL) or on shutdown', async () => {
    await cli(['calls', 'start', 'Bob']);
    const ac = new AbortController();
    setTimeout(() => {
      engine.current = null; // gone: the next ask answers NO_CALL
    }, 300);
    const gone = await cli(['calls', 'stats', '--watch'], ac.signal);
    expect(gone.code).toBe(0);
    expect(gone.out.split('\n')).toHaveLength(2);
    expect(gone.out.split('\n')[1]).toBe('Call ended.');

    await cli(['calls', 'start', 'Bob']);
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 200);
    const t0 = Date.now();
    const aborted = await cli(['calls', 'stats', '--watch'], ac2.signal);
    expect(aborted.code).toBe(0);
    expect(aborted.out.split('\n')).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(900);
  }, 15_000);

  it('is listed in the help: the group, each command and its options', async () => {
    const group = await cli(['calls', '--help']);
    expect(group.code).toBe(0);
    expect(group.out).toContain('Usage: bitunicom calls <start|answer|decline|hangup|current|stats|history> [options]');
    expect((await cli(['calls', 'history', '--help'])).out).toContain('--limit N');
    expect((await cli(['--help'])).out).toMatch(/Calls:\n {2}calls start <address\|name>/);
    expect((await cli(['calls', 'stats', '--help'])).out).toContain('--watch');
    expect((await cli(['calls', 'answer', '--help'])).out).toContain('--video');
    const missing = await cli(['calls']);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/missing subcommand: calls <start\|answer\|decline\|hangup\|current\|stats\|history>/);
  });
});
