/**
 * Hole-punch time on loopback: from asking a router for a rendezvous (INTRO_REQ) to a live,
 * authenticated session with the friend, with both sides connecting at once as introduced.
 * (Loopback has no NAT, so this measures the protocol's cost: consent, intro, simultaneous
 * handshake — the NAT lab in e2e/nat-lab exercises real cone NATs.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArClient, RelaySocket } from '../core/ar';
import { identityFromPrivateKey } from '../core/account';
import { generatePrivateKey } from '../core/crypto';
import { UdpSocket } from '../core/net';
import { startRouter } from '../core/node';
import { SessionManager } from '../core/session';
import { nowUs } from './stats';

async function client(router: { address: string; endpoint: { host: string; port: number } }) {
  const identity = identityFromPrivateKey(generatePrivateKey());
  const udp = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const socket = new RelaySocket(udp);
  let ar: ArClient | null = null;
  const sessions = new SessionManager({ identity, socket, authorize: () => 'accept' });
  ar = new ArClient({ sessions, socket, routers: () => [{ ...router.endpoint, address: router.address }], localEndpoints: () => [udp.address()] });
  await ar.start();
  return {
    identity,
    sessions,
    ar,
    async close() {
      await ar!.close();
      await sessions.close();
      await udp.close();
    },
  };
}

export async function punchBench(iterations: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bu-punch-'));
  const router = await startRouter({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 } });
  const out: number[] = [];
  try {
    for (let i = 0; i < iterations; i++) {
      const a = await client(router);
      const b = await client(router);
      const t0 = nowUs();
      const intro = await a.ar.introduce(b.identity.address);
      if (intro) await a.sessions.connect({ address: b.identity.address, publicKey: b.identity.publicKey }, intro.endpoints, 5000).catch(() => null);
      if (a.sessions.isConnected(b.identity.address)) out.push(nowUs() - t0);
      await a.close();
      await b.close();
    }
  } finally {
    await router.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
