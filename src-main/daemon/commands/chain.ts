/**
 * @module daemon/commands/chain
 * `bitunicom chain import|export|serve`: bring an Ethereum chain over and serve it.
 *
 *   chain import --genesis GENESIS.json --blocks CHAIN.rlp --data DIR
 *       geth genesis + geth `export` file (gzip if .gz) → a ledger at DIR/chain.db, every block
 *       executed (core/chain/import.ts, IMPORT.md). Progress lines on stderr, one summary line
 *       (or --json) on stdout. Ctrl+C stops after the current block; running it again resumes.
 *   chain export --data DIR --out FILE [--from N] [--to N]
 *       the canonical blocks in the same format (geth can import it too).
 *   chain serve --data DIR [--rpc-port N]
 *       the ledger's Ethereum JSON-RPC on 127.0.0.1 with no block producer (a read-only
 *       chain: eth_sendRawTransaction has no pool), `RPC: http://127.0.0.1:PORT`, until Ctrl+C.
 *
 * DIR is required (never the profile directory by default), so an imported chain cannot be
 * mixed up with the node's own devnet.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { intOption, UsageError, type CommandSpec, type OptionSpec } from '../args';
import type { CommandContext } from '../context';
import { createLineLogger, isLogLevel } from '../logger';
import { waitForShutdown } from '../shutdown';
import { LOG_LEVEL_OPTION, loggerFrom } from './node-options';
import type { Logger } from '../../core/base';

const CLIENT_VERSION = `BitUnicom/v0.1.0/node-${process.version}`;

const DATA_REQUIRED = '--data DIR is required: the directory of the chain (its ledger is DIR/chain.db)';

function dataDirOf(ctx: CommandContext): string {
  if (typeof ctx.values.data !== 'string') throw new UsageError(DATA_REQUIRED);
  return ctx.dataDir;
}

function fileOption(ctx: CommandContext, name: string, what: string): string {
  const v = ctx.values[name];
  if (typeof v !== 'string') throw new UsageError(`--${name} ${what} is required`);
  return resolve(ctx.io.cwd, v);
}

/** warn unless asked otherwise: the progress lines are the output people watch. */
function quietLogger(ctx: CommandContext): Logger {
  const level = ctx.values['log-level'] ?? ctx.io.env.BITUNICOM_LOG;
  if (level === undefined) return createLineLogger('warn', (l) => ctx.io.err(l));
  if (!isLogLevel(level)) return loggerFrom(ctx); // the usage error
  return createLineLogger(level, (l) => ctx.io.err(l));
}

const loadChain = async () => import('../../core');

async function runImport(ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const dataDir = dataDirOf(ctx);
  const genesis = fileOption(ctx, 'genesis', 'FILE (geth genesis JSON)');
  const blocksFile = fileOption(ctx, 'blocks', 'FILE (geth export: concatenated RLP blocks, .gz allowed)');
  const every = intOption(ctx.values, 'progress-every', 1, 1_000_000_000) ?? 1000;
  const logger = quietLogger(ctx);
  const { importChain } = await loadChain();
  const ac = new AbortController();
  let stopping = false;
  void waitForShutdown(ctx).then(() => {
    stopping = true;
    ac.abort();
  });
  const res = await importChain({
    genesis,
    blocksFile,
    dataDir,
    logger,
    signal: ac.signal,
    progressEvery: every,
    onProgress: (p) => {
      if (!p.done) io.err(`Imported ${p.imported} blocks (${p.skipped} known), head #${p.head}, ${p.blocksPerSecond} blocks/s`);
    },
  });
  if (ctx.json) io.out(JSON.stringify({ ...res, dataDir }));
  else {
    io.out(
      `Imported ${res.imported} block${res.imported === 1 ? '' : 's'} (${res.skipped} already known): head #${res.head.number} ${res.head.hash}, state root ${res.head.stateRoot}`,
    );
  }
  if (res.interrupted || stopping) {
    io.err(`Interrupted at block #${res.head.number}: run the same command again to continue.`);
    return 130;
  }
  return 0;
}

async function runExport(ctx: CommandContext): Promise<number> {
  const dataDir = dataDirOf(ctx);
  const out = fileOption(ctx, 'out', 'FILE');
  const from = intOption(ctx.values, 'from', 0, Number.MAX_SAFE_INTEGER);
  const to = intOption(ctx.values, 'to', 0, Number.MAX_SAFE_INTEGER);
  const { exportChain } = await loadChain();
  const res = await exportChain({ dataDir, out, from, to, logger: quietLogger(ctx) });
  if (ctx.json) ctx.io.out(JSON.stringify({ ...res, out }));
  else ctx.io.out(`Exported blocks #${res.from}–#${res.to} (${res.exported} block${res.exported === 1 ? '' : 's'}) to ${out}`);
  return 0;
}

async function runServe(ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const dataDir = dataDirOf(ctx);
  const port = intOption(ctx.values, 'rpc-port', 0, 65535) ?? 0;
  const logger = loggerFrom(ctx);
  const { Ledger, startRpcServer, CHAIN_DB_FILE, BuError } = await loadChain();
  const file = join(dataDir, CHAIN_DB_FILE);
  if (!existsSync(file)) throw new BuError('BAD_INPUT', `There is no chain in ${dataDir} (${file} does not exist): create one with bitunicom chain import.`);
  const ledger = await Ledger.open({ file, logger });
  try {
    const rpc = await startRpcServer({ ledger, mempool: null, clientVersion: CLIENT_VERSION, logger, host: '127.0.0.1', port });
    try {
      const head = ledger.head;
      if (ctx.json) {
        io.out(JSON.stringify({ rpcUrl: rpc.url, chainId: Number(ledger.chainId), head: Number(head.header.number), dataDir }));
      } else {
        io.out(`RPC: ${rpc.url}`);
        io.out(`Chain: id ${ledger.chainId}, head #${head.header.number} ${bufHex(head.hash())} (read-only: no block producer)`);
        io.out('Press Ctrl+C to stop.');
      }
      await waitForShutdown(ctx);
      if (!ctx.json) io.err('Shutting down…');
      return 0;
    } finally {
      await rpc.close();
    }
  } finally {
    await ledger.close();
  }
}

function bufHex(b: Uint8Array): string {
  return `0x${Buffer.from(b).toString('hex')}`;
}

const fileOpt = (description: string): OptionSpec => ({ type: 'string', value: 'FILE', description });

export const chainImportCommand: CommandSpec = {
  name: 'chain import',
  group: 'Chain',
  summary: 'Build a chain from a geth genesis file and a geth block export, executing every block.',
  options: {
    genesis: fileOpt('geth genesis JSON (chain id, fork schedule, alloc) (required)'),
    blocks: fileOpt('blocks as geth export writes them: concatenated RLP, gzip if it ends in .gz (required)'),
    'progress-every': { type: 'string', value: 'N', description: 'print progress every N blocks (and at least every second; default 1000)' },
    'log-level': { ...LOG_LEVEL_OPTION, description: 'log level on stderr (default warn, or BITUNICOM_LOG)' },
  },
  details:
    'The ledger is DIR/chain.db (--data DIR is required). Each block is executed and committed on\n' +
    'its own; one whose state root, receipts root, bloom or gas used does not match is refused,\n' +
    'naming both values. Importing into a DIR that holds the same chain continues from its head;\n' +
    'Ctrl+C stops after the current block. Proof-of-work seals and clique signatures are not\n' +
    'checked (see src-main/core/chain/IMPORT.md).',
  run: runImport,
};

export const chainExportCommand: CommandSpec = {
  name: 'chain export',
  group: 'Chain',
  summary: "Write a chain's blocks as geth's export format (genesis included; gzip if FILE ends in .gz).",
  options: {
    out: fileOpt('output file (required)'),
    from: { type: 'string', value: 'N', description: 'first block (default 0)' },
    to: { type: 'string', value: 'N', description: 'last block (default the head)' },
    'log-level': { ...LOG_LEVEL_OPTION, description: 'log level on stderr (default warn, or BITUNICOM_LOG)' },
  },
  details: 'The file appears only once complete. --data DIR is required.',
  run: runExport,
};

export const chainServeCommand: CommandSpec = {
  name: 'chain serve',
  group: 'Chain',
  summary: "Serve a chain's Ethereum JSON-RPC on 127.0.0.1 (no block producer) until Ctrl+C.",
  options: {
    'rpc-port': { type: 'string', value: 'N', description: 'JSON-RPC port on 127.0.0.1 (default 0 = random)' },
    'log-level': LOG_LEVEL_OPTION,
  },
  details: 'Prints "RPC: http://127.0.0.1:PORT". --data DIR is required (a DIR made by chain import).',
  run: runServe,
};
