/**
 * @module dapps/distribution/peer-state
 * What one download knows about one candidate peer: whether it holds the bundle (its HAVE
 * bitfield), how many requests it has in flight and may have (a window that grows by one per
 * answer and halves on a timeout or BUSY — TCP's AIMD, RFC 5681), and its retransmission
 * timeout, estimated from answer times as TCP does (RFC 6298: SRTT/RTTVAR, RTO = SRTT + 4·RTTVAR,
 * doubled on each timeout — the back-off — and bounded). Requests are never re-sent under the
 * same id, so every sample is unambiguous (Karn's rule holds without special cases).
 */
import type { FETCH_DEFAULTS } from './constants';

export type FetchLimits = { [K in keyof typeof FETCH_DEFAULTS]: number };

export type PeerStatus =
  /** asked HAVE?, no answer yet */
  | 'asked'
  /** answered HAVE: serves this bundle */
  | 'holder'
  /** answered NOT_FOUND */
  | 'lacks'
  /** too many timeouts in a row: set aside until it answers HAVE? again */
  | 'stalled'
  /** no session to it (send returned false) */
  | 'unreachable'
  /** sent bad data (a head or chunk that does not hash right, or answers that do not fit): dropped for this fetch */
  | 'bad';

export class PeerState {
  status: PeerStatus = 'asked';
  /** From its HAVE. */
  have: { headSize: number; totalSize: number; chunkCount: number; bitfield: Uint8Array } | null = null;
  lastAskedAt = -Infinity;
  inflight = 0;
  window: number;
  rto: number;
  private srtt: number | null = null;
  private rttvar = 0;
  timeouts = 0;
  private lastBackoffAt = -Infinity;
  busyUntil = 0;
  /** Times the head job was taken from it after timeouts. */
  headTries = 0;
  /** Chunk jobs (and the head job, as -1) this peer is assigned. */
  readonly jobs = new Set<number>();
  /** Why it was dropped, when it is 'bad'. */
  why = '';

  constructor(
    readonly address: string,
    private readonly limits: FetchLimits,
  ) {
    this.window = limits.initialWindow;
    this.rto = limits.initialRtoMs;
  }

  get key(): string {
    return this.address.toLowerCase();
  }

  usable(now: number): boolean {
    return this.status === 'holder' && this.busyUntil <= now;
  }

  /** An answer `rttMs` after its request (RFC 6298 §2.2–2.3). */
  answered(rttMs: number): void {
    if (this.srtt === null) {
      this.srtt = rttMs;
      this.rttvar = rttMs / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rttMs);
      this.srtt = 0.875 * this.srtt + 0.125 * rttMs;
    }
    this.rto = Math.min(this.limits.maxRtoMs, Math.max(this.limits.minRtoMs, this.srtt + 4 * this.rttvar));
    this.timeouts = 0;
    this.window = Math.min(this.limits.maxWindow, this.window + 1);
  }

  /**
   * A request sent at `sentAt` timed out; true when the peer should be set aside. Like one TCP
   * retransmission timer per connection (RFC 6298 §5), a burst of requests lost together backs
   * off once: only a request sent after the last back-off counts.
   */
  timedOut(sentAt: number, now: number): boolean {
    if (sentAt < this.lastBackoffAt) return false;
    this.lastBackoffAt = now;
    this.timeouts++;
    this.rto = Math.min(this.limits.maxRtoMs, this.rto * 2);
    this.window = Math.max(1, this.window >> 1);
    return this.timeouts >= this.limits.maxPeerTimeouts;
  }

  busy(now: number, retryAfterMs: number): void {
    this.busyUntil = now + Math.max(retryAfterMs, 10);
    this.window = Math.max(1, this.window >> 1);
  }
}
