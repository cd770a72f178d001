/**
 * @module dht/testnet
 * Test and benchmark fixture (not exported from index.ts): N DhtNodes on 127.0.0.1, port 0
 * each, in this process, joined in batches through a few bootstrap nodes. Every node shares the
 * source IP 127.0.0.1, so per-IP rate limits are raised here (a real network has one bucket
 * per host; on loopback one bucket would be shared by the whole testnet).
 */
import { addressOf, generatePrivateKey, publicKeyOf } from '../crypto';
import { UdpSocket, type Endpoint } from '../net';
import { DhtNode, type DhtNodeOptions } from './dht-node';
import type { DhtIdentity } from './record';

export type TestnetOptions = {
  bootstrapCount?: number;
  /** Concurrent joins. */
  batch?: number;
  node?: Partial<Omit<DhtNodeOptions, 'socket' | 'bootstrap'>>;
};

export const LOOPBACK_RATES = { requestRate: { ratePerSec: 1e9, burst: 1e9 }, putRate: { ratePerSec: 1e9, burst: 1e9 } } as const;

export class DhtTestnet {
  readonly nodes: (DhtNode | null)[] = [];
  readonly sockets: (UdpSocket | null)[] = [];
  bootstrap: Endpoint[] = [];
  private constructor(private readonly opts: TestnetOptions) {}

  static async create(n: number, opts: TestnetOptions = {}): Promise<DhtTestnet> {
    const net = new DhtTestnet(opts);
    const nb = Math.max(1, Math.min(n, opts.bootstrapCount ?? 3));
    for (let i = 0; i < nb; i++) {
      await net.spawn(i, net.bootstrap.slice()); // each bootstrap node joins the previous ones
      net.bootstrap.push(net.sockets[i]!.address());
    }
    await net.joinRange(nb, n);
    return net;
  }

  private async spawn(i: number, bootstrap: Endpoint[]): Promise<DhtNode> {
    const socket = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
    const node = new DhtNode({ ...LOOPBACK_RATES, ...this.opts.node, socket, bootstrap });
    this.sockets[i] = socket;
    this.nodes[i] = node;
    await node.start();
    return node;
  }

  private async joinRange(from: number, to: number): Promise<void> {
    const batch = Math.max(1, this.opts.batch ?? 50);
    for (let i = from; i < to; i += batch) {
      const jobs: Promise<DhtNode>[] = [];
      for (let j = i; j < Math.min(to, i + batch); j++) jobs.push(this.spawn(j, this.bootstrap));
      await Promise.all(jobs);
    }
  }

  live(): DhtNode[] {
    return this.nodes.filter((n): n is DhtNode => n !== null);
  }

  liveEndpoints(): Endpoint[] {
    return this.sockets.filter((s): s is UdpSocket => s !== null).map((s) => s.address());
  }

  async kill(i: number): Promise<void> {
    await this.nodes[i]?.close();
    await this.sockets[i]?.close();
    this.nodes[i] = null;
    this.sockets[i] = null;
  }

  /** Restart nodes (new sockets, new ports, so new ids) and let them rejoin, `batch` at a time. */
  async restart(indices: number[]): Promise<void> {
    const batch = Math.max(1, this.opts.batch ?? 50);
    for (let i = 0; i < indices.length; i += batch) {
      await Promise.all(indices.slice(i, i + batch).map((j) => this.spawn(j, this.bootstrap.filter((_, b) => this.nodes[b] !== null))));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((_, i) => this.kill(i)));
  }
}

/** A fresh secp256k1 identity (record owner) for tests and benchmarks. */
export function randomIdentity(): DhtIdentity {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
