/**
 * @module net/udp-socket
 * One IPv4 UDP socket (node:dgram) shared by every protocol of a node (sessions, DHT, AR). The
 * wrapper's job is to make UDP boring for callers:
 * - it never throws on the packet path: transient errors (EPERM from a firewall, ENOBUFS under
 *   burst, EACCES for broadcast, EMSGSIZE, DNS failures, sends after close) are counted and
 *   logged at most once per second per code, and a socket-level 'error' event is handled;
 * - the kernel buffers are raised to ~4 MiB (SO_RCVBUF/SO_SNDBUF) when the OS allows, so a
 *   burst of datagrams is not dropped before the event loop gets to it (Linux caps silently at
 *   net.core.rmem_max; an EPERM/EINVAL here is ignored);
 * - listeners that throw are isolated, so one bad protocol handler cannot stop the others.
 * Datagrams are sized by the caller (sessions keep them ≤ 1200 bytes, below common path MTUs).
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIPv4 } from 'node:net';
import { BuError, silentLogger, type Logger } from '../base';
import { type Endpoint, isValidPort } from './endpoint';

/**
 * dgram resolves every destination through `lookup`, even IP literals (dns.lookup answers
 * those on the next tick). Answer IPv4 literals synchronously; names still go to dns.lookup.
 */
function fastLookup(host: string, family: unknown, cb: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  if (isIPv4(host)) cb(null, host, 4);
  else dns.lookup(host, family as number, cb);
}

export type PacketListener = (data: Uint8Array, from: Endpoint) => void;

/**
 * What protocols need from a datagram transport: `UdpSocket` itself, or a wrapper around it
 * (e.g. the AR module's RelaySocket, which also reaches peers through a relay circuit).
 */
/**
 * One datagram: contiguous bytes, or parts sent with one sendmsg (scatter/gather, no copy —
 * the session's hot path hands header, ciphertext and tag separately).
 */
export type Datagram = Uint8Array | readonly Uint8Array[];

export function datagramLength(d: Datagram): number {
  if (d instanceof Uint8Array) return d.length;
  let n = 0;
  for (const p of d) n += p.length;
  return n;
}

export type DatagramSocket = {
  send(data: Datagram, to: Endpoint): void;
  onPacket(cb: PacketListener): () => void;
  address(): Endpoint;
  /**
   * Send with a small IP TTL (hop limit), if the transport can: the datagram opens our own
   * NAT's mapping towards `to` but expires in the network before it reaches `to`'s router
   * (hole punching, see ar/README). Returns false if it could not be sent that way.
   */
  sendWithTtl?(data: Uint8Array, to: Endpoint, ttl: number): boolean;
};

/** The IP TTL a fresh socket uses on Linux, macOS and Windows (net.ipv4.ip_default_ttl). */
export const DEFAULT_TTL = 64;

export const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
/** Largest UDP payload over IPv4 (65,535 − 8 UDP − 20 IP). */
export const MAX_DATAGRAM = 65_507;

export type UdpSocketStats = { sent: number; received: number; errors: number; listenerErrors: number };

export class UdpSocket implements DatagramSocket {
  /** Copy-on-write list: subscribing is rare, dispatching happens for every datagram. */
  private listeners: readonly PacketListener[] = [];
  private readonly logged = new Map<string, number>();
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly local: Endpoint;
  private readonly counters: UdpSocketStats = { sent: 0, received: 0, errors: 0, listenerErrors: 0 };

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly logger: Logger,
  ) {
    const a = socket.address();
    this.local = { host: a.address, port: a.port };
    socket.on('message', (msg, rinfo) => this.dispatch(msg, rinfo));
    socket.on('error', (err) => this.transient('socket error', err));
  }

  /** Bind a udp4 socket (port 0 = a random free port; host defaults to 0.0.0.0). */
  static bind(opts: { host?: string; port?: number; logger?: Logger } = {}): Promise<UdpSocket> {
    const host = opts.host ?? '0.0.0.0';
    const port = opts.port ?? 0;
    const logger = opts.logger ?? silentLogger;
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket({ type: 'udp4', lookup: fastLookup });
      const onError = (err: Error) => {
        socket.close();
        reject(new BuError('NETWORK', `cannot bind UDP ${host}:${port}: ${err.message}`, { cause: err }));
      };
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        for (const set of [(n: number) => socket.setRecvBufferSize(n), (n: number) => socket.setSendBufferSize(n)]) {
          try {
            set(SOCKET_BUFFER_BYTES);
          } catch (e) {
            logger.debug('could not raise UDP socket buffer', { error: String(e) });
          }
        }
        resolve(new UdpSocket(socket, logger));
      });
    });
  }

  address(): Endpoint {
    return { host: this.local.host, port: this.local.port };
  }

  /** Best effort: never throws; problems are counted and logged. */
  send(data: Datagram, to: Endpoint): void {
    if (this.closed) return;
    const length = datagramLength(data);
    if (length > MAX_DATAGRAM || !isValidPort(to.port) || typeof to.host !== 'string' || to.host.length === 0) {
      this.transient('send refused', Object.assign(new Error(`invalid datagram (${length} bytes to ${to.host}:${to.port})`), { code: 'EINVAL' }));
      return;
    }
    try {
      // no callback: a failed send surfaces as an 'error' event (handled), and libuv can
      // complete the send synchronously instead of allocating a completion request
      this.socket.send(data as Uint8Array | Uint8Array[], to.port, to.host);
      this.counters.sent++;
    } catch (e) {
      this.transient('send threw', e);
    }
  }

  /**
   * One datagram with IP TTL `ttl` (1–255), then the default TTL again. The TTL is a socket
   * option, so this relies on the send leaving synchronously: destinations are IP literals
   * (answered by fastLookup without a tick) and libuv writes at once when its send queue is
   * empty — if it is not empty the datagram would wait and leave with the restored TTL, so
   * we refuse (false) rather than send a full-TTL packet the caller did not want.
   */
  sendWithTtl(data: Uint8Array, to: Endpoint, ttl: number): boolean {
    if (this.closed || !isIPv4(to.host) || !isValidPort(to.port) || !Number.isInteger(ttl) || ttl < 1 || ttl > 255) return false;
    if (this.socket.getSendQueueCount() > 0) return false;
    try {
      this.socket.setTTL(ttl);
      this.socket.send(data, to.port, to.host);
      this.counters.sent++;
      return true;
    } catch (e) {
      this.transient('limited send threw', e);
      return false;
    } finally {
      try {
        this.socket.setTTL(DEFAULT_TTL);
      } catch (e) {
        this.transient('TTL restore failed', e);
      }
    }
  }

  /** Subscribe to every datagram; returns the unsubscribe function. */
  onPacket(cb: PacketListener): () => void {
    this.listeners = [...this.listeners, cb];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== cb);
    };
  }

  stats(): UdpSocketStats {
    return { ...this.counters };
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.listeners = [];
    this.closing = new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // already closed by the OS side
      }
    });
    return this.closing;
  }

  private dispatch(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    this.counters.received++;
    const from: Endpoint = { host: rinfo.address, port: rinfo.port };
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) {
      try {
        ls[i]!(msg, from);
      } catch (e) {
        this.counters.listenerErrors++;
        this.logger.warn('UDP packet listener threw', { error: String(e) });
      }
    }
  }

  private transient(what: string, err: unknown): void {
    this.counters.errors++;
    const code = (err as { code?: string } | null)?.code ?? 'UNKNOWN';
    const now = Date.now();
    if ((this.logged.get(code) ?? 0) + 1000 > now) return;
    if (this.logged.size > 64) this.logged.clear();
    this.logged.set(code, now);
    this.logger.debug(`udp: ${what}`, { code, error: err instanceof Error ? err.message : String(err) });
  }
}
