/**
 * @module seal/p2p/transfers
 * Frames larger than one session payload travel as CHUNKs with selective repeat: the receiver
 * reassembles into one buffer (bounded per peer and in total, abandoned after a timeout) and,
 * when no chunk arrived for `nackAfterMs`, asks for the holes below the highest chunk received
 * (the tail only after 4× that silence: a paced sender may still be sending it), as a NACK
 * bitmap, at most `maxNacks` times; the sender keeps what it chunked for `retainMs` (bounded in bytes; a frame
 * broadcast to many peers is held once) to answer NACKs. Delivery stays best effort: a lost
 * first chunk, or a sender that forgot the frame, loses the message — gossip pulls it from
 * another announcer, requests time out (README.md, "Chunks").
 */
import { encodeAck, encodeNack } from './codec';
import { ACK_EVERY, type P2pTuning } from './constants';

/** The missing tail of a transfer is asked for after this many times `nackAfterMs` of silence. */
const TAIL_FACTOR = 4;

type Inbound = { peer: string; xfer: number; count: number; total: number; buf: Uint8Array; have: Uint8Array; got: number; top: number; startedAt: number; lastAt: number; nacks: number };
type Outbound = { frame: Uint8Array; count: number; at: number };

export type TransferStats = { started: number; completed: number; abandoned: number; refused: number; nacksSent: number; nacksServed: number; chunksResent: number };

export class Reassembly {
  private readonly open = new Map<string, Inbound>();
  private bytes = 0;
  readonly stats: TransferStats = { started: 0, completed: 0, abandoned: 0, refused: 0, nacksSent: 0, nacksServed: 0, chunksResent: 0 };

  constructor(private readonly t: Pick<P2pTuning, 'reassemblyTimeoutMs' | 'nackAfterMs' | 'maxNacks' | 'reassemblyPerPeer' | 'reassemblyPeerBytes' | 'reassemblyTotalBytes'>, private readonly chunkBytes: number) {}

  /** Bytes currently held for partly received frames. */
  held(): number {
    return this.bytes;
  }

  /** A chunk arrived; returns the whole frame when it was the last missing one. `ack` gets an ACK every ACK_EVERY chunks. */
  add(peer: string, c: { xfer: number; index: number; count: number; total: number; bytes: Uint8Array }, now: number, ack?: (frame: Uint8Array) => void): Uint8Array | null {
    const key = `${peer}:${c.xfer}`;
    let e = this.open.get(key);
    if (e && (e.count !== c.count || e.total !== c.total)) {
      this.drop(key, e); // inconsistent: abandon
      return null;
    }
    if (!e) {
      if (!this.admit(peer, c.total)) {
        this.stats.refused++;
        return null;
      }
      e = { peer, xfer: c.xfer, count: c.count, total: c.total, buf: new Uint8Array(c.total), have: new Uint8Array(Math.ceil(c.count / 8)), got: 0, top: -1, startedAt: now, lastAt: now, nacks: 0 };
      this.open.set(key, e);
      this.bytes += c.total;
      this.stats.started++;
    }
    const bit = 1 << (c.index & 7);
    if (e.have[c.index >> 3]! & bit) return null;
    e.have[c.index >> 3]! |= bit;
    e.buf.set(c.bytes, c.index * this.chunkBytes);
    e.got++;
    if (c.index > e.top) e.top = c.index;
    e.lastAt = now;
    if (e.got < e.count) {
      if (ack && e.got % ACK_EVERY === 0) ack(encodeAck(e.xfer, e.got));
      return null;
    }
    this.open.delete(key);
    this.bytes -= e.total;
    this.stats.completed++;
    return e.buf;
  }

  private admit(peer: string, total: number): boolean {
    if (this.bytes + total > this.t.reassemblyTotalBytes) return false;
    let n = 0;
    let b = 0;
    for (const e of this.open.values()) {
      if (e.peer !== peer) continue;
      n++;
      b += e.total;
    }
    return n < this.t.reassemblyPerPeer && b + total <= this.t.reassemblyPeerBytes;
  }

  /** NACKs for stalled transfers (send them), expiry of hopeless ones. */
  tick(now: number, sendNack: (peer: string, frame: Uint8Array) => void): void {
    for (const [key, e] of this.open) {
      if (now - e.startedAt > this.t.reassemblyTimeoutMs || (e.nacks >= this.t.maxNacks && now - e.lastAt >= this.t.nackAfterMs * TAIL_FACTOR * 2)) {
        this.drop(key, e);
        continue;
      }
      if (now - e.lastAt < this.t.nackAfterMs || e.nacks >= this.t.maxNacks) continue;
      // Chunks leave in order: a hole below the highest index received is a loss; the tail may
      // still be on its way from a slow (paced, busy) sender, so it is asked for only after
      // a longer silence.
      const tail = now - e.lastAt >= this.t.nackAfterMs * TAIL_FACTOR;
      const upTo = tail ? e.count : e.top;
      const missing: number[] = [];
      for (let i = 0; i < upTo; i++) if (!(e.have[i >> 3]! & (1 << (i & 7)))) missing.push(i);
      if (missing.length === 0) continue;
      e.nacks++;
      e.lastAt = now;
      this.stats.nacksSent++;
      sendNack(e.peer, encodeNack(e.xfer, e.count, e.got, missing));
    }
  }

  forgetPeer(peer: string): void {
    for (const [key, e] of this.open) if (e.peer === peer) this.drop(key, e);
  }

  clear(): void {
    this.open.clear();
    this.bytes = 0;
  }

  private drop(key: string, e: Inbound): void {
    this.open.delete(key);
    this.bytes -= e.total;
    this.stats.abandoned++;
  }
}

/** Sender side: transfer ids per peer, and the frames kept for NACKs. */
export class Retention {
  private readonly kept = new Map<string, Outbound>();
  private readonly nextXfer = new Map<string, number>();
  /** Distinct frames held, with how many transfers reference each. */
  private readonly frames = new Map<Uint8Array, number>();
  private bytes = 0;

  constructor(private readonly t: Pick<P2pTuning, 'retainMs' | 'retainBytes'>) {}

  /** A new transfer of `frame` to `peer`; returns its id. */
  start(peer: string, frame: Uint8Array, count: number, now: number): number {
    const xfer = ((this.nextXfer.get(peer) ?? Math.floor(Math.random() * 0x1_0000_0000)) + 1) >>> 0;
    this.nextXfer.set(peer, xfer);
    this.kept.set(`${peer}:${xfer}`, { frame, count, at: now });
    const refs = this.frames.get(frame) ?? 0;
    if (refs === 0) this.bytes += frame.length;
    this.frames.set(frame, refs + 1);
    this.evict(now);
    return xfer;
  }

  /** The frame of a transfer we still hold (for a NACK), or null. */
  get(peer: string, xfer: number, count: number): Uint8Array | null {
    const o = this.kept.get(`${peer}:${xfer}`);
    return o && o.count === count ? o.frame : null;
  }

  held(): number {
    return this.bytes;
  }

  tick(now: number): void {
    this.evict(now);
  }

  forgetPeer(peer: string): void {
    for (const [key, o] of this.kept) if (key.startsWith(`${peer}:`)) this.release(key, o);
    this.nextXfer.delete(peer);
  }

  clear(): void {
    this.kept.clear();
    this.frames.clear();
    this.bytes = 0;
  }

  /** Oldest first (Map order = insertion order = age). */
  private evict(now: number): void {
    for (const [key, o] of this.kept) {
      if (now - o.at <= this.t.retainMs && this.bytes <= this.t.retainBytes) break;
      this.release(key, o);
    }
  }

  private release(key: string, o: Outbound): void {
    this.kept.delete(key);
    const refs = (this.frames.get(o.frame) ?? 1) - 1;
    if (refs <= 0) {
      this.frames.delete(o.frame);
      this.bytes -= o.frame.length;
    } else this.frames.set(o.frame, refs);
  }
}
