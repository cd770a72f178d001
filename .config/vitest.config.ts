import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    // the watchdog prints tests that run for minutes (and then the process tree), so a stuck
    // CI run names what it waits on
    reporters: ['default', fileURLToPath(new URL('./watchdog-reporter.ts', import.meta.url))],
    projects: [
      {
        test: {
          name: 'unit',
          root,
          environment: 'node',
          include: ['src-main/**/*.test.ts', 'src-preload/**/*.test.ts', 'src-renderer/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          root,
          environment: 'node',
          include: ['e2e/**/*.spec.ts'],
          // the NAT lab needs root and network namespaces: its own config (.config/vitest.natlab.config.ts)
          exclude: ['e2e/nat-lab/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
