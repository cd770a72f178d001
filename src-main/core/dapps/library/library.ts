/**
 * @module dapps/library/library
 * The installed dapps of one profile (issue 12, item 4 "install into the dapp's own origin"):
 * files on disk (dapps/library/disk), state in the encrypted store's key-value table
 * (`dapps.installed.<appId>` = one JSON record, `dapps.installed.ids` = the list), no SQL of
 * its own.
 *
 * `install` accepts a .bud only when all of these hold, each refusal a DAPP_REFUSED naming its
 * reason: the container, every chunk and file and the manifest check out (openContainer); the
 * author signature verifies under the key the registry lists, for the app id and content hash
 * it lists (verifyBundle); the manifest's version is the listed one; this host is recent enough
 * (`minHostVersion`); and against an installed version, the update rules (verifyUpdate: same app
 * id and author key, strictly newer). An update that asks for permissions the caller did not
 * accept is PERMISSION_DENIED. Installing the installed content again is a no-op.
 *
 * `resolve(appId, path)` serves only files of the installed version: the bundle's own file list
 * is the allow-list (an exact match, so `..`, `%2e%2e`, backslashes or absolute paths never
 * reach the file system), an empty path is the manifest's entry.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuError, TypedEmitter, silentLogger, type Logger } from '../../base';
import { contentHashHex, hostSupports, mimeTypeOf, verifyBundle, verifyUpdate, type DappManifestT, type DappPermission, type VerifiedBundle } from '../package';
import { DappDisk } from './disk';
import { DappRefusedError, refusing } from './errors';

export const STATE_PREFIX = 'dapps.installed.';
const IDS_KEY = `${STATE_PREFIX}ids`;

/** The store's key-value table (core/store SettingsRepo). */
export type KeyValue = { get(key: string): string | null; set(key: string, value: string): void; delete(key: string): void };

/** What the registry lists for the version being installed. */
export type Listing = { appId: string; contentHash: string; authorKey: string; version?: string };

export type InstalledRecord = {
  appId: string;
  name: string;
  version: string;
  contentHash: string;
  /** The author key (SEC 1 compressed, hex). */
  author: string;
  description: string;
  categories: string[];
  permissions: DappPermission[];
  entry: string;
  icon: string;
  screenshots: string[];
  installedAt: number;
  sizeBytes: number;
  /** Every file of the version (the resolver's allow-list). */
  files: string[];
};

export type LibraryEvents = { changed: { appId: string; kind: 'installed' | 'updated' | 'uninstalled'; record: InstalledRecord | null } };

export type Candidate = { bundle: VerifiedBundle; installed: InstalledRecord | null; added: DappPermission[]; removed: DappPermission[]; same: boolean };

export type LibraryOptions = { root: string; kv: KeyValue; hostVersion: string; logger?: Logger; disk?: DappDisk; now?: () => number };

export type Resolved = { path: string; bytes: Uint8Array; mime: string };

const lower = (s: string) => s.toLowerCase();

export class DappLibrary extends TypedEmitter<LibraryEvents> {
  readonly disk: DappDisk;
  private readonly records = new Map<string, InstalledRecord>();
  private readonly allow = new Map<string, Set<string>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;

  private constructor(private readonly o: LibraryOptions) {
    super();
    this.disk = o.disk ?? new DappDisk(o.root);
    this.logger = o.logger ?? silentLogger;
  }

  /** Loads the records and sweeps what an interrupted install left on disk. */
  static async open(o: LibraryOptions): Promise<DappLibrary> {
    const lib = new DappLibrary(o);
    for (const id of lib.ids()) {
      const raw = o.kv.get(STATE_PREFIX + id);
      if (!raw) continue;
      try {
        lib.remember(JSON.parse(raw) as InstalledRecord);
      } catch {
        lib.logger.warn('unreadable dapp record skipped', { appId: id });
      }
    }
    const removed = await lib.disk.sweep(new Map([...lib.records].map(([id, r]) => [id, r.contentHash])));
    if (removed.length) lib.logger.info('removed leftovers of interrupted dapp installs', { count: removed.length });
    return lib;
  }

  list(): InstalledRecord[] {
    return [...this.records.values()].sort((a, b) => a.name.localeCompare(b.name) || a.appId.localeCompare(b.appId));
  }

  get(appId: string): InstalledRecord | null {
    return this.records.get(lower(appId)) ?? null;
  }

  /** Every .bud this node keeps for its installed apps (what it seeds). */
  bundleFiles(): string[] {
    return this.list().map((r) => this.disk.bundleFile(r.contentHash));
  }

  /** Verifies `bud` against the listing and the installed version, writing nothing. */
  check(bud: Uint8Array, listing: Listing): Candidate {
    const appId = lower(listing.appId);
    const bundle = refusing(() => verifyBundle(bud, { appId, contentHash: listing.contentHash, authorKey: listing.authorKey }));
    const m = bundle.manifest;
    if (listing.version !== undefined && listing.version !== m.version) {
      throw new DappRefusedError('LISTING_MISMATCH', `Refused (LISTING_MISMATCH): the bundle is version ${m.version}, but the registry lists ${listing.version} for that content.`);
    }
    if (!hostSupports(m, this.o.hostVersion)) {
      throw new DappRefusedError('HOST_TOO_OLD', `Refused (HOST_TOO_OLD): ${m.name} ${m.version} needs BitUnicom ${m.minHostVersion} or newer (this is ${this.o.hostVersion}).`);
    }
    const installed = this.get(appId);
    if (!installed) return { bundle, installed, added: [...m.permissions], removed: [], same: false };
    if (installed.contentHash === contentHashHex(bundle)) return { bundle, installed, added: [], removed: [], same: true };
    const diff = refusing(() => verifyUpdate({ appId: installed.appId, author: installed.author, version: installed.version, permissions: installed.permissions }, m));
    return { bundle, installed, ...diff, same: false };
  }

  /**
   * Installs or updates from a verified .bud. `acceptPermissions`: for an update, the new
   * permissions the user agreed to (every added one must be there, else PERMISSION_DENIED).
   */
  install(bud: Uint8Array, listing: Listing, opts: { acceptPermissions?: readonly string[] } = {}): Promise<InstalledRecord> {
    return this.serial(async () => {
      const c = this.check(bud, listing);
      if (c.same) return c.installed!;
      if (c.installed) {
        const missing = c.added.filter((p) => !(opts.acceptPermissions ?? []).includes(p));
        if (missing.length) {
          throw new BuError('PERMISSION_DENIED', `${c.bundle.manifest.name} ${c.bundle.manifest.version} asks for new permissions that were not accepted: ${missing.join(', ')}.`);
        }
      }
      const m = c.bundle.manifest;
      const appId = lower(m.appId);
      const hash = contentHashHex(c.bundle);
      await this.disk.extract(appId, hash, c.bundle.files);
      await this.disk.keepBundle(hash, bud);
      const record = recordOf(m, hash, c.bundle, this.o.now?.() ?? Date.now());
      this.save(record);
      if (c.installed) {
        // the record points at the new version now; the old one's files and bundle go
        await this.disk.removeVersion(appId, c.installed.contentHash).catch((e: unknown) => this.logger.warn('old dapp version not removed', { error: String(e) }));
        await this.disk.removeBundle(c.installed.contentHash).catch(() => undefined);
      }
      this.emit('changed', { appId, kind: c.installed ? 'updated' : 'installed', record });
      return record;
    });
  }

  /** Removes the files, the kept bundle and the record; false when it was not installed. */
  uninstall(appId: string): Promise<boolean> {
    return this.serial(async () => {
      const r = this.get(appId);
      if (!r) return false;
      this.forget(r.appId);
      await this.disk.removeApp(r.appId);
      await this.disk.removeBundle(r.contentHash);
      this.emit('changed', { appId: r.appId, kind: 'uninstalled', record: null });
      return true;
    });
  }

  /** A file of the installed version, or null (not installed, or not in its file list). */
  async resolve(appId: string, path: string): Promise<Resolved | null> {
    const r = this.get(appId);
    if (!r) return null;
    const rel = path === '' ? r.entry : path;
    if (!this.allow.get(r.appId)?.has(rel)) return null;
    const mime = mimeTypeOf(rel);
    if (!mime) return null;
    try {
      const bytes = await readFile(join(this.disk.versionDir(r.appId, r.contentHash), ...rel.split('/')));
      return { path: rel, bytes, mime };
    } catch (e) {
      this.logger.warn('installed dapp file unreadable', { appId: r.appId, path: rel, error: String(e) });
      return null;
    }
  }

  /** The icon as a data: URL (RFC 2397), or null. */
  async iconDataUrl(appId: string): Promise<string | null> {
    const r = this.get(appId);
    const f = r ? await this.resolve(r.appId, r.icon) : null;
    return f ? `data:${f.mime};base64,${Buffer.from(f.bytes).toString('base64')}` : null;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private ids(): string[] {
    try {
      const v = JSON.parse(this.o.kv.get(IDS_KEY) ?? '[]') as unknown;
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && /^0x[0-9a-f]{40}$/.test(x)) : [];
    } catch {
      return [];
    }
  }

  private remember(r: InstalledRecord): void {
    this.records.set(r.appId, r);
    this.allow.set(r.appId, new Set(r.files));
  }

  private save(r: InstalledRecord): void {
    this.o.kv.set(STATE_PREFIX + r.appId, JSON.stringify(r));
    const ids = new Set(this.ids());
    if (!ids.has(r.appId)) this.o.kv.set(IDS_KEY, JSON.stringify([...ids, r.appId]));
    this.remember(r);
  }

  private forget(appId: string): void {
    this.o.kv.set(IDS_KEY, JSON.stringify(this.ids().filter((x) => x !== appId)));
    this.o.kv.delete(STATE_PREFIX + appId);
    this.records.delete(appId);
    this.allow.delete(appId);
  }
}

function recordOf(m: DappManifestT, contentHash: string, b: VerifiedBundle, now: number): InstalledRecord {
  return {
    appId: lower(m.appId),
    name: m.name,
    version: m.version,
    contentHash,
    author: lower(m.author),
    description: m.description,
    categories: [...m.categories],
    permissions: [...m.permissions],
    entry: m.entry,
    icon: m.icon,
    screenshots: [...m.screenshots],
    installedAt: now,
    sizeBytes: b.index.totalSize,
    files: b.index.files.map((f) => f.path),
  };
}
