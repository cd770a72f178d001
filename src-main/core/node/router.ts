/**
 * @module node/router
 * An application router (seed 000 "AR") assembled from the core: one UDP socket carrying
 * sessions (0x01–0x0F), the DHT as a ROUTER-flagged, non-ephemeral node (0x20/0x21), relay
 * frames and probes (0x40/0x41); an ArServer for rendezvous, relay and mailbox. Its secp256k1
 * identity lives in `<dataDir>/ar-router.key` (hex, 0600, created on first run); the mailbox in
 * `<dataDir>/ar-mailbox.db` (SQLite, ciphertext only). With `dappsDir`, it also seeds the `.bud`
 * dapp bundles of that folder to its clients by content hash (payload tag 0xc0, see
 * core/dapps/distribution). Used by `bitunicom ar`, tests and benches.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BuError, fromHex, silentLogger, toHex, type Logger } from '../base';
import { addressOf, generatePrivateKey, isValidPrivateKey, publicKeyOf } from '../crypto';
import { UdpSocket, type Endpoint } from '../net';
import { SessionManager } from '../session';
import { DhtNode, ROUTER_APP_ID } from '../dht';
import { ArServer, type ArLimits } from '../ar';
import { attachSessions, BundleSwarm, DirectorySource, sessionSender } from '../dapps';

export const ROUTER_KEY_FILE = 'ar-router.key';
export const ROUTER_MAILBOX_FILE = 'ar-mailbox.db';

export type RouterIdentity = { privateKey: Uint8Array; publicKey: Uint8Array; address: string };

/** Reads the router key, or creates it (atomically, owner-only) on first run. */
export function loadOrCreateRouterKey(dir: string, logger: Logger = silentLogger): RouterIdentity {
  const file = join(dir, ROUTER_KEY_FILE);
  let privateKey: Uint8Array;
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text !== null) {
    const hex = text.trim();
    privateKey = /^[0-9a-fA-F]{64}$/.test(hex) ? fromHex(hex) : new Uint8Array(0);
    if (!isValidPrivateKey(privateKey)) throw new BuError('BAD_KEYSTORE', `${file} does not hold a secp256k1 private key`);
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) logger.warn('router key file is readable by others; chmod 600 it', { file });
  } else {
    privateKey = generatePrivateKey();
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${toHex(privateKey)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    logger.info('created a new router identity', { file });
  }
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

export type RouterOptions = {
  dataDir: string;
  listen: Endpoint;
  publicAddress?: Endpoint | null;
  bootstrap?: Endpoint[];
  logger?: Logger;
  limits?: Partial<ArLimits>;
  /** A folder of `.bud` dapp bundles to seed (indexed at start; nothing is fetched). */
  dappsDir?: string;
};

export type Router = {
  address: string;
  /** Where clients reach it (the public address if given, else the bound one). */
  endpoint: Endpoint;
  bound: Endpoint;
  server: ArServer;
  dht: DhtNode;
  sessions: SessionManager;
  /** The dapp bundle seeder, when `dappsDir` was given. */
  dapps: BundleSwarm | null;
  close(): Promise<void>;
};

export async function startRouter(o: RouterOptions): Promise<Router> {
  const logger = o.logger ?? silentLogger;
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const identity = loadOrCreateRouterKey(o.dataDir, logger);
  const socket = await UdpSocket.bind({ ...o.listen, logger });
  let server: ArServer | null = null;
  const sessions = new SessionManager({ identity, socket, logger, authorize: (p) => server?.authorize(p) ?? 'reject' });
  server = new ArServer({ address: identity.address, sessions, socket, logger, mailboxFile: join(o.dataDir, ROUTER_MAILBOX_FILE), limits: o.limits });
  const bound = socket.address();
  const shown = o.publicAddress ?? bound;
  const dht = new DhtNode({ socket, bootstrap: o.bootstrap ?? [], router: true, logger, ...(o.publicAddress ? { publicEndpoint: o.publicAddress } : {}) });
  // joining and publishing run in the background: the router serves while the DHT converges
  void dht
    .start()
    .then(() =>
      dht
        .publish(identity, ROUTER_APP_ID, [{ host: shown.host, port: shown.port, appId: ROUTER_APP_ID, agent: 'bitunicom-ar' }])
        .catch((e: unknown) => logger.warn('could not publish the router record', { error: String(e) })),
    )
    .catch((e: unknown) => logger.warn('DHT join failed; serving anyway (others can bootstrap from us)', { error: String(e) }));
  const srv = server;
  let dapps: BundleSwarm | null = null;
  let detach = () => {};
  if (o.dappsDir !== undefined) {
    const source = new DirectorySource(o.dappsDir, logger);
    dapps = new BundleSwarm({ send: sessionSender(sessions), peers: () => [], partialDir: join(o.dataDir, 'dapp-downloads'), source, seedFetched: false, logger });
    logger.info('seeding dapp bundles', { dir: source.dir, bundles: await dapps.start() });
    detach = attachSessions(dapps, sessions);
  }
  return {
    address: identity.address,
    endpoint: shown,
    bound,
    server: srv,
    dht,
    sessions,
    dapps,
    async close() {
      detach();
      await dapps?.close();
      srv.close();
      await dht.close().catch(() => undefined);
      await sessions.close();
      await socket.close();
    },
  };
}
