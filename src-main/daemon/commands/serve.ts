/**
 * @module daemon/commands/serve
 * `bitunicom serve`: open the profile, optionally unlock it, start the loopback web UI and
 * bridge, write daemon.json, print the UI link, and run until SIGINT/SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppStateT, NodeStatusT } from '../../../src-preload/contract';
import { BridgeError } from '../../../src-preload/contract';
import { createDispatcher } from '../../bridge/dispatcher';
import { createEventHub } from '../../bridge/event-hub';
import { intOption, type CommandSpec } from '../args';
import { dispatcherCaller } from '../client';
import type { CommandContext } from '../context';
import { findDaemon, removeDaemonInfo, writeDaemonInfo } from '../daemon-file';
import { oneLine } from '../format';
import { PASSWORD_FILE_OPTION, passwordFromSources } from '../inputs';
import { bootstrapFrom, bootstrapOption, LOG_LEVEL_OPTION, loggerFrom, parseHostPort } from './node-options';
import { startWebServer, type WebServer } from '../web-server';
import { dappOrigin, startDappServer, type DappServer } from '../dapp-server';
import { waitForShutdown } from '../shutdown';
import { findResourcesDir } from '../resources';

function udpLine(s: NodeStatusT): string {
  return s.listen ? `udp ${s.listen.host}:${s.listen.port}` : 'not yet (the node goes online when the account is unlocked)';
}

async function run(ctx: CommandContext): Promise<number> {
  const { io, values, dataDir } = ctx;
  const listen = typeof values.listen === 'string' ? parseHostPort(values.listen) : undefined;
  const uiPort = intOption(values, 'ui-port', 0, 65535) ?? 0;
  const dappPort = intOption(values, 'dapp-port', 0, 65535) ?? 0;
  const rpcPort = intOption(values, 'rpc-port', 0, 65535);
  const blockTime = intOption(values, 'block-time', 1, 3600);
  const callLoss = intOption(values, 'call-loss', 0, 50);
  const bootstrap = bootstrapFrom(ctx);
  const logger = loggerFrom(ctx);
  const wantedName = typeof values.name === 'string' ? values.name : undefined;
  const password = await passwordFromSources(io, values);
  const running = findDaemon(dataDir);
  if (running) {
    throw new BridgeError('PROFILE_IN_USE', `bitunicom serve is already running for this profile (pid ${running.pid}); see: bitunicom status`);
  }

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const core = await ctx.deps.loadCore();
  const node = await core.createNode({
    dataDir,
    listen,
    logger,
    bootstrap,
    resourcesDir: findResourcesDir(),
    chain: { rpcPort, intervalMs: blockTime === undefined ? undefined : blockTime * 1000 },
    ...(callLoss ? { calls: { loss: { rate: callLoss / 100, seed: Date.now() % 1_000_000 } } } : {}),
  });
  const pid = ctx.deps.pid ?? process.pid;
  const hub = createEventHub(node.events, { logger });
  const dispatcher = createDispatcher(node.handlers, { logger });
  const local = dispatcherCaller(dispatcher, async () => {});
  let web: WebServer | null = null;
  let dappServer: DappServer | null = null;
  let wroteFile = false;
  try {
    let state: AppStateT = await local.call('app.getState', {});
    if (password && state.phase === 'locked') state = await local.call('account.unlock', { password });
    else if (password && state.phase === 'no-account') logger.info('no account yet: create one in the UI or with bitunicom init');

    let named = false;
    const applyName = async (s: AppStateT) => {
      if (named || !wantedName || s.phase !== 'unlocked') return;
      named = true;
      if (s.name !== wantedName) await local.call('profile.setName', { name: wantedName });
    };
    await applyName(state);
    let rpcShown: string | null = null;
    const showRpc = (st: NodeStatusT) => {
      if (!st.rpcUrl || st.rpcUrl === rpcShown || ctx.json) return;
      rpcShown = st.rpcUrl;
      io.out(`RPC: ${st.rpcUrl}`);
    };
    const offStatus = hub.on('node.status', (p) => showRpc(p as NodeStatusT));
    let announced = state.phase === 'unlocked';
    const offState = hub.on('app.state', (p) => {
      const s = p as AppStateT;
      applyName(s).catch((e: unknown) => logger.warn('could not set the profile name', { error: String(e) }));
      if (s.phase === 'unlocked' && !announced) {
        announced = true;
        local
          .call('node.status', {})
          .then((st) => !ctx.json && io.out(`Unlocked: ${st.address} is online, ${udpLine(st)}`))
          .catch(() => {});
      } else if (s.phase !== 'unlocked') announced = false;
    });

    // Dapps get their own server and an origin each (http://<id>.localhost:<port>); only the UI may frame them.
    const resources = findResourcesDir();
    const dapps = node.dapps;
    let uiOrigins: string[] = [];
    if (dapps && node.setDappServer) {
      dappServer = await startDappServer({
        resolve: (appId, path) => dapps.resolve(appId, path),
        frameAncestors: () => uiOrigins,
        shimFile: resources ? join(resources, 'dapp-runtime', 'provider.js') : null,
        port: dappPort,
        logger,
      });
      const port = dappServer.port;
      node.setDappServer({ urlOf: dappServer.urlOf, originOf: (appId) => dappOrigin(appId, port) });
    }
    web = await startWebServer({ dispatcher, events: hub, media: node.media, logger, port: uiPort, frameSource: dappServer?.frameSource });
    uiOrigins = [web.origin, `http://localhost:${web.port}`];
    writeDaemonInfo(dataDir, { pid, uiPort: web.port, token: web.token, startedAt: Date.now() });
    wroteFile = true;
    const status = await local.call('node.status', {});
    if (ctx.json) {
      io.out(
        JSON.stringify({ ui: web.url, rpcUrl: status.rpcUrl, pid, dataDir, phase: status.phase, address: status.address, listen: status.listen }),
      );
    } else {
      io.out(`UI: ${web.url}`);
      showRpc(status);
      io.out(`Address: ${status.address ?? 'none yet (create an account in the UI or with: bitunicom init)'}`);
      io.out(`Account: ${status.phase}${status.name ? ` (${oneLine(status.name)})` : ''}`);
      io.out(`Listening: ${udpLine(status)}`);
      io.out(`Profile: ${dataDir}`);
      io.out('Open the UI link in a browser on this machine. Press Ctrl+C to stop.');
    }
    await waitForShutdown(ctx);
    offState();
    offStatus();
    if (!ctx.json) io.err('Shutting down…');
    return 0;
  } finally {
    await web?.close().catch((e: unknown) => logger.warn('web server close failed', { error: String(e) }));
    node.setDappServer?.(null);
    await dappServer?.close().catch((e: unknown) => logger.warn('dapp server close failed', { error: String(e) }));
    hub.close();
    if (wroteFile) removeDaemonInfo(dataDir, pid);
    await node.close();
  }
}

export const serveCommand: CommandSpec = {
  name: 'serve',
  group: 'Node',
  summary: 'Run the node with its web UI on 127.0.0.1 until Ctrl+C.',
  options: {
    listen: { type: 'string', value: 'HOST:PORT', description: 'UDP address for peers (default: the node decides)' },
    'ui-port': { type: 'string', value: 'N', description: 'web UI port on 127.0.0.1 (default 0 = random)' },
    'dapp-port': { type: 'string', value: 'N', description: 'dapp server port on 127.0.0.1, each dapp at http://<id>.localhost:N (default 0 = random)' },
    'rpc-port': { type: 'string', value: 'N', description: 'Ethereum JSON-RPC port on 127.0.0.1 (default: last run\'s, else 8545, else random)' },
    'block-time': { type: 'string', value: 'SEC', description: 'devnet: seconds between empty blocks (default 5)' },
    'call-loss': { type: 'string', value: 'PCT', description: 'testing: drop this percentage (0-50) of our outgoing call media packets' },
    bootstrap: bootstrapOption('application routers / DHT bootstrap nodes'),
    name: { type: 'string', value: 'NAME', description: 'set the profile name once unlocked' },
    'log-level': LOG_LEVEL_OPTION,
    ...PASSWORD_FILE_OPTION,
  },
  details:
    'With a password (BITUNICOM_PASSWORD or --password-file) the account is unlocked at start;\n' +
    'otherwise the node starts locked and the UI asks for the password. Prints "UI: <link>" on\n' +
    'stdout; the link carries a one-run token, so treat it like a password. Once the account\n' +
    'exists the embedded devnet runs and "RPC: http://127.0.0.1:PORT" is printed: point wallets\n' +
    'and tools (cast, ethers, viem, MetaMask) at it.',
  run,
};
