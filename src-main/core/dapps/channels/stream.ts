/**
 * @module dapps/channels/stream
 * Reliable, in-order delivery of one app's DATA frames to one friend while the friend
 * session lives: Go-Back-N (a sliding window with cumulative acknowledgements; Kurose &
 * Ross, "Computer Networking", §3.4.3) over the session's datagrams.
 *
 * Each direction is a stream with a random 32-bit id. The sender numbers its DATA 0, 1, 2…;
 * the receiver delivers only the next expected number and acknowledges with the number it
 * expects next (ACK stream, seq = next); it keeps frames that arrive early (within the window)
 * so a resent frame fills the gap (selective-repeat receiver). Unacknowledged frames are resent
 * after a timeout that doubles per attempt (RFC 6298's backoff idea, no RTT estimate), the
 * first missing one also at once on a duplicate ACK (fast retransmit, RFC 5681 §3.2). When the session ends,
 * or a message waits longer than its deadline, every waiting message is reported undelivered
 * and the stream restarts under a new id at 0 — the receiver takes a new id only at seq 0
 * and never goes back to an id it has left, so a late frame of an old stream is ignored. A
 * receiver that restarted answers a stream it does not know with "expect 0"; the sender then
 * renumbers what waits under a new stream (so a friend's restart costs no messages).
 */
import { randomBytes } from 'node:crypto';

export const WINDOW = 32;
export const MAX_QUEUED = 128;
export const INITIAL_RTO_MS = 400;
export const MAX_RTO_MS = 2000;
export const DEFAULT_DEADLINE_MS = 10_000;
const FAST_GAP_MS = 50;
const RETIRED_KEPT = 16;

export type Outcome = (delivered: boolean) => void;

type Pending = { seq: number; body: Uint8Array; done: Outcome; deadline: number; sentAt: number | null };

const newStreamId = (): number => randomBytes(4).readUInt32BE(0);

/** Our side of a stream: queue, window, retransmission. `transmit` sends one DATA frame. */
export class OutStream {
  id = newStreamId();
  private next = 0;
  private queue: Pending[] = [];
  private rto = INITIAL_RTO_MS;

  constructor(private readonly transmit: (stream: number, seq: number, body: Uint8Array) => void, private readonly deadlineMs = DEFAULT_DEADLINE_MS) {}

  get waiting(): number {
    return this.queue.length;
  }

  /** Queues one message; false when the queue is full (the caller reports it busy). */
  push(body: Uint8Array, done: Outcome, now: number): boolean {
    if (this.queue.length >= MAX_QUEUED) return false;
    if (this.next === 0xffff_ffff) this.reset(); // never wraps: start a fresh stream
    this.queue.push({ seq: this.next++, body, done, deadline: now + this.deadlineMs, sentAt: null });
    this.fill(now);
    return true;
  }

  /** A cumulative ACK: everything below `nextExpected` arrived. */
  ack(stream: number, nextExpected: number, now: number): void {
    if (stream !== this.id) return;
    const first = this.queue[0];
    // the receiver expects 0 of a stream whose start it acknowledged before: it lost its state
    // (the friend's node restarted), so the waiting messages go again as a new stream
    if (nextExpected === 0 && first && first.seq > 0) return this.restart(now);
    let acked = 0;
    while (this.queue.length > 0 && this.queue[0]!.seq < nextExpected && this.queue[0]!.sentAt !== null) {
      this.queue.shift()!.done(true);
      acked++;
    }
    if (acked > 0) this.rto = INITIAL_RTO_MS;
    const head = this.queue[0];
    // a duplicate ACK naming a frame we sent: the receiver holds later ones but not this one
    // (fast retransmit, RFC 5681 §3.2, without its three-duplicate threshold: at most once per FAST_GAP_MS)
    if (acked === 0 && head && head.seq === nextExpected && head.sentAt !== null && now - head.sentAt >= FAST_GAP_MS) {
      head.sentAt = now;
      this.transmit(this.id, head.seq, head.body);
    }
    this.fill(now);
  }

  /** Timer: resend the window when its oldest frame timed out; give up past the deadline. */
  tick(now: number): void {
    const head = this.queue[0];
    if (!head) return;
    if (now >= head.deadline) {
      this.reset();
      return;
    }
    if (head.sentAt !== null && now - head.sentAt >= this.rto) {
      this.rto = Math.min(this.rto * 2, MAX_RTO_MS);
      for (const p of this.queue.slice(0, WINDOW)) {
        if (p.sentAt === null) break;
        p.sentAt = now;
        this.transmit(this.id, p.seq, p.body);
      }
    }
  }

  /** Keeps everything waiting but numbers it afresh under a new stream id, and sends it. */
  restart(now: number): void {
    this.id = newStreamId();
    this.next = 0;
    this.rto = INITIAL_RTO_MS;
    for (const p of this.queue) {
      p.seq = this.next++;
      p.sentAt = null;
    }
    this.fill(now);
  }

  /** Fails everything waiting and starts a new stream (session gone, peer closed, deadline). */
  reset(): void {
    const failed = this.queue;
    this.queue = [];
    this.id = newStreamId();
    this.next = 0;
    this.rto = INITIAL_RTO_MS;
    for (const p of failed) p.done(false);
  }

  private fill(now: number): void {
    for (const p of this.queue.slice(0, WINDOW)) {
      if (p.sentAt !== null) continue;
      p.sentAt = now;
      this.transmit(this.id, p.seq, p.body);
    }
  }
}

export type Arrival = 'deliver' | 'buffered' | 'duplicate' | 'out-of-order' | 'stale-stream';

/**
 * The friend's stream towards us: what to deliver of an arriving DATA (in order, with any
 * buffered frames it unblocks) and what to acknowledge. Frames up to WINDOW ahead of the next
 * expected one are kept, so a retransmission fills the gap instead of resending the window.
 */
export class InStream {
  private stream: number | null = null;
  private next = 0;
  private readonly ahead = new Map<number, unknown>();
  private readonly retired: number[] = [];

  /** `ack`: the seq to acknowledge (null: none); `deliver`: the values now in order. */
  accept(stream: number, seq: number, value: unknown): { verdict: Arrival; ack: number | null; deliver: unknown[] } {
    if (stream !== this.stream) {
      if (this.retired.includes(stream)) return { verdict: 'stale-stream', ack: null, deliver: [] };
      // a stream we never saw the start of: "I expect 0" (a sender whose 0 was acknowledged by
      // an earlier incarnation of this node restarts its stream; see OutStream.ack)
      if (seq !== 0) return { verdict: 'out-of-order', ack: 0, deliver: [] };
      if (this.stream !== null) {
        this.retired.push(this.stream);
        if (this.retired.length > RETIRED_KEPT) this.retired.shift();
      }
      this.stream = stream;
      this.next = 0;
      this.ahead.clear();
    }
    if (seq < this.next || this.ahead.has(seq)) return { verdict: 'duplicate', ack: this.next, deliver: [] };
    if (seq > this.next) {
      if (seq - this.next >= WINDOW) return { verdict: 'out-of-order', ack: this.next, deliver: [] };
      this.ahead.set(seq, value);
      return { verdict: 'buffered', ack: this.next, deliver: [] };
    }
    const deliver = [value];
    this.next++;
    while (this.ahead.has(this.next)) {
      deliver.push(this.ahead.get(this.next));
      this.ahead.delete(this.next);
      this.next++;
    }
    return { verdict: 'deliver', ack: this.next, deliver };
  }

  get current(): number | null {
    return this.stream;
  }
}
