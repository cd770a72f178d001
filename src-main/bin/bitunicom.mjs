#!/usr/bin/env node
/**
 * @module bin/bitunicom
 * The `bitunicom` command (package.json "bin"): runs the built headless shell,
 * out/main/cli.js. It exists only after `npm run build`; until then say so in one line.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = resolve(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`bitunicom: the CLI is not built yet; run \`npm run build\` in ${root} first.\n`);
  process.exit(1);
}
const mod = await import(pathToFileURL(cli).href);
if (typeof mod.main === 'function') process.exitCode = await mod.main(process.argv.slice(2));
