/**
 * @module daemon/commands/ar
 * `bitunicom ar`: run an application router (seed 000 "AR") — a public node that is a DHT
 * bootstrap/router node, a rendezvous point for hole punching, a relay of end-to-end
 * ciphertext and a mailbox for offline friends (core/ar README). One UDP socket carries
 * everything: sessions (0x01–0x0F), DHT (0x20–0x2F), relay frames and probes (0x40/0x41).
 *
 * The router has its own secp256k1 identity, kept in `<data>/ar-router.key` (hex, mode 0600,
 * created on first run); the mailbox lives in `<data>/ar-mailbox.db` (SQLite, ciphertext only).
 * `--dapps DIR` also seeds the `.bud` dapp bundles in DIR by content hash (core/dapps/distribution).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec } from '../args';
import { UsageError } from '../args';
import type { CommandContext } from '../context';
import { bootstrapFrom, bootstrapOption, LOG_LEVEL_OPTION, loggerFrom, parseHostPort } from './node-options';

import { ROUTER_KEY_FILE as KEY_FILE, ROUTER_MAILBOX_FILE as MAILBOX_FILE } from '../../core/node/router';
import { waitForShutdown } from '../shutdown';

export { KEY_FILE, MAILBOX_FILE };

async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  if (typeof values.listen !== 'string') throw new UsageError('--listen HOST:PORT is required (e.g. 0.0.0.0:40404)');
  const listen = parseHostPort(values.listen);
  const publicAddress = typeof values['public-address'] === 'string' ? parseHostPort(values['public-address'], '--public-address') : null;
  const bootstrap = bootstrapFrom(ctx);
  const logger = loggerFrom(ctx);
  // without --data the router keeps its files apart from the user's chat profile
  const dataDir = typeof values.data === 'string' ? ctx.dataDir : join(ctx.dataDir, 'router');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dappsDir = typeof values.dapps === 'string' ? values.dapps : undefined;

  const [{ startRouter }, { endpointKey }] = await Promise.all([import('../../core/node/router'), import('../../core/net')]);
  const router = await startRouter({ dataDir, listen, publicAddress, bootstrap, logger, ...(dappsDir !== undefined ? { dappsDir } : {}) });
  try {
    const dapps = router.dapps ? { dir: dappsDir, bundles: router.dapps.source.list().length } : null;
    if (ctx.json) io.out(JSON.stringify({ address: router.address, listen: router.bound, publicAddress, dataDir, dapps }));
    else {
      io.out(`Router: ${router.address} udp ${endpointKey(router.endpoint)}`);
      io.out(`Listening: udp ${endpointKey(router.bound)}${bootstrap.length ? `, bootstrap ${bootstrap.map(endpointKey).join(', ')}` : ''}`);
      io.out(`Data: ${dataDir}`);
      if (dapps) io.out(`Dapps: seeding ${dapps.bundles} bundle${dapps.bundles === 1 ? '' : 's'} from ${dapps.dir}`);
      io.out('Press Ctrl+C to stop.');
    }
    await waitForShutdown(ctx);
    if (!ctx.json) io.err('Shutting down…');
    return 0;
  } finally {
    await router.close();
  }
}

export const arCommand: CommandSpec = {
  name: 'ar',
  group: 'Node',
  summary: 'Run an application router (DHT bootstrap, rendezvous, relay, mailbox) until Ctrl+C.',
  options: {
    listen: { type: 'string', value: 'HOST:PORT', description: 'UDP address to serve on (required), e.g. 0.0.0.0:40404' },
    'public-address': { type: 'string', value: 'HOST:PORT', description: 'address clients reach us at, if not the listen address (NAT port forward)' },
    bootstrap: bootstrapOption('other routers / DHT nodes to join'),
    dapps: { type: 'string', value: 'DIR', description: 'seed the .bud dapp bundles in DIR to clients by content hash' },
    'log-level': LOG_LEVEL_OPTION,
  },
  details:
    'Prints "Router: <address> udp <host:port>" on stdout. The router identity is kept in\n' +
    `DIR/${KEY_FILE} (created on first run, mode 0600) and the mailbox in DIR/${MAILBOX_FILE};\n` +
    'without --data, DIR is the "router" folder of the default profile directory.',
  run,
};
