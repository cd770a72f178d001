import { afterEach, describe, expect, it } from 'vitest';
import { addressOf, generatePrivateKey, publicKeyOf } from '../../crypto';
import { UdpSocket, type DatagramSocket } from '../../net';
import { SessionManager } from '../../session';
import { verifyBundle } from '../package';
import { MemorySource } from './source';
import { attachSessions, BundleSwarm, sessionSender } from './swarm';
import { makeBud, prng, tempDir } from './test-support';
import type { FetchProgress } from './types';

/** A socket that drops a fraction of the datagrams it sends once `lossy` is on (seeded). */
function lossySocket(inner: UdpSocket, seed: number): DatagramSocket & { loss: number; dropped: number } {
  const rnd = prng(seed);
  const s = {
    loss: 0,
    dropped: 0,
    send: (d: Parameters<DatagramSocket['send']>[0], to: Parameters<DatagramSocket['send']>[1]) => {
      if (s.loss > 0 && rnd() < s.loss) s.dropped++;
      else inner.send(d, to);
    },
    onPacket: inner.onPacket.bind(inner),
    address: inner.address.bind(inner),
    sendWithTtl: inner.sendWithTtl?.bind(inner),
  };
  return s as DatagramSocket & { loss: number; dropped: number };
}

type Node = { address: string; publicKey: Uint8Array; sessions: SessionManager; swarm: BundleSwarm; udp: UdpSocket; socket: ReturnType<typeof lossySocket>; close(): Promise<void> };

const nodes: Node[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

async function node(seed: number, bud?: Uint8Array): Promise<Node> {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  const address = addressOf(publicKey);
  const udp = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const socket = lossySocket(udp, seed);
  const sessions = new SessionManager({ identity: { privateKey, publicKey, address }, socket, authorize: () => 'accept' });
  const source = new MemorySource();
  if (bud) source.add(bud);
  const peers = () => nodes.filter((n) => n.address !== address && sessions.isConnected(n.address)).map((n) => n.address);
  const swarm = new BundleSwarm({ send: sessionSender(sessions), peers, partialDir: tempDir(), source });
  const off = attachSessions(swarm, sessions);
  const n: Node = {
    address,
    publicKey,
    sessions,
    swarm,
    udp,
    socket,
    async close() {
      off();
      await swarm.close();
      await sessions.close();
      await udp.close();
    },
  };
  nodes.push(n);
  return n;
}

async function swarmOf(bud: Uint8Array): Promise<{ me: Node; seeders: Node[] }> {
  const seeders = [await node(1, bud), await node(2, bud), await node(3, bud)];
  const me = await node(4);
  for (const s of seeders) await me.sessions.connect({ address: s.address, publicKey: s.publicKey }, [s.udp.address()]);
  return { me, seeders };
}

describe('bundle distribution over real sessions on 127.0.0.1', () => {
  it('fetches a 2 MiB bundle from 3 seeders through SessionManagers', async () => {
    const { bud, contentHash } = await makeBud(2 * 1024 * 1024, 21);
    const { me, seeders } = await swarmOf(bud);
    const seen: FetchProgress[] = [];
    const r = await me.swarm.fetch(contentHash, { onProgress: (p) => seen.push(p) });
    expect(Buffer.from(r.bytes).equals(Buffer.from(bud))).toBe(true);
    verifyBundle(r.bytes, { authorKey: r.bundle.manifest.author });
    expect(new Set(r.servedBy).size).toBeGreaterThanOrEqual(2);
    expect(seeders.reduce((n, s) => n + s.swarm.seeder!.counters.pieces, 0)).toBeGreaterThanOrEqual(Math.ceil(r.bundle.index.totalSize / 16384));
    expect(seen.at(-1)?.chunksDone).toBe(r.bundle.index.chunks.length);
    expect(Math.max(...seen.map((p) => p.peers))).toBe(3);
  });

  it('completes when 1 % of datagrams are lost (about 14 % of 16 KiB pieces)', async () => {
    const { bud, contentHash } = await makeBud(1.5 * 1024 * 1024, 22);
    const { me, seeders } = await swarmOf(bud);
    for (const s of [me, ...seeders]) s.socket.loss = 0.01;
    const r = await me.swarm.fetch(contentHash);
    expect(Buffer.from(r.bytes).equals(Buffer.from(bud))).toBe(true);
    expect(seeders.reduce((n, s) => n + s.socket.dropped, 0)).toBeGreaterThan(0);
  });
});
