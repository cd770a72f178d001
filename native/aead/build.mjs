#!/usr/bin/env node
// Builds native/aead (bu_aead.node) with the node-gyp that npm bundles, against this Node's
// headers. Never fatal: without the addon the session layer uses node:crypto (slower per packet).
// Run by `npm install` (prepare). Electron: the addon is built for Node's ABI only; the Electron
// shell therefore falls back to node:crypto (see native/README.md).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const candidates = [
  process.env.npm_config_node_gyp,
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
].filter(Boolean);
const gyp = candidates.find((p) => existsSync(p));
if (!gyp) {
  console.log('native/aead: node-gyp not found; the session layer will use node:crypto.');
  process.exit(0);
}
const args = [gyp, 'rebuild', '--directory', dir];
const nodedir = process.env.npm_config_nodedir ?? (existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
if (nodedir) args.push(`--nodedir=${nodedir}`);
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
if (r.status === 0 && existsSync(join(dir, 'build', 'Release', 'bu_aead.node'))) {
  console.log('native/aead: built bu_aead.node (fast AES-256-GCM for the session layer).');
} else {
  console.log(`native/aead: build failed; the session layer will use node:crypto. ${String(r.stderr ?? '').split('\n').slice(-3).join(' ')}`);
}
