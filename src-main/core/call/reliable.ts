/**
 * @module call/reliable
 * Signalling messages repeated until the friend acknowledges them: first resend after
 * 250 ms, then doubling to 1 s, for as long as the call (or its closing grace) lives.
 * Sending while there is no session simply fails and is retried on the next tick, so an
 * offer made while the link is still being set up goes out the moment it exists.
 */
import { encodeSignal, type Signal, type SignalBody } from './signal';

type Pending = { bytes: Uint8Array; nextAt: number; gapMs: number };

export class ReliableSignals {
  private n = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly callId: string,
    private readonly transmit: (bytes: Uint8Array) => boolean,
    private readonly now: () => number,
  ) {}

  /** Sends a message now and keeps it until `acked(n)`. */
  send(body: SignalBody): number {
    const n = ++this.n;
    const bytes = encodeSignal({ ...body, id: this.callId, n } as Signal);
    const sent = this.transmit(bytes);
    this.pending.set(n, { bytes, nextAt: this.now() + (sent ? 250 : 0), gapMs: 250 });
    return n;
  }

  acked(n: number): void {
    this.pending.delete(n);
  }

  /** True while something is not yet acknowledged. */
  busy(): boolean {
    return this.pending.size > 0;
  }

  tick(): void {
    const now = this.now();
    for (const p of this.pending.values()) {
      if (now < p.nextAt) continue;
      if (this.transmit(p.bytes)) {
        p.gapMs = Math.min(1000, p.gapMs * 2);
        p.nextAt = now + p.gapMs;
      }
    }
  }

  clear(): void {
    this.pending.clear();
  }
}

/** An acknowledgement, sent once for every copy that arrives. */
export function ackBytes(callId: string, n: number): Uint8Array {
  return encodeSignal({ t: 'ack', id: callId, n });
}
