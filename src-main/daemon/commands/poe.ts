/**
 * @module daemon/commands/poe
 * `bitunicom node --role primary|sealer --data DIR [--bootstrap HOST:PORT[@ADDRESS],…]
 *  [--routers HOST:PORT,…] [--port N] [--rpc-port N] [--genesis FILE] [--keys N]`: one node
 * of a POE network (core/seal/poe-node.ts `startPoeNode`: its own ledger, the consensus over the P2P
 * transport, the engine with this node's keys) until Ctrl+C / SIGTERM. A sealer behind a NAT
 * registers with --routers (and those the DHT advertises); primaries reach it through them.
 *
 * DIR holds the node's keys, the network's genesis and its ledger (poe-node-dir.ts). On
 * start it prints `P2P: HOST:PORT@ADDRESS` (what other nodes pass to --bootstrap), with
 * --rpc-port `RPC: http://127.0.0.1:PORT`, whether its keys are registered in the staking
 * contract (a node whose keys are not still runs as an observer: it syncs and verifies
 * every block), then a `Status:` line every --status-every seconds. `--json` prints the same
 * as one JSON object per line (`event`: started, registered, status, stopped) — what
 * `bitunicom devnet` (daemon/devnet-cluster.ts) reads from its children.
 *
 * With BITUNICOM_EXIT_WITH_PARENT=1 the node also stops when the process that started it
 * dies (devnet children never outlive their devnet).
 */
import { resolve } from 'node:path';
import { intOption, UsageError, type CommandSpec } from '../args';
import type { CommandContext } from '../context';
import { waitForShutdown } from '../shutdown';
import { LOG_LEVEL_OPTION, loggerFrom, parseEndpointList } from './node-options';
import { nodeGenesis, nodeKeys, registeredKeys, registrationLine } from './poe-node-dir';
import { blockTimeOption, formatBootPeer, parseBootstrap, parseTimeouts, roleOption } from './poe-options';
import type { PoeNode } from '../../core/seal';

const CLIENT_VERSION = `BitUnicom/v0.1.0/poe-node-${process.version}`;

type NodeStatusLine = { height: string; round: number; finalized: string; finalityP50Ms: number | null; peers: number; sync: string; primaries: number; sealers: number };

function statusText(s: NodeStatusLine): string {
  const p50 = s.finalityP50Ms === null ? 'n/a' : `${(s.finalityP50Ms / 1000).toFixed(2)} s`;
  return `Status: height ${s.height} round ${s.round}, finalized #${s.finalized}, finality p50 ${p50}, ${s.peers} peer${s.peers === 1 ? '' : 's'}, ${s.sync}, set ${s.primaries} primaries + ${s.sealers} sealers`;
}

/** Resolves when the parent process is gone (reparented), polled every second. */
function parentGone(): { promise: Promise<string>; stop(): void } {
  const ppid = process.ppid;
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<string>((res) => {
    timer = setInterval(() => {
      if (process.ppid !== ppid) res('parent exited');
    }, 1000);
    timer.unref();
  });
  return { promise, stop: () => clearInterval(timer) };
}

async function runNode(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const role = roleOption(values);
  if (typeof values.data !== 'string') throw new UsageError('--data DIR is required: the node keeps its keys, genesis and ledger there');
  const count = intOption(values, 'keys', 1, 256);
  const port = intOption(values, 'port', 0, 65535) ?? 0;
  const rpcPort = intOption(values, 'rpc-port', 0, 65535);
  const every = intOption(values, 'status-every', 0, 86400) ?? 10;
  const bootstrap = parseBootstrap(typeof values.bootstrap === 'string' ? values.bootstrap : (io.env.BITUNICOM_BOOTSTRAP ?? ''));
  const routers = typeof values.routers === 'string' ? parseEndpointList(values.routers, '--routers') : [];
  const timeouts = typeof values.timeouts === 'string' ? parseTimeouts(values.timeouts) : {};
  const blockMs = blockTimeOption(values);
  const host = typeof values.host === 'string' ? values.host : '0.0.0.0';
  const genesisFile = typeof values.genesis === 'string' ? resolve(io.cwd, values.genesis) : undefined;
  const logger = loggerFrom(ctx);
  const dir = ctx.dataDir;

  const seal = await import('../../core/seal');
  const chain = await import('../../core/chain');
  const genesis = nodeGenesis(dir, genesisFile);
  const { keys, created } = nodeKeys(seal, dir, role, count);
  const params = {
    ...(blockMs !== undefined ? { blockIntervalMs: blockMs } : {}),
    ...(Object.keys(timeouts).length ? { timeouts: { ...seal.poeParams(genesis as never).timeouts, ...timeouts } } : {}),
  };
  const node: PoeNode = await seal.startPoeNode({
    dir,
    genesis,
    keys: role === 'primary' ? { primaries: keys, sealers: [] } : { primaries: [], sealers: keys },
    nodeKey: keys[0]!.ethPrivateKey!,
    bootstrap,
    ...(routers.length ? { routers } : {}),
    port,
    host,
    rpc: rpcPort === undefined ? null : { ports: [rpcPort] },
    params,
    logger,
    clientVersion: CLIENT_VERSION,
  });
  const emit = (event: string, human: string, data: Record<string, unknown>) => io.out(ctx.json ? JSON.stringify({ event, ...data }) : human);
  let stopping = false;
  try {
    const ep = node.endpoint();
    const p2p = formatBootPeer({ host: ep.host === '0.0.0.0' ? host : ep.host, port: ep.port, address: node.transport.address.toLowerCase() });
    const ledger = node.service.ledger;
    const head = ledger.head;
    emit(
      'started',
      [
        `P2P: ${p2p}`,
        ...(node.service.rpcUrl ? [`RPC: ${node.service.rpcUrl}`] : []),
        `Chain: id ${ledger.chainId}, head #${head.header.number} 0x${Buffer.from(head.hash()).toString('hex')}, ${role} node with ${keys.length} key${keys.length === 1 ? '' : 's'}${created ? ' (new, in DIR/node-keys.json)' : ''}`,
      ].join('\n'),
      { p2p, rpcUrl: node.service.rpcUrl, role, keys: keys.map((k) => k.address), chainId: Number(ledger.chainId), head: Number(head.header.number), pid: process.pid, dir },
    );
    let lastRegistered = -1;
    const checkRegistration = async () => {
      const set = await chain.readValidatorSet(ledger, ledger.head.header);
      const n = registeredKeys(keys, role, set).length;
      if (n !== lastRegistered) {
        lastRegistered = n;
        emit('registered', registrationLine(role, keys, n), { registered: n, keys: keys.length, observer: n === 0 });
      }
    };
    await checkRegistration();
    const tick = async () => {
      if (stopping) return;
      const s = node.producer.engine.status();
      const line: NodeStatusLine = {
        height: s.height.toString(),
        round: s.round,
        finalized: s.finalized.toString(),
        finalityP50Ms: s.finalityP50Ms,
        peers: node.transport.peers().length,
        sync: s.sync.state,
        primaries: s.primaries,
        sealers: s.sealers,
      };
      emit('status', statusText(line), { ...line, headHash: `0x${Buffer.from(ledger.head.hash()).toString('hex')}`, stateRoot: `0x${Buffer.from(ledger.head.header.stateRoot).toString('hex')}` });
      await checkRegistration();
    };
    const timer = every > 0 ? setInterval(() => void tick().catch((e) => logger.warn('status failed', { error: String(e) })), every * 1000) : undefined;
    const watch = io.env.BITUNICOM_EXIT_WITH_PARENT === '1' ? parentGone() : null;
    if (!ctx.json) io.out('Press Ctrl+C to stop.');
    const why = await Promise.race([waitForShutdown(ctx), ...(watch ? [watch.promise] : [])]);
    stopping = true;
    clearInterval(timer);
    watch?.stop();
    if (!ctx.json) io.err(`Shutting down (${why})…`);
    return 0;
  } finally {
    stopping = true;
    await node.close();
    if (ctx.json) io.out(JSON.stringify({ event: 'stopped' }));
  }
}

export const poeNodeCommand: CommandSpec = {
  name: 'node',
  group: 'POE network',
  summary: 'Run one POE network node (primary or sealer) until Ctrl+C.',
  options: {
    role: { type: 'string', value: 'ROLE', description: 'primary (proposes and votes) or sealer (re-executes and seals) (required)' },
    bootstrap: { type: 'string', value: 'HOST:PORT[@ADDR],…', description: "peers to start from: another node's P2P line (or BITUNICOM_BOOTSTRAP)" },
    routers: { type: 'string', value: 'HOST:PORT,…', description: 'application routers a sealer behind a NAT registers with (besides those the DHT advertises)' },
    port: { type: 'string', value: 'N', description: 'UDP port of the P2P transport (default 0 = random)' },
    host: { type: 'string', value: 'HOST', description: 'address to bind (default 0.0.0.0)' },
    'rpc-port': { type: 'string', value: 'N', description: 'serve the Ethereum JSON-RPC on 127.0.0.1:N (0 = random; default none)' },
    genesis: { type: 'string', value: 'FILE', description: "the network's genesis.json (first run; kept in DIR)" },
    keys: { type: 'string', value: 'N', description: 'participant keys to create on the first run (default 1; a sealer operator may run several)' },
    'block-time': { type: 'string', value: 'SEC', description: 'propose an empty block after SEC seconds without transactions (default: the genesis)' },
    timeouts: { type: 'string', value: 'NAME=MS,…', description: 'engine timeouts: propose, prevote, precommit, delta, collect (ms)' },
    'status-every': { type: 'string', value: 'SEC', description: 'print a Status line every SEC seconds (default 10; 0 = never)' },
    'log-level': LOG_LEVEL_OPTION,
  },
  details:
    'DIR (--data, required) keeps node-keys.json (made on the first run), genesis.json (copied\n' +
    'from --genesis) and chain.db. Prints "P2P: HOST:PORT@ADDRESS" for other nodes\' --bootstrap\n' +
    'and, with --rpc-port, "RPC: http://127.0.0.1:PORT". Keys not registered in the staking\n' +
    'contract make an observer: it syncs and verifies blocks and says so in one line.',
  run: runNode,
};

