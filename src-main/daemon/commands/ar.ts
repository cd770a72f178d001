/**
 * @module daemon/commands/ar
 * `bitunicom ar`: run an application router (seed 000 "AR") — a public node that is a DHT
 * bootstrap/router node, a rendezvous point for hole punching, a relay of end-to-end
 * ciphertext and a mailbox for offline friends (core/ar README). One UDP socket carries
 * everything: sessions (0x01–0x0F), DHT (0x20–0x2F), relay frames and probes (0x40/0x41).
 *
 * The router has its own secp256k1 identity, kept in `<data>/ar-router.key` (hex, mode 0600,
 * created on first run); the mailbox lives in `<data>/ar-mailbox.db` (SQLite, ciphertext only).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec } from '../args';
import { UsageError } from '../args';
import type { CommandContext } from '../context';
import { createLineLogger, isLogLevel, LOG_LEVELS } from '../logger';
import type { Logger } from '../../core/base';
import { parseEndpointList, parseListen } from './serve';

export const KEY_FILE = 'ar-router.key';
export const MAILBOX_FILE = 'ar-mailbox.db';

type RouterIdentity = { privateKey: Uint8Array; publicKey: Uint8Array; address: string };

/** Reads the router key, or creates it (atomically, owner-only) on first run. */
export async function loadOrCreateRouterKey(dir: string, logger: Logger): Promise<RouterIdentity> {
  const { addressOf, generatePrivateKey, isValidPrivateKey, publicKeyOf } = await import('../../core/crypto');
  const { BuError, fromHex, toHex } = await import('../../core/base');
  const file = join(dir, KEY_FILE);
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

function waitForShutdown(ctx: CommandContext): Promise<void> {
  const signal = ctx.deps.shutdownSignal;
  if (signal) return signal.aborted ? Promise.resolve() : new Promise((r) => signal.addEventListener('abort', () => r(), { once: true }));
  return new Promise((resolve) => {
    const on = () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  if (typeof values.listen !== 'string') throw new UsageError('--listen HOST:PORT is required (e.g. 0.0.0.0:40404)');
  const listen = parseListen(values.listen);
  const publicAddress = typeof values['public-address'] === 'string' ? parseListen(values['public-address']) : null;
  const bootstrap = parseEndpointList(typeof values.bootstrap === 'string' ? values.bootstrap : (io.env.BITUNICOM_BOOTSTRAP ?? ''), '--bootstrap');
  const level = values['log-level'] ?? io.env.BITUNICOM_LOG ?? 'info';
  if (!isLogLevel(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  // without --data the router keeps its files apart from the user's chat profile
  const dataDir = typeof values.data === 'string' ? ctx.dataDir : join(ctx.dataDir, 'router');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logger = createLineLogger(level, (l) => io.err(l));

  const [{ UdpSocket, endpointKey }, { SessionManager }, { DhtNode, ROUTER_APP_ID }, { ArServer }] = await Promise.all([
    import('../../core/net'),
    import('../../core/session'),
    import('../../core/dht'),
    import('../../core/ar'),
  ]);
  const identity = await loadOrCreateRouterKey(dataDir, logger);
  const socket = await UdpSocket.bind({ ...listen, logger });
  let server: InstanceType<typeof ArServer> | null = null;
  let sessions: InstanceType<typeof SessionManager> | null = null;
  let dht: InstanceType<typeof DhtNode> | null = null;
  try {
    sessions = new SessionManager({ identity, socket, logger, authorize: (p) => server?.authorize(p) ?? 'reject' });
    server = new ArServer({ address: identity.address, sessions, socket, logger, mailboxFile: join(dataDir, MAILBOX_FILE) });
    dht = new DhtNode({ socket, bootstrap, router: true, logger, ...(publicAddress ? { publicEndpoint: publicAddress } : {}) });
    const bound = socket.address();
    const shown = publicAddress ?? bound;
    const d = dht;
    // joining and publishing run in the background: the router serves while the DHT converges
    void d
      .start()
      .then(() =>
        d.publish(identity, ROUTER_APP_ID, [{ host: shown.host, port: shown.port, appId: ROUTER_APP_ID, agent: 'bitunicom-ar' }]).catch((e: unknown) => logger.warn('could not publish the router record', { error: String(e) })),
      )
      .catch((e: unknown) => logger.warn('DHT join failed; serving anyway (others can bootstrap from us)', { error: String(e) }));
    if (ctx.json) io.out(JSON.stringify({ address: identity.address, listen: bound, publicAddress, dataDir }));
    else {
      io.out(`Router: ${identity.address} udp ${endpointKey(shown)}`);
      io.out(`Listening: udp ${endpointKey(bound)}${bootstrap.length ? `, bootstrap ${bootstrap.map(endpointKey).join(', ')}` : ''}`);
      io.out(`Data: ${dataDir}`);
      io.out('Press Ctrl+C to stop.');
    }
    await waitForShutdown(ctx);
    if (!ctx.json) io.err('Shutting down…');
    return 0;
  } finally {
    server?.close();
    await dht?.close().catch(() => {});
    await sessions?.close();
    await socket.close();
  }
}

export const arCommand: CommandSpec = {
  name: 'ar',
  group: 'Node',
  summary: 'Run an application router (DHT bootstrap, rendezvous, relay, mailbox) until Ctrl+C.',
  options: {
    listen: { type: 'string', value: 'HOST:PORT', description: 'UDP address to serve on (required), e.g. 0.0.0.0:40404' },
    'public-address': { type: 'string', value: 'HOST:PORT', description: 'address clients reach us at, if not the listen address (NAT port forward)' },
    bootstrap: { type: 'string', value: 'HOST:PORT,…', description: 'other routers / DHT nodes to join (or BITUNICOM_BOOTSTRAP)' },
    'log-level': { type: 'string', value: 'LEVEL', description: `log level on stderr: ${LOG_LEVELS.join(', ')} (default info, or BITUNICOM_LOG)` },
  },
  details:
    'Prints "Router: <address> udp <host:port>" on stdout. The router identity is kept in\n' +
    `DIR/${KEY_FILE} (created on first run, mode 0600) and the mailbox in DIR/${MAILBOX_FILE};\n` +
    'without --data, DIR is the "router" folder of the default profile directory.',
  run,
};
