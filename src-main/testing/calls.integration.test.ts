/**
 * Calls between two whole nodes on loopback (real UDP, sessions, encrypted stores), through
 * their bridge handlers and media ports — what a renderer does, minus the codecs: synthetic
 * "encoded" frames go in on one side and must come out, byte for byte, on the other.
 * Checked: ring → answer → active on both; audio and a multi-packet video keyframe arrive
 * intact and in order; stats show an RTT and a MOS; mute reaches the friend; a 10 % lossy
 * media link still delivers ≥ 95 % of the audio (RED); hang-up leaves a call record in both
 * conversations; a node that is not a friend cannot ring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMediaFrame, encodeMediaFrame, type CallT, type MediaFrame } from '../../src-preload/contract';
import { failure } from '../core/base/test-support';
import { befriend, startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';

const nodes: TestNode[] = [];
const dirs: string[] = [];
let alice: TestNode;
let bob: TestNode;
let carol: TestNode;

async function start(name: string, loss?: number): Promise<TestNode> {
  const dir = tempDir();
  dirs.push(dir);
  const n = await startTestNode(name, dir, { chain: { enabled: false }, calls: loss ? { loss: { rate: loss, seed: 7 } } : undefined });
  nodes.push(n);
  return n;
}

function collect(n: TestNode): MediaFrame[] {
  const got: MediaFrame[] = [];
  n.media.subscribe((bytes) => got.push(decodeMediaFrame(bytes)));
  return got;
}

const frame = (callId: string, kind: 'audio' | 'video', i: number, size: number, keyframe = false) =>
  encodeMediaFrame({
    kind, callId, seq: 0, keyframe, recovered: false, timestampUs: i * 20_000, captureMs: Date.now(), durationUs: 20_000,
    width: kind === 'video' ? 640 : 0, height: kind === 'video' ? 360 : 0,
    data: Uint8Array.from({ length: size }, (_, k) => (i * 31 + k) & 0xff),
  });

async function ring(from: TestNode, to: TestNode, video = false): Promise<CallT> {
  const c = await from.handlers['calls.start']({ address: to.address, video });
  await waitFor(async () => (await to.handlers['calls.current']({}))?.state === 'incoming', 15_000);
  return c;
}

async function hangupAll(): Promise<void> {
  for (const n of nodes) {
    const c = await n.handlers['calls.current']({});
    if (c) await n.handlers['calls.hangup']({ callId: c.id });
  }
  await waitFor(async () => {
    for (const n of nodes) if (await n.handlers['calls.current']({})) return false;
    return true;
  }, 10_000);
}

beforeAll(async () => {
  alice = await start('Alice');
  bob = await start('Bob', 0.1);
  carol = await start('Carol');
  await befriend(alice, bob);
});
afterAll(async () => {
  await stopAll(nodes.splice(0), dirs.splice(0));
});

describe('calls between two nodes', () => {
  it('rings, answers, and carries audio and video frames intact in both directions', async () => {
    const atAlice = collect(alice);
    const atBob = collect(bob);
    const c = await ring(alice, bob, true);
    const answered = await bob.handlers['calls.answer']({ callId: c.id, video: false });
    expect(answered.state).toBe('connecting');
    await waitFor(async () => (await alice.handlers['calls.current']({}))?.state !== 'outgoing', 10_000);
    for (let i = 0; i < 50; i++) {
      alice.media.fromUi(frame(c.id, 'audio', i, 80));
      if (i % 10 === 0) alice.media.fromUi(frame(c.id, 'video', i, 9000, i === 0));
      bob.media.fromUi(frame(c.id, 'audio', 1000 + i, 60));
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(async () => (await alice.handlers['calls.current']({}))?.state === 'active' && (await bob.handlers['calls.current']({}))?.state === 'active', 10_000);
    const audio = atBob.filter((f) => f.kind === 'audio' && f.callId === c.id);
    // alice's link is clean: every frame arrives, in order, byte for byte
    expect(audio.map((f) => f.data[0])).toEqual(Array.from({ length: 50 }, (_, i) => (i * 31) & 0xff));
    expect(audio[7]!.data).toEqual(decodeMediaFrame(frame(c.id, 'audio', 7, 80)).data);
    const video = atBob.filter((f) => f.kind === 'video');
    expect(video.length).toBeGreaterThanOrEqual(1);
    expect(video[0]).toMatchObject({ keyframe: true, width: 640, height: 360 });
    expect(video[0]!.data).toEqual(decodeMediaFrame(frame(c.id, 'video', 0, 9000, true)).data);
    // bob's outgoing link drops 10 %: RED brings most of it back
    const fromBob = atAlice.filter((f) => f.kind === 'audio' && f.callId === c.id);
    expect(fromBob.length).toBeGreaterThanOrEqual(47);
    const st = await alice.handlers['calls.stats']({ callId: c.id });
    expect(st.rttMs).not.toBeNull();
    expect(st.rttMs!).toBeLessThan(200);
    expect(st.mos).not.toBeNull();
    expect(st.packetsReceived).toBeGreaterThan(40);
  });

  it('passes mute to the friend and leaves a record in both conversations at hang-up', async () => {
    const c = (await alice.handlers['calls.current']({}))!;
    await alice.handlers['calls.setMedia']({ callId: c.id, muted: true });
    await waitFor(async () => (await bob.handlers['calls.current']({}))?.remoteMuted === true, 10_000);
    await new Promise((r) => setTimeout(r, 1100));
    await alice.handlers['calls.hangup']({ callId: c.id });
    await waitFor(async () => (await bob.handlers['calls.current']({})) === null, 10_000);
    const recA = (await alice.handlers['messages.list']({ address: bob.address })).filter((m) => m.call);
    const recB = (await bob.handlers['messages.list']({ address: alice.address })).filter((m) => m.call);
    expect(recA.at(-1)!.call).toMatchObject({ id: c.id, direction: 'outgoing', outcome: 'answered', video: true });
    expect(recB.at(-1)!.call).toMatchObject({ id: c.id, direction: 'incoming', outcome: 'answered' });
    expect(recA.at(-1)!.call!.durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('a missed call is a record too, and a stranger cannot ring', async () => {
    const c = await ring(bob, alice);
    await bob.handlers['calls.hangup']({ callId: c.id });
    await waitFor(async () => (await alice.handlers['calls.current']({})) === null, 10_000);
    const rec = (await alice.handlers['messages.list']({ address: bob.address })).filter((m) => m.call).at(-1)!;
    expect(rec.call).toMatchObject({ id: c.id, outcome: 'missed' });
    expect(rec.text).toMatch(/missed/i);
    expect((await failure(Promise.resolve().then(() => carol.handlers['calls.start']({ address: alice.address, video: false })))).code).toBe('NOT_FRIEND');
    await hangupAll();
  });
});
