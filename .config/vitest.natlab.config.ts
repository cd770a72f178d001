/**
 * NAT lab specs (e2e/nat-lab): network namespaces, veth and iptables, so they need root and run
 * one file and one test at a time. Run: npm run build && sudo npx vitest run -c .config/vitest.natlab.config.ts
 */
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    environment: 'node',
    include: ['e2e/nat-lab/**/*.spec.ts'],
    reporters: ['default', fileURLToPath(new URL('./watchdog-reporter.ts', import.meta.url))],
    // One lab per machine: files strictly one after the other, tests in order, no retries
    // (a flaky network result must be seen, not hidden).
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false, shuffle: false },
    retry: 0,
    testTimeout: 300_000,
    hookTimeout: 180_000,
    teardownTimeout: 120_000,
  },
});
