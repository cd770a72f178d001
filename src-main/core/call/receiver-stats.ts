/**
 * @module call/receiver-stats
 * Receive-side statistics of one media stream and the report clock, after RFC 3550
 * (RTP/RTCP): packets received and lost from sequence gaps (expected − received, so late,
 * reordered packets still count as received), the lost fraction since the previous report
 * (§6.4.1, in 1/256), interarrival jitter J += (|D| − J)/16 (§6.4.1, A.8) and the receive
 * bitrate over the last second. `ReportClock` is the RTCP SR/RR LSR/DLSR exchange: each report
 * carries its own send time, the echoed send time of the peer's last report and the delay
 * since it arrived, so RTT = now − echo − delay (§6.4.1).
 */
import type { StreamReport } from './media-packet';

const RATE_WINDOW_MS = 1000;
const LOSS_HISTORY = 8;
const U32 = 0x1_0000_0000;

/** Sliding one-second byte counter → bits per second. */
export class RateMeter {
  private readonly events: { t: number; bytes: number }[] = [];
  private total = 0;

  add(t: number, bytes: number): void {
    this.events.push({ t, bytes });
    this.total += bytes;
    this.trim(t);
  }

  bps(t: number): number {
    this.trim(t);
    return Math.round((this.total * 8 * 1000) / RATE_WINDOW_MS);
  }

  private trim(t: number): void {
    while (this.events.length > 0 && this.events[0]!.t <= t - RATE_WINDOW_MS) this.total -= this.events.shift()!.bytes;
  }
}

export class StreamReceiver {
  private base = -1;
  private max = -1;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit: number | null = null;
  private jitter = 0;
  private readonly rate = new RateMeter();
  private readonly history: { expected: number; lost: number }[] = [];

  /** `timestampMs`: media time of the packet; `arrivalMs`: local clock. */
  onPacket(seq: number, timestampMs: number, arrivalMs: number, bytes: number): void {
    if (this.base < 0) {
      this.base = seq;
      this.max = seq;
    } else if (seq > this.max) this.max = seq;
    else if (seq < this.base) return; // older than the first packet seen: outside our count
    this.received++;
    this.rate.add(arrivalMs, bytes);
    const transit = arrivalMs - timestampMs;
    if (this.transit !== null) this.jitter += (Math.abs(transit - this.transit) - this.jitter) / 16;
    this.transit = transit;
  }

  get packetsReceived(): number {
    return this.received;
  }

  get expected(): number {
    return this.base < 0 ? 0 : this.max - this.base + 1;
  }

  get packetsLost(): number {
    return Math.max(0, this.expected - this.received);
  }

  get jitterMs(): number {
    return this.jitter;
  }

  receiveBps(now: number): number {
    return this.rate.bps(now);
  }

  /** Packets expected and lost over the last few report intervals. */
  get recent(): { expected: number; lost: number } {
    let expected = 0;
    let lost = 0;
    for (const h of this.history) {
      expected += h.expected;
      lost += h.lost;
    }
    return { expected, lost };
  }

  /** Loss over the last few report intervals, 0…1. */
  get recentLoss(): number {
    const r = this.recent;
    return r.expected > 0 ? r.lost / r.expected : 0;
  }

  /** The report block for this stream; starts a new report interval. */
  report(now: number): StreamReport {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = Math.max(0, expectedInterval - receivedInterval);
    this.history.push({ expected: expectedInterval, lost: lostInterval });
    if (this.history.length > LOSS_HISTORY) this.history.shift();
    return {
      fractionLost: expectedInterval > 0 ? Math.min(255, Math.floor((lostInterval * 256) / expectedInterval)) : 0,
      cumulativeLost: Math.min(U32 - 1, this.packetsLost),
      highestSeq: Math.max(0, this.max),
      jitterUs: Math.min(U32 - 1, Math.round(this.jitter * 1000)),
      receiveBps: Math.min(U32 - 1, this.rate.bps(now)),
    };
  }
}

/** Our clock as the 32-bit millisecond stamp reports carry; never 0 (0 = "no report yet"). */
export function stampMs(now: number): number {
  const s = Math.floor(now) % U32;
  return s === 0 ? 1 : s;
}

export class ReportClock {
  private peerStamp = 0;
  private peerAt = 0;
  private srtt: number | null = null;
  lastRttMs: number | null = null;

  /** Fields for the report we send now. */
  outgoing(now: number): { echoMs: number; delaySinceMs: number } {
    if (this.peerStamp === 0) return { echoMs: 0, delaySinceMs: 0 };
    return { echoMs: this.peerStamp, delaySinceMs: Math.max(0, Math.min(U32 - 1, Math.round(now - this.peerAt))) };
  }

  /** A report from the peer arrived; returns the RTT sample, if it carried an echo. */
  incoming(now: number, peerSendMs: number, echoMs: number, delaySinceMs: number): number | null {
    this.peerStamp = peerSendMs;
    this.peerAt = now;
    if (echoMs === 0) return null;
    const rtt = (((stampMs(now) - echoMs - delaySinceMs) % U32) + U32) % U32;
    if (rtt > 60_000) return null;
    this.lastRttMs = rtt;
    this.srtt = this.srtt === null ? rtt : this.srtt + (rtt - this.srtt) / 8;
    return rtt;
  }

  /** Smoothed RTT (RFC 6298 weight 1/8), ms; null before the first sample. */
  get rttMs(): number | null {
    return this.srtt;
  }
}
