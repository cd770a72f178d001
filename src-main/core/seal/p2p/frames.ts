/**
 * @module seal/p2p/frames
 * The frame layer between the session layer and the protocol: on the way out, a frame that
 * fits one session payload is queued as it is, a larger one is split into CHUNKs (kept for
 * NACKs) — both through the paced outbox; on the way in, every POE payload is charged to the
 * peer's byte bucket, CHUNKs are reassembled, NACKs answered, and every other frame charged to
 * the peer's frame bucket, decoded strictly and handed to `onFrame`. Anything over a limit is
 * dropped and counted, never queued.
 */
import type { Logger } from '../../base';
import type { PeerInfo, SessionManager } from '../../session';
import { decodeFrame, type PoeFrame } from './codec';
import { CHUNK_BYTES, Frame, MAX_SINGLE_FRAME, type P2pTuning } from './constants';
import { CostBuckets } from './limits';
import { Outbox } from './outbox';
import { Reassembly, Retention } from './transfers';

export type FrameStats = { payloadsIn: number; bytesIn: number; malformed: number; rateLimited: number; framesIn: number };

export type FrameIoDeps = {
  sessions: SessionManager;
  tuning: P2pTuning;
  logger: Logger;
  now(): number;
  /** A decoded frame (never CHUNK or NACK) from a session peer. */
  onFrame(key: string, peer: PeerInfo, frame: Exclude<PoeFrame, { t: typeof Frame.CHUNK | typeof Frame.NACK | typeof Frame.ACK }>): void;
};

export class FrameIo {
  readonly outbox: Outbox;
  readonly reassembly: Reassembly;
  readonly retention: Retention;
  private readonly bytesIn: CostBuckets;
  private readonly framesIn: CostBuckets;
  readonly stats: FrameStats = { payloadsIn: 0, bytesIn: 0, malformed: 0, rateLimited: 0, framesIn: 0 };

  constructor(private readonly d: FrameIoDeps) {
    const t = d.tuning;
    this.outbox = new Outbox((peer, b) => d.sessions.send(peer, () => b), t, CHUNK_BYTES, d.now);
    this.reassembly = new Reassembly(t, CHUNK_BYTES);
    this.retention = new Retention(t);
    this.bytesIn = new CostBuckets(t.byteRate);
    this.framesIn = new CostBuckets(t.frameRate);
  }

  /** Queue a frame for a peer (chunked when larger than one session payload); false if refused. */
  send(key: string, frame: Uint8Array): boolean {
    if (!this.d.sessions.isConnected(key)) return false;
    if (frame.length <= MAX_SINGLE_FRAME) return this.outbox.frame(key, frame);
    const count = Math.ceil(frame.length / CHUNK_BYTES);
    const xfer = this.retention.start(key, frame, count, this.d.now());
    return this.outbox.chunks(key, xfer, frame, count);
  }

  /** A session payload that starts with the POE tag. */
  onPayload(peer: PeerInfo, data: Uint8Array): void {
    const key = peer.address.toLowerCase();
    const now = this.d.now();
    this.stats.payloadsIn++;
    if (!this.bytesIn.take(key, data.length, now)) {
      this.stats.rateLimited++;
      return;
    }
    this.stats.bytesIn += data.length;
    const f = decodeFrame(data, CHUNK_BYTES);
    if (!f) {
      this.stats.malformed++;
      return;
    }
    if (f.t === Frame.CHUNK) {
      const whole = this.reassembly.add(key, f, now, (ack) => void this.outbox.frame(key, ack));
      if (whole) this.inner(key, peer, whole, now);
      return;
    }
    if (!this.framesIn.take(key, 1, now)) {
      this.stats.rateLimited++;
      return;
    }
    if (f.t === Frame.ACK) return this.outbox.ack(key, f.xfer, f.got);
    if (f.t === Frame.NACK) {
      this.outbox.ack(key, f.xfer, f.got);
      const frame = this.retention.get(key, f.xfer, f.count);
      if (!frame) return;
      this.reassembly.stats.nacksServed++;
      this.reassembly.stats.chunksResent += f.missing.length;
      this.outbox.chunks(key, f.xfer, frame, f.count, f.missing);
      return;
    }
    this.stats.framesIn++;
    this.d.onFrame(key, peer, f);
  }

  /** A reassembled frame: anything but another chunk layer. */
  private inner(key: string, peer: PeerInfo, whole: Uint8Array, now: number): void {
    const f = decodeFrame(whole, CHUNK_BYTES);
    if (!f || f.t === Frame.CHUNK || f.t === Frame.NACK || f.t === Frame.ACK) {
      this.stats.malformed++;
      return;
    }
    if (!this.framesIn.take(key, 1, now)) {
      this.stats.rateLimited++;
      return;
    }
    this.stats.framesIn++;
    this.d.onFrame(key, peer, f);
  }

  tick(now: number): void {
    this.retention.tick(now);
    this.outbox.expire(now, this.d.tuning.retainMs);
    this.reassembly.tick(now, (peer, nack) => void this.outbox.frame(peer, nack));
  }

  forgetPeer(key: string): void {
    this.outbox.forget(key);
    this.reassembly.forgetPeer(key);
    this.retention.forgetPeer(key);
    // the rate buckets stay (bounded LRU): reconnecting must not refill them
  }

  close(): void {
    this.outbox.close();
    this.reassembly.clear();
    this.retention.clear();
  }
}
