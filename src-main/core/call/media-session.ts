/**
 * @module call/media-session
 * One call's media path between two friends, on top of the friend session: per-frame end-to-end
 * encryption (SFrame-like, RFC 9605 ideas; keys from ./keys), RED audio redundancy (RFC 2198),
 * VP8 packetisation with keyframe requests, RFC 3550-style receiver reports every 300 ms (loss,
 * jitter, highest seq, receive rate, LSR/DLSR echo → RTT), GCC-like rate control
 * (draft-ietf-rmcat-gcc-02) and an E-model MOS (ITU-T G.107/G.114).
 *
 * Nothing is queued: `sendFrame` seals and hands packets to `send` at once, audio first by
 * construction. Video has a token bucket filled at 1.5 × its target rate (room for keyframes);
 * a delta frame that would overrun it (more than one second of target in debt) is skipped, and since later deltas depend on it,
 * deltas are skipped until the encoder — asked through `onTarget({ keyframe: true })` — sends a
 * keyframe. Audio is never skipped.
 *
 * Media timestamps travel as the low 32 bits of `timestampUs` (µs); the receiver unwraps them
 * with one shared state for audio and video, so it sees the sender's timestamps modulo 2³² µs
 * (≈ 71.6 min) — identical when the sender's are below that — with the same offset for both
 * kinds, which is what lip-sync needs. `onPacket` never throws: bad, foreign, replayed or
 * truncated packets are dropped and counted (`packetsRejected`).
 */
import { BuError, prng } from '../base';
import { MAX_VIDEO_FRAME } from '../../../src-preload/contract/media';
import { allocate, DelayTrend, RateController, type RateTarget } from './congestion';
import type { CallKeys } from './keys';
import { MediaPacketOpener, sealMediaPacket, type MediaBody, type ReportBody } from './media-packet';
import { estimateMos } from './quality';
import { RateMeter, ReportClock, StreamReceiver, stampMs } from './receiver-stats';
import { decodeRed, MAX_AUDIO_PAYLOAD, RedDecoder, RedEncoder } from './red';
import { splitFrame, VideoReassembler, type AssembledFrame } from './video-packetizer';

export { isCallMediaPacket } from './media-packet';

export type OutboundFrame = {
  kind: 'audio' | 'video';
  data: Uint8Array;
  timestampUs: number;
  captureMs: number;
  durationUs: number;
  keyframe: boolean;
  width: number;
  height: number;
};
export type InboundFrame = OutboundFrame & { seq: number; recovered: boolean };
export type MediaTarget = RateTarget & { keyframe: boolean };
export type MediaStats = {
  rttMs: number | null;
  lossPercent: number;
  jitterMs: number;
  recoveredFrames: number;
  sendBitrate: number;
  receiveBitrate: number;
  target: RateTarget;
  packetsSent: number;
  packetsReceived: number;
  packetsLost: number;
  mos: number | null;
  /** Packets dropped on arrival: not ours, not authentic, replayed or malformed. */
  packetsRejected: number;
  keyframeRequestsSent: number;
  videoFramesSkipped: number;
};
export type MediaSessionOptions = {
  callId: Uint8Array;
  keys: CallKeys;
  /** one session payload (≤ 1,167 bytes), unreliable; false = no link right now */
  send(packet: Uint8Array): boolean;
  onFrame(f: InboundFrame): void;
  /** targets changed (or a keyframe is wanted from our encoder) */
  onTarget(t: MediaTarget): void;
  now?: () => number;
  /** tests and the loss experiment: drop this fraction of outgoing packets (seeded PRNG) */
  loss?: { rate: number; seed: number };
};

export const REPORT_INTERVAL_MS = 300;
const U32 = 0x1_0000_0000;
const MAX_DEBT_S = 1;
const BURST_S = 0.5;
/** Video may run this much over its target for a while (keyframes), as a GCC pacer does. */
const PACING_FACTOR = 1.5;
const KEYFRAME_REASK_MS = 1000;


function low32(x: number): number {
  return ((Math.round(x) % U32) + U32) % U32;
}

type PeerView = { lost: number; highest: number };

export class MediaSession {
  private readonly now: () => number;
  private readonly opener: MediaPacketOpener;
  private readonly dropOut: (() => boolean) | null;
  private counter = 0;
  private closed = false;
  // sending
  private readonly red = new RedEncoder();
  private audioSeq = 0;
  private videoSeq = 0;
  private controlSeq = 0;
  private frameId = 0;
  private tokens = 0;
  private tokensAt: number | null = null;
  private needKeyframe = false;
  private keyframeAskedAt = 0;
  private readonly rate = new RateController();
  private target: RateTarget;
  private emitted: RateTarget | null = null;
  private peerAudio: PeerView | null = null;
  private peerVideo: PeerView | null = null;
  private redLoss = 0;
  // receiving
  private readonly rxAudio = new StreamReceiver();
  private readonly rxVideo = new StreamReceiver();
  private readonly redDecoder = new RedDecoder();
  private readonly reassembler: VideoReassembler;
  private readonly trend = new DelayTrend();
  private readonly clock = new ReportClock();
  private tsExt: number | null = null;
  private lastReportAt = -Infinity;
  // counters
  private readonly sendMeter = new RateMeter();
  private readonly recvMeter = new RateMeter();
  private packetsSent = 0;
  private packetsReceived = 0;
  private packetsRejected = 0;
  private keyframeRequestsSent = 0;
  private videoFramesSkipped = 0;

  constructor(private readonly o: MediaSessionOptions) {
    if (o.callId.length !== 16) throw new BuError('BAD_INPUT', 'a call id is 16 bytes');
    this.now = o.now ?? (() => performance.now());
    this.opener = new MediaPacketOpener(o.keys, o.callId);
    const rnd = o.loss && o.loss.rate > 0 ? prng(o.loss.seed) : null;
    this.dropOut = rnd ? () => rnd() < o.loss!.rate : null;
    this.target = allocate(this.rate.bitrate);
    this.reassembler = new VideoReassembler({ now: this.now, onKeyframeNeeded: () => this.requestKeyframe() });
  }

  sendFrame(f: OutboundFrame): void {
    if (this.closed) return;
    const max = f.kind === 'audio' ? MAX_AUDIO_PAYLOAD : MAX_VIDEO_FRAME;
    if ((f.kind !== 'audio' && f.kind !== 'video') || f.data.length === 0 || f.data.length > max) {
      throw new BuError('BAD_INPUT', `a ${String(f.kind)} frame carries 1…${max} bytes`);
    }
    if (![f.timestampUs, f.captureMs, f.durationUs].every(Number.isFinite) || f.durationUs < 0 || f.durationUs >= U32) {
      throw new BuError('BAD_INPUT', 'frame times must be finite');
    }
    if (f.kind === 'audio') this.sendAudio(f);
    else this.sendVideo(f);
  }

  private sendAudio(f: OutboundFrame): void {
    const seq = this.audioSeq++;
    const payload = this.red.encode({ seq, timestampUs: f.timestampUs, durationUs: Math.round(f.durationUs), data: f.data });
    this.sendBody({ type: 'audio', seq: low32(seq), timestamp: low32(f.timestampUs), captureMs: f.captureMs, sendMs: stampMs(this.now()), payload });
  }

  private sendVideo(f: OutboundFrame): void {
    const now = this.now();
    const rateBytes = this.target.videoBitrate / 8;
    this.tokens = this.budgetAt(now);
    this.tokensAt = now;
    // the keyframe the receiver waits for goes out even in debt (else: a keyframes-only loop)
    const wanted = f.keyframe && this.needKeyframe && rateBytes > 0;
    if (f.keyframe) this.needKeyframe = false;
    const overBudget = rateBytes === 0 || this.tokens < -rateBytes * MAX_DEBT_S;
    if (!wanted && (this.needKeyframe || overBudget)) {
      this.videoFramesSkipped++;
      // later deltas depend on it: skip until a keyframe, asked by tick() once the budget is ≥ 0
      if (!this.needKeyframe || rateBytes === 0) [this.needKeyframe, this.keyframeAskedAt] = [true, -Infinity];
      return;
    }
    const id = this.frameId++;
    const parts = splitFrame(f.data);
    const common = { timestamp: low32(f.timestampUs), captureMs: f.captureMs, sendMs: stampMs(now) };
    parts.forEach((payload, index) => {
      this.sendBody({
        type: 'video',
        seq: low32(this.videoSeq++),
        ...common,
        keyframe: f.keyframe,
        frameId: low32(id),
        index,
        count: parts.length,
        durationUs: Math.round(f.durationUs),
        width: f.width & 0xffff,
        height: f.height & 0xffff,
        payload,
      });
    });
    this.tokens -= f.data.length;
  }

  /** The video token budget (bytes) at `now`: refilled at the paced rate, capped at a burst. */
  private budgetAt(now: number): number {
    const refill = (this.target.videoBitrate / 8) * PACING_FACTOR;
    if (this.tokensAt === null) return this.tokens;
    return Math.min(refill * BURST_S, this.tokens + (refill * (now - this.tokensAt)) / 1000);
  }

  /** Deltas are skipped until a keyframe; ask the encoder (again in tick() if unanswered). */
  private askKeyframe(now: number): void {
    this.needKeyframe = true;
    this.keyframeAskedAt = now;
    this.emit(true);
  }

  private sendBody(body: MediaBody): void {
    const pkt = sealMediaPacket(this.o.keys, this.o.callId, this.counter++, body);
    this.packetsSent++;
    this.sendMeter.add(this.now(), pkt.length);
    if (this.dropOut?.()) return;
    this.o.send(pkt);
  }

  private control(body: { type: 'report'; report: ReportBody } | { type: 'keyframe-request' }): void {
    const now = this.now();
    this.sendBody({ ...body, seq: low32(this.controlSeq++), timestamp: 0, captureMs: now, sendMs: stampMs(now) } as MediaBody);
  }

  private requestKeyframe(): void {
    if (this.closed) return;
    this.keyframeRequestsSent++;
    this.control({ type: 'keyframe-request' });
  }

  /** A packet from the friend; true if it opened (authentic, this call, not a replay). */
  onPacket(pkt: Uint8Array): boolean {
    if (this.closed) return false;
    try {
      const body = this.opener.open(pkt);
      if (typeof body === 'string') {
        this.packetsRejected++;
        return false;
      }
      this.receive(body, pkt.length);
      return true;
    } catch {
      this.packetsRejected++;
      return false;
    }
  }

  private unwrap(ts: number): number {
    if (this.tsExt === null) return (this.tsExt = ts);
    let d = ts - (this.tsExt % U32);
    if (d > U32 / 2) d -= U32;
    else if (d < -U32 / 2) d += U32;
    const ext = this.tsExt + d;
    if (ext > this.tsExt) this.tsExt = ext;
    return ext;
  }

  private receive(body: MediaBody, size: number): void {
    const now = this.now();
    if (body.type === 'audio') {
      const blocks = decodeRed(body.payload);
      this.count(now, size, body.sendMs);
      const ts = this.unwrap(body.timestamp);
      this.rxAudio.onPacket(body.seq, ts / 1000, now, size);
      for (const a of this.redDecoder.receive(body.seq, blocks)) {
        this.o.onFrame({
          kind: 'audio',
          data: a.data,
          timestampUs: ts - a.tsDeltaUs,
          captureMs: body.captureMs - a.tsDeltaUs / 1000,
          durationUs: a.durationUs,
          keyframe: false,
          width: 0,
          height: 0,
          seq: a.seq,
          recovered: a.recovered,
        });
      }
    } else if (body.type === 'video') {
      this.count(now, size, body.sendMs);
      this.rxVideo.onPacket(body.seq, this.unwrap(body.timestamp) / 1000, now, size);
      for (const v of this.reassembler.push(body)) this.deliverVideo(v);
    } else {
      this.count(now, size, null);
      if (body.type === 'report') this.onReport(body.sendMs, body.report, now);
      else this.askKeyframe(now);
    }
  }

  /** `sendMs` of media packets feeds the delay trend; control packets pass null. */
  private count(now: number, size: number, sendMs: number | null): void {
    this.packetsReceived++;
    this.recvMeter.add(now, size);
    if (sendMs !== null) this.trend.onPacket(sendMs, now);
  }

  private deliverVideo(v: AssembledFrame): void {
    this.o.onFrame({
      kind: 'video',
      data: v.data,
      timestampUs: this.unwrap(v.timestamp),
      captureMs: v.captureMs,
      durationUs: v.durationUs,
      keyframe: v.keyframe,
      width: v.width,
      height: v.height,
      seq: v.frameId,
      recovered: false,
    });
  }

  /** Packets the peer lost of one of our streams since its previous report. */
  private static interval(prev: PeerView | null, s: ReportBody['audio']): { expected: number; lost: number; view: PeerView } {
    const view = { lost: s.cumulativeLost, highest: s.highestSeq };
    if (!prev) return { expected: 0, lost: 0, view };
    return { expected: Math.max(0, s.highestSeq - prev.highest), lost: Math.max(0, s.cumulativeLost - prev.lost), view };
  }

  private onReport(peerSendMs: number, r: ReportBody, now: number): void {
    this.clock.incoming(now, peerSendMs, r.echoMs, r.delaySinceMs);
    const a = MediaSession.interval(this.peerAudio, r.audio);
    const v = MediaSession.interval(this.peerVideo, r.video);
    this.peerAudio = a.view;
    this.peerVideo = v.view;
    const expected = a.expected + v.expected;
    const loss = expected > 0 ? Math.min(1, (a.lost + v.lost) / expected) : (r.audio.fractionLost + r.video.fractionLost) / 512;
    const audioLoss = a.expected > 0 ? a.lost / a.expected : r.audio.fractionLost / 256;
    this.redLoss = 0.7 * this.redLoss + 0.3 * audioLoss;
    if (this.redLoss > 0.1) this.red.level = 2;
    else if (this.redLoss < 0.05) this.red.level = 1;
    this.rate.update({ loss, delay: r.delay, receiveBps: r.audio.receiveBps + r.video.receiveBps, rttMs: this.clock.rttMs }, now);
    this.target = allocate(this.rate.bitrate);
    this.emit(false);
  }

  private emit(keyframe: boolean): void {
    const t = this.target;
    const e = this.emitted;
    const moved =
      !e ||
      e.audioBitrate !== t.audioBitrate ||
      e.width !== t.width ||
      e.height !== t.height ||
      e.fps !== t.fps ||
      Math.abs(t.videoBitrate - e.videoBitrate) > 0.05 * Math.max(e.videoBitrate, 1);
    if (!moved && !keyframe) return;
    this.emitted = { ...t };
    this.o.onTarget({ ...t, keyframe });
  }

  /** Call every 100 ms: receiver reports, lost-frame detection, the first target. */
  tick(): void {
    if (this.closed) return;
    const now = this.now();
    if (!this.emitted) this.emit(false);
    if (this.needKeyframe && this.target.videoBitrate > 0 && this.budgetAt(now) >= 0 && now - this.keyframeAskedAt >= KEYFRAME_REASK_MS) this.askKeyframe(now);
    for (const v of this.reassembler.tick()) this.deliverVideo(v);
    if (now - this.lastReportAt >= REPORT_INTERVAL_MS) {
      this.lastReportAt = now;
      this.control({
        type: 'report',
        report: { ...this.clock.outgoing(now), delay: this.trend.state, audio: this.rxAudio.report(now), video: this.rxVideo.report(now) },
      });
    }
  }

  stats(): MediaStats {
    const now = this.now();
    const ra = this.rxAudio.recent;
    const rv = this.rxVideo.recent;
    const expected = ra.expected + rv.expected;
    const rtt = this.clock.rttMs;
    const heard = this.rxAudio.expected;
    const residual = heard > 0 ? (100 * Math.max(0, this.rxAudio.packetsLost - this.redDecoder.recovered)) / heard : 0;
    return {
      rttMs: rtt === null ? null : Math.round(rtt * 10) / 10,
      lossPercent: expected > 0 ? (100 * (ra.lost + rv.lost)) / expected : 0,
      jitterMs: Math.round(this.rxAudio.jitterMs * 100) / 100,
      recoveredFrames: this.redDecoder.recovered,
      sendBitrate: this.sendMeter.bps(now),
      receiveBitrate: this.recvMeter.bps(now),
      target: { ...this.target },
      packetsSent: this.packetsSent,
      packetsReceived: this.packetsReceived,
      packetsLost: this.rxAudio.packetsLost + this.rxVideo.packetsLost,
      mos: heard > 0 && rtt !== null ? estimateMos({ rttMs: rtt, lossPercent: residual, jitterMs: this.rxAudio.jitterMs }) : null,
      packetsRejected: this.packetsRejected,
      keyframeRequestsSent: this.keyframeRequestsSent,
      videoFramesSkipped: this.videoFramesSkipped,
    };
  }

  /** Stop and erase the call keys. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.o.keys.wipe();
  }
}
