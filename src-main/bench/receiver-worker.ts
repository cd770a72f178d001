/**
 * Receiving side of the throughput benchmarks, in its own thread (its own event loop, as a
 * second node on the machine would have). Counts datagrams/payloads into a shared counter
 * (Int32Array over a SharedArrayBuffer: [count, bytes/1024]) so the sender can pace itself.
 * workerData: { mode: 'raw' | 'session', counter: SharedArrayBuffer }
 */
import dgram from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { identityFromPrivateKey } from '../core/account';
import { generatePrivateKey } from '../core/crypto';
import { UdpSocket } from '../core/net';
import { SessionManager } from '../core/session';

const { mode, counter } = workerData as { mode: 'raw' | 'session'; counter: SharedArrayBuffer };
const c = new Int32Array(counter);
let bytes = 0;
const count = (n: number) => {
  bytes += n;
  Atomics.add(c, 0, 1);
  Atomics.store(c, 1, Math.floor(bytes / 1024));
};

if (mode === 'raw') {
  const s = dgram.createSocket('udp4');
  s.bind(0, '127.0.0.1', () => {
    s.setRecvBufferSize(4 << 20);
    s.on('message', (m) => count(m.length));
    parentPort!.postMessage({ port: s.address().port });
  });
  parentPort!.on('message', () => s.close(() => process.exit(0)));
} else {
  const identity = identityFromPrivateKey(generatePrivateKey());
  const socket = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const mgr = new SessionManager({ identity, socket, authorize: () => 'accept' });
  mgr.on('message', ({ data }) => count(data.length));
  parentPort!.postMessage({ port: socket.address().port, address: identity.address, publicKey: identity.publicKey });
  parentPort!.on('message', async () => {
    await mgr.close();
    await socket.close();
    process.exit(0);
  });
}
