/**
 * @module call/congestion
 * Sender rate control after draft-ietf-rmcat-gcc-02 (Google Congestion Control), narrowed:
 *
 * - `DelayTrend` (receiver side, §5): packets are grouped by send time (5 ms bursts); the
 *   one-way delay variation between groups d = Δarrival − Δsend is accumulated, smoothed
 *   (α = 0.9), and the trend (least-squares slope over the last 20 groups, × gain) is compared
 *   with an adaptive threshold γ (§5.4: K_u = 0.01, K_d = 0.00018 per ms, 6…600): above γ for
 *   a while is overuse, below −γ underuse. The signal rides in the receiver report.
 * - `RateController` (sender side): on every report, delay overuse → rate × 0.85 (at most
 *   once per max(RTT, 300 ms)); else loss-based (§6): loss > 10 % → rate × (1 − 0.5·loss),
 *   2…10 % or underuse → hold, < 2 % → +8 %/s, never growing past 1.5 × what the peer
 *   receives (an application-limited sender does not probe blindly). 32 kbit/s…2.5 Mbit/s,
 *   start 600 kbit/s.
 * - `allocate`: audio first (32 kbit/s, 24 when short, 16 floor), video gets the rest and
 *   picks a resolution/frame-rate step from its rate.
 */

export const MIN_RATE = 32_000;
export const MAX_RATE = 2_500_000;
export const START_RATE = 600_000;

export type RateTarget = { audioBitrate: number; videoBitrate: number; width: number; height: number; fps: number };

const U32 = 0x1_0000_0000;
const BURST_MS = 5;
const WINDOW = 20;
const SMOOTH = 0.9;
const GAIN = 4;
const OVERUSE_TIME_MS = 10;

export class DelayTrend {
  private groupSend: number | null = null;
  private groupArrival = 0;
  private prevSend: number | null = null;
  private prevArrival = 0;
  private acc = 0;
  private smoothed = 0;
  private readonly points: { x: number; y: number }[] = [];
  private first: number | null = null;
  private gamma = 12.5;
  private lastGammaUpdate: number | null = null;
  private overSince: number | null = null;
  private deltas = 0;
  /** 0 normal, 1 overuse, 2 underuse */
  state: 0 | 1 | 2 = 0;
  lastTrend = 0;

  /** `sendMs`: the sender's 32-bit stamp; `arrivalMs`: our clock. */
  onPacket(sendMs: number, arrivalMs: number): void {
    if (this.groupSend === null) {
      this.groupSend = sendMs;
      this.groupArrival = arrivalMs;
      return;
    }
    const since = (((sendMs - this.groupSend) % U32) + U32) % U32;
    if (since > U32 / 2) return; // reordered into an older group: ignore
    if (since <= BURST_MS) {
      this.groupArrival = Math.max(this.groupArrival, arrivalMs);
      return;
    }
    this.closeGroup(this.groupSend, this.groupArrival);
    this.groupSend = sendMs;
    this.groupArrival = arrivalMs;
  }

  private closeGroup(send: number, arrival: number): void {
    if (this.prevSend !== null) {
      const dSend = (((send - this.prevSend) % U32) + U32) % U32;
      const d = arrival - this.prevArrival - dSend;
      this.deltas++;
      this.acc += d;
      this.smoothed = SMOOTH * this.smoothed + (1 - SMOOTH) * this.acc;
      this.first ??= arrival;
      this.points.push({ x: arrival - this.first, y: this.smoothed });
      if (this.points.length > WINDOW) this.points.shift();
      if (this.points.length >= 2) this.detect(arrival);
    }
    this.prevSend = send;
    this.prevArrival = arrival;
  }

  private detect(now: number): void {
    const n = this.points.length;
    const mx = this.points.reduce((s, p) => s + p.x, 0) / n;
    const my = this.points.reduce((s, p) => s + p.y, 0) / n;
    let num = 0;
    let den = 0;
    for (const p of this.points) {
      num += (p.x - mx) * (p.y - my);
      den += (p.x - mx) ** 2;
    }
    const slope = den > 0 ? num / den : 0;
    const m = Math.min(this.deltas, 60) * slope * GAIN;
    this.lastTrend = m;
    if (m > this.gamma) {
      this.overSince ??= now;
      if (now - this.overSince >= OVERUSE_TIME_MS) this.state = 1;
    } else {
      this.overSince = null;
      this.state = m < -this.gamma ? 2 : 0;
    }
    const dt = Math.min(this.lastGammaUpdate === null ? 0 : now - this.lastGammaUpdate, 100);
    this.lastGammaUpdate = now;
    if (Math.abs(m) < this.gamma + 15) {
      const k = Math.abs(m) < this.gamma ? 0.00018 : 0.01;
      this.gamma = Math.min(600, Math.max(6, this.gamma + dt * k * (Math.abs(m) - this.gamma)));
    }
  }
}

export type RateFeedback = {
  /** Packets of our streams lost in the peer's last report interval, 0…1. */
  loss: number;
  delay: 0 | 1 | 2;
  /** What the peer receives of our streams, bit/s (0 = unknown). */
  receiveBps: number;
  rttMs: number | null;
};

export class RateController {
  private rate = START_RATE;
  private lastUpdate: number | null = null;
  private lastDecrease = -Infinity;

  constructor(initial = START_RATE) {
    this.rate = clamp(initial);
  }

  get bitrate(): number {
    return Math.round(this.rate);
  }

  update(f: RateFeedback, now: number): number {
    const dt = this.lastUpdate === null ? 0 : Math.min(1, Math.max(0, (now - this.lastUpdate) / 1000));
    this.lastUpdate = now;
    const gap = Math.max(f.rttMs ?? 0, 300);
    if (f.delay === 1) {
      if (now - this.lastDecrease >= gap) {
        const base = f.receiveBps > 0 ? Math.min(this.rate, f.receiveBps) : this.rate;
        this.rate = 0.85 * base;
        this.lastDecrease = now;
      }
    } else if (f.loss > 0.1) {
      this.rate *= 1 - 0.5 * Math.min(1, f.loss);
      this.lastDecrease = now;
    } else if (f.loss < 0.02 && f.delay === 0) {
      const grown = this.rate * Math.pow(1.08, dt);
      const cap = f.receiveBps > 0 ? Math.max(this.rate, 1.5 * f.receiveBps) : grown;
      this.rate = Math.min(grown, cap);
    }
    this.rate = clamp(this.rate);
    return this.bitrate;
  }
}

function clamp(r: number): number {
  return Math.min(MAX_RATE, Math.max(MIN_RATE, r));
}

/** Split a total rate into audio and video and choose the video step. */
export function allocate(total: number): RateTarget {
  const t = Math.round(clamp(total));
  const audio = t >= 182_000 ? 32_000 : t >= 64_000 ? 24_000 : 16_000;
  const video = t - audio;
  if (video < 48_000) return { audioBitrate: audio, videoBitrate: 0, width: 0, height: 0, fps: 0 };
  if (video < 150_000) return { audioBitrate: audio, videoBitrate: video, width: 320, height: 180, fps: 15 };
  if (video < 400_000) return { audioBitrate: audio, videoBitrate: video, width: 640, height: 360, fps: 15 };
  if (video < 1_000_000) return { audioBitrate: audio, videoBitrate: video, width: 640, height: 360, fps: 30 };
  return { audioBitrate: audio, videoBitrate: video, width: 1280, height: 720, fps: 30 };
}
