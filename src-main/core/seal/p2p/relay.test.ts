import { afterEach, describe, expect, it } from 'vitest';
import { ArClient, RelaySocket } from '../../ar';
import { startRouter, type RouterNode } from '../../ar/test-helpers';
import { sleep, waitFor } from '../../base';
import { addressOf, generatePrivateKey, publicKeyOf, randomBytes } from '../../crypto';
import { DhtNode } from '../../dht';
import { LOOPBACK_RATES } from '../../dht/testnet';
import { sameEndpoint, UdpSocket, type Datagram, type DatagramSocket, type Endpoint, type PacketListener } from '../../net';
import { SessionManager } from '../../session';
import type { P2pTuning } from './constants';
import { createP2pTransport } from './create';
import type { P2pTransport } from './types';

/**
 * A sealer whose every direct path fails (both NATs symmetric, or a firewall): its socket only
 * exchanges datagrams with the router — what a NAT lab's worst corner looks like, on loopback.
 */
class RouterOnlySocket implements DatagramSocket {
  dropped = 0;
  constructor(private readonly inner: UdpSocket, private readonly router: Endpoint) {}
  send(data: Datagram, to: Endpoint): void {
    if (sameEndpoint(to, this.router)) this.inner.send(data, to);
    else this.dropped++;
  }
  onPacket(cb: PacketListener): () => void {
    return this.inner.onPacket((d, from) => {
      if (sameEndpoint(from, this.router)) cb(d, from);
      else this.dropped++;
    });
  }
  address(): Endpoint {
    return this.inner.address();
  }
}

const FAST: Partial<P2pTuning> = {
  discoverEveryMs: 300,
  publishCheckMs: 300,
  directTimeoutMs: 400,
  punchTimeoutMs: 400,
  relayTimeoutMs: 3000,
  dialBackoffMs: 200,
  dialBackoffMaxMs: 800,
  helloTimeoutMs: 300,
  tickMs: 20,
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function router(): Promise<{ r: RouterNode; dht: DhtNode }> {
  const r = await startRouter({ limits: { consentTimeoutMs: 500 } });
  const dht = new DhtNode({ ...LOOPBACK_RATES, socket: r.udp, router: true });
  await dht.start();
  cleanups.push(async () => {
    await dht.close();
    await r.close();
  });
  return { r, dht };
}

/** The NATed sealer on a stack it shares with the transport, as the desktop node would. */
async function natSealer(r: RouterNode, directory: () => string[]) {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  const identity = { privateKey, publicKey, address: addressOf(publicKey) };
  const udp = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const wall = new RouterOnlySocket(udp, r.endpoint);
  const relay = new RelaySocket(wall);
  const dht = new DhtNode({ ...LOOPBACK_RATES, socket: wall, bootstrap: [r.endpoint], ephemeral: true });
  let t: P2pTransport | null = null;
  let ar: ArClient | null = null;
  const sessions = new SessionManager({ identity, socket: relay, authorize: (p) => (ar?.isRouter(p.address) ? 'accept' : (t?.authorize(p) ?? 'reject')) });
  ar = new ArClient({ sessions, socket: relay, routers: () => [r.hint], localEndpoints: () => [udp.address()], acceptPeer: (a) => t?.acceptsRelay(a) ?? false, connectTimeoutMs: 2000 });
  await dht.start();
  await ar.start();
  t = await createP2pTransport({ privateKey, bootstrap: [], reachability: 'nat', directory, components: { relay, sessions, dht, ar }, advertise: () => [udp.address()], tuning: FAST });
  const a = ar;
  cleanups.push(async () => {
    await t!.close();
    await a.close();
    await dht.close();
    await sessions.close();
    relay.close();
    await udp.close();
  });
  return { t, wall };
}

async function primary(bootstrap: Endpoint, directory: () => string[]) {
  const t = await createP2pTransport({ privateKey: generatePrivateKey(), host: '127.0.0.1', bootstrap: [bootstrap], directory, dht: LOOPBACK_RATES, tuning: FAST });
  cleanups.push(() => t.close());
  return t;
}

function inbox(t: P2pTransport): Uint8Array[] {
  const got: Uint8Array[] = [];
  t.onMessage((m) => (got.push(m), true));
  return got;
}
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('POE P2P transport behind a relay', () => {
  it('a sealer reachable only through a router takes part: relay circuits to every peer, broadcasts both ways', async () => {
    const { r } = await router();
    const directory: string[] = [];
    const dir = () => directory;
    const primaries = await Promise.all([1, 2, 3].map(() => primary(r.endpoint, dir)));
    const sealer = await natSealer(r, dir);
    // a second sealer on its own stack (reachability 'nat': ephemeral DHT client, registered at the router)
    const home = await createP2pTransport({ privateKey: generatePrivateKey(), host: '127.0.0.1', bootstrap: [r.endpoint], routers: [r.hint], reachability: 'nat', directory: dir, dht: LOOPBACK_RATES, tuning: FAST });
    cleanups.push(() => home.close());
    directory.push(...primaries.map((p) => p.address), sealer.t.address, home.address);
    const all = [...primaries, sealer.t, home];
    await waitFor(() => all.every((t) => t.peers().length === 4), 15_000, 'everyone linked; the walled sealer through the router');

    expect(sealer.t.peers().map((p) => p.via)).toEqual(['relay', 'relay', 'relay', 'relay']);
    expect(home.declared().routers).toEqual([r.endpoint]);
    expect(home.peers().find((x) => x.address === sealer.t.address)?.via).toBe('relay'); // sealer ↔ sealer through a circuit too
    for (const p of primaries) expect(p.peers().find((x) => x.address === sealer.t.address)?.via).toBe('relay');
    expect(sealer.t.declared().routers).toEqual([r.endpoint]); // its DHT record lists the router as `via`
    const boxes = [...primaries, sealer.t].map(inbox);

    const vote = randomBytes(300);
    primaries[0]!.broadcast(vote);
    await waitFor(() => boxes[3]!.some((m) => same(m, vote)), 3000, 'the vote at the sealer');
    const seal = randomBytes(200);
    sealer.t.broadcast(seal);
    await waitFor(() => boxes.slice(0, 3).every((b) => b.some((m) => same(m, seal))), 3000, 'the seal at every primary');
    const block = randomBytes(256 * 1024); // pulled through a circuit (256 KiB/s per circuit by default at the router)
    primaries[1]!.broadcast(block);
    await waitFor(() => boxes[3]!.some((m) => same(m, block)), 8000, 'a block at the sealer');
    await sleep(200);
    for (const [i, b] of boxes.entries()) {
      expect(b.filter((m) => same(m, vote)).length).toBe(i === 0 ? 0 : 1);
      expect(b.filter((m) => same(m, seal)).length).toBe(i === 3 ? 0 : 1);
    }
    expect(r.server.stats().relayedFrames).toBeGreaterThan(0);
    expect(sealer.wall.dropped).toBeGreaterThan(0); // direct attempts were made, and failed
  });
});
