/**
 * @module daemon/resources
 * Where the app's resources folder is (devnet template, contract artifacts, icons): the
 * nearest `resources/` above this module that holds the devnet template. The built CLI runs
 * from out/main/, tests run from src-main/daemon/; both find the repository's resources/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findResourcesDir(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'chain', 'devnet-genesis.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}
