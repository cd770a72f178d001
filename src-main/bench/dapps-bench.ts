/**
 * Dapp bundle distribution (issue 12 item 3, core/dapps/distribution) on loopback: a signed
 * bundle of random files fetched by a BundleSwarm from 1 and from 3 seeders over real
 * SessionManagers in this process — head check, every 256 KiB chunk hashed, written to the
 * partial file and the whole container verified at the end — in MB/s of bundle content.
 *
 * Baseline (same run, same sessions): the bare request/response pattern the fetcher uses —
 * 16 KiB asked for and answered from memory, 12 requests in flight, over one session, no
 * hashing, no files, no scheduling. The ratio is what the distribution layer costs on top of
 * the transport; "limits lifted" removes the seeder's per-peer rate limit (4 MiB/s by default)
 * to show the protocol's own ceiling.
 *
 * Run alone: `node --import tsx src-main/bench/dapps-bench.ts [--quick]`.
 */
import { pathToFileURL } from 'node:url';
import { identityFromPrivateKey } from '../core/account';
import { generatePrivateKey } from '../core/crypto';
import { attachSessions, BundleSwarm, MemorySource, sessionSender, type SeederLimits } from '../core/dapps';
import { makeBud, tempDir } from '../core/dapps/distribution/test-support';
import { UdpSocket } from '../core/net';
import { SessionManager } from '../core/session';
import { fmtMBs, fmtRatio, printTable, type Row } from './stats';

type BenchNode = { address: string; sessions: SessionManager; udp: UdpSocket; close(): Promise<void> };

async function benchNode(): Promise<BenchNode> {
  const identity = identityFromPrivateKey(generatePrivateKey());
  const udp = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const sessions = new SessionManager({ identity, socket: udp, authorize: () => 'accept' });
  return {
    address: identity.address,
    sessions,
    udp,
    async close() {
      await sessions.close();
      await udp.close();
    },
  };
}

const PIECE = 16 * 1024;
const WINDOW = 12;

/** The bare pattern: ask for 16 KiB pieces, 12 in flight, answered from memory; bytes/s. */
async function baseline(me: BenchNode, peer: BenchNode, totalBytes: number): Promise<number> {
  const data = new Uint8Array(PIECE).fill(1);
  const offServe = peer.sessions.on('message', ({ peer: from, data: d }) => {
    if (d[0] !== 0xfe) return;
    const reply = new Uint8Array(5 + PIECE);
    reply.set(d.subarray(0, 5));
    reply[0] = 0xfd;
    reply.set(data, 5);
    peer.sessions.send(from.address, () => reply);
  });
  const pieces = Math.ceil(totalBytes / PIECE);
  const pending = new Map<number, number>();
  let next = 0;
  let got = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const ask = (i: number) => {
      pending.set(i, performance.now());
      const m = new Uint8Array(5);
      m[0] = 0xfe;
      new DataView(m.buffer).setUint32(1, i);
      me.sessions.send(peer.address, () => m);
    };
    const fill = () => {
      while (pending.size < WINDOW && next < pieces) ask(next++);
    };
    const offGet = me.sessions.on('message', ({ data: d }) => {
      if (d[0] !== 0xfd) return;
      const i = new DataView(d.buffer, d.byteOffset).getUint32(1);
      if (!pending.delete(i)) return;
      if (++got === pieces) {
        clearInterval(retry);
        offGet();
        resolve();
      } else fill();
    });
    const retry = setInterval(() => {
      for (const [i, at] of pending) if (performance.now() - at > 200) ask(i);
    }, 50);
    fill();
  });
  offServe();
  return (pieces * PIECE) / ((performance.now() - t0) / 1000);
}

async function fetchOnce(me: BenchNode, seeders: BenchNode[], bud: Uint8Array, hash: Uint8Array, seederLimits: Partial<SeederLimits>): Promise<number> {
  const swarms = seeders.map((s) => {
    const source = new MemorySource();
    source.add(bud);
    const sw = new BundleSwarm({ send: sessionSender(s.sessions), peers: () => [], partialDir: tempDir(), source, limits: { seeder: seederLimits } });
    return { sw, off: attachSessions(sw, s.sessions) };
  });
  const mine = new BundleSwarm({ send: sessionSender(me.sessions), peers: () => seeders.map((s) => s.address), partialDir: tempDir(), seed: false });
  const off = attachSessions(mine, me.sessions);
  const t0 = performance.now();
  const r = await mine.fetch(hash);
  const rate = r.bundle.index.totalSize / ((performance.now() - t0) / 1000);
  off();
  await mine.close();
  for (const { sw, off: o } of swarms) {
    o();
    await sw.close();
  }
  return rate;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function dappsRows(quick: boolean): Promise<Row[]> {
  const size = (quick ? 4 : 8) * 1024 * 1024;
  const rounds = quick ? 1 : 3;
  const { bud, contentHash } = await makeBud(size, 99);
  const me = await benchNode();
  const seeders = [await benchNode(), await benchNode(), await benchNode()];
  try {
    for (const s of seeders) await me.sessions.connect({ address: s.address }, [s.udp.address()]);
    const lifted = { ratePerSec: 1e6, burst: 1e6, totalRatePerSec: 1e6, totalBurst: 1e6 };
    const base: number[] = [];
    const one: number[] = [];
    const three: number[] = [];
    const oneFree: number[] = [];
    const threeFree: number[] = [];
    for (let i = 0; i < rounds; i++) {
      base.push(await baseline(me, seeders[0]!, size));
      one.push(await fetchOnce(me, seeders.slice(0, 1), bud, contentHash, {}));
      three.push(await fetchOnce(me, seeders, bud, contentHash, {}));
      oneFree.push(await fetchOnce(me, seeders.slice(0, 1), bud, contentHash, lifted));
      threeFree.push(await fetchOnce(me, seeders, bud, contentHash, lifted));
    }
    const b = median(base);
    const row = (figure: string, xs: number[]): Row => ({ figure, value: fmtMBs(median(xs)), baseline: fmtMBs(b), ratio: fmtRatio(median(xs) / b) });
    const mib = size / 1024 / 1024;
    return [
      row(`dapp bundle fetch, ${mib} MiB, 1 seeder`, one),
      row(`dapp bundle fetch, ${mib} MiB, 3 seeders`, three),
      row(`dapp bundle fetch, ${mib} MiB, 1 seeder, limits lifted`, oneFree),
      row(`dapp bundle fetch, ${mib} MiB, 3 seeders, limits lifted`, threeFree),
    ];
  } finally {
    await me.close();
    for (const s of seeders) await s.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await dappsRows(process.argv.includes('--quick')));
}
