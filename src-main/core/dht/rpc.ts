/**
 * @module dht/rpc
 * Request/response transactions over a datagram socket. A response is accepted only if its
 * 16-bit transaction id AND its source ip:port match an outstanding request of the same
 * command (the tid is the round-trip token of BEP 5's "t" / dht-rpc's "tid": an off-path
 * attacker must guess it and spoof the exact endpoint). Each request is retransmitted
 * `retries` times after `timeoutMs` with the same bytes, then resolves to null.
 */
import { randomBytes } from '../crypto';
import { endpointKey, type Endpoint } from '../net';
import type { DhtResponse } from './messages';

/** The socket a DhtNode needs: net.UdpSocket satisfies it. */
export type DatagramSocket = {
  send(data: Uint8Array, to: Endpoint): void;
  onPacket(cb: (data: Uint8Array, from: Endpoint) => void): () => void;
  address(): Endpoint;
};

type Pending = {
  command: number;
  bytes: Uint8Array;
  to: Endpoint;
  triesLeft: number;
  timer: ReturnType<typeof setTimeout> | null;
  sentAt: number;
  resolve: (r: { response: DhtResponse; rttMs: number } | null) => void;
};

export type RpcStats = { requests: number; retransmits: number; timeouts: number; responses: number; unmatched: number };

/** Floor of the stall threshold (ms): below it, event-loop jitter would look like loss. */
const MIN_STALL_MS = 40;

export class Rpc {
  private readonly pending = new Map<string, Pending>();
  private closed = false;
  private pool: Uint8Array = new Uint8Array(0);
  private srtt = -1;
  private rttvar = 0;
  private poolAt = 0;
  readonly stats: RpcStats = { requests: 0, retransmits: 0, timeouts: 0, responses: 0, unmatched: 0 };

  constructor(
    private readonly socket: DatagramSocket,
    private readonly timeoutMs: number,
    private readonly retries: number,
  ) {}

  get inFlight(): number {
    return this.pending.size;
  }

  /** A random tid not outstanding towards `to` (random: unpredictable to off-path attackers). */
  private freshTid(to: string): number {
    let tid = 0;
    for (let i = 0; i < 16; i++) {
      if (this.poolAt + 2 > this.pool.length) {
        this.pool = randomBytes(1024);
        this.poolAt = 0;
      }
      tid = (this.pool[this.poolAt]! << 8) | this.pool[this.poolAt + 1]!;
      this.poolAt += 2;
      if (!this.pending.has(`${tid}|${to}`)) break;
    }
    return tid;
  }

  /** Send a request built for a fresh tid; resolves with the matching response or null on timeout. */
  request(to: Endpoint, command: number, build: (tid: number) => Uint8Array): Promise<{ response: DhtResponse; rttMs: number } | null> {
    if (this.closed) return Promise.resolve(null);
    const key = endpointKey(to);
    const tid = this.freshTid(key);
    const bytes = build(tid);
    return new Promise((resolve) => {
      const p: Pending = { command, bytes, to, triesLeft: this.retries, timer: null, sentAt: performance.now(), resolve };
      const pk = `${tid}|${key}`;
      this.pending.set(pk, p);
      this.stats.requests++;
      const arm = () => {
        p.timer = setTimeout(() => {
          if (this.pending.get(pk) !== p) return;
          if (p.triesLeft > 0) {
            p.triesLeft--;
            this.stats.retransmits++;
            this.socket.send(p.bytes, p.to);
            arm();
          } else {
            this.pending.delete(pk);
            this.stats.timeouts++;
            resolve(null);
          }
        }, this.timeoutMs);
      };
      arm();
      this.socket.send(bytes, to);
    });
  }

  /** Match a decoded response; false when nothing was waiting for it (dropped). */
  handleResponse(response: DhtResponse, from: Endpoint): boolean {
    const pk = `${response.tid}|${endpointKey(from)}`;
    const p = this.pending.get(pk);
    if (!p || p.command !== response.command) {
      this.stats.unmatched++;
      return false;
    }
    this.pending.delete(pk);
    if (p.timer) clearTimeout(p.timer);
    this.stats.responses++;
    const rtt = performance.now() - p.sentAt;
    if (p.triesLeft === this.retries) this.sample(rtt); // Karn's rule: no samples from retransmitted requests
    p.resolve({ response, rttMs: rtt });
    return true;
  }

  /** RFC 6298 smoothed round-trip time and variation. */
  private sample(r: number): void {
    if (this.srtt < 0) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
  }

  /**
   * How long a lookup waits before routing around an unanswered request: the RFC 6298
   * retransmission timeout (SRTT + 4·RTTVAR) clamped to [40 ms, timeout / 2].
   */
  stallMs(): number {
    const half = this.timeoutMs / 2;
    if (this.srtt < 0) return half;
    return Math.min(half, Math.max(MIN_STALL_MS, this.srtt + 4 * this.rttvar));
  }

  /** Resolve everything outstanding with null and refuse new requests. */
  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.resolve(null);
    }
    this.pending.clear();
  }
}
