/**
 * @module seal/p2p/create
 * `createP2pTransport`: the consensus transport on its own stack, assembled like the desktop
 * node's (node/network.ts) —
 *
 *   UdpSocket ─┬─ DhtNode (0x20/0x21; public: full node, nat: ephemeral client)
 *              └─ RelaySocket (0x40) ─ SessionManager (0x01–0x0F) ─ ArClient (0xA7) + POE (0xB0)
 *
 * — or on a node's existing stack (`components`), in which case it builds, starts and closes
 * none of it. Behind a NAT the ArClient registers with up to two routers (bootstrap `routers`
 * and those the DHT advertises); a public node keeps an ArClient without home routers, to open
 * relay circuits to NATed sealers through their routers.
 */
import { ArClient, RelaySocket, type RouterHint } from '../../ar';
import { silentLogger } from '../../base';
import { addressOf, publicKeyOf } from '../../crypto';
import { DhtNode, POE_APP_ID } from '../../dht';
import { endpointKey, UdpSocket, type Endpoint } from '../../net';
import { SessionManager } from '../../session';
import { DEFAULT_TUNING } from './constants';
import { PoeP2pTransport } from './transport';
import type { P2pTransport, P2pTransportOptions } from './types';

const JOIN_RETRY_MS = 10_000;

export async function createP2pTransport(opts: P2pTransportOptions): Promise<P2pTransport> {
  const logger = opts.logger ?? silentLogger;
  const publicKey = publicKeyOf(opts.privateKey);
  const identity = { privateKey: opts.privateKey, publicKey, address: addressOf(publicKey) };
  const reachability = opts.reachability ?? 'public';
  const tuning = { ...opts.tuning, ...(opts.maxPeers !== undefined ? { maxPeers: opts.maxPeers } : {}) };
  const directory = opts.directory ?? (() => []);
  const networkId = opts.networkId ?? 0n;
  const bootstrap: Endpoint[] = opts.bootstrap.map((b) => ({ host: b.host, port: b.port }));

  if (opts.components) {
    const c = opts.components;
    const t = new PoeP2pTransport({
      identity,
      relay: c.relay,
      sessions: c.sessions,
      dht: c.dht,
      ar: () => c.ar,
      owned: false,
      reachability,
      networkId,
      bootstrap: opts.bootstrap,
      directory,
      ...(opts.advertise ? { advertise: opts.advertise } : {}),
      tuning,
      logger,
      join: () => Promise.resolve(),
      // stop republishing our record (it expires within its TTL); the stack stays the node's
      teardown: () => Promise.resolve(c.dht.unpublish(identity.address, POE_APP_ID)),
    });
    await t.start();
    return t;
  }

  const udp = await UdpSocket.bind({ host: opts.host ?? '0.0.0.0', port: opts.port ?? 0, logger });
  const relay = new RelaySocket(udp);
  const dht = new DhtNode({ ...opts.dht, socket: udp, bootstrap, ephemeral: reachability === 'nat', logger });
  let transport: PoeP2pTransport | null = null;
  let ar: ArClient | null = null;
  const sessions = new SessionManager({
    ...opts.session,
    identity,
    socket: relay,
    logger,
    authorize: (p) => (ar?.isRouter(p.address) ? 'accept' : (transport?.authorize(p) ?? 'reject')),
  });
  const routerHints = (): RouterHint[] => {
    const seen = new Set<string>();
    const out: RouterHint[] = [];
    for (const r of [...(opts.routers ?? []), ...dht.routers()]) {
      const k = endpointKey(r);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(r);
    }
    return out;
  };
  ar = new ArClient({
    ...opts.arClient,
    sessions,
    socket: relay,
    logger,
    routers: routerHints,
    localEndpoints: () => transport?.declared().endpoints ?? [],
    maxRouters: reachability === 'nat' ? 2 : 0,
    acceptPeer: (address) => transport?.acceptsRelay(address) ?? false,
    punchTimeoutMs: opts.tuning?.punchTimeoutMs ?? DEFAULT_TUNING.punchTimeoutMs,
  });
  const a = ar;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const joinDht = async (): Promise<void> => {
    try {
      await dht.start();
    } catch (e) {
      if (closed) return;
      logger.debug('poe: DHT join failed, will retry', { error: String(e) });
      retry = setTimeout(() => void joinDht().then(() => transport?.addPeers([])), JOIN_RETRY_MS);
      retry.unref?.();
    }
  };
  transport = new PoeP2pTransport({
    identity,
    relay,
    sessions,
    dht,
    ar: () => a,
    owned: true,
    reachability,
    networkId,
    bootstrap: opts.bootstrap,
    directory,
    ...(opts.advertise ? { advertise: opts.advertise } : {}),
    tuning,
    logger,
    join: async () => {
      await Promise.all([joinDht(), a.start().catch((e: unknown) => logger.debug('poe: router registration failed', { error: String(e) }))]);
    },
    teardown: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await a.close().catch(() => undefined);
      await dht.close().catch(() => undefined);
      await sessions.close();
      relay.close();
      await udp.close();
    },
  });
  await transport.start();
  return transport;
}
