/**
 * @module dapps/samples/load-script
 * Tests only: runs one of a sample dapp's plain browser scripts (resources/dapps/<slug>/*.js,
 * which attach their API to `globalThis`, no modules — the dapp CSP allows only 'self'
 * scripts) in a fresh node:vm context and returns what it defined.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';

export const SAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'resources', 'dapps');

export function loadScript<T>(slug: string, file: string, global: string): T {
  // the browser globals the scripts use beyond the language's own builtins
  const context = createContext({ TextEncoder, TextDecoder });
  runInContext(readFileSync(join(SAMPLES_DIR, slug, file), 'utf8'), context, { filename: `${slug}/${file}` });
  const api = (context as Record<string, unknown>)[global];
  if (!api) throw new Error(`${slug}/${file} did not define globalThis.${global}`);
  return api as T;
}
