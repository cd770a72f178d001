/**
 * Two SessionManagers in this process on loopback (the real session stack: SIGMA-I handshake,
 * AES-256-GCM transport, replay window): encrypted echo round trip, measured exactly like the
 * raw baseline in udp-baseline.ts.
 */
import { identityFromPrivateKey } from '../core/account';
import { generatePrivateKey } from '../core/crypto';

const identity = () => identityFromPrivateKey(generatePrivateKey());
import { UdpSocket } from '../core/net';
import { SessionManager } from '../core/session';
import { nowUs } from './stats';

async function pair() {
  const ia = identity();
  const ib = identity();
  const sa = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const sb = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const a = new SessionManager({ identity: ia, socket: sa, authorize: () => 'accept' });
  const b = new SessionManager({ identity: ib, socket: sb, authorize: () => 'accept' });
  await a.connect({ address: ib.address, publicKey: ib.publicKey }, [sb.address()]);
  return {
    a,
    b,
    ia,
    ib,
    async close() {
      await a.close();
      await b.close();
      await sa.close();
      await sb.close();
    },
  };
}

export async function sessionEcho(iterations: number, size = 200): Promise<number[]> {
  const p = await pair();
  p.b.on('message', ({ peer, data }) => p.b.send(peer.address, () => data));
  const payload = new Uint8Array(size).fill(7);
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = nowUs();
    await new Promise<void>((r) => {
      const off = p.a.on('message', () => {
        off();
        r();
      });
      p.a.send(p.ib.address, () => payload);
    });
    out.push(nowUs() - t0);
  }
  await p.close();
  return out;
}
