/**
 * @module daemon/commands/poe-devnet
 * `bitunicom devnet [--primaries N] [--sealers N] [--sealer-processes N] [--data DIR]
 *  [--rpc-port N] [--block-time SEC]`: a local POE network of separate processes
 * (daemon/devnet-cluster.ts) until Ctrl+C. Prints the DIR (a new temp dir unless --data), the
 * funded wallet, `RPC: http://127.0.0.1:PORT` (primary 0) once the first block is final, then
 * a one-line status every --status-every seconds (finalized height, finality p50, nodes up).
 * A child that dies is reported with the last line of its log and not restarted; Ctrl+C stops
 * every child. The same --data DIR resumes the network (keys and ledgers kept).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intOption, UsageError, type CommandSpec } from '../args';
import type { CommandContext } from '../context';
import { DevnetCluster, type Member } from '../devnet-cluster';
import { isLogLevel, LOG_LEVELS } from '../logger';
import { waitForShutdown } from '../shutdown';
import { blockTimeOption, parseTimeouts } from './poe-options';

function statusLine(c: DevnetCluster): { text: string; data: Record<string, unknown> } {
  const up = c.up();
  const withStatus = up.filter((m): m is Member & { status: NonNullable<Member['status']> } => m.status !== null);
  const finalized = withStatus.reduce((mx, m) => Math.max(mx, Number(m.status.finalized)), -1);
  const behind = withStatus.filter((m) => Number(m.status.finalized) < finalized - 1).map((m) => m.id);
  const p0 = c.member('p0').status;
  const p50 = p0?.finalityP50Ms ?? null;
  const down = c.members.filter((m) => !m.up).map((m) => m.id);
  const text =
    `Status: #${finalized < 0 ? '?' : finalized} final, finality p50 ${p50 === null ? 'n/a' : `${(p50 / 1000).toFixed(2)} s`}, ` +
    `${up.length}/${c.members.length} nodes up${down.length ? ` (down: ${down.join(' ')})` : ''}` +
    `${behind.length ? `, syncing: ${behind.join(' ')}` : ''}, p0 ${p0?.peers ?? 0} peers`;
  return { text, data: { event: 'status', finalized, finalityP50Ms: p50, up: up.length, nodes: c.members.length, down, behind } };
}

async function runDevnet(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const primaries = intOption(values, 'primaries', 1, 64);
  const sealers = intOption(values, 'sealers', 0, 1024);
  const sealerProcesses = intOption(values, 'sealer-processes', 1, 64);
  const rpcPort = intOption(values, 'rpc-port', 0, 65535);
  const every = intOption(values, 'status-every', 1, 3600) ?? 5;
  const blockMs = blockTimeOption(values);
  const timeouts = typeof values.timeouts === 'string' ? parseTimeouts(values.timeouts) : undefined;
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  if (sealerProcesses !== undefined && sealers !== undefined && sealerProcesses > Math.max(1, sealers)) {
    throw new UsageError(`--sealer-processes ${sealerProcesses} is more than --sealers ${sealers}`);
  }
  const dir = typeof values.data === 'string' ? ctx.dataDir : mkdtempSync(join(tmpdir(), 'bitunicom-devnet-'));
  const cluster = await DevnetCluster.prepare({ dir, primaries, sealers, sealerProcesses, rpcPort, blockTimeSec: blockMs === undefined ? undefined : blockMs / 1000, timeouts, logLevel });
  const l = cluster.layout;
  const say = (text: string, data: Record<string, unknown>) => io.out(ctx.json ? JSON.stringify(data) : text);
  say(
    [
      `Devnet: ${l.primaries} primaries + ${l.sealers} sealers in ${l.sealerProcesses} sealer process${l.sealerProcesses === 1 ? '' : 'es'}, chain id ${l.chainId} (${cluster.created ? 'new' : 'resumed'})`,
      `Data: ${dir}`,
      `Wallet: ${l.wallet.address} (funded in the genesis; its key is in ${join(dir, 'devnet.json')})`,
      `Logs: ${join(dir, 'logs')}/<node>.log; starting ${cluster.members.length} node processes…`,
    ].join('\n'),
    { event: 'prepared', dir, created: cluster.created, chainId: l.chainId, wallet: l.wallet.address, primaries: l.primaries, sealers: l.sealers, sealerProcesses: l.sealerProcesses },
  );
  let stopping = false;
  cluster.events.on('exit', (e) => {
    if (stopping || e.expected) return;
    const how = e.signal ? `signal ${e.signal}` : `code ${e.code}`;
    say(`Node ${e.id} exited (${how}); it is not restarted. Last log line: ${e.lastLine.slice(0, 300)}`, { event: 'exit', ...e });
  });
  const shutdown = waitForShutdown(ctx).then((why) => {
    stopping = true;
    return why;
  });
  try {
    const startedAt = Date.now();
    const ready = (async () => {
      await cluster.start();
      const b = await cluster.waitForFinal(undefined, 180_000);
      return b;
    })();
    const first = await Promise.race([ready, shutdown.then(() => null)]);
    if (first) {
      say(`RPC: ${cluster.rpcUrl}\nBlock #${first.number} final ${((Date.now() - startedAt) / 1000).toFixed(1)} s after start. Press Ctrl+C to stop.`, {
        event: 'ready',
        rpcUrl: cluster.rpcUrl,
        height: first.number,
        members: cluster.members.map((m) => ({ id: m.id, role: m.role, keys: m.keys, p2p: m.p2p, rpcUrl: m.rpcUrl, pid: m.proc?.pid ?? null, log: m.log })),
      });
      const timer = setInterval(() => {
        const s = statusLine(cluster);
        say(s.text, s.data);
      }, every * 1000);
      await shutdown;
      clearInterval(timer);
    } else {
      ready.catch(() => undefined);
    }
    if (!ctx.json) io.err('Stopping the devnet…');
    return 0;
  } finally {
    stopping = true;
    await cluster.stop();
  }
}

export const poeDevnetCommand: CommandSpec = {
  name: 'devnet',
  group: 'POE network',
  summary: 'Run a local POE network of separate node processes (primaries and sealers) until Ctrl+C.',
  options: {
    primaries: { type: 'string', value: 'N', description: 'primary nodes, one process each (default 4)' },
    sealers: { type: 'string', value: 'N', description: 'sealer keys (default 8)' },
    'sealer-processes': { type: 'string', value: 'N', description: 'processes the sealer keys are spread over (default ⌈sealers/8⌉)' },
    'rpc-port': { type: 'string', value: 'N', description: "primary 0's JSON-RPC port on 127.0.0.1 (default 0 = random)" },
    'block-time': { type: 'string', value: 'SEC', description: 'empty block interval when no transaction waits (default: the genesis, 5)' },
    timeouts: { type: 'string', value: 'NAME=MS,…', description: 'engine timeouts for every node: propose, prevote, precommit, delta, collect' },
    'status-every': { type: 'string', value: 'SEC', description: 'print a status line every SEC seconds (default 5)' },
    'log-level': { type: 'string', value: 'LEVEL', description: `the nodes' log level in DIR/logs: ${LOG_LEVELS.join(', ')} (default info)` },
  },
  details:
    '--data DIR keeps the network (devnet.json, genesis.json, nodes/<id>/, logs/<id>.log); without it a\n' +
    'new temp dir is made and printed. The same --data DIR resumes the network (counts may be\n' +
    'omitted). Prints "RPC: http://127.0.0.1:PORT" once the first block is final. A node that\n' +
    'dies is reported, not restarted. Subcommand: devnet reset (the embedded devnet of `serve`).',
  run: runDevnet,
};
