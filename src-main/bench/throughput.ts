/**
 * One-way throughput of 1,200-byte datagrams, raw vs encrypted, with the receiver in its own
 * thread (receiver-worker.ts) and identical pacing for both (pacedRun).
 */
import dgram from 'node:dgram';
import { Worker } from 'node:worker_threads';
import { identityFromPrivateKey } from '../core/account';
import { generatePrivateKey } from '../core/crypto';
import { UdpSocket } from '../core/net';
import { MAX_UNFRAGMENTED_PAYLOAD, SessionManager } from '../core/session';
import { pacedRun } from './udp-baseline';

type Ready = { port: number; address?: string; publicKey?: Uint8Array };

async function receiver(mode: 'raw' | 'session') {
  const counter = new SharedArrayBuffer(8);
  const c = new Int32Array(counter);
  const w = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { module: './receiver-worker.ts', mode, counter } });
  const ready = await new Promise<Ready>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  return {
    ready,
    received: () => Atomics.load(c, 0),
    kib: () => Atomics.load(c, 1),
    async stop() {
      w.postMessage('stop');
      await new Promise((r) => w.once('exit', r));
    },
  };
}

/** bytesPerSec counts payload (goodput); datagramsPerSec counts 1,200-byte datagrams on the wire. */
export type Throughput = { bytesPerSec: number; datagramsPerSec: number; received: number; payload: number };

export async function rawThroughputThreaded(count: number, size = 1200, window = 64): Promise<Throughput> {
  const r = await receiver('raw');
  const s = dgram.createSocket('udp4');
  await new Promise<void>((res) => s.bind(0, '127.0.0.1', res));
  s.setSendBufferSize(4 << 20);
  const buf = Buffer.alloc(size, 1);
  const secs = await pacedRun(count, window, () => s.send(buf, r.ready.port, '127.0.0.1'), r.received);
  const out = { bytesPerSec: (r.kib() * 1024) / secs, datagramsPerSec: r.received() / secs, received: r.received(), payload: size };
  s.close();
  await r.stop();
  return out;
}

export async function sessionThroughputThreaded(count: number, window = 64): Promise<Throughput> {
  const r = await receiver('session');
  const identity = identityFromPrivateKey(generatePrivateKey());
  const socket = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const mgr = new SessionManager({ identity, socket, authorize: () => 'accept' });
  const peer = r.ready.address!;
  await mgr.connect({ address: peer, publicKey: r.ready.publicKey }, [{ host: '127.0.0.1', port: r.ready.port }]);
  const payload = new Uint8Array(MAX_UNFRAGMENTED_PAYLOAD).fill(1);
  const secs = await pacedRun(count, window, () => mgr.send(peer, () => payload), r.received);
  const out = { bytesPerSec: (r.kib() * 1024) / secs, datagramsPerSec: r.received() / secs, received: r.received(), payload: payload.length };
  await mgr.close();
  await socket.close();
  await r.stop();
  return out;
}
