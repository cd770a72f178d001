/** Raw node:dgram baseline on loopback (echo round trip) and the pacing shared by throughput runs. */
import dgram from 'node:dgram';
import { nowUs } from './stats';

async function pair(): Promise<[dgram.Socket, dgram.Socket]> {
  const a = dgram.createSocket('udp4');
  const b = dgram.createSocket('udp4');
  await new Promise<void>((r) => a.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => b.bind(0, '127.0.0.1', r));
  for (const s of [a, b]) {
    s.setRecvBufferSize(4 << 20);
    s.setSendBufferSize(4 << 20);
  }
  return [a, b];
}

export async function rawEcho(iterations: number, size = 200): Promise<number[]> {
  const [a, b] = await pair();
  b.on('message', (m, ri) => b.send(m, ri.port, ri.address));
  const buf = Buffer.alloc(size, 7);
  const port = b.address().port;
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = nowUs();
    await new Promise<void>((r) => {
      a.once('message', () => r());
      a.send(buf, port, '127.0.0.1');
    });
    out.push(nowUs() - t0);
  }
  a.close();
  b.close();
  return out;
}

/**
 * Send `count` messages via `send`, keeping at most `window * 4` in flight relative to what the
 * receiver has counted (waits at most 20 ms per stall, so drops cannot hang it). Returns elapsed
 * seconds until the last arrival or `tailMs` after the last send. Used for raw and encrypted runs alike.
 */
export async function pacedRun(count: number, window: number, send: () => void, received: () => number, tailMs = 1000): Promise<number> {
  const t0 = nowUs();
  for (let sent = 0; sent < count; ) {
    for (let k = 0; k < window && sent < count; k++, sent++) send();
    const stallStart = Date.now();
    while (sent - received() > window * 4 && Date.now() - stallStart < 20) await new Promise((r) => setImmediate(r));
  }
  const end = Date.now() + tailMs;
  let last = received();
  let lastAt = nowUs();
  while (received() < count && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 1));
    if (received() !== last) {
      last = received();
      lastAt = nowUs();
    }
  }
  return ((received() >= count ? nowUs() : lastAt) - t0) / 1e6;
}
