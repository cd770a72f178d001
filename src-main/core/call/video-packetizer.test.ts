/** @module call/video-packetizer.test */
import { describe, expect, it } from 'vitest';
import { MAX_VIDEO_CHUNK } from './media-packet';
import { splitFrame, VideoReassembler, type VideoFragment } from './video-packetizer';

function fragments(frameId: number, size: number, keyframe: boolean): VideoFragment[] {
  const data = new Uint8Array(size).map((_, i) => (i * 7 + frameId) & 0xff);
  const parts = splitFrame(data);
  return parts.map((payload, index) => ({
    frameId,
    index,
    count: parts.length,
    keyframe,
    timestamp: frameId * 33_333,
    captureMs: 1000 + frameId * 33,
    durationUs: 33_333,
    width: 640,
    height: 360,
    payload,
  }));
}

function setup() {
  let t = 0;
  let requests = 0;
  const r = new VideoReassembler({ now: () => t, onKeyframeNeeded: () => requests++ });
  return {
    r,
    advance: (ms: number) => (t += ms),
    requests: () => requests,
  };
}

describe('video packetizer', () => {
  it('splits into balanced chunks that fit one packet', () => {
    const parts = splitFrame(new Uint8Array(512 * 1024));
    expect(parts.every((p) => p.length <= MAX_VIDEO_CHUNK)).toBe(true);
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(512 * 1024);
    const sizes = parts.map((p) => p.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(splitFrame(new Uint8Array(10))).toHaveLength(1);
    expect(() => splitFrame(new Uint8Array(512 * 1024 + 1))).toThrow();
    expect(() => splitFrame(new Uint8Array(0))).toThrow();
  });

  it('reassembles out-of-order fragments into whole frames, in frame order', () => {
    const { r, requests } = setup();
    const key = fragments(0, 5000, true);
    const delta = fragments(1, 3000, false);
    expect(r.push(key[2]!)).toEqual([]);
    expect(r.push(delta[0]!)).toEqual([]);
    expect(r.push(key[0]!)).toEqual([]);
    expect(r.push(delta[1]!)).toEqual([]);
    r.push(delta[2]!);
    const out = [...r.push(key[1]!), ...r.push(key[3]!), ...r.push(key[4]!)];
    expect(out.map((f) => f.frameId)).toEqual([0, 1]);
    expect(out[0]!.data).toEqual(new Uint8Array(5000).map((_, i) => (i * 7) & 0xff));
    expect(out[0]!.keyframe).toBe(true);
    expect(out[1]!.width).toBe(640);
    expect(requests()).toBe(0);
  });

  it('a lost fragment: one keyframe request, deltas dropped until the keyframe', () => {
    const { r, advance, requests } = setup();
    const got = (fs: VideoFragment[]) => fs.flatMap((f) => r.push(f)).map((f) => f.frameId);
    expect(got(fragments(0, 3000, true))).toEqual([0]);
    expect(got(fragments(1, 3000, false).slice(1))).toEqual([]); // fragment 0 of frame 1 lost
    advance(40);
    expect(got(fragments(2, 2000, false))).toEqual([]);
    advance(200);
    expect(r.tick()).toEqual([]);
    expect(requests()).toBe(1);
    expect(r.waitingForKeyframe).toBe(true);
    advance(30);
    expect(got(fragments(3, 2000, false))).toEqual([]);
    expect(requests()).toBe(1); // rate limited
    expect(got(fragments(4, 4000, true))).toEqual([4]);
    expect(got(fragments(5, 2000, false))).toEqual([5]);
    expect(r.framesDropped).toBeGreaterThanOrEqual(3);
    advance(5000);
    r.tick();
    expect(requests()).toBe(1);
  });

  it('starts with a keyframe: a first delta frame asks for one', () => {
    const { r, requests } = setup();
    expect(fragments(7, 1500, false).flatMap((f) => r.push(f))).toEqual([]);
    expect(requests()).toBe(1);
  });

  it('drops an incomplete frame after the maximum age and ignores bad fragments', () => {
    const { r, advance, requests } = setup();
    fragments(0, 3000, true).forEach((f) => r.push(f));
    r.push(fragments(1, 3000, false)[0]!);
    advance(1500);
    r.tick();
    expect(requests()).toBe(1);
    const f = fragments(9, 3000, true)[0]!;
    expect(r.push({ ...f, count: 100_000 })).toEqual([]);
    expect(r.badFragments).toBe(1);
  });
});
