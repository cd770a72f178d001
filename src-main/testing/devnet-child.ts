/**
 * Test support: a devnet (ledger + mempool + producer + RPC) in its own process, so a test can
 * kill -9 it. Args: <chain dir> <genesis.json> [intervalMs]. Prints {"ready":true,"rpcUrl":…}.
 */
import { readFileSync } from 'node:fs';
import { ChainService, parseGenesis } from '../core/chain';

const [dir, genesisFile, interval] = process.argv.slice(2);
const service = await ChainService.start({
  dir: dir!,
  genesis: parseGenesis(readFileSync(genesisFile!, 'utf8')),
  producer: { intervalMs: Number(interval ?? 100), batchDelayMs: 5 },
  rpc: { ports: [0] },
  clientVersion: 'BitUnicom/crash-test',
});
process.stdout.write(`${JSON.stringify({ ready: true, rpcUrl: service.rpcUrl })}\n`);
setInterval(() => {}, 1 << 30);
