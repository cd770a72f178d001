/**
 * @module ar/relay-socket
 * A DatagramSocket around the node's real UDP socket that can also reach peers through relay
 * circuits of application routers. A circuit appears to the session layer as an ordinary
 * endpoint, `<cid hex>.relay.invalid:<router port>` (".invalid" is reserved by RFC 6761, so
 * such a name can never resolve to a real host):
 *
 *  - `send(data, virtual)` wraps the (already end-to-end encrypted) session datagram as
 *    `[0x40][cid 8][data]` and sends it to the router — TURN ChannelData style (RFC 8656
 *    §12.4): a short channel header instead of a second layer of encryption;
 *  - a 0x40 frame that arrives from the router that owns its cid is unwrapped and delivered to
 *    the listeners as if the inner datagram came from the virtual endpoint;
 *  - everything else passes through unchanged in both directions.
 */
import type { Datagram, DatagramSocket, Endpoint, PacketListener } from '../net';
import { CID_BYTES, RELAY_FRAME, RELAY_HEADER, RELAY_HOST_SUFFIX } from './constants';

export type RelayCircuit = {
  /** 16 lowercase hex digits. */
  readonly cid: string;
  readonly cidBytes: Uint8Array;
  readonly router: Endpoint;
  readonly virtual: Endpoint;
  /** Router and peer addresses, for diagnostics. */
  readonly routerAddress: string | null;
  readonly peer: string | null;
  lastUsedAt: number;
};

export type RelaySocketStats = { framesOut: number; framesIn: number; dropped: number; listenerErrors: number };

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Hex of the 8-byte circuit id at `off` (hot path: no Buffer, no allocation but the string). */
export function cidHex(b: Uint8Array, off = 0): string {
  let s = '';
  for (let i = off; i < off + CID_BYTES; i++) s += HEX[b[i]!];
  return s;
}

export function isRelayEndpoint(e: Endpoint): boolean {
  return typeof e.host === 'string' && e.host.endsWith(RELAY_HOST_SUFFIX);
}

export function relayEndpoint(cid: string, routerPort: number): Endpoint {
  return { host: `${cid}${RELAY_HOST_SUFFIX}`, port: routerPort };
}

export class RelaySocket implements DatagramSocket {
  private listeners: readonly PacketListener[] = [];
  private readonly byCid = new Map<string, RelayCircuit>();
  private readonly counters: RelaySocketStats = { framesOut: 0, framesIn: 0, dropped: 0, listenerErrors: 0 };
  private readonly unsubscribe: () => void;

  constructor(readonly inner: DatagramSocket) {
    this.unsubscribe = inner.onPacket((data, from) => this.dispatch(data, from));
  }

  address(): Endpoint {
    return this.inner.address();
  }

  /** TTL-limited sends go straight to the real socket (never through a circuit). */
  sendWithTtl(data: Uint8Array, to: Endpoint, ttl: number): boolean {
    if (to.host.endsWith(RELAY_HOST_SUFFIX) || !this.inner.sendWithTtl) return false;
    return this.inner.sendWithTtl(data, to, ttl);
  }

  send(data: Datagram, to: Endpoint): void {
    if (!to.host.endsWith(RELAY_HOST_SUFFIX)) {
      this.inner.send(data, to);
      return;
    }
    const c = this.byCid.get(to.host.slice(0, to.host.length - RELAY_HOST_SUFFIX.length));
    if (!c || c.router.port !== to.port) {
      this.counters.dropped++;
      return;
    }
    const head = new Uint8Array(RELAY_HEADER);
    head[0] = RELAY_FRAME;
    head.set(c.cidBytes, 1);
    c.lastUsedAt = Date.now();
    this.counters.framesOut++;
    this.inner.send(data instanceof Uint8Array ? [head, data] : [head, ...data], c.router);
  }

  onPacket(cb: PacketListener): () => void {
    this.listeners = [...this.listeners, cb];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== cb);
    };
  }

  /** Start using a circuit; returns its virtual endpoint (for `sessions.connect`). */
  addCircuit(cid: Uint8Array, router: Endpoint, meta: { routerAddress?: string; peer?: string } = {}): Endpoint {
    const hex = cidHex(cid);
    const virtual = relayEndpoint(hex, router.port);
    this.byCid.set(hex, {
      cid: hex,
      cidBytes: cid.slice(0, CID_BYTES),
      router: { host: router.host, port: router.port },
      virtual,
      routerAddress: meta.routerAddress ?? null,
      peer: meta.peer ?? null,
      lastUsedAt: Date.now(),
    });
    return { ...virtual };
  }

  removeCircuit(cid: Uint8Array | string): boolean {
    return this.byCid.delete(typeof cid === 'string' ? cid : cidHex(cid));
  }

  circuit(cid: Uint8Array | string): RelayCircuit | null {
    return this.byCid.get(typeof cid === 'string' ? cid : cidHex(cid)) ?? null;
  }

  /** The circuit behind a virtual endpoint, or null. */
  circuitFor(e: Endpoint): RelayCircuit | null {
    if (!isRelayEndpoint(e)) return null;
    const c = this.byCid.get(e.host.slice(0, e.host.length - RELAY_HOST_SUFFIX.length));
    return c && c.router.port === e.port ? c : null;
  }

  circuits(): RelayCircuit[] {
    return [...this.byCid.values()];
  }

  isRelayEndpoint(e: Endpoint): boolean {
    return isRelayEndpoint(e);
  }

  stats(): RelaySocketStats {
    return { ...this.counters };
  }

  /** Stop listening on the inner socket (the caller owns and closes it). */
  close(): void {
    this.unsubscribe();
    this.listeners = [];
    this.byCid.clear();
  }

  private dispatch(data: Uint8Array, from: Endpoint): void {
    if (data[0] === RELAY_FRAME) {
      const c = data.length > RELAY_HEADER ? this.byCid.get(cidHex(data, 1)) : undefined;
      if (!c || c.router.port !== from.port || c.router.host !== from.host) {
        this.counters.dropped++;
        return;
      }
      c.lastUsedAt = Date.now();
      this.counters.framesIn++;
      this.deliver(data.subarray(RELAY_HEADER), { host: c.virtual.host, port: c.virtual.port });
      return;
    }
    this.deliver(data, from);
  }

  private deliver(data: Uint8Array, from: Endpoint): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) {
      try {
        ls[i]!(data, from);
      } catch {
        this.counters.listenerErrors++; // isolated like UdpSocket does: one bad protocol cannot stop the others
      }
    }
  }
}
