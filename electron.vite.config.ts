/**
 * Build of both shells with electron-vite 6 (Vite 8 / Rolldown):
 *
 *   main      out/main/index.js   Electron main process  (src-main/electron/main.ts)
 *             out/main/cli.js     headless shell / CLI    (src-main/daemon/cli.ts), run by plain Node
 *             out/main/sealing-worker.js  the sealing worker thread (src-main/core/seal/sealing/worker-entry.ts)
 *   preload   out/preload/index.cjs  sandboxed preload: CommonJS, self-contained (sandboxed
 *                                    preloads cannot load ESM or node_modules)
 *   renderer  out/renderer/index.html   the React UI (served by the headless shell)
 *             out/renderer/electron.html  the same page plus a CSP <meta>, loaded over file://
 *
 * package.json dependencies stay external in main (better-sqlite3-multiple-ciphers is a
 * native addon and must be loaded from node_modules; ws has optional native helpers).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { injectCspMeta } from './src-main/electron/csp';

const root = dirname(fileURLToPath(import.meta.url));
const r = (...p: string[]): string => resolve(root, ...p);

/** Emits electron.html = built index.html + CSP meta, for the Electron shell only. */
function electronCspPage(): Plugin {
  return {
    name: 'bitunicom:electron-csp-page',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const page = bundle['index.html'];
      if (!page || page.type !== 'asset') {
        this.error('electron-csp-page: the renderer build produced no index.html');
      }
      const html = typeof page.source === 'string' ? page.source : new TextDecoder().decode(page.source);
      this.emitFile({ type: 'asset', fileName: 'electron.html', source: injectCspMeta(html) });
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: r('out/main'),
      // cli.js also runs under the system Node (>= 20.19, package.json engines), not only Electron's.
      target: 'node20.19',
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: r('src-main/electron/main.ts'),
          cli: r('src-main/daemon/cli.ts'),
          // The sealing worker thread's entry (core/seal/sealing/worker-host.ts finds it beside the bundle).
          'sealing-worker': r('src-main/core/seal/sealing/worker-entry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: r('out/preload'),
      externalizeDeps: false, // bundle zod + the contract: a sandboxed preload can require only 'electron'
      rolldownOptions: {
        input: { index: r('src-preload/electron-preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: r('src-renderer'),
    base: './',
    plugins: [react(), electronCspPage()],
    build: {
      outDir: r('out/renderer'),
      emptyOutDir: true,
      // Never inline fonts or scripts (the call playout worklet) as data: URLs — the CSP's
      // font-src and script-src are 'self' only (images may be data:).
      assetsInlineLimit: (file: string) => (/\.(woff2?|ttf|otf|eot|js)$/i.test(file) ? false : undefined),
      rolldownOptions: { input: r('src-renderer/index.html') },
    },
  },
});
