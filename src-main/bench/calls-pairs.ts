/**
 * @module bench/calls-pairs
 * Shared set-up of the call benchmarks (calls-bench, calls-browser): two in-process nodes
 * registered at an application router (in its own thread, as another machine would be), a
 * meter of every datagram a node's socket sends, and the forced relay — every datagram
 * between the two nodes' own sockets dropped (as between two symmetric NATs), so the
 * connector's ladder (saved → DHT → punch → relay) must end on a relay circuit.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { datagramLength, type Datagram, type Endpoint } from '../core/net';
import { befriend, startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';

export type Wire = { sent: number; packets: number };
export type Side = { node: TestNode; wire: Wire };
export type Pair = { a: Side; b: Side; upMs: number; stop(): Promise<void> };
export type RouterPair = { a: TestNode; b: TestNode; stop(): Promise<void> };

/** Count every datagram the node's UDP socket sends (sessions, relay frames, everything). */
export function meterWire(node: TestNode): Wire {
  const sock = node.core.requireRuntime().socket;
  const w: Wire = { sent: 0, packets: 0 };
  const send = sock.send.bind(sock);
  sock.send = (d: Datagram, to: Endpoint) => {
    w.sent += datagramLength(d);
    w.packets++;
    send(d, to);
  };
  return w;
}

/** Drop datagrams between the two nodes' own sockets (both directions), so only a relay can link them. */
export function blockDirect(a: TestNode, b: TestNode): void {
  const ports = [a, b].map((n) => n.core.requireRuntime().socket.address().port);
  for (const n of [a, b]) {
    const sock = n.core.requireRuntime().socket;
    const send = sock.send.bind(sock);
    sock.send = (d: Datagram, to: Endpoint) => {
      if (to.host === '127.0.0.1' && ports.includes(to.port)) return;
      send(d, to);
    };
  }
}

/** An application router in its own thread (router-worker.ts: a router is another machine). */
export async function routerThread(): Promise<{ endpoint: Endpoint; stop(): Promise<void> }> {
  const w = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { module: './router-worker.ts' } });
  const info = await new Promise<{ endpoint: Endpoint }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  return {
    endpoint: info.endpoint,
    async stop() {
      w.postMessage('stop');
      await new Promise((r) => w.once('exit', r));
    },
  };
}

/** Alice and Bob, both registered at a router thread and befriended (their link is direct). */
export async function routerPair(opts: { chain: { enabled: false } }): Promise<RouterPair> {
  const router = await routerThread();
  const dirs = [tempDir(), tempDir()];
  const nodes: TestNode[] = [];
  const stop = async () => {
    await stopAll(nodes, dirs);
    await router.stop();
  };
  try {
    const extra = { ...opts, bootstrap: [router.endpoint] };
    const a = await startTestNode('Alice', dirs[0], extra);
    nodes.push(a);
    const b = await startTestNode('Bob', dirs[1], extra);
    nodes.push(b);
    const registered = (n: TestNode) => (n.core.requireRuntime().network.ar?.connectedRouters().length ?? 0) > 0;
    await waitFor(() => registered(a) && registered(b), 15_000);
    await befriend(a, b);
    return { a, b, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Block the direct path, close the session and wait for a relayed one; resolves with how long that took (ms). */
export async function forceRelay(a: TestNode, b: TestNode): Promise<number> {
  a.core.requireRuntime().sessions.disconnect(b.address);
  blockDirect(a, b);
  await waitFor(() => !a.core.requireRuntime().sessions.isConnected(b.address) && !b.core.requireRuntime().sessions.isConnected(a.address), 10_000);
  const t0 = performance.now();
  void a.core.requireRuntime().chat.ensureLink(b.address);
  await waitFor(() => a.core.requireRuntime().chat.linkOf(b.address) === 'relayed' && b.core.requireRuntime().sessions.isConnected(a.address), 30_000);
  return performance.now() - t0;
}

/**
 * Two friends linked only through a router's relay circuit, their sockets metered beneath the
 * block (dropped datagrams are not counted). A string says why no relayed link came up.
 */
export async function relayedPair(opts: { chain: { enabled: false } }): Promise<Pair | string> {
  let pair: RouterPair;
  try {
    pair = await routerPair(opts);
  } catch (e) {
    return String(e).split('\n')[0]!;
  }
  try {
    const wires = [meterWire(pair.a), meterWire(pair.b)] as const;
    const upMs = await forceRelay(pair.a, pair.b);
    return { a: { node: pair.a, wire: wires[0] }, b: { node: pair.b, wire: wires[1] }, upMs, stop: pair.stop };
  } catch (e) {
    await pair.stop();
    return String(e).split('\n')[0]!;
  }
}
