/**
 * @module dapps/library/disk
 * Where installed dapps live and how they get there without a half-written state:
 *
 *   <dataDir>/dapps/apps/<appId>/<contentHash>/…   the extracted files of one version
 *   <dataDir>/dapps/bundles/<hash hex>.bud          the verified container (this node seeds it;
 *                                                   named as the swarm's DirectorySource names it)
 *
 * A version is written into `<appId>/.tmp-<random>/`, every file flushed (fsync), then renamed
 * into place in one step (rename(2) is atomic on one file system); a bundle goes through a
 * temporary name and a rename likewise. The installed-state record is written only after both,
 * and the old version's folder is removed only after the record: a crash at any point leaves
 * the recorded version whole, and `sweep` removes what no record points at on the next open.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BundleFile } from '../package';

export const TMP_PREFIX = '.tmp-';

export class DappDisk {
  readonly appsDir: string;
  readonly bundlesDir: string;

  constructor(readonly root: string) {
    this.appsDir = join(root, 'apps');
    this.bundlesDir = join(root, 'bundles');
  }

  versionDir(appId: string, contentHash: string): string {
    return join(this.appsDir, appId, contentHash);
  }

  bundleFile(contentHash: string): string {
    return join(this.bundlesDir, `${contentHash.replace(/^0x/, '')}.bud`);
  }

  /** Writes `files` as `<appId>/<contentHash>/` in one rename; an existing folder of that name is replaced. */
  async extract(appId: string, contentHash: string, files: readonly BundleFile[]): Promise<string> {
    const appDir = join(this.appsDir, appId);
    const tmp = join(appDir, `${TMP_PREFIX}${randomBytes(8).toString('hex')}`);
    await mkdir(tmp, { recursive: true, mode: 0o700 });
    try {
      for (const f of files) {
        // bundle paths were checked by the package reader: relative, no '.'/'..', no backslash or colon
        const p = join(tmp, ...f.path.split('/'));
        await mkdir(dirname(p), { recursive: true });
        await writeDurably(p, f.bytes);
      }
      const dest = this.versionDir(appId, contentHash);
      if (existsSync(dest)) await rm(dest, { recursive: true, force: true });
      await rename(tmp, dest);
      await syncDir(appDir);
      return dest;
    } catch (e) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    }
  }

  /** Keeps the verified .bud under its content hash (temporary name, fsync, rename). */
  async keepBundle(contentHash: string, bud: Uint8Array): Promise<string> {
    await mkdir(this.bundlesDir, { recursive: true, mode: 0o700 });
    const dest = this.bundleFile(contentHash);
    const tmp = `${dest}${TMP_PREFIX}${randomBytes(8).toString('hex')}`;
    try {
      await writeDurably(tmp, bud);
      await rename(tmp, dest);
      await syncDir(this.bundlesDir);
      return dest;
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
  }

  async removeVersion(appId: string, contentHash: string): Promise<void> {
    await rm(this.versionDir(appId, contentHash), { recursive: true, force: true });
  }

  async removeApp(appId: string): Promise<void> {
    await rm(join(this.appsDir, appId), { recursive: true, force: true });
  }

  async removeBundle(contentHash: string): Promise<void> {
    await rm(this.bundleFile(contentHash), { force: true });
  }

  /**
   * Removes what an interrupted install or update left: temporary folders and files, versions
   * no record points at, folders of apps not installed. `installed` maps app id → content hash.
   */
  async sweep(installed: ReadonlyMap<string, string>): Promise<string[]> {
    const removed: string[] = [];
    for (const appId of list(this.appsDir)) {
      const appDir = join(this.appsDir, appId);
      const keep = installed.get(appId);
      if (keep === undefined) {
        await rm(appDir, { recursive: true, force: true });
        removed.push(appDir);
        continue;
      }
      for (const name of list(appDir)) {
        if (name === keep) continue;
        await rm(join(appDir, name), { recursive: true, force: true });
        removed.push(join(appDir, name));
      }
    }
    for (const name of list(this.bundlesDir)) {
      if (!name.includes(TMP_PREFIX)) continue;
      await rm(join(this.bundlesDir, name), { force: true });
      removed.push(join(this.bundlesDir, name));
    }
    return removed;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(path, 'w', 0o600);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a folder so a rename in it is durable (POSIX); not possible on Windows, where it is skipped. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r').catch(() => null);
  if (!fh) return;
  try {
    await fh.sync().catch(() => undefined);
  } finally {
    await fh.close();
  }
}
