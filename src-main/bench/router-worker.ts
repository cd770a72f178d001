/**
 * An application router in its own thread for the relay benchmark (a real router is another
 * machine; running it on the benchmark's thread would bill its forwarding to the clients).
 * Posts { address, endpoint } when ready; any message stops it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { UNLIMITED } from '../core/ar/relay-bench';
import { startRouter } from '../core/node';

const dir = mkdtempSync(join(tmpdir(), 'bu-bench-router-'));
const router = await startRouter({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 }, limits: UNLIMITED });
parentPort!.postMessage({ address: router.address, endpoint: router.endpoint });
parentPort!.once('message', async () => {
  await router.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
