/**
 * @module seal/p2p/outbox
 * Per-peer send queues with pacing. A 4 MiB frame is ~3,600 datagrams; written in one go it
 * would overrun the receiver's socket buffer (and, with every node of a test in one process,
 * starve the receiving side of the event loop). So at most `pumpBytesPerTurn` leave per peer
 * per event-loop turn (setImmediate, after I/O), and small frames (votes, announcements) go in
 * a lane ahead of chunk streams, so consensus traffic never waits behind a block. Queues are
 * bounded in bytes per peer; beyond that frames are dropped and counted.
 */
import { encodeChunk } from './codec';
import type { P2pTuning } from './constants';

type Stream = { xfer: number; frame: Uint8Array; count: number; indices: number[]; pos: number };

type Queue = { urgent: Uint8Array[]; bulk: Stream[]; bytes: number };

export type OutboxStats = { framesSent: number; bytesSent: number; dropped: number; noSession: number };

export class Outbox {
  private readonly queues = new Map<string, Queue>();
  private scheduled = false;
  private closed = false;
  readonly stats: OutboxStats = { framesSent: 0, bytesSent: 0, dropped: 0, noSession: 0 };

  constructor(
    /** Hand one session payload to the session layer; false when there is no session. */
    private readonly sendPayload: (peer: string, payload: Uint8Array) => boolean,
    private readonly t: Pick<P2pTuning, 'pumpBytesPerTurn' | 'outboxBytes'>,
    private readonly chunkBytes: number,
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

  /** Queue chunks of a large frame (all of them, or the listed indices after a NACK). */
  chunks(peer: string, xfer: number, frame: Uint8Array, count: number, indices?: number[]): boolean {
    const list = indices ?? Array.from({ length: count }, (_, i) => i);
    const size = list.length * this.chunkBytes;
    const q = this.queue(peer, size);
    if (!q) return false;
    q.bulk.push({ xfer, frame, count, indices: list, pos: 0 });
    q.bytes += size;
    this.schedule();
    return true;
  }

  /** Bytes waiting for a peer. */
  pending(peer: string): number {
    return this.queues.get(peer)?.bytes ?? 0;
  }

  forget(peer: string): void {
    this.queues.delete(peer);
  }

  close(): void {
    this.closed = true;
    this.queues.clear();
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
    for (const [peer, q] of this.queues) {
      let budget = this.t.pumpBytesPerTurn;
      let ok = true;
      while (ok && budget > 0 && q.urgent.length > 0) {
        const b = q.urgent.shift()!;
        q.bytes -= b.length;
        budget -= b.length;
        ok = this.emit(peer, b);
      }
      while (ok && budget > 0 && q.bulk.length > 0) {
        const s = q.bulk[0]!;
        const c = encodeChunk(s.xfer, s.indices[s.pos]!, s.count, s.frame, this.chunkBytes);
        s.pos++;
        q.bytes -= this.chunkBytes;
        budget -= c.length;
        if (s.pos >= s.indices.length) q.bulk.shift();
        ok = this.emit(peer, c);
      }
      if (!ok) {
        this.stats.noSession++;
        this.queues.delete(peer);
      } else if (q.urgent.length === 0 && q.bulk.length === 0) this.queues.delete(peer);
    }
    if (this.queues.size > 0) this.schedule();
  }

  private emit(peer: string, b: Uint8Array): boolean {
    if (!this.sendPayload(peer, b)) return false;
    this.stats.framesSent++;
    this.stats.bytesSent += b.length;
    return true;
  }
}
