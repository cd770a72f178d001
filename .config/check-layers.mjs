#!/usr/bin/env node
// Fails (exit 1) when core imports 'electron', when a core module imports a higher or same-level
// sibling, or reaches into another module's files instead of its index.ts. Run by `npm run build`
// and `npm run lint`; `checkLayers(root)` is exported for the unit test that proves it bites.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Lower number = lower layer. A module may import only strictly lower layers. */
export const LAYERS = {
  base: 0,
  crypto: 1,
  account: 2,
  store: 2,
  envelope: 2,
  ratchet: 2,
  net: 3,
  chain: 3,
  session: 4,
  dht: 5,
  ar: 6,
  chat: 7,
  call: 7,
  wallet: 7,
  dapps: 8,
  seal: 8,
  node: 9,
};

const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

export function checkLayers(root) {
  const core = join(root, 'src-main', 'core');
  const problems = [];
  for (const file of walk(core)) {
    const isTest = /\.test\.ts$/.test(file);
    const rel = relative(core, file).split(sep);
    const mod = rel.length > 1 ? rel[0] : null; // null: core/index.ts, core/testnet.ts
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const where = `${relative(root, file)} imports '${spec}'`;
      if (spec === 'electron' || spec.startsWith('electron/')) {
        problems.push(`${where}: core must never import electron`);
        continue;
      }
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      const trel = relative(core, target).split(sep);
      if (trel[0] === '..') {
        const fromRoot = relative(root, target).split(sep).join('/');
        if (!fromRoot.startsWith('src-preload/contract')) problems.push(`${where}: core may reach outside itself only for src-preload/contract`);
        continue;
      }
      const tmod = trel.length > 1 || trel[0] in LAYERS ? trel[0] : null;
      if (tmod === mod) continue; // inside the same module
      if (tmod === null) {
        problems.push(`${where}: a module must not import the core root`);
        continue;
      }
      if (!(tmod in LAYERS)) {
        problems.push(`${where}: '${tmod}' is not a known core layer (add it to LAYERS)`);
        continue;
      }
      const viaIndex = trel.length === 1 || (trel.length === 2 && /^index(\.ts)?$/.test(trel[1]));
      if (!viaIndex && !isTest) problems.push(`${where}: import '${tmod}' through its index.ts`);
      if (mod !== null && LAYERS[tmod] >= LAYERS[mod]) {
        problems.push(`${where}: '${mod}' (layer ${LAYERS[mod]}) may not depend on '${tmod}' (layer ${LAYERS[tmod]})`);
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkLayers(root);
  if (problems.length) {
    console.error(`Layering check failed (${problems.length}):\n  ` + problems.join('\n  '));
    process.exit(1);
  }
}
