/**
 * @module node/runtime
 * Everything that exists only while the account is unlocked: the encrypted store, the UDP
 * socket, the session manager and the chat service. Built on unlock, torn down on lock/close.
 */
import { join } from 'node:path';
import { PAYLOAD_TAG, isCallPayload, type Logger } from '../base';
import type { UnlockedVault } from '../account';
import { openStore, type Store } from '../store';
import { RateLimiter, UdpSocket, type Endpoint } from '../net';
import { SessionManager } from '../session';
import { ChatService } from '../chat';
import { CallService } from '../call';
import { BundleSwarm, sessionSender } from '../dapps';
import { ChannelHost } from './dapp-channel-host';
import { advertisedEndpoints } from './endpoints';
import { Network } from './network';

export type RuntimeOptions = {
  dataDir: string;
  vault: UnlockedVault;
  listen?: Endpoint;
  logger: Logger;
  nativeBinding?: string;
  bootstrap?: Endpoint[];
  getName: () => string;
  session?: { rekeyAfterMs?: number; rekeyAfterMessages?: number; idleTimeoutMs?: number };
  chat?: { tickMs?: number; keepaliveMs?: number };
  /** Our wallet address and its proof for the signed profile (null until the wallet is open). */
  wallet?: () => { address: string; proof: string } | null;
  /** Tests and experiments: drop this fraction of our outgoing call media packets. */
  calls?: { loss?: { rate: number; seed: number }; ringTimeoutMs?: number };
  /** Tests: dapp channel timings (dapp-channel-host.ts). */
  channels?: { tickMs?: number; probeMs?: number; deadlineMs?: number };
};

export type Runtime = {
  store: Store;
  socket: UdpSocket;
  network: Network;
  sessions: SessionManager;
  chat: ChatService;
  calls: CallService;
  /** Dapp P2P channels (0xc1 payloads); `wireChannels` joins them to the dapp store. */
  channels: ChannelHost;
  /** Dapp bundles by content hash (tag 0xc0) with friends and routers; seeds `<data>/dapps/bundles`. */
  swarm: BundleSwarm;
  startedAt: number;
  close(): Promise<void>;
};

const PORT_SETTING = 'udp.port';

async function bindSocket(store: Store, listen: Endpoint | undefined, logger: Logger): Promise<UdpSocket> {
  if (listen) return UdpSocket.bind(listen);
  // Reuse last run's port so the endpoints friends saved stay valid (seed 000).
  const saved = Number(store.settings.get(PORT_SETTING) ?? 0);
  if (saved > 0) {
    try {
      return await UdpSocket.bind({ host: '0.0.0.0', port: saved });
    } catch (e) {
      logger.warn('saved UDP port unavailable; using a new one', { port: saved, error: String(e) });
    }
  }
  const s = await UdpSocket.bind({ host: '0.0.0.0', port: 0 });
  store.settings.set(PORT_SETTING, String(s.address().port));
  return s;
}

export async function startRuntime(o: RuntimeOptions): Promise<Runtime> {
  const store = openStore(join(o.dataDir, 'store.db'), o.vault.dbKey, { nativeBinding: o.nativeBinding });
  let socket: UdpSocket;
  try {
    socket = await bindSocket(store, o.listen, o.logger);
  } catch (e) {
    store.close();
    throw e;
  }
  let chat: ChatService | null = null;
  const identity = o.vault.identity;
  const strangerIntros = new RateLimiter({ ratePerSec: 10 / 60, burst: 10 });
  const advertised = () => advertisedEndpoints(socket.address());
  const network = new Network({
    socket,
    identity,
    bootstrap: o.bootstrap ?? [],
    logger: o.logger,
    advertised,
    prekeyBundle: () => chat?.prekeyBundle() ?? null,
    // Contacts always; strangers only within a small budget (their contact REQUEST must be
    // able to cross NATs too); blocked or declined addresses never.
    acceptPeer: (address) => {
      const c = store.contacts.get(address);
      if (c) return c.state !== 'blocked' && c.state !== 'declined';
      return strangerIntros.take('intro', Date.now());
    },
    recallOwnRecord: () => store.contacts.list().length === 0,
  });
  const sessions = new SessionManager({
    identity,
    socket: network.relay,
    logger: o.logger,
    // Routers are not contacts: the client side accepts the ones it is talking to.
    authorize: (peer) => (network.ar?.isRouter(peer.address) ? 'accept' : chat ? chat.authorize(peer) : 'reject'),
    ...o.session,
  });
  const ar = network.attach(sessions);
  chat = new ChatService({
    store,
    sessions,
    identity,
    getName: o.getName,
    ownEndpoints: advertised,
    logger: o.logger,
    discovery: network.discovery,
    traversal: network.traversal,
    mailbox: network.mailbox,
    roster: network.roster,
    wallet: o.wallet,
    ...o.chat,
  });
  const c = chat;
  ar.on('intro', ({ peer }) => c.notePunch(peer));
  ar.on('mailbox', ({ router, items }) => c.collectMailbox(router, items));
  const calls = new CallService({
    self: identity.address,
    send: (address, payload) => sessions.send(address, () => payload),
    isConnected: (address) => sessions.isConnected(address),
    friend: (address) => {
      const row = store.contacts.get(address);
      return row?.state === 'friend' ? { name: row.name } : null;
    },
    link: (address) => c.linkOf(address),
    connect: (address) => c.ensureLink(address),
    record: (peer, record, at) => c.recordCall(peer, record, at),
    logger: o.logger,
    loss: o.calls?.loss,
    ringTimeoutMs: o.calls?.ringTimeoutMs,
  });
  const channels = new ChannelHost({ store, sessions, logger: o.logger, ...o.channels });
  const offCalls = sessions.on('message', (m) => {
    if (isCallPayload(m.data)) calls.onPayload(m.peer.address, m.data);
    else if (m.data[0] === PAYLOAD_TAG.DAPP_CHANNEL) channels.onPayload(m.peer.address, m.data);
  });
  // Dapp bundles: served to and fetched from friends we have a session with and our routers.
  const swarm = new BundleSwarm({
    send: sessionSender(sessions),
    peers: () => [
      ...store.contacts.list().filter((row) => row.state === 'friend' && sessions.isConnected(row.address)).map((row) => row.address),
      ...network.routers().map((r) => r.address),
    ],
    // downloads finish in the seed folder itself (`<hash>.part` → `<hash>.bud`, seeded in place)
    partialDir: join(o.dataDir, 'dapps', 'bundles'),
    seedDir: join(o.dataDir, 'dapps', 'bundles'),
    logger: o.logger,
  });
  const offSwarm = sessions.on('message', (m) => {
    if (m.data[0] === PAYLOAD_TAG.DAPP_BUNDLE) swarm.onPayload(m.peer.address, m.data);
  });
  await swarm.start().catch((e: unknown) => o.logger.warn('dapp bundles not indexed', { error: String(e) }));
  c.start();
  calls.start();
  network.start();
  return {
    store,
    socket,
    network,
    sessions,
    chat: c,
    calls,
    channels,
    swarm,
    startedAt: Date.now(),
    async close() {
      offCalls();
      channels.close();
      offSwarm();
      await swarm.close();
      calls.stop();
      c.stop();
      await network.close();
      await sessions.close();
      await socket.close();
      store.close();
    },
  };
}
