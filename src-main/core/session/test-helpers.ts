/**
 * @module session/test-helpers
 * Shared fixtures for the session tests: identities, managers on real 127.0.0.1 sockets, a
 * relaying proxy that can observe, tamper with or capture datagrams, and small wait helpers.
 */
import dgram from 'node:dgram';
import { addressOf, generatePrivateKey, publicKeyOf } from '../crypto';
import { UdpSocket, type Endpoint } from '../net';
import type { SessionManagerOptions, SessionIdentity } from './context';
import type { PeerInfo } from './peer';
import { SessionManager } from './session-manager';

export function makeIdentity(): SessionIdentity {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

export type TestNode = {
  id: SessionIdentity;
  socket: UdpSocket;
  mgr: SessionManager;
  endpoint: Endpoint;
  received: { peer: PeerInfo; data: Uint8Array; envelopeKey: Uint8Array }[];
  authorized: PeerInfo[];
  close(): Promise<void>;
};

export async function startNode(opts: Partial<SessionManagerOptions> = {}): Promise<TestNode> {
  const id = opts.identity ?? makeIdentity();
  const socket = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const authorized: PeerInfo[] = [];
  const userAuthorize = opts.authorize;
  const mgr = new SessionManager({
    ...opts,
    identity: id,
    socket,
    authorize: (p) => {
      authorized.push(p);
      return userAuthorize ? userAuthorize(p) : 'accept';
    },
  });
  const received: TestNode['received'] = [];
  mgr.on('message', (m) => received.push(m));
  return {
    id,
    socket,
    mgr,
    endpoint: socket.address(),
    received,
    authorized,
    async close() {
      await mgr.close();
      await socket.close();
    },
  };
}

export { sleep, waitFor } from '../base';

/** A relay between a client and a server: client → proxy → server and back. */
export class Proxy {
  readonly socket: dgram.Socket;
  client: Endpoint | null = null;
  /** Return null to drop, or the (possibly modified) datagram to forward. */
  filter: (data: Buffer, direction: 'toServer' | 'toClient') => Buffer | null = (d) => d;
  readonly seen: { data: Buffer; direction: 'toServer' | 'toClient' }[] = [];

  private constructor(
    socket: dgram.Socket,
    readonly server: Endpoint,
  ) {
    this.socket = socket;
    socket.on('message', (msg, rinfo) => {
      const fromServer = rinfo.address === server.host && rinfo.port === server.port;
      const direction = fromServer ? 'toClient' : 'toServer';
      if (!fromServer) this.client = { host: rinfo.address, port: rinfo.port };
      this.seen.push({ data: Buffer.from(msg), direction });
      const out = this.filter(Buffer.from(msg), direction);
      const to = fromServer ? this.client : server;
      if (out && to) socket.send(out, to.port, to.host);
    });
  }

  static async start(server: Endpoint): Promise<Proxy> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    return new Proxy(s, server);
  }

  get endpoint(): Endpoint {
    const a = this.socket.address();
    return { host: a.address, port: a.port };
  }

  /** Send raw bytes from the proxy's own socket (it looks like the client to the server). */
  inject(data: Uint8Array, to: Endpoint = this.server): Promise<void> {
    return new Promise((r) => this.socket.send(data, to.port, to.host, () => r()));
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}

export async function rawSocket(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}
