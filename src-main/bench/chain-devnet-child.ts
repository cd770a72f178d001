/**
 * @module bench/chain-devnet-child
 * The benchmark's devnet in its own process (so its RSS is its own): `startTestDevnet` — the
 * real ledger, mempool, producer and JSON-RPC on 127.0.0.1:0 — over a chain directory and a
 * genesis file the parent wrote. Args: <dir> <genesis.json> <accounts> <intervalMs>.
 * Prints one JSON line {"rpcUrl":…}; closes cleanly on SIGTERM or when stdin ends (so
 * `--cpu-prof` gets written).
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '../core/base';
import type { DevnetGenesis } from '../core/chain';
import { startTestDevnet } from '../core/chain/testing';

/** Warnings and errors go to stderr, which the benchmark shows if this process dies. */
const line = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
  process.stderr.write(`${level} ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
const logger: Logger = { debug() {}, info() {}, warn: line('warn'), error: line('error') };

const [dir, genesisFile, accounts, interval] = process.argv.slice(2);
const devnet = await startTestDevnet({
  dir: dir!,
  genesis: JSON.parse(readFileSync(genesisFile!, 'utf8')) as DevnetGenesis,
  accounts: Number(accounts),
  intervalMs: Number(interval),
  logger,
});
process.stdout.write(`${JSON.stringify({ rpcUrl: devnet.rpcUrl })}\n`);

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await devnet.close({ keep: true });
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.stdin.on('end', () => void shutdown());
process.stdin.resume();
