/**
 * @module ar/test-helpers
 * Fixtures for the AR tests: routers and clients on real 127.0.0.1 sockets, wired like a
 * production node (UdpSocket → RelaySocket → SessionManager → ArClient), and wait helpers.
 */
import { afterEach } from 'vitest';
import { addressOf, generatePrivateKey, publicKeyOf } from '../crypto';
import { UdpSocket, type Endpoint } from '../net';
import { SessionManager, type PeerInfo } from '../session';
import { ArClient, type ArClientOptions, type RouterHint } from './ar-client';
import { ArServer, type ArServerOptions } from './ar-server';
import { isArPayload } from './messages';
import { RelaySocket } from './relay-socket';

export type Identity = { privateKey: Uint8Array; publicKey: Uint8Array; address: string };

export function makeIdentity(): Identity {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

export type RouterNode = {
  id: Identity;
  udp: UdpSocket;
  sessions: SessionManager;
  server: ArServer;
  endpoint: Endpoint;
  hint: RouterHint;
  /** Graceful: clients get CLOSE. */
  close(): Promise<void>;
  /** Abrupt: the socket goes first, nobody is told. */
  crash(): Promise<void>;
};

export async function startRouter(o: Partial<Omit<ArServerOptions, 'sessions' | 'socket' | 'address'>> & { identity?: Identity; port?: number } = {}): Promise<RouterNode> {
  const id = o.identity ?? makeIdentity();
  const udp = await UdpSocket.bind({ host: '127.0.0.1', port: o.port ?? 0 });
  let server: ArServer | null = null;
  const sessions = new SessionManager({ identity: id, socket: udp, authorize: (p) => server?.authorize(p) ?? 'reject' });
  server = new ArServer({ ...o, address: id.address, sessions, socket: udp, tickMs: o.tickMs ?? 50 });
  const endpoint = udp.address();
  const s = server;
  let done = false;
  return {
    id,
    udp,
    sessions,
    server: s,
    endpoint,
    hint: { ...endpoint },
    async close() {
      if (done) return;
      done = true;
      s.close();
      await sessions.close();
      await udp.close();
    },
    async crash() {
      if (done) return;
      done = true;
      await udp.close();
      s.close();
      await sessions.close();
    },
  };
}

export type ClientNode = {
  id: Identity;
  udp: UdpSocket;
  socket: RelaySocket;
  sessions: SessionManager;
  ar: ArClient;
  /** Non-AR payloads received (what the chat layer would get). */
  received: Array<{ peer: PeerInfo; data: Uint8Array }>;
  established: Array<{ peer: PeerInfo; initiator: boolean }>;
  close(): Promise<void>;
};

export async function startClient(
  o: {
    routers?: () => RouterHint[];
    identity?: Identity;
    client?: Partial<ArClientOptions>;
    /** Who the chat layer would accept besides routers (default: everyone). */
    friends?: (address: string) => boolean;
  } = {},
): Promise<ClientNode> {
  const id = o.identity ?? makeIdentity();
  const udp = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const socket = new RelaySocket(udp);
  let ar: ArClient | null = null;
  const friends = o.friends ?? (() => true);
  const sessions = new SessionManager({
    identity: id,
    socket,
    authorize: (p) => (ar?.isRouter(p.address) || friends(p.address) ? 'accept' : 'reject'),
  });
  ar = new ArClient({
    sessions,
    socket,
    routers: o.routers ?? (() => []),
    localEndpoints: () => [udp.address()],
    requestTimeoutMs: 4000,
    connectTimeoutMs: 3000,
    ...o.client,
  });
  const received: ClientNode['received'] = [];
  const established: ClientNode['established'] = [];
  sessions.on('message', ({ peer, data }) => {
    if (!isArPayload(data)) received.push({ peer, data });
  });
  sessions.on('established', ({ peer, initiator }) => established.push({ peer, initiator }));
  const a = ar;
  return {
    id,
    udp,
    socket,
    sessions,
    ar: a,
    received,
    established,
    async close() {
      await a.close();
      await sessions.close();
      socket.close();
      await udp.close();
    },
  };
}

/**
 * Registers an afterEach that closes every node the test started (newest first) and returns
 * `track`, which starts one and remembers it.
 */
export function closeAfterEach(): <T extends ClientNode | RouterNode>(p: Promise<T>) => Promise<T> {
  const nodes: Array<ClientNode | RouterNode> = [];
  afterEach(async () => {
    for (const n of nodes.splice(0).reverse()) await n.close();
  });
  return async (p) => {
    const n = await p;
    nodes.push(n);
    return n;
  };
}

export { sleep, waitFor } from '../base';
