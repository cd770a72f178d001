/**
 * Child process for the cold-start and idle-memory figures. argv[2] = 'bare' (baseline: the
 * same runtime with nothing loaded) or 'node' (import the core, open a profile, unlock, idle).
 * Prints one JSON line: { readyMs, importMs, unlockMs, rss } — readyMs since process start
 * (performance.timeOrigin) excluding the one-off account creation, rss after 2 s idle and a GC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mode = process.argv[2];
const t0 = performance.now();
let importMs = 0;
let unlockMs = 0;
let setupMs = 0;
let cleanup = async () => {};
if (mode === 'node') {
  const core = await import('../core/index');
  importMs = performance.now() - t0;
  const dir = mkdtempSync(join(tmpdir(), 'bu-bench-'));
  // Make the profile first (not part of a cold start), then time open + unlock of it.
  const first = await core.createNode({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 } });
  await first.handlers['account.create']({ mnemonic: core.generateMnemonic(), password: 'bench-password', name: 'Bench' });
  await first.close();
  const t1 = performance.now();
  const node = await core.createNode({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 } });
  await node.handlers['account.unlock']({ password: 'bench-password' });
  unlockMs = performance.now() - t1;
  setupMs = t1 - t0 - importMs;
  cleanup = async () => {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
const readyMs = performance.now() - setupMs;
await new Promise((r) => setTimeout(r, 2000));
(globalThis as { gc?: () => void }).gc?.();
const rss = process.memoryUsage().rss;
process.stdout.write(JSON.stringify({ readyMs, importMs, unlockMs, rss }) + '\n');
await cleanup();
