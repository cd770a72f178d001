/**
 * @module ar/prober
 * Client side of the router address probe (probe.ts): "which identity answers at host:port?",
 * retransmitted every 400 ms until a reply with our nonce comes from that very endpoint, or
 * the timeout. The answer only tells us which address to open a session with; the session
 * handshake proves it.
 */
import { toHex } from '../base';
import { randomBytes } from '../crypto';
import { isIP } from 'node:net';
import type { DatagramSocket, Endpoint } from '../net';
import { PROBE_PACKET } from './constants';
import { decodeProbeReply, encodeProbeRequest, PROBE_NONCE_BYTES } from './probe';

export type ProbeAnswer = { address: string; observed: Endpoint };

type Waiting = { to: Endpoint; resolve(a: ProbeAnswer | null): void; resend: ReturnType<typeof setInterval>; timer: ReturnType<typeof setTimeout> };

export class Prober {
  private readonly waiting = new Map<string, Waiting>();
  private readonly off: () => void;

  constructor(private readonly socket: DatagramSocket) {
    this.off = socket.onPacket((d, from) => {
      if (d[0] === PROBE_PACKET) this.onReply(d, from);
    });
  }

  probe(to: Endpoint, timeoutMs = 2000): Promise<ProbeAnswer | null> {
    const nonce = randomBytes(PROBE_NONCE_BYTES);
    const key = toHex(nonce);
    const pkt = encodeProbeRequest(nonce);
    return new Promise((resolve) => {
      const done = (a: ProbeAnswer | null) => {
        const w = this.waiting.get(key);
        if (!w) return;
        this.waiting.delete(key);
        clearInterval(w.resend);
        clearTimeout(w.timer);
        resolve(a);
      };
      const resend = setInterval(() => this.socket.send(pkt, to), 400);
      const timer = setTimeout(() => done(null), timeoutMs);
      resend.unref?.();
      timer.unref?.();
      this.waiting.set(key, { to: { host: to.host, port: to.port }, resolve: done, resend, timer });
      this.socket.send(pkt, to);
    });
  }

  private onReply(d: Uint8Array, from: Endpoint): void {
    const r = decodeProbeReply(d);
    if (!r) return;
    const w = this.waiting.get(toHex(r.nonce));
    // a name (not an IP literal) was resolved by the OS: then only the port can be compared
    if (w && w.to.port === from.port && (w.to.host === from.host || isIP(w.to.host) === 0)) w.resolve({ address: r.address, observed: r.observed });
  }

  close(): void {
    this.off();
    for (const w of [...this.waiting.values()]) w.resolve(null);
  }
}
