/**
 * @module ar/relay-bench
 * Direct vs relayed sessions on loopback, everything in THIS thread (router included): the
 * session echo round trip and the one-way throughput of 1,167-byte payloads (= 1,200-byte
 * session datagrams, 1,209-byte relay frames). Both pairs run the production stack
 * (UdpSocket → RelaySocket → SessionManager); the relayed pair's datagrams go through an
 * ArServer circuit. With one thread doing the sender's AES-GCM, the router's forwarding and
 * the receiver's AES-GCM, the relayed figure is a lower bound for a router on its own machine.
 * Echo samples are taken in interleaved blocks of 100 and throughput in interleaved rounds
 * (median reported), so background load affects both paths alike.
 */
import { performance } from 'node:perf_hooks';
import { addressOf, generatePrivateKey, publicKeyOf } from '../crypto';
import { UdpSocket, type Endpoint } from '../net';
import { MAX_UNFRAGMENTED_PAYLOAD, SessionManager } from '../session';
import { ArClient } from './ar-client';
import { ArServer } from './ar-server';
import { RelaySocket } from './relay-socket';

export type RelayBenchOptions = {
  /** Echo round trips per path (default 1000). */
  echoIterations?: number;
  /** Echo payload size (default 200 bytes, as in the session benchmark). */
  echoBytes?: number;
  /** Payloads sent one way per path (default 20,000). */
  throughputCount?: number;
  /** Payloads sent per burst before yielding (default 64). */
  window?: number;
  /** Interleaved throughput rounds per path; the median is reported (default 3). */
  rounds?: number;
  /** Use this router (running elsewhere, with relay limits lifted) instead of one in this thread. */
  router?: { address: string; endpoint: Endpoint };
};

/** Relay limits lifted for benchmarking (a router's defaults cap a circuit at 256 KiB/s). */
export const UNLIMITED = { circuitBytesPerSec: 2 ** 31, circuitBurstBytes: 2 ** 31 };

export type RelayBenchResult = { directRttUs: number[]; relayedRttUs: number[]; directBps: number; relayedBps: number };

type Node = { id: { privateKey: Uint8Array; publicKey: Uint8Array; address: string }; udp: UdpSocket; socket: RelaySocket; sessions: SessionManager };

function identity() {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

async function node(): Promise<Node> {
  const id = identity();
  const udp = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const socket = new RelaySocket(udp);
  const sessions = new SessionManager({ identity: id, socket, authorize: () => 'accept' });
  return { id, udp, socket, sessions };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

async function echo(from: Node, to: Node, iterations: number, size: number): Promise<number[]> {
  const off = to.sessions.on('message', ({ peer, data }) => to.sessions.send(peer.address, () => data));
  const payload = new Uint8Array(size).fill(7);
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const done = from.sessions.on('message', () => {
        done();
        resolve();
      });
      from.sessions.send(to.id.address, () => payload);
    });
    out.push((performance.now() - t0) * 1000);
  }
  off();
  return out;
}

/** Bytes per second of payload received, with at most 4 windows in flight. */
async function throughput(from: Node, to: Node, count: number, window: number): Promise<number> {
  let received = 0;
  let bytes = 0;
  const off = to.sessions.on('message', ({ data }) => {
    received++;
    bytes += data.length;
  });
  const payload = new Uint8Array(MAX_UNFRAGMENTED_PAYLOAD).fill(1);
  const t0 = performance.now();
  for (let sent = 0; sent < count; ) {
    for (let k = 0; k < window && sent < count; k++, sent++) from.sessions.send(to.id.address, () => payload);
    const stall = performance.now();
    while (sent - received > window * 4 && performance.now() - stall < 20) await tick();
  }
  let last = received;
  let lastAt = performance.now();
  const end = lastAt + 1000;
  while (received < count && performance.now() < end) {
    await new Promise((r) => setTimeout(r, 1));
    if (received !== last) {
      last = received;
      lastAt = performance.now();
    }
  }
  const secs = ((received >= count ? performance.now() : lastAt) - t0) / 1000;
  off();
  return bytes / secs;
}

export async function relayBench(opts: RelayBenchOptions = {}): Promise<RelayBenchResult> {
  const iterations = opts.echoIterations ?? 1000;
  const size = opts.echoBytes ?? 200;
  const count = opts.throughputCount ?? 20_000;
  const window = opts.window ?? 64;
  const rounds = Math.max(1, opts.rounds ?? 3);

  // The router: given (e.g. another thread or process, as a real router is another machine), or
  // built here in this thread.
  let local: { server: ArServer; sessions: SessionManager; udp: UdpSocket } | null = null;
  let routerHint: Endpoint & { address: string };
  if (opts.router) routerHint = { ...opts.router.endpoint, address: opts.router.address };
  else {
    const routerId = identity();
    const routerUdp = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
    let server: ArServer | null = null;
    const routerSessions = new SessionManager({ identity: routerId, socket: routerUdp, authorize: (p) => server?.authorize(p) ?? 'reject' });
    server = new ArServer({ address: routerId.address, sessions: routerSessions, socket: routerUdp, limits: UNLIMITED });
    local = { server, sessions: routerSessions, udp: routerUdp };
    routerHint = { ...routerUdp.address(), address: routerId.address };
  }
  const [a, b, c, d] = await Promise.all([node(), node(), node(), node()]);
  const clients: ArClient[] = [];
  try {
    await a.sessions.connect({ address: b.id.address }, [b.udp.address()]);
    for (const n of [c, d]) {
      const cl = new ArClient({ sessions: n.sessions, socket: n.socket, routers: () => [routerHint], localEndpoints: () => [n.udp.address()] });
      clients.push(cl);
      await cl.start();
    }
    const virtual: Endpoint | null = await clients[0]!.openRelay(d.id.address);
    if (!virtual) throw new Error('relay circuit could not be opened');
    await c.sessions.connect({ address: d.id.address }, [virtual]);

    // warm up both paths (JIT, kernel buffers) before measuring
    await echo(a, b, 50, size);
    await echo(c, d, 50, size);
    // interleaved blocks / rounds, so background load on the machine hits both paths alike
    const directRttUs: number[] = [];
    const relayedRttUs: number[] = [];
    for (let done = 0; done < iterations; done += 100) {
      const n = Math.min(100, iterations - done);
      directRttUs.push(...(await echo(a, b, n, size)));
      relayedRttUs.push(...(await echo(c, d, n, size)));
    }
    const direct: number[] = [];
    const relayed: number[] = [];
    for (let i = 0; i < rounds; i++) {
      direct.push(await throughput(a, b, count, window));
      relayed.push(await throughput(c, d, count, window));
    }
    return { directRttUs, relayedRttUs, directBps: median(direct), relayedBps: median(relayed) };
  } finally {
    for (const cl of clients) await cl.close();
    for (const n of [a, b, c, d]) {
      await n.sessions.close();
      n.socket.close();
      await n.udp.close();
    }
    if (local) {
      local.server.close();
      await local.sessions.close();
      await local.udp.close();
    }
  }
}
