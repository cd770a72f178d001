/** @module call/media-session.test */
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../crypto';
import { deriveCallKeys, newCallKeyPair } from './keys';
import { isCallMediaPacket, MediaSession, type InboundFrame, type MediaSessionOptions, type MediaTarget } from './media-session';

type Side = 'a' | 'b';
type Drop = (pkt: Uint8Array, t: number) => boolean;

/** Two sessions back to back on a simulated clock, with a one-way delay and optional drops. */
function pairUp(o: { delayMs?: number | ((t: number) => number); dropAtoB?: Drop; lossA?: MediaSessionOptions['loss'] } = {}) {
  const delayOf = typeof o.delayMs === 'function' ? o.delayMs : () => (o.delayMs as number | undefined) ?? 20;
  let t = 0;
  const callId = randomBytes(16);
  const ka = newCallKeyPair();
  const kb = newCallKeyPair();
  const common = { callId, callerAddress: '0xa', calleeAddress: '0xb' };
  const keysA = deriveCallKeys({ ...common, own: ka, peerPublic: kb.publicKey, weAreCaller: true });
  const keysB = deriveCallKeys({ ...common, own: kb, peerPublic: ka.publicKey, weAreCaller: false });
  const queue: { at: number; to: Side; pkt: Uint8Array }[] = [];
  const frames: Record<Side, InboundFrame[]> = { a: [], b: [] };
  const targets: Record<Side, MediaTarget[]> = { a: [], b: [] };
  const wire: Uint8Array[] = [];
  const make = (side: Side, keys: typeof keysA, loss?: MediaSessionOptions['loss']) =>
    new MediaSession({
      callId,
      keys,
      now: () => t,
      loss,
      send: (pkt) => {
        expect(pkt.length).toBeLessThanOrEqual(1167);
        if (side === 'a') {
          wire.push(pkt);
          if (o.dropAtoB?.(pkt, t)) return true;
        }
        queue.push({ at: t + (side === 'a' ? delayOf(t) : 20), to: side === 'a' ? 'b' : 'a', pkt });
        return true;
      },
      onFrame: (f) => frames[side === 'a' ? 'a' : 'b'].push(f),
      onTarget: (x) => targets[side].push(x),
    });
  const s = { a: make('a', keysA, o.lossA), b: make('b', keysB) };
  const sent = { audio: 0, video: 0 };
  let wantKey = true;
  let lastKeyTarget = 0;
  let nextVideoAt = 0;
  /** A sends 20 ms audio and video at its target; both tick every 100 ms. */
  function run(ms: number, videoOn = true) {
    const end = t + ms;
    for (; t < end; t += 5) {
      while (queue.length && queue[0]!.at <= t) {
        const q = queue.shift()!;
        s[q.to].onPacket(q.pkt);
      }
      const ta = targets.a;
      if (ta.length > lastKeyTarget) {
        if (ta.slice(lastKeyTarget).some((x) => x.keyframe)) wantKey = true;
        lastKeyTarget = ta.length;
      }
      if (t % 20 === 0) {
        const n = sent.audio++;
        s.a.sendFrame({ kind: 'audio', data: new Uint8Array(60).fill(n & 0xff), timestampUs: n * 20_000, captureMs: t, durationUs: 20_000, keyframe: false, width: 0, height: 0 });
      }
      const tgt = ta[ta.length - 1] ?? { videoBitrate: 568_000, fps: 30 };
      const fps = tgt.fps || 15;
      if (videoOn && t >= nextVideoAt) {
        nextVideoAt += 1000 / fps;
        const n = sent.video++;
        const size = Math.max(200, Math.round(tgt.videoBitrate / 8 / fps)) * (wantKey ? 3 : 1);
        s.a.sendFrame({ kind: 'video', data: new Uint8Array(size).fill(n & 0xff), timestampUs: n * 33_333, captureMs: t, durationUs: 33_333, keyframe: wantKey, width: 640, height: 360 });
        wantKey = false;
      }
      if (t % 100 === 0) {
        s.a.tick();
        s.b.tick();
      }
    }
  }
  return { s, run, frames, targets, sent, wire, now: () => t };
}

const audioOf = (f: InboundFrame[]) => f.filter((x) => x.kind === 'audio');
const videoOf = (f: InboundFrame[]) => f.filter((x) => x.kind === 'video');

describe('media session, back to back', () => {
  it('delivers audio and video intact and in order', () => {
    const p = pairUp();
    p.run(2000);
    const audio = audioOf(p.frames.b);
    expect(audio.length).toBeGreaterThanOrEqual(p.sent.audio - 2); // the last ones are still in flight
    audio.forEach((f, i) => {
      expect(f.seq).toBe(i);
      expect(f.timestampUs).toBe(i * 20_000);
      expect(f.data).toEqual(new Uint8Array(60).fill(i & 0xff));
      expect(f.recovered).toBe(false);
    });
    const video = videoOf(p.frames.b);
    expect(video.length).toBeGreaterThanOrEqual(p.sent.video - 1);
    expect(video[0]!.keyframe).toBe(true);
    video.forEach((f, i) => {
      expect(f.seq).toBe(i);
      expect(f.timestampUs).toBe(i * 33_333);
      expect(f.data.every((b) => b === (i & 0xff))).toBe(true);
      expect([f.width, f.height]).toEqual([640, 360]);
    });
    const st = p.s.b.stats();
    expect(st.packetsLost).toBe(0);
    expect(st.packetsRejected).toBe(0);
    expect(st.mos).toBeGreaterThan(4.3);
    expect(p.s.a.stats().packetsSent).toBeGreaterThan(100);
    expect(p.s.a.stats().sendBitrate).toBeGreaterThan(300_000);
    expect(st.receiveBitrate).toBeGreaterThan(300_000);
  });

  it('at 10 % random loss, RED brings ≥ 97 % of audio frames through', () => {
    const p = pairUp({ lossA: { rate: 0.1, seed: 42 } });
    p.run(10_000);
    const audio = audioOf(p.frames.b);
    const st = p.s.b.stats();
    expect(audio.length / p.sent.audio).toBeGreaterThanOrEqual(0.97);
    expect(st.recoveredFrames).toBeGreaterThan(20);
    expect(audio.filter((f) => f.recovered)).toHaveLength(st.recoveredFrames);
    expect(st.lossPercent).toBeGreaterThan(4);
    expect(st.lossPercent).toBeLessThan(20);
    const seqs = audio.map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const rebuilt = audio.find((f) => f.recovered)!;
    expect(rebuilt.timestampUs).toBe(rebuilt.seq * 20_000);
    expect(rebuilt.data).toEqual(new Uint8Array(60).fill(rebuilt.seq & 0xff));
  });

  it('a lost video packet triggers one keyframe request, and video resumes from a keyframe', () => {
    let seen = 0;
    let dropped = false;
    const p = pairUp({
      dropAtoB: (pkt) => {
        if (pkt.length > 400 && ++seen === 40 && !dropped) return (dropped = true);
        return false;
      },
    });
    p.run(3000);
    expect(dropped).toBe(true);
    expect(p.s.b.stats().keyframeRequestsSent).toBe(1);
    expect(p.targets.a.filter((x) => x.keyframe)).toHaveLength(1);
    const video = videoOf(p.frames.b);
    const gap = video.findIndex((f, i) => i > 0 && f.seq !== video[i - 1]!.seq + 1);
    expect(gap).toBeGreaterThan(0);
    expect(video[gap]!.keyframe).toBe(true);
    expect(video.length).toBeGreaterThan(60);
  });

  it('reports give an RTT close to the injected delay', () => {
    const p = pairUp({ delayMs: 60 });
    p.run(3000);
    for (const side of ['a', 'b'] as const) {
      const rtt = p.s[side].stats().rttMs!;
      expect(rtt).toBeGreaterThanOrEqual(115); // the very first stamp is 1, not 0
      expect(rtt).toBeLessThanOrEqual(130);
    }
  });

  it('congestion lowers the video rate under 10 % loss and climbs back after', () => {
    let lossy = false;
    let x = 7;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const p = pairUp({ dropAtoB: () => lossy && rnd() < 0.12 });
    p.run(3000);
    const before = p.s.a.stats().target.videoBitrate;
    expect(before).toBeGreaterThan(568_000);
    lossy = true;
    p.run(10_000);
    const during = p.s.a.stats().target.videoBitrate;
    expect(during).toBeLessThan(before * 0.6);
    lossy = false;
    p.run(15_000);
    const after = p.s.a.stats().target.videoBitrate;
    expect(after).toBeGreaterThan(during * 2);
    expect(p.targets.a.length).toBeGreaterThan(3);
  });

  it('skips video over its budget (asks for a keyframe once the budget recovers), never audio', () => {
    let t = 0;
    const keys = deriveCallKeys({ callId: randomBytes(16), own: newCallKeyPair(), peerPublic: newCallKeyPair().publicKey, callerAddress: '0xa', calleeAddress: '0xb', weAreCaller: true });
    const kinds: number[] = [];
    const targets: MediaTarget[] = [];
    const m = new MediaSession({ callId: randomBytes(16), keys, now: () => t, send: (p) => kinds.push(p.length) > 0, onFrame: () => {}, onTarget: (x) => targets.push(x) });
    m.tick();
    const video = (keyframe: boolean) => ({ kind: 'video' as const, data: new Uint8Array(200_000), timestampUs: t * 1000, captureMs: t, durationUs: 33_333, keyframe, width: 640, height: 360 });
    const audio = { kind: 'audio' as const, data: new Uint8Array(100), timestampUs: 0, captureMs: 0, durationUs: 20_000, keyframe: false, width: 0, height: 0 };
    m.sendFrame(video(true));
    for (let i = 0; i < 20; i++) {
      t += 33;
      m.sendFrame(video(false)); // 48 Mbit/s against a 568 kbit/s target
      m.sendFrame({ ...audio, timestampUs: i * 20_000 });
    }
    const st = m.stats();
    expect(st.videoFramesSkipped).toBeGreaterThanOrEqual(18);
    // no keyframe request while deep in debt: it would only breed keyframes the budget skips
    expect(targets.filter((x) => x.keyframe)).toHaveLength(0);
    expect(kinds.filter((n) => n > 100 && n < 400)).toHaveLength(20); // every audio packet went out (the 96-byte one is a report)
    t += 5000;
    m.tick();
    expect(targets.filter((x) => x.keyframe)).toHaveLength(1); // the budget is back: ask now
    t += 1100;
    m.tick();
    expect(targets.filter((x) => x.keyframe)).toHaveLength(2); // asked again: still waiting
    // the keyframe asked for goes out even when it overruns the budget (no keyframes-only loop)
    const sentBefore = m.stats().packetsSent;
    m.sendFrame(video(true));
    expect(m.stats().packetsSent - sentBefore).toBeGreaterThan(150);
    t += 5000;
    m.tick();
    m.sendFrame({ ...video(true), data: new Uint8Array(20_000) });
    t += 33;
    const before = m.stats().packetsSent;
    m.sendFrame({ ...video(false), data: new Uint8Array(1000) });
    expect(m.stats().packetsSent).toBe(before + 1);
  });

  it('a growing queue (delay overuse) cuts the rate without any loss', () => {
    let start = Infinity;
    // after 3 s the A→B path queues up: +1 ms of delay per 5 ms sent, for 1.5 s
    const p = pairUp({ delayMs: (t) => 20 + Math.max(0, Math.min(t, 4500) - Math.min(start, t)) / 5 });
    p.run(3000);
    const before = p.s.a.stats().target.videoBitrate;
    start = 3000;
    p.run(1500);
    expect(p.s.b.stats().packetsLost).toBe(0);
    expect(p.s.a.stats().target.videoBitrate).toBeLessThan(before * 0.9);
  });

  it('drops and counts wrong-key, replayed and truncated packets without throwing', () => {
    const p = pairUp();
    p.run(500);
    const b = p.s.b;
    const before = b.stats();
    const old = p.wire[3]!;
    expect(isCallMediaPacket(old)).toBe(true);
    const stranger = pairUp();
    stranger.run(200);
    const foreign = stranger.wire[0]!.slice();
    foreign.set(old.subarray(2, 6), 2); // same call tag, other keys
    expect(() => {
      b.onPacket(old); // replay
      b.onPacket(old.subarray(0, 40)); // truncated
      b.onPacket(foreign); // wrong key
      b.onPacket(new Uint8Array(0));
      b.onPacket(randomBytes(1167));
    }).not.toThrow();
    const after = b.stats();
    expect(after.packetsRejected - before.packetsRejected).toBe(5);
    expect(after.packetsReceived).toBe(before.packetsReceived);
    p.run(500);
    expect(b.stats().packetsRejected).toBe(after.packetsRejected);
  });

  it('close erases the keys and stops everything', () => {
    const p = pairUp();
    p.run(300);
    p.s.a.close();
    const sent = p.s.a.stats().packetsSent;
    p.run(300);
    expect(p.s.a.stats().packetsSent).toBe(sent);
    expect(() => p.s.a.onPacket(p.wire[0]!)).not.toThrow();
  });
});
