/**
 * @module seal/p2p/outbox
 * Per-peer send queues with pacing and a window. A 4 MiB frame is ~3,600 datagrams; written in
 * one go it would overrun the receiver's socket buffer (and, with every node of a test in one
 * process, starve the receiving side of the event loop). So:
 *  - at most `pumpBytesPerTurn` leave per peer per event-loop turn (setImmediate, after I/O);
 *  - small frames (votes, announcements) go in a lane ahead of chunk streams, so consensus
 *    traffic never waits behind a block;
 *  - a transfer has at most `windowChunks` chunks sent but not acknowledged (the receiver's
 *    ACK carries how many it holds — a credit window in the spirit of TCP's receive window,
 *    without congestion control), so a slow receiver slows the sender instead of losing data;
 *  - repairs asked for by a NACK bypass the window and are never queued twice.
 * Queues are bounded in bytes per peer; beyond that frames are dropped and counted. A stream
 * that got no acknowledgement for `stallMs` is dropped (the peer is gone or gave up).
 */
import { encodeChunk } from './codec';
import type { P2pTuning } from './constants';

type Stream = { xfer: number; frame: Uint8Array; count: number; indices: number[]; pos: number; repair: boolean; acked: number; progressAt: number };

type Queue = { urgent: Uint8Array[]; bulk: Stream[]; bytes: number };

export type OutboxStats = { framesSent: number; bytesSent: number; dropped: number; noSession: number; stalled: number };

export class Outbox {
  private readonly queues = new Map<string, Queue>();
  private scheduled = false;
  private closed = false;
  readonly stats: OutboxStats = { framesSent: 0, bytesSent: 0, dropped: 0, noSession: 0, stalled: 0 };

  constructor(
    /** Hand one session payload to the session layer; false when there is no session. */
    private readonly sendPayload: (peer: string, payload: Uint8Array) => boolean,
    private readonly t: Pick<P2pTuning, 'pumpBytesPerTurn' | 'outboxBytes' | 'windowChunks'>,
    private readonly chunkBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queue one single-payload frame. */
  frame(peer: string, bytes: Uint8Array): boolean {
    const q = this.queue(peer, bytes.length);
    if (!q) return false;
    q.urgent.push(bytes);
    q.bytes += bytes.length;
    this.schedule();
    return true;
  }

  /** Queue all chunks of a large frame (windowed), or — after a NACK — the listed ones (repairs). */
  chunks(peer: string, xfer: number, frame: Uint8Array, count: number, repair?: number[]): boolean {
    let list = repair ?? Array.from({ length: count }, (_, i) => i);
    if (repair) {
      // chunks still waiting here (a slow sender or a closed window, not a loss) are not queued twice
      const queued = new Set<number>();
      for (const s of this.queues.get(peer)?.bulk ?? []) if (s.xfer === xfer && s.frame === frame) for (let i = s.pos; i < s.indices.length; i++) queued.add(s.indices[i]!);
      list = repair.filter((i) => !queued.has(i));
      if (list.length === 0) return true;
    }
    const size = list.length * this.chunkBytes;
    const q = this.queue(peer, size);
    if (!q) return false;
    q.bulk.push({ xfer, frame, count, indices: list, pos: 0, repair: !!repair, acked: 0, progressAt: this.now() });
    q.bytes += size;
    this.schedule();
    return true;
  }

  /** The receiver holds `got` chunks of transfer `xfer`: open the window. */
  ack(peer: string, xfer: number, got: number): void {
    const q = this.queues.get(peer);
    if (!q) return;
    for (const s of q.bulk) {
      if (s.xfer !== xfer || s.repair || got <= s.acked) continue;
      s.acked = got;
      s.progressAt = this.now();
      this.schedule();
    }
  }

  /** Bytes waiting for a peer. */
  pending(peer: string): number {
    return this.queues.get(peer)?.bytes ?? 0;
  }

  /** Drop streams whose window stayed shut for `stallMs`. */
  expire(now: number, stallMs: number): void {
    for (const [peer, q] of this.queues) {
      const keep = q.bulk.filter((s) => s.repair || !this.blocked(s) || now - s.progressAt < stallMs);
      if (keep.length === q.bulk.length) continue;
      for (const s of q.bulk) if (!keep.includes(s)) q.bytes -= (s.indices.length - s.pos) * this.chunkBytes;
      this.stats.stalled += q.bulk.length - keep.length;
      q.bulk = keep;
      if (q.urgent.length === 0 && q.bulk.length === 0) this.queues.delete(peer);
    }
  }

  forget(peer: string): void {
    this.queues.delete(peer);
  }

  close(): void {
    this.closed = true;
    this.queues.clear();
  }

  private blocked(s: Stream): boolean {
    return !s.repair && s.pos - s.acked >= this.t.windowChunks;
  }

  private queue(peer: string, add: number): Queue | null {
    if (this.closed) return null;
    let q = this.queues.get(peer);
    if (!q) this.queues.set(peer, (q = { urgent: [], bulk: [], bytes: 0 }));
    if (q.bytes + add > this.t.outboxBytes) {
      this.stats.dropped++;
      return null;
    }
    return q;
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    let more = false;
    for (const [peer, q] of this.queues) {
      let budget = this.t.pumpBytesPerTurn;
      let ok = true;
      while (ok && budget > 0 && q.urgent.length > 0) {
        const b = q.urgent.shift()!;
        q.bytes -= b.length;
        budget -= b.length;
        ok = this.emit(peer, b);
      }
      while (ok && budget > 0) {
        const s = q.bulk.find((x) => !this.blocked(x));
        if (!s) break;
        const c = encodeChunk(s.xfer, s.indices[s.pos]!, s.count, s.frame, this.chunkBytes);
        s.pos++;
        q.bytes -= this.chunkBytes;
        budget -= c.length;
        if (s.pos >= s.indices.length) q.bulk.splice(q.bulk.indexOf(s), 1);
        ok = this.emit(peer, c);
      }
      if (!ok) {
        this.stats.noSession++;
        this.queues.delete(peer);
      } else if (q.urgent.length === 0 && q.bulk.length === 0) this.queues.delete(peer);
      else if (q.urgent.length > 0 || q.bulk.some((x) => !this.blocked(x))) more = true;
    }
    if (more) this.schedule();
  }

  private emit(peer: string, b: Uint8Array): boolean {
    if (!this.sendPayload(peer, b)) return false;
    this.stats.framesSent++;
    this.stats.bytesSent += b.length;
    return true;
  }
}
