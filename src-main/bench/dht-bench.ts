/**
 * DHT lookup benchmark: a testnet of `n` DhtNodes on 127.0.0.1 in this process (real UDP, real
 * signatures), `records` owners publish signed records, then each record is looked up from a
 * random node, one lookup at a time. Optional churn closes a fraction of the nodes and restarts
 * them on new sockets before the lookups. Reports success rate, lookup latency p50/p95 and
 * rounds (sequential hops) median/p95. Target (issue 3): success ≥ 99 %, median rounds ≤ log2(n)/2.
 */
import { CHAT_APP_ID } from '../core/dht';
import { DhtTestnet, percentile, randomIdentity } from '../core/dht/testnet';

export type DhtBenchResult = {
  n: number;
  successRate: number;
  latencyMs: { p50: number; p95: number };
  rounds: { median: number; p95: number };
};

export async function dhtBench(n: number, opts: { records?: number; churn?: number; requestTimeoutMs?: number } = {}): Promise<DhtBenchResult> {
  const records = Math.max(1, Math.min(opts.records ?? 100, n));
  const net = await DhtTestnet.create(n, { bootstrapCount: Math.min(3, n), batch: 50, node: { requestTimeoutMs: opts.requestTimeoutMs ?? 1000 } });
  try {
    const owners: { address: string; seq: number }[] = [];
    for (let i = 0; i < records; i++) {
      const identity = randomIdentity();
      const at = Math.floor((i * n) / records);
      const r = await net.nodes[at]!.publish(identity, CHAT_APP_ID, [{ host: '127.0.0.1', port: 1 + i, appId: CHAT_APP_ID, agent: 'bench' }]);
      owners.push({ address: identity.address, seq: r.seq });
    }
    const churn = Math.max(0, Math.min(0.9, opts.churn ?? 0));
    if (churn > 0) {
      const candidates = [...Array(n).keys()].slice(net.bootstrap.length).sort(() => Math.random() - 0.5);
      const victims = candidates.slice(0, Math.round(n * churn));
      await Promise.all(victims.map((i) => net.kill(i)));
      await net.restart(victims);
    }
    const latency: number[] = [];
    const rounds: number[] = [];
    let ok = 0;
    const live = net.live();
    for (const o of owners) {
      const from = live[Math.floor(Math.random() * live.length)]!;
      const t = performance.now();
      const r = await from.lookupDetailed(o.address, CHAT_APP_ID);
      latency.push(performance.now() - t);
      rounds.push(r.rounds);
      if (r.record?.seq === o.seq) ok++;
    }
    return {
      n,
      successRate: ok / owners.length,
      latencyMs: { p50: percentile(latency, 50), p95: percentile(latency, 95) },
      rounds: { median: percentile(rounds, 50), p95: percentile(rounds, 95) },
    };
  } finally {
    await net.close();
  }
}
