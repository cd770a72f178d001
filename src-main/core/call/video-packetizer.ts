/**
 * @module call/video-packetizer
 * Splits an encoded VP8 frame (≤ 512 KiB) into fragments that keep every media packet within
 * one datagram (`MAX_VIDEO_CHUNK` bytes of video each, sizes balanced), and reassembles them
 * on the receiver by (frame id, index, count). Frames are handed on strictly in frame-id
 * order: a delta frame is useless without all the frames before it. When the next frame
 * stays incomplete for `lossTimeoutMs` while newer frames arrive (or expires after
 * `maxAgeMs`), it is lost: the reassembler asks for a keyframe (at most one request per
 * `keyframeIntervalMs`, repeated while still waiting) and drops delta frames until a
 * keyframe arrives complete. The first frame handed on is always a keyframe.
 * (Loss repair by keyframe request, as RTCP PLI in RFC 4585, over the RFC 3550 model.)
 */
import { MAX_VIDEO_FRAME } from '../../../src-preload/contract/media';
import { MAX_VIDEO_CHUNK } from './media-packet';

export type VideoFragment = {
  frameId: number;
  index: number;
  count: number;
  keyframe: boolean;
  timestamp: number;
  captureMs: number;
  durationUs: number;
  width: number;
  height: number;
  payload: Uint8Array;
};

export type AssembledFrame = Omit<VideoFragment, 'index' | 'count' | 'payload'> & { data: Uint8Array };

export type ReassemblerOptions = {
  now: () => number;
  onKeyframeNeeded: () => void;
  lossTimeoutMs?: number;
  maxAgeMs?: number;
  keyframeIntervalMs?: number;
};

const MAX_PENDING_FRAMES = 64;
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
const MAX_FRAGMENTS = Math.ceil(MAX_VIDEO_FRAME / 256);

/** Balanced chunks of at most `chunk` bytes (one for an empty frame is not allowed). */
export function splitFrame(data: Uint8Array, chunk = MAX_VIDEO_CHUNK): Uint8Array[] {
  if (data.length === 0 || data.length > MAX_VIDEO_FRAME) throw new RangeError(`a video frame carries 1…${MAX_VIDEO_FRAME} bytes`);
  const count = Math.ceil(data.length / chunk);
  const base = Math.floor(data.length / count);
  const extra = data.length % count;
  const out: Uint8Array[] = [];
  let off = 0;
  for (let i = 0; i < count; i++) {
    const n = base + (i < extra ? 1 : 0);
    out.push(data.subarray(off, off + n));
    off += n;
  }
  return out;
}

type Pending = { head: VideoFragment; parts: (Uint8Array | undefined)[]; got: number; bytes: number; firstSeen: number };

export class VideoReassembler {
  private readonly pending = new Map<number, Pending>();
  private pendingBytes = 0;
  private next: number | null = null;
  private waiting = true;
  private blockedSince: number | null = null;
  private lastRequest = -Infinity;
  private readonly lossTimeoutMs: number;
  private readonly maxAgeMs: number;
  private readonly keyframeIntervalMs: number;
  framesDelivered = 0;
  framesDropped = 0;
  keyframeRequests = 0;
  badFragments = 0;

  constructor(private readonly o: ReassemblerOptions) {
    this.lossTimeoutMs = o.lossTimeoutMs ?? 150;
    this.maxAgeMs = o.maxAgeMs ?? 1000;
    this.keyframeIntervalMs = o.keyframeIntervalMs ?? 500;
  }

  /** True while delta frames are being dropped until a keyframe. */
  get waitingForKeyframe(): boolean {
    return this.waiting;
  }

  push(f: VideoFragment): AssembledFrame[] {
    const now = this.o.now();
    if (this.next !== null && f.frameId < this.next) return [];
    if (f.count > MAX_FRAGMENTS || f.index >= f.count) {
      this.badFragments++;
      return [];
    }
    let p = this.pending.get(f.frameId);
    if (!p) {
      p = { head: f, parts: new Array<Uint8Array | undefined>(f.count), got: 0, bytes: 0, firstSeen: now };
      this.pending.set(f.frameId, p);
    } else if (p.head.count !== f.count || p.head.keyframe !== f.keyframe || p.head.timestamp !== f.timestamp) {
      this.badFragments++;
      return [];
    }
    if (p.parts[f.index] === undefined) {
      if (p.bytes + f.payload.length > MAX_VIDEO_FRAME) {
        this.drop(f.frameId);
        this.badFragments++;
        return [];
      }
      p.parts[f.index] = f.payload;
      p.got++;
      p.bytes += f.payload.length;
      this.pendingBytes += f.payload.length;
    }
    this.trimMemory();
    return this.process(now);
  }

  /** Call periodically: detects lost frames and repeats keyframe requests. */
  tick(): AssembledFrame[] {
    return this.process(this.o.now());
  }

  private complete(p: Pending | undefined): p is Pending {
    return p !== undefined && p.got === p.head.count;
  }

  private drop(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pendingBytes -= p.bytes;
    this.pending.delete(id);
  }

  private trimMemory(): void {
    while (this.pending.size > MAX_PENDING_FRAMES || this.pendingBytes > MAX_PENDING_BYTES) {
      const oldest = Math.min(...this.pending.keys());
      this.drop(oldest);
      this.framesDropped++;
    }
  }

  private assemble(id: number, p: Pending): AssembledFrame {
    this.drop(id);
    const data = new Uint8Array(p.bytes);
    let off = 0;
    for (const part of p.parts) {
      data.set(part!, off);
      off += part!.length;
    }
    const h = p.head;
    this.framesDelivered++;
    return { frameId: id, keyframe: h.keyframe, timestamp: h.timestamp, captureMs: h.captureMs, durationUs: h.durationUs, width: h.width, height: h.height, data };
  }

  private requestKeyframe(now: number): void {
    if (now - this.lastRequest < this.keyframeIntervalMs) return;
    this.lastRequest = now;
    this.keyframeRequests++;
    this.o.onKeyframeNeeded();
  }

  private process(now: number): AssembledFrame[] {
    const out: AssembledFrame[] = [];
    for (const [id, p] of [...this.pending]) {
      if (now - p.firstSeen >= this.maxAgeMs && !this.complete(p)) {
        this.drop(id);
        this.framesDropped++;
        if (!this.waiting) this.lose(now);
      }
    }
    for (;;) {
      if (this.waiting) {
        const ids = [...this.pending.keys()].sort((a, b) => a - b);
        const key = ids.find((id) => this.complete(this.pending.get(id)) && this.pending.get(id)!.head.keyframe);
        // deltas after a keyframe still on its way stay: they decode once it is complete
        const coming = ids.find((id) => this.pending.get(id)!.head.keyframe && !this.complete(this.pending.get(id)));
        let droppedDelta = false;
        for (const id of ids) {
          if (key !== undefined && id >= key) break;
          if (key === undefined && coming !== undefined && id > coming) break;
          if (key !== undefined || this.complete(this.pending.get(id))) {
            droppedDelta ||= this.complete(this.pending.get(id));
            this.drop(id);
            this.framesDropped++;
          }
        }
        if (key === undefined) {
          // a usable-but-undecodable delta frame, or a request that went unanswered
          if (droppedDelta || (this.lastRequest > -Infinity && now - this.lastRequest >= 2 * this.keyframeIntervalMs)) this.requestKeyframe(now);
          break;
        }
        out.push(this.assemble(key, this.pending.get(key)!));
        this.next = key + 1;
        this.waiting = false;
        this.blockedSince = null;
        continue;
      }
      const p = this.pending.get(this.next!);
      if (this.complete(p)) {
        out.push(this.assemble(this.next!, p));
        this.next!++;
        this.blockedSince = null;
        continue;
      }
      const newer = [...this.pending.keys()].some((id) => id > this.next!);
      if (!newer) {
        this.blockedSince = null;
        break;
      }
      this.blockedSince ??= now;
      if (now - this.blockedSince < this.lossTimeoutMs) break;
      this.drop(this.next!);
      this.lose(now);
    }
    return out;
  }

  private lose(now: number): void {
    this.framesDropped++;
    this.waiting = true;
    this.blockedSince = null;
    this.requestKeyframe(now);
  }
}
